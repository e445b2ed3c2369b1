// The wire boundary: whatever a client sends over the WebSocket. Each case opens a connection
// (logged in or not), sends 1 to 6 generated frames (every client event with arbitrary JSON in
// every position, unknown events, arbitrary text and raw bytes), then checks that the
// connection answered or was closed, that a well-behaved client of another app is still served,
// that nothing escaped to the process and that no built-in prototype changed. Memory is measured
// after each block of cases (forced GC) against the bound the server states.
import fc from 'fast-check';
import WebSocket from 'ws';
import { createCloud, type Cloud, type WireServer } from 'agora-signaling-emulator';
import { wireLine } from '../../../src/cli/serve.js';
import { connect, type RawClient } from '../../wire/raw-client.js';
import { settledHeap } from '../wire/stress.js';
import type { Boundary, BoundaryReport, BoundaryRun } from './boundary.js';
import { anyJsonText, anyText, objectText } from './json-text.js';
import { describeEscaped, mib, watchCrashes, watchPrototypes } from './watch.js';

/** Cases per cloud: then it is disposed and the heap measured, so state made by cases cannot hide a leak. */
const CASES_PER_CLOUD = 1_000;
/** The log's capacity in the fuzzed cloud (serve's default is 10 000; fewer keeps the runs fast to measure). */
const LOG_CAPACITY = 2_000;
/**
 * Heap allowed over the first baseline while a cloud serves a block of cases (forced GC): its
 * log (at most LOG_CAPACITY entries of at most ~1 KiB each, names and excerpts of client text
 * being cut) and what the cases legitimately store (accounts, channels, attributes, messages
 * for offline users), none of which may grow from bad frames.
 */
const LIVE_BOUND = 64 * 2 ** 20;
/** Heap allowed over the first baseline once a block's cloud is disposed: nothing may stay. */
const LEAK_BOUND = 8 * 2 ** 20;

/** The argument names of the call2 functions 1.4.0 sends, and `invoke`'s. */
const ARG_KEYS = ['line', 'peer', 'flag', 't', 'content', 'name', 'channel', 'channelName', 'value', 'account', 'extra', 'msg', 'ver_clear', 'max', 'num'];
const LOGIN_KEYS = ['vid', 'account', 'uid', 'token', 'device', 'ip'];
const EVENTS = ['login', 'ping', 'call2', 'set_flag', 'line_login', 'multi', 'notify', 'kick', 'close', '_close', 'pong', 'login_ret', 'call2-ret', '__proto__', 'constructor', 'toString', 'hasOwnProperty'];

/** One thing a client sends: a text frame or a binary one. */
type Frame = { text: string } | { bytes: Uint8Array };

function frames(functionNames: readonly string[]): fc.Arbitrary<Frame> {
  const name = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...functionNames) }, { weight: 1, arbitrary: fc.string({ maxLength: 200 }) }, { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'user_logout', 'f'.repeat(5000)) });
  const id = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 2 ** 31 }).map(String) }, { weight: 1, arbitrary: anyJsonText });
  const args = fc.oneof({ weight: 5, arbitrary: objectText(ARG_KEYS) }, { weight: 1, arbitrary: anyJsonText });
  const event = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...EVENTS) }, { weight: 1, arbitrary: fc.string({ maxLength: 100 }) });
  const text = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(name, id, args).map(([n, i, a]) => `["call2",[${JSON.stringify(n)},${i},${a}]]`) },
    { weight: 1, arbitrary: fc.array(anyJsonText, { maxLength: 5 }).map((parts) => `["call2",[${parts.join(',')}]]`) },
    { weight: 2, arbitrary: objectText(LOGIN_KEYS).map((payload) => `["login",${payload}]`) },
    { weight: 1, arbitrary: anyJsonText.map((payload) => `["login",${payload}]`) },
    { weight: 1, arbitrary: anyJsonText.map((payload) => `["ping",${payload}]`) },
    { weight: 1, arbitrary: fc.oneof(objectText(['binary']), anyJsonText).map((payload) => `["set_flag",${payload}]`) },
    { weight: 2, arbitrary: fc.tuple(event, anyJsonText).map(([e, payload]) => `[${JSON.stringify(e)},${payload}]`) },
    { weight: 1, arbitrary: fc.array(anyJsonText, { maxLength: 4 }).map((parts) => `[${parts.join(',')}]`) },
    { weight: 1, arbitrary: anyJsonText },
    { weight: 1, arbitrary: anyText(200) },
  );
  return fc.oneof({ weight: 12, arbitrary: text.map((t) => ({ text: t })) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => ({ bytes: b })) });
}

/** One case: log in first or not, then the frames. */
interface Case {
  login: boolean;
  frames: Frame[];
}

/** A cloud with its server and a well-behaved pair in an app no case touches. */
interface Served {
  cloud: Cloud;
  server: WireServer;
  probe: RawClient;
  peer: RawClient;
  probes: number;
  stopped: boolean;
}

const PROBE_APP = 'probe-app-4c1d';
/** A case that takes longer than this (real time) is a server that stopped answering. */
const CASE_TIMEOUT_MS = 10_000;

/** `promise`'s value, or `late` if it takes longer than `ms` (the timer keeps the process alive meanwhile). */
async function withinTime<T>(promise: Promise<T>, ms: number, late: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<T>((resolve) => (timer = setTimeout(() => resolve(late), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function serveCloud(): Promise<Served> {
  const cloud = createCloud({ clock: 'global', log: { capacity: LOG_CAPACITY } });
  // The dashboard's observers and serve's terminal lines see every frame, as under serve.
  const server = await cloud.listen({ dashboard: true, onFrame: (f) => void wireLine(f, cloud.startTime) });
  const probe = await connect(server.url);
  const peer = await connect(server.url);
  if ((await probe.login('probe', { vid: PROBE_APP }))[0] !== '' || (await peer.login('peer', { vid: PROBE_APP }))[0] !== '') throw new Error('the probe clients could not log in');
  return { cloud, server, probe, peer, probes: 0, stopped: false };
}

async function stop(s: Served): Promise<void> {
  if (s.stopped) return;
  s.stopped = true;
  s.probe.ws.terminate();
  s.peer.ws.terminate();
  await s.server.close();
  s.cloud.dispose();
}

/** Resolves with what ended the wait: the attacker's pong, its close, or nothing within 3 s. */
function settled(client: RawClient): Promise<'answered' | 'closed' | 'stuck'> {
  if (client.ws.readyState !== WebSocket.OPEN) return client.closed.then(() => 'closed' as const);
  const n = 4_242_424;
  client.send('ping', n);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('stuck'), 3_000);
    const done = (how: 'answered' | 'closed') => {
      clearTimeout(timer);
      resolve(how);
    };
    void client.next(([e, p]) => e === 'pong' && p === n, 'the pong').then(() => done('answered'), () => undefined);
    void client.closed.then(() => done('closed'));
  });
}

/** Runs one case; returns what broke, or undefined. */
async function runCase(s: Served, c: Case, n: number, prototypes: ReturnType<typeof watchPrototypes>, escaped: unknown[]): Promise<string | undefined> {
  escaped.length = 0;
  const client = await connect(s.server.url);
  try {
    if (c.login && (await client.login(`fz${n}`, { vid: 'fuzz-app' }))[0] !== '') return 'a valid login was refused';
    for (const f of c.frames) {
      if (client.ws.readyState !== WebSocket.OPEN) break;
      if ('text' in f) client.sendText(f.text);
      else client.ws.send(f.bytes);
    }
    const how = await settled(client);
    if (escaped.length > 0) return `escaped to the process: ${describeEscaped(escaped[0])}`;
    if (how === 'stuck') return 'the connection neither answered a ping nor was closed within 3 s';
    const text = `probe#${++s.probes}#`;
    const [err] = await s.probe.call2('user_sendmsg', { peer: 'peer', t: 'instant', content: text });
    if (err !== '') return `a well-behaved client's message was refused (${err})`;
    await s.peer.next(([e, p]) => e === 'notify' && JSON.stringify(p).includes(JSON.stringify(text).slice(1, -1)), 'the probe message');
  } catch (error) {
    return `a well-behaved client was not served: ${describeEscaped(error)}`;
  } finally {
    client.ws.terminate();
  }
  if (escaped.length > 0) return `escaped to the process: ${describeEscaped(escaped[0])}`;
  const changed = prototypes.changes();
  if (changed.length > 0) return `a prototype changed: ${changed.join('; ')}`;
  return undefined;
}

const boundary: Boundary = {
  name: 'wire-frames',
  invariant:
    'whatever a client sends over the WebSocket, nothing escapes to the process, no prototype changes, its connection answers or is closed, a client of another app is still served, and the heap stays within the bound',
  testRuns: 80,
  async check(run: BoundaryRun): Promise<BoundaryReport> {
    const crashes = watchCrashes();
    const prototypes = watchPrototypes();
    const baseline = await settledHeap();
    let served: Served | undefined = await serveCloud();
    const functionNames = served.cloud.server.functionNames();
    const arbitrary = fc.record({ login: fc.boolean(), frames: fc.array(frames(functionNames), { minLength: 1, maxLength: 6 }) });
    let cases = 0;
    let framesSent = 0;
    let livePeak = 0;
    let afterDispose = 0;
    let memoryProblem: string | undefined;
    const measureBlock = async (last: boolean): Promise<void> => {
      const live = (await settledHeap()) - baseline;
      livePeak = Math.max(livePeak, live);
      if (served) await stop(served);
      served = undefined;
      const left = (await settledHeap()) - baseline;
      afterDispose = Math.max(afterDispose, left);
      if (live > LIVE_BOUND) memoryProblem ??= `the heap grew by ${mib(live)} while serving ${CASES_PER_CLOUD} cases (bound ${mib(LIVE_BOUND)})`;
      if (left > LEAK_BOUND) memoryProblem ??= `${mib(left)} stayed on the heap after the cloud was disposed (bound ${mib(LEAK_BOUND)})`;
      if (!last) served = await serveCloud();
    };
    try {
      const details = await fc.check(
        fc.asyncProperty(arbitrary, async (c) => {
          served ??= await serveCloud();
          const broke = await withinTime(runCase(served, c, cases, prototypes, crashes.escaped), CASE_TIMEOUT_MS, `the case did not finish within ${CASE_TIMEOUT_MS} ms`);
          cases++;
          framesSent += c.frames.length;
          if (cases % 200 === 0) run.progress?.(cases);
          if (broke !== undefined) throw new Error(broke);
          if (cases % CASES_PER_CLOUD === 0) await measureBlock(false);
          if (memoryProblem !== undefined) throw new Error(memoryProblem);
        }),
        // No shrinking: after a failure the server is suspect, so a smaller case run on it would prove nothing.
        { numRuns: run.runs, seed: run.seed, endOnFailure: true },
      );
      await measureBlock(true);
      const summary = `${cases} connections, ${framesSent} frames; heap over the baseline: ${mib(livePeak)} at most while serving (bound ${mib(LIVE_BOUND)}), ${mib(afterDispose)} after each cloud's disposal (bound ${mib(LEAK_BOUND)})`;
      if (details.failed) {
        const first = details.counterexample?.[0] as Case | undefined;
        const shown = first ? JSON.stringify({ login: first.login, frames: first.frames.map((f) => ('text' in f ? f.text.slice(0, 300) : `<${f.bytes.length} bytes>`)) }) : '(none)';
        return { cases, summary, failure: `${details.errorInstance instanceof Error ? details.errorInstance.message : describeEscaped(details.errorInstance)}\n  case: ${shown}` };
      }
      if (memoryProblem !== undefined) return { cases, summary, failure: memoryProblem };
      return { cases, summary };
    } finally {
      if (served) await stop(served).catch(() => undefined);
      crashes.stop();
    }
  },
};

export default boundary;
