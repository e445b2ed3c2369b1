// The Cloud API against arbitrary arguments. Every verb of the Cloud, its network and its log,
// and every method of the handles they return, called with anything (see hostile-values.ts):
// nothing escapes but an EmulatorError (or, from a function the test itself passed, that
// function's own error), no call hangs, no prototype changes, and the cloud stays usable: once
// the faults are cleared, two new clients log in and a message goes between them.
//
// Durations within the bounds are drawn up to 100 s: moving a year of virtual time with clients
// logged in is work (each pings every 10 s), not a hang; the sizes beyond the bounds are drawn
// at every scale, and refused.
import fc from 'fast-check';
import { createCloud, EmulatorError, type Cloud, type FailNextHandle, type Session } from 'agora-signaling-emulator';
import type { Boundary, BoundaryReport, BoundaryRun } from './boundary.js';
import { describeThrown, prototypeChanges, prototypesSnapshot, quietly } from './guards.js';
import { make, recipe, TestFunctionError, type Recipe } from './hostile-values.js';

/** What a case calls on: the cloud, and the handles its verbs returned so far. */
interface World {
  cloud: Cloud;
  handles: object[];
  /** What undoes a change that outlives the case (an install's uninstall, a subscription). */
  undo: Array<() => void>;
}

type Verb = (w: World, args: unknown[]) => unknown;

const call = (fn: Function, self: unknown, args: unknown[]): unknown => fn.apply(self, args);

/** Every verb, by name: the Cloud's, its network's and its log's public methods (listen and dispose apart). */
const VERBS: Record<string, Verb> = {
  createApp: (w, a) => call(w.cloud.createApp, w.cloud, a),
  token: (w, a) => call(w.cloud.token, w.cloud, a),
  install: (w, a) => {
    // Only into a generated object (or nothing at all): never into this process's globals.
    const target = a[0];
    if (target === undefined || target === globalThis) return undefined;
    const uninstall = call(w.cloud.install, w.cloud, a);
    if (typeof uninstall === 'function') w.undo.push(uninstall as () => void);
    return undefined;
  },
  now: (w, a) => call(w.cloud.now, w.cloud, a),
  flush: (w, a) => call(w.cloud.flush, w.cloud, a),
  flushSync: (w, a) => call(w.cloud.flushSync, w.cloud, a),
  advance: (w, a) => call(w.cloud.advance, w.cloud, a),
  advanceSync: (w, a) => call(w.cloud.advanceSync, w.cloud, a),
  until: (w, a) => call(w.cloud.until, w.cloud, a),
  settle: (w, a) => call(w.cloud.settle, w.cloud, a),
  timeline: (w, a) => call(w.cloud.timeline, w.cloud, a),
  inspect: (w, a) => call(w.cloud.inspect, w.cloud, a),
  channels: (w, a) => call(w.cloud.channels, w.cloud, a),
  setChannelLimits: (w, a) => call(w.cloud.setChannelLimits, w.cloud, a),
  setStoredMessageLimits: (w, a) => call(w.cloud.setStoredMessageLimits, w.cloud, a),
  phone: (w, a) => call(w.cloud.phone, w.cloud, a),
  kick: (w, a) => call(w.cloud.kick, w.cloud, a),
  closeSession: (w, a) => call(w.cloud.closeSession, w.cloud, a),
  expireToken: (w, a) => call(w.cloud.expireToken, w.cloud, a),
  failNext: (w, a) => call(w.cloud.failNext, w.cloud, a),
  refuseLogin: (w, a) => call(w.cloud.refuseLogin, w.cloud, a),
  outage: (w, a) => call(w.cloud.outage, w.cloud, a),
  'net.latency': (w, a) => call(w.cloud.net.latency, w.cloud.net, a),
  'net.loss': (w, a) => call(w.cloud.net.loss, w.cloud.net, a),
  'net.duplicate': (w, a) => call(w.cloud.net.duplicate, w.cloud.net, a),
  'net.rule': (w, a) => call(w.cloud.net.rule, w.cloud.net, a),
  'net.hold': (w, a) => call(w.cloud.net.hold, w.cloud.net, a),
  'net.release': (w, a) => call(w.cloud.net.release, w.cloud.net, a),
  'net.disconnect': (w, a) => call(w.cloud.net.disconnect, w.cloud.net, a),
  'net.reconnect': (w, a) => call(w.cloud.net.reconnect, w.cloud.net, a),
  'net.outage': (w, a) => call(w.cloud.net.outage, w.cloud.net, a),
  'net.clear': (w, a) => call(w.cloud.net.clear, w.cloud.net, a),
  'net.inspect': (w, a) => call(w.cloud.net.inspect, w.cloud.net, a),
  'log.filter': (w, a) => call(w.cloud.log.filter, w.cloud.log, a),
  'log.first': (w, a) => call(w.cloud.log.first, w.cloud.log, a),
  'log.last': (w, a) => call(w.cloud.log.last, w.cloud.log, a),
  'log.count': (w, a) => call(w.cloud.log.count, w.cloud.log, a),
  'log.callbacks': (w, a) => call(w.cloud.log.callbacks, w.cloud.log, a),
  'log.clients': (w, a) => call(w.cloud.log.clients, w.cloud.log, a),
  'log.since': (w, a) => {
    const view = call(w.cloud.log.since, w.cloud.log, a) as { filter(q?: unknown): unknown };
    return view.filter();
  },
  'log.mark': (w, a) => call(w.cloud.log.mark, w.cloud.log, a),
  'log.timeline': (w, a) => call(w.cloud.log.timeline, w.cloud.log, a),
  'log.toMermaid': (w, a) => call(w.cloud.log.toMermaid, w.cloud.log, a),
  'log.toSvg': (w, a) => call(w.cloud.log.toSvg, w.cloud.log, a),
  'log.toHtml': (w, a) => call(w.cloud.log.toHtml, w.cloud.log, a),
  'log.subscribe': (w, a) => {
    // A listener runs inside the cloud's work: the test's own listener throwing is the test's
    // bug, so generated listeners here return whatever they like but do not throw.
    const listener = typeof a[0] === 'function' ? () => undefined : a[0];
    const stop = call(w.cloud.log.subscribe, w.cloud.log, [listener, ...a.slice(1)]);
    if (typeof stop === 'function') w.undo.push(stop as () => void);
    return undefined;
  },
};

/** Every method of every kind of handle (called on whichever handle of the case has it). */
const HANDLE_METHODS = ['remove', 'release', 'end', 'accept', 'refuse', 'hangUp'] as const;

interface Step {
  /** A verb, or a handle's method. */
  target: { verb: string } | { handle: number; method: (typeof HANDLE_METHODS)[number] };
  args: Recipe[];
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  target: fc.oneof(
    { weight: 5, arbitrary: fc.record({ verb: fc.constantFrom(...Object.keys(VERBS)) }) },
    { weight: 1, arbitrary: fc.record({ handle: fc.nat(), method: fc.constantFrom(...HANDLE_METHODS) }) },
  ),
  args: fc.array(recipe, { maxLength: 3 }),
});

const caseArb = fc.array(stepArb, { minLength: 1, maxLength: 6 });

/** A handle a verb returned (a rule, a hold, an outage, a failNext, a phone). */
function isHandle(value: unknown): value is object {
  return typeof value === 'object' && value !== null && HANDLE_METHODS.some((m) => typeof (value as Record<string, unknown>)[m] === 'function');
}

/** Whether what a call threw is allowed out: an EmulatorError, or a test function's own error. */
function allowed(error: unknown): boolean {
  return error instanceof EmulatorError || error instanceof TestFunctionError || (error instanceof Error && error.cause instanceof TestFunctionError);
}

interface Stats {
  calls: number;
  refused: number;
  accepted: number;
  probes: number;
}

async function checkCase(steps: Step[], stats: Stats): Promise<string | undefined> {
  const cloud = createCloud({ apps: [{ appId: 'secure', certificate: 'cert' }] });
  const world: World = { cloud, handles: [], undo: [] };
  const before = prototypesSnapshot();
  try {
    const signal = cloud.Signal('app');
    const alice = signal.login('alice', '_no_need_token');
    signal.login('bob', '_no_need_token');
    cloud.flushSync();
    alice.channelJoin('room');
    world.handles.push(cloud.net.latency(5, { account: 'nobody' }), cloud.net.hold({ account: 'nobody' }), cloud.failNext('user_getmsg', { reason: 'x', account: 'nobody' }), cloud.phone('+15550000'));
    cloud.flushSync();
    for (const [i, step] of steps.entries()) {
      const args = step.args.map(make);
      let fn: () => unknown;
      let what: string;
      if ('verb' in step.target) {
        const verb = VERBS[step.target.verb]!;
        fn = () => verb(world, args);
        what = step.target.verb;
      } else {
        const method = step.target.method;
        const withIt = world.handles.filter((h) => typeof (h as Record<string, unknown>)[method] === 'function');
        if (withIt.length === 0) continue;
        const handle = withIt[step.target.handle % withIt.length] as Record<string, Function>;
        fn = () => handle[method]!.apply(handle, args);
        what = `handle.${method}`;
      }
      stats.calls++;
      const { value: outcome } = await quietly(async () => {
        try {
          return { value: await fn() };
        } catch (error) {
          return { error };
        }
      });
      if ('error' in outcome) {
        if (!allowed(outcome.error)) return `step ${i}: ${what}(${args.length} arguments) threw ${describeThrown(outcome.error)}`;
        stats.refused++;
      } else {
        stats.accepted++;
        if (isHandle(outcome.value)) world.handles.push(outcome.value);
      }
      const changes = prototypeChanges(before, prototypesSnapshot());
      if (changes.length > 0) return `step ${i}: ${what} changed a prototype: ${changes.join(', ')}`;
    }
    return await usable(world, stats);
  } finally {
    for (const undo of world.undo.reverse()) undo();
    cloud.dispose();
  }
}

/** The cloud still works: faults cleared, two new clients of a new app log in and talk. */
async function usable(world: World, stats: Stats): Promise<string | undefined> {
  const { cloud } = world;
  try {
    for (const h of world.handles) if (typeof (h as Partial<FailNextHandle>).remove === 'function' && 'remaining' in h) (h as FailNextHandle).remove();
    cloud.net.clear();
    await cloud.flush();
    cloud.inspect();
    const signal = cloud.Signal(`probe-${stats.probes++}`);
    const one: Session = signal.login('probe-one', '_no_need_token');
    const two: Session = signal.login('probe-two', '_no_need_token');
    let heard = '';
    two.onMessageInstantReceive = (_from, _uid, msg) => {
      heard = msg;
    };
    await cloud.until(() => one.getStatus() === 2 && two.getStatus() === 2, { within: 60_000, what: 'the probe clients to log in' });
    one.messageInstantSend('probe-two', 'still here');
    await cloud.until(() => heard === 'still here', { within: 60_000, what: 'the probe message' });
    return undefined;
  } catch (error) {
    return `the cloud is no longer usable: ${describeThrown(error)}`;
  }
}

const boundary: Boundary = {
  name: 'cloud-verbs',
  invariant: 'any arguments to any Cloud verb or handle method: nothing escapes but an EmulatorError, no hang, no prototype changes, the cloud stays usable',
  testRuns: 200,
  async check(run: BoundaryRun): Promise<BoundaryReport> {
    const stats: Stats = { calls: 0, refused: 0, accepted: 0, probes: 0 };
    let cases = 0;
    let broke: string | undefined;
    const details = await fc.check(
      fc.asyncProperty(caseArb, async (steps) => {
        cases++;
        if (cases % 500 === 0) run.progress?.(cases);
        broke = await checkCase(steps, stats);
        return broke === undefined;
      }),
      { numRuns: run.runs, seed: run.seed },
    );
    const summary = `${stats.calls} calls over ${Object.keys(VERBS).length} verbs and ${HANDLE_METHODS.length} handle methods: ${stats.refused} refused with an EmulatorError, ${stats.accepted} accepted; the cloud usable after each case`;
    if (!details.failed) return { cases: details.numRuns, summary };
    const [steps] = details.counterexample ?? [];
    const shrunk = steps ? await checkCase(steps, { ...stats }) : undefined;
    return {
      cases: details.numRuns,
      summary,
      failure: [`  ✗ ${shrunk ?? broke ?? String(details.errorInstance)}`, `  steps: ${steps ? JSON.stringify(steps).slice(0, 3_000) : '(none)'}`, `  fast-check seed ${details.seed}, path "${details.counterexamplePath ?? ''}"`].join('\n'),
    };
  },
};

export default boundary;
