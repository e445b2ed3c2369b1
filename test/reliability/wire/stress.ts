// The wire server under stress, on loopback only: many concurrent connections, malformed and
// oversize frames, unknown events, floods above the rate limits, sockets dropped mid-request and
// mid-frame, and slow readers. The server must neither crash nor let one connection affect
// another, and its heap must come back to its baseline once the clients have left. Used by
// `npm test` (small sizes) and `npm run stress` (large ones).
import type { Socket } from 'node:net';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import { createCloud, type Cloud, type WireServer } from 'agora-signaling-emulator';
import { connect, maskedFrame, rawUpgrade, type RawClient } from '../../wire/raw-client.js';

export interface StressOptions {
  /** Connections held at once in each round (each logs in and is served). */
  connections: number;
  /** Rounds after the warm-up round; the heap is measured after each. */
  rounds: number;
  /** Peer messages in the flood to one client, and to the slow reader. */
  flood: number;
  /** Progress lines (the long runs). */
  progress?: (line: string) => void;
}

export interface StressReport {
  /** Most connections the server held at once. */
  connectionsHeld: number;
  /** Requests answered (logins and call2s). */
  requestsServed: number;
  /** Bad frames of each kind that were sent. */
  malformedFrames: number;
  unknownEvents: number;
  oversizeFrames: number;
  /** Channel messages sent above the rate limits, and how many the server refused. */
  floodedChannelMessages: number;
  refusedChannelMessages: number;
  /** Peer messages in floods (one client, and one slow reader). */
  floodedPeerMessages: number;
  droppedMidRequest: number;
  droppedMidFrame: number;
  slowReaders: number;
  /** Worst reply time of a well-behaved client while the others misbehaved, ms (real time). */
  worstPeerReplyMs: number;
  /** Heap after the warm-up round, and after each further round, with everyone gone (bytes, forced GC). */
  heapBaseline: number;
  heapAfterRounds: number[];
  /** What went wrong; empty when the server held up. */
  problems: string[];
}

/**
 * Growth allowed from the warm-up to the last round, everyone gone: what is left is compiled
 * code (a heap snapshot diff shows only code, feedback vectors and shapes), not connections.
 */
export const WIRE_HEAP_SLACK = 2 * 2 ** 20;

export function forceGc(): void {
  let collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

/** Heap in use after several forced collections (weak refs and finalizers get their turn). */
export async function settledHeap(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    forceGc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `promise`, or `fallback` after `ms`; the timer is cleared either way (a pending one would keep the round alive). */
async function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<T>((r) => (timer = setTimeout(() => r(fallback), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(check: () => boolean, ms: number, what: string, problems: string[]): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) {
      problems.push(`${what} did not happen within ${ms} ms`);
      return false;
    }
    await sleep(5);
  }
  return true;
}

/** Opens `n` clients in batches, each logged in as `${prefix}${i}`. */
async function openClients(url: string, n: number, prefix: string): Promise<RawClient[]> {
  const clients: RawClient[] = [];
  for (let start = 0; start < n; start += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, n - start) }, async (_v, k) => {
        const client = await connect(url);
        const [err] = await client.login(`${prefix}${start + k}`);
        if (err !== '') throw new Error(`login of ${prefix}${start + k} refused: ${err}`);
        return client;
      }),
    );
    clients.push(...batch);
  }
  return clients;
}

function closeAll(clients: RawClient[]): void {
  for (const c of clients) if (c.ws.readyState === WebSocket.OPEN || c.ws.readyState === WebSocket.CONNECTING) c.ws.terminate();
}

/** Runs the whole stress; never throws for a problem of the server, it lists it. */
export async function runStress(options: StressOptions): Promise<StressReport> {
  const report: StressReport = {
    connectionsHeld: 0,
    requestsServed: 0,
    malformedFrames: 0,
    unknownEvents: 0,
    oversizeFrames: 0,
    floodedChannelMessages: 0,
    refusedChannelMessages: 0,
    floodedPeerMessages: 0,
    droppedMidRequest: 0,
    droppedMidFrame: 0,
    slowReaders: 0,
    worstPeerReplyMs: 0,
    heapBaseline: 0,
    heapAfterRounds: [],
    problems: [],
  };
  // The log keeps the latest entries only: a bounded log is part of the steady state measured.
  const cloud = createCloud({ clock: 'global', log: { capacity: Number(process.env.STRESS_LOG_CAPACITY ?? 2_000) } });
  const server = await cloud.listen();
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  process.on('uncaughtException', onCrash);
  try {
    for (let round = 0; round <= options.rounds; round++) {
      await oneRound(cloud, server, options, report);
      const gone = await until(() => server.connections === 0 && cloud.inspect().apps.every((a) => a.online.length === 0), 5_000, `round ${round}: every client gone`, report.problems);
      const heap = await settledHeap();
      if (round === 0) report.heapBaseline = heap;
      else report.heapAfterRounds.push(heap);
      options.progress?.(`round ${round}: ${report.connectionsHeld} connections held, heap ${(heap / 2 ** 20).toFixed(1)} MiB${gone ? '' : ' (clients still there)'}`);
    }
  } finally {
    process.off('uncaughtException', onCrash);
    await server.close();
    cloud.dispose();
  }
  for (const c of crashes) report.problems.push(`uncaught in the server process: ${String(c)}`);
  const last = report.heapAfterRounds.at(-1) ?? report.heapBaseline;
  if (last - report.heapBaseline > WIRE_HEAP_SLACK) {
    report.problems.push(`the heap grew by ${((last - report.heapBaseline) / 2 ** 20).toFixed(2)} MiB over ${options.rounds} rounds with every client gone`);
  }
  return report;
}

async function oneRound(cloud: Cloud, server: WireServer, options: StressOptions, report: StressReport): Promise<void> {
  const problems = report.problems;
  // Two well-behaved clients that must keep talking whatever the others do.
  const [alice, bob] = await openClients(server.url, 2, 'peer-');
  let pings = 0;
  const peersTalk = async (what: string): Promise<void> => {
    const text = `still there ${++pings}`;
    const started = Date.now();
    const [err] = await alice!.call2('user_sendmsg', { peer: 'peer-1', t: 'instant', content: text });
    await bob!.next(([e, p]) => e === 'notify' && JSON.stringify(p).includes(text), `${what}: the message to bob`);
    report.worstPeerReplyMs = Math.max(report.worstPeerReplyMs, Date.now() - started);
    report.requestsServed++;
    if (err !== '') problems.push(`${what}: a peer message between well-behaved clients was refused (${err})`);
  };

  // Many connections at once, each served.
  const many = await openClients(server.url, options.connections, 'c');
  report.requestsServed += many.length;
  report.connectionsHeld = Math.max(report.connectionsHeld, server.connections);
  const replies = await Promise.all(many.map((c) => c.call2('user_query_user_status', { account: 'c0' })));
  report.requestsServed += replies.length;
  const wrong = replies.filter(([err, data]) => err !== '' || data !== '{"result":"ok","status":1}').length;
  if (wrong > 0) problems.push(`${wrong} of ${many.length} status queries got a wrong answer`);
  await peersTalk('with every connection open');

  // Malformed frames and unknown events: ignored, the connection stays usable.
  const mallory = many[0]!;
  for (const text of ['not json', '[1,2', '{"an":"object"}', '[]', '[null]', '["call2"]', '["call2",["x"]]', '["call2",[1,2,3]]', '["login","x"]']) {
    mallory.sendText(text);
    report.malformedFrames++;
  }
  mallory.ws.send(Buffer.from([0xff, 0x00, 0x13, 0x37]));
  report.malformedFrames++;
  for (const event of ['fly', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'x'.repeat(1000)]) {
    mallory.send(event, { whatever: 1 });
    report.unknownEvents++;
  }
  const [afterBad] = await mallory.call2('user_query_user_status', { account: 'c1' });
  report.requestsServed++;
  if (afterBad !== '') problems.push(`after malformed frames the connection is no longer served (${afterBad})`);

  // Oversize frames: that connection is closed (1009), nobody else notices.
  const bigs = many.slice(1, 4);
  for (const c of bigs) {
    c.send('call2', ['user_sendmsg', 1, { peer: 'c0', t: 'instant', content: 'x'.repeat(70 * 1024) }]);
    report.oversizeFrames++;
  }
  const codes = await Promise.all(bigs.map((c) => within(c.closed, 3_000, -1)));
  if (codes.some((code) => code !== 1009)) problems.push(`oversize frames closed their connections with ${codes.join(', ')}, not 1009`);

  // A flood of channel messages above the rate limits (60/s per user, 200/s per channel).
  const flooder = many[4]!;
  const [joinErr] = await flooder.call2('channel_join', { name: 'flood' });
  if (joinErr !== '') problems.push(`the flooder could not join (${joinErr})`);
  const burst = await Promise.all(Array.from({ length: 300 }, (_v, i) => flooder.call2('channel_sendmsg', { name: 'flood', msg: `m${i}` })));
  report.floodedChannelMessages += burst.length;
  report.requestsServed += burst.length;
  const refused = burst.filter(([err]) => err === 'too many messages').length;
  report.refusedChannelMessages += refused;
  if (refused < 300 - 60) problems.push(`only ${refused} of 300 channel messages in one burst were refused (limit 60/s per user)`);
  await peersTalk('during a channel flood');

  // A flood of peer messages to one client: every one answered, the client gets them in order.
  const sink = many[5]!;
  const sent = await Promise.all(Array.from({ length: options.flood }, (_v, i) => many[6]!.call2('user_sendmsg', { peer: 'c5', t: 'instant', content: `f${i}` })));
  report.floodedPeerMessages += sent.length;
  report.requestsServed += sent.length;
  if (sent.some(([err]) => err !== '')) problems.push('a peer flood had refusals');
  await sink.next(([e, p]) => e === 'notify' && JSON.stringify(p).includes(`f${options.flood - 1} `) === false && JSON.stringify(p).includes(`f${options.flood - 1}`), 'the last flooded message');
  await peersTalk('after a peer flood');

  // Sockets dropped in the middle of a request, and in the middle of a frame.
  for (const c of many.slice(7, 12)) {
    c.send('call2', ['user_sendmsg', 9, { peer: 'c0', t: 'instant', content: 'last words' }]);
    c.ws.terminate();
    report.droppedMidRequest++;
  }
  for (let i = 0; i < 3; i++) {
    const socket = await rawUpgrade(server.port);
    socket.write(maskedFrame(JSON.stringify(['login', { vid: 'app', account: `half-${i}`, uid: 0, token: 't', device: 'websdk', ip: '' }])));
    await sleep(10);
    const frame = maskedFrame(JSON.stringify(['call2', ['user_sendmsg', 1, { peer: 'c0', content: 'x'.repeat(200) }]]));
    socket.write(frame.subarray(0, 20));
    socket.destroy();
    report.droppedMidFrame++;
  }

  // A slow reader: it stops reading while a flood is sent to it. Nobody else waits for it.
  const slow = many[12]!;
  const raw = (slow.ws as unknown as { _socket: Socket })._socket;
  raw.pause();
  report.slowReaders++;
  const toSlow = await Promise.all(Array.from({ length: options.flood }, (_v, i) => many[13]!.call2('user_sendmsg', { peer: 'c12', t: 'instant', content: `slow ${i} ${'y'.repeat(1000)}` })));
  report.floodedPeerMessages += toSlow.length;
  report.requestsServed += toSlow.length;
  await peersTalk('while a reader is slow');
  raw.resume();
  // Once it reads again, it gets everything that waited for it, in order.
  const last = `slow ${options.flood - 1} `;
  const caughtUp = await within(slow.next(([e, p]) => e === 'notify' && JSON.stringify(p).includes(last), 'the slow reader catching up').then(() => true), 10_000, false);
  if (!caughtUp) problems.push('the slow reader did not get what waited for it once it read again');

  report.connectionsHeld = Math.max(report.connectionsHeld, server.connections);
  closeAll(many);
  closeAll([alice!, bob!]);
}
