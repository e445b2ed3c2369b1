// Transcripts are data. Whatever a transcript holds (fully random JSON, or a valid transcript
// mutated in any field: dangerous names such as __proto__, constructor and prototype as keys
// and as values, numbers of any size, nesting thousands of levels deep, getters and values JSON
// has no form for when built in code), validateTranscript throws nothing, replay throws
// nothing but a TranscriptError (and exactly when validation found issues, with those issues),
// a replay stays within the virtual time its transcript may span, and no prototype gains a
// property.
import fc from 'fast-check';
import { replay, TranscriptError, validateTranscript, type TranscriptIssue } from 'agora-signaling-emulator';
import { bounds } from '../../../src/bounds.js';
import type { Boundary, BoundaryReport, BoundaryRun } from './boundary.js';
import { describeThrown, prototypeChanges, prototypesSnapshot, quietly } from './guards.js';

// ---- valid transcripts to start from ----

const TEMPLATES: unknown[] = [
  {
    version: 1,
    name: 'peer messages with callbacks and reactions',
    seed: 3,
    latency: 20,
    steps: [
      { client: 'alice', call: 'login' },
      { client: 'bob', call: 'login', args: ['bob', '_no_need_token'] },
      { on: 'onMessageInstantReceive', client: 'bob', nth: 1, args: ['alice', { $any: true }, { $type: 'string' }], do: [{ call: 'messageInstantSend', args: [{ $arg: 0 }, 'ack', { $cb: true }] }] },
      { advance: 100 },
      { client: 'alice', call: 'messageInstantSend', args: ['bob', 'hello', { $cb: { do: [{ cloud: 'kick', args: ['bob'] }] } }] },
      { until: { client: 'bob', name: 'onLogout' }, within: 5_000 },
      { client: 'alice', check: { state: 2, line: { $match: '^emu_' } } },
    ],
    expect: { match: 'subsequence', ignore: ['t'], log: [{ client: 'alice', kind: 'callback', name: 'onLoginSuccess', args: [{ $type: 'number' }] }, { kind: 'server', name: 'kick' }] },
  },
  {
    version: 1,
    name: 'a channel with attributes and a hold',
    apps: [{ appId: 'app' }],
    handlers: 'declared',
    steps: [
      { client: 'alice', call: 'login' },
      { client: 'alice', set: { onLoginSuccess: true, onLogout: true } },
      { advance: 50 },
      { client: 'alice', call: 'channelJoin', args: ['room'], as: 'room' },
      { client: 'alice', object: 'room', set: { onChannelJoined: true, onChannelAttrUpdated: true } },
      { cloud: 'net.hold', args: [{ account: 'alice', direction: 'down' }], as: 'h' },
      { client: 'alice', object: 'channel:room', call: 'channelSetAttr', args: ['topic', { $repeat: ['x', 70] }, { $cb: true }] },
      { at: 1_000, handle: 'h', call: 'release' },
      { advance: 100 },
      { client: 'alice', object: 'room', check: { name: 'room', state: 'joined' } },
    ],
    expect: { match: 'subsequence', log: [{ name: 'channelJoin', object: 'channel:room' }, { kind: 'fault', name: 'hold', args: ['down', { $any: true }, { $match: 'held|released' }] }] },
  },
  {
    version: 1,
    name: 'a call to a scripted phone, with faults',
    startTime: 1_700_000_000_000,
    steps: [
      { cloud: 'phone', args: ['+15551234', { answer: 'ignore' }], as: 'p' },
      { cloud: 'net.latency', args: [[10, 40], { direction: 'both' }], as: 'lat' },
      { client: 'alice', call: 'login' },
      { advance: 200 },
      { client: 'alice', call: 'channelInviteUser2', args: ['room', '+15551234', { $literal: { srcNum: '+1555', $x: 1 } }], as: 'call' },
      { advance: 200 },
      { handle: 'p', call: 'accept', args: [''] },
      { handle: 'lat', call: 'remove' },
      { cloud: 'failNext', args: ['user_sendmsg', { reason: 'nope', times: 2 }], as: 'f' },
      { handle: 'f', call: 'remove' },
      { client: 'alice', object: 'call', call: 'channelInviteEnd', args: [{ $undefined: true }] },
      { advance: 100 },
    ],
    expect: { match: 'subsequence', log: [{ kind: 'server', client: '+15551234', name: 'phone ringing' }, { name: 'onInviteAcceptedByPeer', args: [{ $json: { $has: {} } }] }] },
  },
  {
    version: 1,
    name: 'tokens, a disconnect and an outage',
    apps: [{ appId: 'secure', certificate: 'cert' }],
    app: 'secure',
    steps: [
      { client: 'alice', call: 'login', args: ['alice', { $token: { expiresIn: 60 } }] },
      { on: 'onLogout', client: 'alice', throw: { name: 'TypeError', message: 'app bug' } },
      { advance: 100 },
      { cloud: 'net.disconnect', args: ['alice', { for: 1_000, how: 'close' }] },
      { advance: 2_000 },
      { cloud: 'outage', args: [500], as: 'o' },
      { handle: 'o', call: 'end' },
      { cloud: 'refuseLogin', args: ['bob', 'TokenErrorWrong', { times: 1 }] },
      { client: 'bob', call: 'login', app: 'secure', args: ['bob', { $token: {} }] },
      { advance: 10_000, note: 'the reconnects play out' },
    ],
    expect: { match: 'exact', ignore: ['t', 'args'], log: [] },
  },
  { version: 1, steps: [], expect: { match: 'exact', log: [] } },
];

// ---- what a mutation puts in ----

const DANGEROUS_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'valueOf',
  'toString',
  'hasOwnProperty',
  '__defineSetter__',
  '__lookupGetter__',
  'net.__proto__.__proto__.__defineSetter__',
  'net.constructor',
  'constructor.prototype',
  'install',
  'listen',
  'dispose',
  'Signal',
  'start',
  'capture',
  'ring',
  'then',
  'onLoginSuccess',
  '$cb',
  '$literal',
];

const HUGE_NUMBERS = [1e308, -1e308, 1e20, 2 ** 53, 2 ** 53 + 2, -1, -0, 0.5, 1e-300, bounds.maxTranscriptSpanMs + 1, bounds.maxDurationMs + 1, bounds.maxRepeatChars + 1, 2 ** 31];

/** A marker string replaced in the JSON text by nesting `depth` levels deep (too deep to build as an object). */
const deepMarker = (depth: number, kind: 'array' | 'object'): string => `\u0000DEEP:${depth}:${kind}\u0000`;

const jsonLeaf = fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -5, max: 100_000 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const names = fc.oneof(fc.constantFrom(...DANGEROUS_NAMES), fc.string({ maxLength: 10 }), fc.constantFrom('alice', 'bob', 'room', 'h', 'p', 'call', 'kick', 'net.disconnect', 'advance', 'steps', 'expect', 'log'));

/** Random JSON with dangerous names as keys (and values), as JSON text does (an own "__proto__" key). */
const randomJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    jsonLeaf,
    names,
    fc.constantFrom(...HUGE_NUMBERS),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(names, tie('value')), { maxLength: 4 }).map(objectOf),
  ),
})).value;

/** An object with these keys as own data properties ("__proto__" too). */
function objectOf(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

type Mutation =
  | { op: 'tweak'; at: number; pick: number }
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'addKey'; at: number; key: string; value: unknown }
  | { op: 'deleteKey'; at: number; pick: number }
  | { op: 'duplicate'; at: number; pick: number }
  | { op: 'deep'; at: number; depth: number; kind: 'array' | 'object' };

/** Plausible values of each type, so that many mutated transcripts stay valid and replay. */
const PLAUSIBLE = {
  string: ['alice', 'bob', 'carol', 'room', 'app', 'hello', '', 'onLogout', 'kick', 'net.loss', 'channel:room', 'x'.repeat(9000)],
  number: [0, 1, 2, 10, 100, 999, 3_600_001, 60_000],
};

/** Plausible values of the fields whose value is a name, by field. */
const PLAUSIBLE_BY_KEY: Record<string, unknown[]> = {
  client: ['alice', 'bob'],
  call: ['messageInstantSend', 'channelJoin', 'logout', 'getStatus', 'invoke', 'channelInviteUser2', 'channelLeave', 'channelInviteAccept', 'channelInviteEnd'],
  cloud: ['kick', 'closeSession', 'expireToken', 'net.disconnect', 'net.clear', 'net.release', 'outage', 'net.loss'],
  on: ['onLogout', 'onLoginSuccess', 'onMessageInstantReceive', 'onInviteReceived', 'onChannelJoined'],
  object: ['room', 'channel:room', 'call', 'call:room/+15551234'],
  handle: ['h', 'p', 'f', 'o', 'lat'],
  match: ['exact', 'subsequence'],
  kind: ['call', 'callback', 'fault', 'server'],
  advance: [0, 10, 100, 5_000],
  at: [0, 100, 1_000, 20_000],
  within: [1, 100, 60_000],
};

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('tweak' as const), at: fc.nat(), pick: fc.nat() }), weight: 8 },
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: fc.oneof(randomJson, fc.constantFrom(...HUGE_NUMBERS), fc.constantFrom(...DANGEROUS_NAMES)) }),
  fc.record({ op: fc.constant('addKey' as const), at: fc.nat(), key: names, value: randomJson }),
  fc.record({ op: fc.constant('deleteKey' as const), at: fc.nat(), pick: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), pick: fc.nat() }),
  fc.record({ op: fc.constant('deep' as const), at: fc.nat(), depth: fc.constantFrom(63, 64, 65, 100, 1_000, 10_000), kind: fc.constantFrom('array' as const, 'object' as const) }),
);

/** Non-JSON values a transcript built in code may hold. */
type InProcess = 'getter' | 'throwing getter' | 'NaN' | 'Infinity' | 'function' | 'symbol' | 'bigint' | 'cycle' | 'class instance' | 'proxy';

interface Case {
  kind: 'random' | 'mutated' | 'in-process';
  /** The transcript as JSON text (random and mutated cases), parsed for the run. */
  text?: string;
  template: number;
  mutations: Mutation[];
  oddity?: { what: InProcess; at: number };
}

const caseArb: fc.Arbitrary<Case> = fc.oneof(
  { weight: 1, arbitrary: randomJson.map((v) => ({ kind: 'random' as const, text: JSON.stringify(v), template: 0, mutations: [] })) },
  {
    weight: 1,
    // Random at the top level, with a transcript's field names.
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom('version', 'steps', 'expect', 'seed', 'latency', 'startTime', 'apps', 'app', 'handlers', 'name', '__proto__', 'constructor'), randomJson), { maxLength: 6 })
      .map((entries) => ({ kind: 'random' as const, text: JSON.stringify(objectOf(entries)), template: 0, mutations: [] })),
  },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('mutated' as const), template: fc.nat(TEMPLATES.length - 1), mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('in-process' as const),
      template: fc.nat(TEMPLATES.length - 1),
      mutations: fc.array(mutation.filter((m) => m.op !== 'deep'), { maxLength: 2 }),
      oddity: fc.record({ what: fc.constantFrom<InProcess>('getter', 'throwing getter', 'NaN', 'Infinity', 'function', 'symbol', 'bigint', 'cycle', 'class instance', 'proxy'), at: fc.nat() }),
    }),
  },
);

// ---- applying mutations ----

/** Every container (object or array) of a value, with the value itself first. */
function containers(root: unknown): Array<Record<string, unknown> | unknown[]> {
  const out: Array<Record<string, unknown> | unknown[]> = [];
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    out.push(v as Record<string, unknown>);
    for (const key of Object.keys(v)) walk((v as Record<string, unknown>)[key]);
  };
  walk(root);
  return out;
}

function setKey(target: Record<string, unknown> | unknown[], key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function mutate(root: unknown, m: Mutation): void {
  const all = containers(root);
  const target = all[m.at % all.length]!;
  const keys = Object.keys(target);
  switch (m.op) {
    case 'tweak': {
      if (keys.length === 0) return;
      const key = keys[m.at % keys.length]!;
      const old = (target as Record<string, unknown>)[key];
      const byKey = Object.prototype.hasOwnProperty.call(PLAUSIBLE_BY_KEY, key) ? PLAUSIBLE_BY_KEY[key] : undefined;
      const options = byKey ?? (typeof old === 'number' ? PLAUSIBLE.number : typeof old === 'string' ? PLAUSIBLE.string : [true, false, null]);
      setKey(target, key, options[m.pick % options.length]);
      return;
    }
    case 'replace':
    case 'deep': {
      if (keys.length === 0) return;
      const key = keys[m.at % keys.length]!;
      setKey(target, key, m.op === 'replace' ? m.value : deepMarker(m.depth, m.kind));
      return;
    }
    case 'addKey':
      if (Array.isArray(target)) target.push(m.value);
      else setKey(target, m.key, m.value);
      return;
    case 'deleteKey':
      if (keys.length === 0) return;
      if (Array.isArray(target)) target.splice(m.pick % keys.length, 1);
      else delete target[keys[m.pick % keys.length]!];
      return;
    case 'duplicate':
      if (keys.length === 0) return;
      if (Array.isArray(target)) target.push(structuredClone(target[m.pick % keys.length]));
      return;
  }
}

/** The JSON text with each nesting marker replaced by the nesting it stands for. */
function expandDeep(text: string): string {
  return text.replace(/"\\u0000DEEP:(\d+):(array|object)\\u0000"/g, (_m, depth: string, kind: string) => {
    const n = Number(depth);
    return kind === 'array' ? `${'['.repeat(n)}1${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  });
}

class Point {
  x = 1;
}

/** Puts a value JSON has no form for into the transcript (a transcript built in code). */
function addOddity(root: unknown, oddity: NonNullable<Case['oddity']>): void {
  const all = containers(root);
  const target = all[oddity.at % all.length]!;
  const keys = Object.keys(target);
  const key = keys.length > 0 ? keys[oddity.at % keys.length]! : 'odd';
  const put = (value: unknown) => setKey(target, key, value);
  switch (oddity.what) {
    case 'getter':
      Object.defineProperty(target, key, { get: () => 'from a getter', enumerable: true, configurable: true });
      return;
    case 'throwing getter':
      Object.defineProperty(target, key, {
        get: () => {
          throw new Error('a getter that throws');
        },
        enumerable: true,
        configurable: true,
      });
      return;
    case 'NaN':
      return put(Number.NaN);
    case 'Infinity':
      return put(Number.POSITIVE_INFINITY);
    case 'function':
      return put(() => 'code');
    case 'symbol':
      return put(Symbol('s'));
    case 'bigint':
      return put(10n);
    case 'cycle':
      return put(target);
    case 'class instance':
      return put(new Point());
    case 'proxy':
      return put(
        new Proxy(
          {},
          {
            ownKeys: () => {
              throw new Error('a proxy that throws');
            },
            get: () => {
              throw new Error('a proxy that throws');
            },
          },
        ),
      );
  }
}

/** The transcript a case stands for. */
function build(c: Case): unknown {
  if (c.kind === 'random') return JSON.parse(expandDeep(c.text!));
  const t = structuredClone(TEMPLATES[c.template]);
  for (const m of c.mutations) mutate(t, m);
  if (c.kind === 'mutated') return JSON.parse(expandDeep(JSON.stringify(t)));
  addOddity(t, c.oddity!);
  return t;
}

// ---- the check ----

interface Stats {
  valid: number;
  invalid: number;
  passed: number;
  spanMax: number;
  slowestMs: number;
}

/** Checks one case; returns what broke (nothing when it held). */
async function checkCase(c: Case, stats: Stats): Promise<string | undefined> {
  const transcript = build(c);
  const before = prototypesSnapshot();
  const started = Date.now();
  let issues: TranscriptIssue[];
  try {
    issues = validateTranscript(transcript);
  } catch (error) {
    return `validateTranscript threw ${describeThrown(error)}`;
  }
  const { value: outcome } = await quietly(async () => {
    try {
      const result = await replay(transcript, { file: 'fuzz.json' });
      return { result };
    } catch (error) {
      return { error };
    }
  });
  stats.slowestMs = Math.max(stats.slowestMs, Date.now() - started);
  const changes = prototypeChanges(before, prototypesSnapshot());
  if (changes.length > 0) return `a prototype changed: ${changes.join(', ')}`;
  if ('error' in outcome) {
    if (!(outcome.error instanceof TranscriptError)) return `replay threw ${describeThrown(outcome.error)}`;
    if (issues.length === 0) return `validation found nothing, but replay threw ${describeThrown(outcome.error)}`;
    if (JSON.stringify(outcome.error.issues) !== JSON.stringify(issues)) return `replay's issues differ from validation's:\n  ${JSON.stringify(outcome.error.issues)}\n  ${JSON.stringify(issues)}`;
    stats.invalid++;
    return undefined;
  }
  if (issues.length > 0) return `validation found ${JSON.stringify(issues[0])}, but replay ran`;
  stats.valid++;
  if (outcome.result.pass) stats.passed++;
  const span = outcome.result.cloud.now() - outcome.result.cloud.startTime;
  stats.spanMax = Math.max(stats.spanMax, span);
  if (span > bounds.maxTranscriptSpanMs) return `the replay ran ${span} ms of virtual time, more than a transcript may span`;
  return undefined;
}

const boundary: Boundary = {
  name: 'transcripts',
  invariant: 'any transcript: validate throws nothing, replay throws nothing but the TranscriptError validation predicts, virtual time stays bounded, no prototype changes',
  testRuns: 300,
  async check(run: BoundaryRun): Promise<BoundaryReport> {
    const stats: Stats = { valid: 0, invalid: 0, passed: 0, spanMax: 0, slowestMs: 0 };
    let cases = 0;
    let broke: string | undefined;
    const details = await fc.check(
      fc.asyncProperty(caseArb, async (c) => {
        cases++;
        if (cases % 500 === 0) run.progress?.(cases);
        broke = await checkCase(c, stats);
        return broke === undefined;
      }),
      { numRuns: run.runs, seed: run.seed },
    );
    const summary = `${stats.valid} valid (${stats.passed} replayed to their expected log), ${stats.invalid} refused with their issues; longest virtual span ${stats.spanMax} ms; slowest case ${stats.slowestMs} ms`;
    if (!details.failed) return { cases: details.numRuns, summary };
    const [c] = details.counterexample ?? [];
    const shrunk = c ? await checkCase(c, { ...stats }) : undefined;
    return {
      cases: details.numRuns,
      summary,
      failure: [
        `  ✗ ${shrunk ?? broke ?? String(details.errorInstance)}`,
        `  case: ${c ? describeCase(c) : '(none)'}`,
        `  fast-check seed ${details.seed}, path "${details.counterexamplePath ?? ''}"`,
      ].join('\n'),
    };
  },
};

function describeCase(c: Case): string {
  const text = c.kind === 'random' ? c.text! : JSON.stringify({ template: c.template, mutations: c.mutations, oddity: c.oddity });
  return text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text;
}

export default boundary;
