// The wire server under stress, on loopback only: many concurrent connections, malformed and
// oversize frames, unknown events, floods above the rate limits, sockets dropped mid-request and
// mid-frame, and slow readers; then, if asked, a flood of malformed and hostile frames. The server
// must neither crash nor let one connection affect another, its heap must come back to its
// baseline once the clients have left, and stay within its stated bound during the flood. The
// server runs in this process (`cloud.listen()`), or as `serve` in a process of its own, whose
// heap is then measured apart from the clients'. Used by `npm test` (small sizes) and
// `npm run stress` (large ones).
import type { Socket } from 'node:net';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import { createCloud } from 'agora-signaling-emulator';
import { connect, maskedFrame, rawUpgrade, type RawClient } from '../../wire/raw-client.js';
import { startServeProcess } from './serve-process.js';

export interface StressOptions {
  /** Connections held at once in each round (each logs in and is served). */
  connections: number;
  /** Rounds after the warm-up round; the heap is measured after each. */
  rounds: number;
  /** Peer messages in the flood to one client, and to the slow reader. */
  flood: number;
  /** Progress lines (the long runs). */
  progress?: (line: string) => void;
  /** `'in-process'` (default): `cloud.listen()` here; `'serve'`: the serve command's defaults, in a process of its own. */
  target?: 'in-process' | 'serve';
  /** After the rounds, a flood of this many small malformed frames (and one big hostile frame per 200), 0 for none. */
  malformed?: number;
}

/** The malformed flood's figures. */
export interface FloodReport {
  /** Small malformed frames sent (not JSON, wrong shapes, values that throw when read as text). */
  frames: number;
  /** Big hostile frames sent (nesting 20 000 deep, 60 KB names and events). */
  bigFrames: number;
  /**
   * The server's heap before (forced GC), the most it held during (forced GC four times, the
   * flooders connected), its peak (sampled, garbage included: what the process
   * needed), and after (forced GC, everyone gone).
   */
  heapBefore: number;
  heapDuring: number;
  heapPeak: number;
  heapAfter: number;
  /** What the heap may hold over `heapBefore`: the log filled to its capacity (LOG_ENTRY_BOUND each), and the flood's connections. */
  bound: number;
  /** The log's entries after the flood, and its capacity. */
  logEntries: number;
  logCapacity: number;
  /** Worst reply between the well-behaved pair during the flood, ms. */
  worstPeerReplyMs: number;
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
  /** The malformed flood, when one was asked for. */
  flood?: FloodReport;
}

/**
 * What the stress runs against: the server's address, and how to see its state and its heap
 * (in this process, or in serve's).
 */
interface Target {
  url: string;
  port: number;
  census(): Promise<{ connections: number; online: number; logEntries: number; logCapacity: number }>;
  settledHeap(): Promise<number>;
  peakHeap(): Promise<number>;
  resetPeak(): Promise<void>;
  /** Why the server is no longer there, if it is not. */
  crashed(): string | undefined;
  close(): Promise<void>;
}

/**
 * Growth allowed from the warm-up to the last round, everyone gone: what is left is compiled
 * code (a heap snapshot diff shows only code, feedback vectors and shapes), not connections.
 */
export const WIRE_HEAP_SLACK = 2 * 2 ** 20;

/**
 * The most one log entry may cost on the heap (docs/wire.md states it): an entry the wire adds
 * holds at most about 250 characters of a client's text (excerpts of 80, names cut at 64 to
 * 256). A flood can fill the log, never more: the heap may grow by the log's capacity times this.
 */
export const LOG_ENTRY_BOUND = 1024;

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

/** Opens `n` clients in batches, each logged in as `${prefix}${i}`. */
async function openClients(url: string, n: number, prefix: string): Promise<RawClient[]> {
  const clients: RawClient[] = [];
  for (let start = 0; start < n; start += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, n - start) }, async (_v, k) => {
        // Thousands of requests are awaited at once: on a loaded machine their replies take time.
        const client = await connect(url, { timeoutMs: 30_000 });
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
  const target = options.target === 'serve' ? await serveTarget() : await inProcessTarget();
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  process.on('uncaughtException', onCrash);
  try {
    for (let round = 0; round <= options.rounds; round++) {
      await oneRound(target, options, report);
      const gone = await everyoneGone(target, `round ${round}`, report.problems);
      const heap = await target.settledHeap();
      if (round === 0) report.heapBaseline = heap;
      else report.heapAfterRounds.push(heap);
      options.progress?.(`round ${round}: ${report.connectionsHeld} connections held, heap ${(heap / 2 ** 20).toFixed(1)} MiB${gone ? '' : ' (clients still there)'}`);
    }
    if (options.malformed) report.flood = await malformedFlood(target, options.malformed, report.problems, options.progress);
  } finally {
    process.off('uncaughtException', onCrash);
    const crashed = target.crashed();
    if (crashed) report.problems.push(crashed);
    await target.close();
  }
  for (const c of crashes) report.problems.push(`uncaught in the server process: ${String(c)}`);
  const last = report.heapAfterRounds.at(-1) ?? report.heapBaseline;
  if (last - report.heapBaseline > WIRE_HEAP_SLACK) {
    report.problems.push(`the heap grew by ${((last - report.heapBaseline) / 2 ** 20).toFixed(2)} MiB over ${options.rounds} rounds with every client gone`);
  }
  return report;
}

/** `cloud.listen()` in this process; the log keeps the latest entries only, as serve's does. */
async function inProcessTarget(): Promise<Target> {
  const cloud = createCloud({ clock: 'global', log: { capacity: Number(process.env.STRESS_LOG_CAPACITY ?? 2_000) } });
  const server = await cloud.listen();
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 10);
  return {
    url: server.url,
    port: server.port,
    census: async () => ({
      connections: server.connections,
      online: cloud.inspect().apps.reduce((n, a) => n + a.online.length, 0),
      logEntries: cloud.log.entries.length,
      logCapacity: cloud.log.capacity,
    }),
    settledHeap,
    peakHeap: async () => Math.max(peak, process.memoryUsage().heapUsed),
    resetPeak: async () => void (peak = process.memoryUsage().heapUsed),
    crashed: () => undefined,
    async close() {
      clearInterval(sampler);
      await server.close();
      cloud.dispose();
    },
  };
}

/** `serve` with its defaults, in a process of its own: its heap is the server's alone. */
async function serveTarget(): Promise<Target> {
  const serve = await startServeProcess();
  return {
    url: serve.url,
    port: serve.port,
    census: () => serve.census(),
    settledHeap: () => serve.settledHeap(),
    peakHeap: () => serve.peakHeap(),
    resetPeak: () => serve.resetPeak(),
    crashed: () => (serve.exitCode() === null ? undefined : `serve exited with code ${serve.exitCode()}`),
    close: () => serve.stop(),
  };
}

async function everyoneGone(target: Target, what: string, problems: string[]): Promise<boolean> {
  const end = Date.now() + 5_000;
  for (;;) {
    const { connections, online } = await target.census();
    if (connections === 0 && online === 0) return true;
    if (Date.now() > end) {
      problems.push(`${what}: every client gone did not happen within 5000 ms (${connections} connections, ${online} online)`);
      return false;
    }
    await sleep(5);
  }
}

async function oneRound(server: Target, options: StressOptions, report: StressReport): Promise<void> {
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
  report.connectionsHeld = Math.max(report.connectionsHeld, (await server.census()).connections);
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

  report.connectionsHeld = Math.max(report.connectionsHeld, (await server.census()).connections);
  closeAll(many);
  closeAll([alice!, bob!]);
}

/** Frames that are not frames of the protocol, or whose values throw when read as text: one per kind. */
const SMALL_MALFORMED = [
  'x',
  '[1,2',
  '{"an":"object"}',
  '[]',
  '["call2"]',
  '["login","x"]',
  '["login",{"vid":"x","account":{"toString":1},"token":"t"}]',
  '["login",{"vid":{"toString":1},"account":"a","token":{"toString":1}}]',
  '["ping",{"toString":1}]',
  '["set_flag",7]',
  '["call2",["user_sendmsg",1,{"peer":{"toString":1},"content":{"valueOf":1}}]]',
  '["fly",{"__proto__":{"polluted":1}}]',
];

/** Frames near the 64 KiB limit that cost the server the most to refuse. */
const BIG_HOSTILE = [
  `["login",{"vid":"x","account":${'['.repeat(20_000)}${']'.repeat(20_000)},"token":"t"}]`,
  `["call2",["${'f'.repeat(60_000)}",1,{}]]`,
  `["${'e'.repeat(60_000)}",1]`,
  `["login",{"vid":"x","account":"${'a'.repeat(60_000)}","token":"t"}]`,
  `["call2",["f",1,{"v":[${new Array(20_000).fill(0).join(',')}]}]]`,
];

/**
 * Four clients send `frames` small malformed frames and one big hostile frame per 200, in
 * batches that each wait for a pong (so the server, not the socket, is what is measured), while
 * a well-behaved pair keeps talking. The server's heap is read before, at its peak and after.
 */
async function malformedFlood(target: Target, frames: number, problems: string[], progress?: (line: string) => void): Promise<FloodReport> {
  const flood: FloodReport = { frames: 0, bigFrames: 0, heapBefore: await target.settledHeap(), heapDuring: 0, heapPeak: 0, heapAfter: 0, bound: 0, logEntries: 0, logCapacity: 0, worstPeerReplyMs: 0 };
  const { logCapacity } = await target.census();
  // Each open connection: its ws objects and buffers, and a frame of 64 KiB being read.
  flood.bound = logCapacity * LOG_ENTRY_BOUND + 6 * 256 * 1024;
  await target.resetPeak();
  const [alice, bob] = await openClients(target.url, 2, 'calm-');
  const flooders = await Promise.all(Array.from({ length: 4 }, () => connect(target.url, { timeoutMs: 30_000 })));
  let talks = 0;
  const talk = async (): Promise<void> => {
    const text = `calm#${++talks}#`;
    const started = Date.now();
    const [err] = await alice!.call2('user_sendmsg', { peer: 'calm-1', t: 'instant', content: text });
    await bob!.next(([e, p]) => e === 'notify' && JSON.stringify(p).includes(text), `during the flood: the message to bob`);
    flood.worstPeerReplyMs = Math.max(flood.worstPeerReplyMs, Date.now() - started);
    if (err !== '') problems.push(`during the flood a peer message between well-behaved clients was refused (${err})`);
  };
  const BATCH = 1_000;
  let pongs = 0;
  let lastReport = Date.now();
  while (flood.frames < frames) {
    await Promise.all(
      flooders.map(async (client) => {
        for (let i = 0; i < BATCH / flooders.length; i++) {
          client.sendText(SMALL_MALFORMED[(flood.frames + i) % SMALL_MALFORMED.length]!);
          if ((flood.frames + i) % 200 === 0) {
            client.sendText(BIG_HOSTILE[flood.bigFrames % BIG_HOSTILE.length]!);
            flood.bigFrames++;
          }
        }
        const n = ++pongs;
        client.send('ping', n);
        await client.next(([e, p]) => e === 'pong' && p === n, 'the pong after a batch');
        client.frames.length = 0; // the test's own memory: it keeps what it still waits for only
      }),
    );
    flood.frames += BATCH;
    // Four times during the flood: a word between the pair, and the heap after a forced GC.
    if ((flood.frames / BATCH) % Math.max(1, Math.floor(frames / BATCH / 4)) === 0) {
      await talk();
      flood.heapDuring = Math.max(flood.heapDuring, await target.settledHeap());
    }
    if (progress && Date.now() - lastReport > 5_000) {
      lastReport = Date.now();
      progress(`flood: ${flood.frames} malformed frames, ${flood.bigFrames} big ones; server heap peak so far ${(await target.peakHeap() / 2 ** 20).toFixed(1)} MiB`);
    }
  }
  await talk();
  flood.heapPeak = await target.peakHeap();
  const census = await target.census();
  flood.logEntries = census.logEntries;
  flood.logCapacity = census.logCapacity;
  closeAll([...flooders, alice!, bob!]);
  await everyoneGone(target, 'after the flood', problems);
  flood.heapAfter = await target.settledHeap();
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
  for (const [when, heap] of [['during', flood.heapDuring], ['after', flood.heapAfter]] as const) {
    if (heap - flood.heapBefore > flood.bound) problems.push(`${when} the malformed flood the server's heap grew by ${mib(heap - flood.heapBefore)}, more than its bound ${mib(flood.bound)}`);
  }
  return flood;
}
