// The HTTP side of the wire server: the dashboard (page, state, event stream, controls) and the
// LBS, as any client on the network could reach them. Each case sends one raw HTTP request
// (generated method, target, Host, Origin, content type, extra headers and body: JSON controls
// with arbitrary values, arbitrary JSON, raw text), reads what comes back, then checks that the
// server answered it or closed the connection, that the dashboard still answers another page,
// that nothing escaped to the process and that no built-in prototype changed. Memory is
// measured at the end (forced GC).
import { connect as tcpConnect } from 'node:net';
import fc from 'fast-check';
import { createCloud, type Cloud, type WireServer } from 'agora-signaling-emulator';
import { settledHeap } from '../wire/stress.js';
import type { Boundary, BoundaryReport, BoundaryRun } from './boundary.js';
import { anyJsonText, anyText, objectText } from './json-text.js';
import { describeEscaped, mib, watchCrashes, watchPrototypes } from './watch.js';

/** Heap allowed over the baseline after the run, the server still up (forced GC). */
const HEAP_BOUND = 16 * 2 ** 20;
/** Longest wait for an answer (real time): a server that takes longer has stopped answering. */
const ANSWER_MS = 5_000;

const CONTROLS = ['kick', 'closeSession', 'expireToken', 'disconnect', 'reconnect', 'latency', 'outage', 'endOutage'];
const CONTROL_FIELDS = ['verb', 'account', 'appId', 'seconds', 'ms', 'effect'];
const PATHS = ['/', '/index.html', '/_dashboard/state', '/_dashboard/events', '/_dashboard/control', '/getaddr', '/getaddr?vid=app', '/getaddr?vid=', '/getaddr?vid=%ZZ', '/nothing', '//', '//x:y', '*', '/%00', '/../../etc/passwd', `/${'a'.repeat(5000)}`];

interface Request {
  method: string;
  target: string;
  /** `undefined`: no Host header; `'own'`: the server's own address. */
  host: string | undefined;
  origin: string | undefined;
  contentType: string | undefined;
  headers: Array<[string, string]>;
  body: string;
}

/** Header values must be one line of visible characters for the request to be HTTP at all. */
const headerValue = anyText(60).map((s) => s.replace(/[^\x20-\x7e]/g, '_'));

/** A control's body: a known verb or any JSON in its place, the other fields any JSON. */
const controlBody = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.oneof(fc.constantFrom(...CONTROLS).map((v) => JSON.stringify(v)), anyJsonText), objectText(CONTROL_FIELDS.slice(1))).map(([verb, rest]) => (rest === '{}' ? `{"verb":${verb}}` : `{"verb":${verb},${rest.slice(1)}`)) },
  { weight: 2, arbitrary: objectText(CONTROL_FIELDS) },
  { weight: 2, arbitrary: anyJsonText },
  { weight: 1, arbitrary: anyText(300) },
  { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 100_000 }).map((n) => `{"verb":"kick","account":"${'x'.repeat(n)}"}`) },
);

/** A request as the dashboard page sends a control, with a generated body: the deepest path. */
const controlRequest: fc.Arbitrary<Request> = fc.record({
  method: fc.constant('POST'),
  target: fc.constant('/_dashboard/control'),
  host: fc.constant('own'),
  origin: fc.constantFrom(undefined, 'own'),
  contentType: fc.constant('application/json'),
  headers: fc.constant([]),
  body: controlBody,
});

const anyRequest: fc.Arbitrary<Request> = fc.record({
  method: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('GET', 'POST') }, { weight: 1, arbitrary: fc.constantFrom('OPTIONS', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'CONNECT', 'TRACE', 'BREW') }),
  target: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...PATHS) }, { weight: 1, arbitrary: headerValue.map((s) => `/${s.replace(/ /g, '%20')}`) }),
  host: fc.oneof({ weight: 8, arbitrary: fc.constant('own') }, { weight: 1, arbitrary: fc.constantFrom('localhost', '[::1]:1', 'evil.example', 'localhost.evil.example', '127.0.0.1:80@evil', '') }, { weight: 1, arbitrary: headerValue }, { weight: 1, arbitrary: fc.constant(undefined) }),
  origin: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.constant('own') }, { weight: 1, arbitrary: fc.constantFrom('http://evil.example', 'null', '') }),
  contentType: fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom(undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/jsonx') }),
  headers: fc.array(
    fc.tuple(fc.oneof({ weight: 6, arbitrary: fc.constantFrom('X-A', 'Accept', 'Cookie', 'Referer', 'User-Agent') }, { weight: 1, arbitrary: fc.constantFrom('Transfer-Encoding', 'Expect', 'Upgrade', 'Connection', 'Content-Length') }), headerValue),
    { maxLength: 2 },
  ),
  body: fc.oneof({ weight: 3, arbitrary: controlBody }, { weight: 1, arbitrary: fc.constant('') }),
});

const request = fc.oneof({ weight: 2, arbitrary: controlRequest }, { weight: 3, arbitrary: anyRequest });

function requestText(r: Request, port: number): string {
  const own = `127.0.0.1:${port}`;
  const lines = [`${r.method} ${r.target} HTTP/1.1`];
  if (r.host !== undefined) lines.push(`Host: ${r.host === 'own' ? own : r.host}`);
  if (r.origin !== undefined) lines.push(`Origin: ${r.origin === 'own' ? `http://${own}` : r.origin}`);
  if (r.contentType !== undefined) lines.push(`Content-Type: ${r.contentType}`);
  // Generated headers come first so that the body's own length wins where both are given.
  for (const [name, value] of r.headers) lines.push(`${name}: ${value}`);
  lines.push(`Content-Length: ${Buffer.byteLength(r.body)}`, 'Connection: close');
  return `${lines.join('\r\n')}\r\n\r\n${r.body}`;
}

/** Sends a raw request; resolves with the status line, `closed` (no answer, connection closed) or `silent` (neither in time). */
function send(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = tcpConnect(port, '127.0.0.1', () => socket.end(text));
    const finish = (how: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(how);
    };
    const timer = setTimeout(() => finish('silent'), ANSWER_MS);
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      answer += d;
      // An event stream never ends: its status line is the answer.
      if (answer.includes('\r\n')) finish(answer.slice(0, answer.indexOf('\r\n')));
    });
    socket.on('close', () => finish(answer === '' ? 'closed' : answer.split('\r\n')[0]!));
    socket.on('error', () => undefined);
  });
}

async function stateAnswers(server: WireServer): Promise<boolean> {
  const res = await fetch(`${server.lbsUrl}/_dashboard/state`, { signal: AbortSignal.timeout(ANSWER_MS) });
  const body = (await res.json()) as { controls?: unknown };
  return res.status === 200 && Array.isArray(body.controls);
}

/** Undoes what a generated control started that would outlast its case (an outage, latency). */
async function reset(server: WireServer): Promise<void> {
  for (const body of ['{"verb":"endOutage"}', '{"verb":"latency","ms":0}']) {
    await fetch(`${server.lbsUrl}/_dashboard/control`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal: AbortSignal.timeout(ANSWER_MS) });
  }
}

const boundary: Boundary = {
  name: 'wire-http',
  invariant:
    'whatever HTTP request reaches the dashboard or the LBS, it is answered or its connection closed, another page is still answered, nothing escapes to the process, no prototype changes, and the heap stays within the bound',
  testRuns: 80,
  async check(run: BoundaryRun): Promise<BoundaryReport> {
    const crashes = watchCrashes();
    const prototypes = watchPrototypes();
    const baseline = await settledHeap();
    const cloud: Cloud = createCloud({ clock: 'global', log: { capacity: 2_000 } });
    const server = await cloud.listen({ dashboard: true });
    const statuses = new Map<string, number>();
    let cases = 0;
    try {
      const details = await fc.check(
        fc.asyncProperty(request, async (r) => {
          crashes.escaped.length = 0;
          const status = await send(server.port, requestText(r, server.port));
          const code = /^HTTP\/1\.1 (\d{3})/.exec(status)?.[1] ?? status;
          statuses.set(code, (statuses.get(code) ?? 0) + 1);
          cases++;
          if (cases % 500 === 0) run.progress?.(cases);
          if (crashes.escaped.length > 0) throw new Error(`escaped to the process: ${describeEscaped(crashes.escaped[0])}`);
          if (status === 'silent') throw new Error(`no answer and no close within ${ANSWER_MS} ms`);
          if (status !== 'closed' && !/^HTTP\/1\.1 \d{3} /.test(status)) throw new Error(`not an HTTP answer: ${status.slice(0, 80)}`);
          if (code === '500') throw new Error(`answered 500: the server failed on it (${cloud.log.last({ name: 'http request failed' })?.args.join(', ') ?? 'no log entry'})`);
          // A control that was done may have started an outage or set a latency: undone for the next case.
          if (code === '200' && r.target === '/_dashboard/control') await reset(server);
          if (!(await stateAnswers(server))) throw new Error('the dashboard no longer answers another page');
          const changed = prototypes.changes();
          if (changed.length > 0) throw new Error(`a prototype changed: ${changed.join('; ')}`);
        }),
        // No shrinking: after a failure the server is suspect, so a smaller case run on it would prove nothing.
        { numRuns: run.runs, seed: run.seed, endOnFailure: true },
      );
      const heap = (await settledHeap()) - baseline;
      const summary = `${cases} requests; answers ${[...statuses].sort().map(([c, n]) => `${c}×${n}`).join(' ')}; heap over the baseline ${mib(heap)} (bound ${mib(HEAP_BOUND)})`;
      if (details.failed) {
        const shown = details.counterexample ? JSON.stringify(details.counterexample[0]).slice(0, 600) : '(none)';
        return { cases, summary, failure: `${details.errorInstance instanceof Error ? details.errorInstance.message : describeEscaped(details.errorInstance)}\n  case: ${shown}` };
      }
      if (heap > HEAP_BOUND) return { cases, summary, failure: `the heap grew by ${mib(heap)} (bound ${mib(HEAP_BOUND)})` };
      return { cases, summary };
    } finally {
      await server.close();
      cloud.dispose();
      crashes.stop();
    }
  },
};

export default boundary;
