// The promises of fault exploration, each a fast-check property over cases it invents: drawn
// schedules stay within their documented bounds and repeat from their seed; a run repeats from
// its seed and schedule; the transcript of any run, faults included, replays that run exactly;
// shrinking keeps the failure and never grows the schedule; a hand-written schedule either runs
// or is refused with an error that names the field. `npm test` runs a fixed-seed slice;
// EXPLORE_PROPERTY_RUNS=n runs more (EXPLORE_PROPERTY_SEED picks another slice).
import fc from 'fast-check';
import { EmulatorError, replay, type Cloud, type FaultKind, type ScheduledFault } from 'agora-signaling-emulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { huddleOptions, huddleScenario } from '../../examples/fault-exploration.js';
import { FixedHuddleApp, HuddleApp } from '../../examples/huddle-app.js';
import { MAX_DURATION, MAX_LATENCY, MIN_DURATION } from '../../src/explore/catalog.js';
import { discover, type Baseline } from '../../src/explore/discover.js';
import { describeFault } from '../../src/explore/describe.js';
import { drawSchedule } from '../../src/explore/draw.js';
import { FAULT_KINDS } from '../../src/explore/faults.js';
import { planOf } from '../../src/explore/options.js';
import { runSchedule, type RunSetup } from '../../src/explore/run.js';
import { checkSchedule } from '../../src/explore/schedule-check.js';
import { shrink } from '../../src/explore/shrink.js';
import { faultTranscript } from '../../src/explore/transcript.js';

const RUNS = Number(process.env.EXPLORE_PROPERTY_RUNS ?? 25);
const SEED = Number(process.env.EXPLORE_PROPERTY_SEED ?? 18);
const params = (numRuns = RUNS) => ({ numRuns, seed: SEED });

function setupOf(App: typeof HuddleApp): RunSetup {
  const plan = planOf(huddleOptions);
  return { scenario: huddleScenario(App), cloud: plan.cloud, everyStep: undefined, eventually: undefined, settle: plan.settle, hangTimeout: 2_000 };
}

/** A plan: some kinds with weights (loss and duplication too), and a range of faults per run. */
const planArb = fc
  .record({
    weights: fc.dictionary(fc.constantFrom(...FAULT_KINDS), fc.integer({ min: 1, max: 5 }), { minKeys: 1 }),
    min: fc.integer({ min: 0, max: 3 }),
    extra: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ weights, min, extra }) => planOf({ faults: weights as Partial<Record<FaultKind, number>>, faultsPerRun: [min, Math.max(1, min + extra)] }));

describe('fault exploration, by property', () => {
  let baseline: Baseline;
  beforeAll(async () => {
    baseline = await discover(setupOf(FixedHuddleApp), { accounts: undefined, requests: undefined });
  });

  it('draws schedules within their bounds, aimed at what the fault-free run showed, the same from the same seed', () => {
    fc.assert(
      fc.property(fc.integer(), planArb, (seed, plan) => {
        const schedule = drawSchedule(seed, plan, baseline);
        expect(drawSchedule(seed, plan, baseline)).toEqual(schedule);
        checkSchedule(schedule);
        expect(schedule.length).toBeGreaterThanOrEqual(plan.perRun[0]);
        expect(schedule.length).toBeLessThanOrEqual(plan.perRun[1]);
        for (const f of schedule) {
          expect(plan.mix[f.kind]).toBeGreaterThan(0);
          if ('account' in f && f.account !== undefined) expect(baseline.targets.accounts).toContain(f.account);
          if ('for' in f) expect(f.for).toBeGreaterThanOrEqual(MIN_DURATION), expect(f.for).toBeLessThanOrEqual(MAX_DURATION);
          if (f.kind === 'latency') expect(f.ms[1]).toBeLessThanOrEqual(MAX_LATENCY);
          if (f.kind === 'failNext') expect(baseline.targets.requests).toContain(f.request);
          if (f.at !== undefined) expect(f.at).toBeLessThanOrEqual(baseline.duration);
          else {
            const m = baseline.moments.find((x) => x.trigger.account === f.on!.account && x.trigger.name === f.on!.name && x.trigger.object === f.on!.object);
            expect(m, describeFault(f)).toBeDefined();
            expect(f.on!.nth).toBeLessThanOrEqual(m!.times.length);
          }
        }
      }),
      params(300),
    );
  });

  it('repeats a run from its seed and schedule, log and outcome alike', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), planArb, fc.boolean(), async (seed, plan, buggy) => {
        const setup = setupOf(buggy ? HuddleApp : FixedHuddleApp);
        const schedule = drawSchedule(seed, plan, baseline);
        const [a, b] = [await runSchedule(setup, seed, schedule), await runSchedule(setup, seed, schedule)];
        // The whole log as text (SDK objects in arguments are each run's own).
        const text = (c: Cloud) => c.timeline({ argsWidth: 1_000_000 });
        expect(text(b.cloud)).toBe(text(a.cloud));
        expect(b.cloud.log.entries.length).toBeGreaterThan(0);
        expect(String(b.failure?.error)).toBe(String(a.failure?.error));
      }),
      params(),
    );
  });

  it('writes every run, faults included, as a transcript that replays it exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), planArb, fc.boolean(), async (seed, plan, buggy) => {
        const setup = setupOf(buggy ? HuddleApp : FixedHuddleApp);
        const schedule = drawSchedule(seed, plan, baseline);
        const run = await runSchedule(setup, seed, schedule, { recordAs: 'property' });
        const transcript = faultTranscript(run.recorder!.transcript(), run.injector, run.cloud.startTime, (i) => describeFault(schedule[i]!));
        const result = await replay(JSON.parse(JSON.stringify(transcript)));
        expect(result.failure).toBeUndefined();
        expect(result.diff).toBeUndefined();
        // Each fault that struck is in the transcript, as the verbs it ran.
        const steps = JSON.stringify(transcript.steps);
        for (const s of run.injector.strikes) for (const a of s.actions) expect(steps).toContain(JSON.stringify(a).slice(1, -1).split(',"note"')[0]);
      }),
      params(),
    );
  });

  it('shrinks a failure to a schedule no longer than the one drawn, failing the same check', async () => {
    const setup = setupOf(HuddleApp);
    const plan = planOf({ faultsPerRun: [1, 4] });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), async (seed) => {
        const found = await runSchedule(setup, seed, drawSchedule(seed, plan, baseline));
        fc.pre(found.failure !== undefined);
        const rerun = (s: ScheduledFault[]) => runSchedule(setup, seed, s);
        const shrunk = await shrink(found, rerun, 80);
        expect(shrunk.outcome.failure?.check).toBe(found.failure!.check);
        expect(shrunk.outcome.schedule.length).toBeLessThanOrEqual(found.schedule.length);
        expect(shrunk.runs).toBeLessThanOrEqual(80);
      }),
      { ...params(Math.ceil(RUNS / 3)), maxSkipsPerRun: 100 },
    );
  });

  it('runs any valid hand-written schedule, each fault struck, missed or never reached, and writes it as a transcript that replays it', async () => {
    const account = fc.constantFrom('alice', 'bob', 'carol', 'dave');
    const time = fc.integer({ min: 0, max: 12_000 });
    const ms = fc.integer({ min: 1, max: 40_000 });
    const dir = fc.constantFrom('up' as const, 'down' as const, 'both' as const);
    const how = fc.constantFrom('close' as const, 'error' as const);
    const attempts = fc.constantFrom('refused' as const, 'unanswered' as const);
    const fault: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
      fc.record({ kind: fc.constant('disconnect'), account, for: ms, how, attempts, tokenExpires: fc.boolean() }),
      fc.record({ kind: fc.constantFrom('kick', 'closeSession'), account }),
      fc.record({ kind: fc.constant('expireToken'), account, effect: fc.constantFrom('next-login', 'kick', 'close') }),
      fc.record({ kind: fc.constant('outage'), for: ms, how, attempts }),
      fc.record({ kind: fc.constant('latency'), ms: fc.tuple(fc.nat(300), fc.nat(3_000)).map(([a, b]) => [a, a + b]), direction: dir, for: ms }, { requiredKeys: ['kind', 'ms', 'direction', 'for'] }),
      fc.record({ kind: fc.constantFrom('loss', 'duplicate'), p: fc.double({ min: 0.01, max: 1, noNaN: true }), direction: dir, for: ms, account }, { requiredKeys: ['kind', 'p', 'direction', 'for'] }),
      fc.record({ kind: fc.constant('hold'), direction: dir, for: ms, account }, { requiredKeys: ['kind', 'direction', 'for'] }),
      fc.record({ kind: fc.constant('failNext'), request: fc.constantFrom('channel_join', 'voip_invite', 'voip_invite_bye', 'user_getmsg'), reason: fc.constant('no'), account }, { requiredKeys: ['kind', 'request', 'reason'] }),
      fc.record({ kind: fc.constant('refuseLogin'), account, reason: fc.constantFrom('TokenErrorExpired', 'kick', 'whatever') }),
    );
    const trigger = fc.oneof(
      time.map((at) => ({ at })),
      fc.record({ account, name: fc.constantFrom('onLoginSuccess', 'onChannelUserJoined', 'onInviteReceived', 'onLogout'), nth: fc.integer({ min: 1, max: 3 }) }).map((on) => ({
        on: on.name === 'onChannelUserJoined' ? { ...on, object: 'channel:huddle' } : on,
      })),
    );
    const setup = setupOf(FixedHuddleApp);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fault, trigger), { maxLength: 5 }), fc.integer({ min: 1, max: 1_000 }), async (pairs, seed) => {
        const schedule = pairs.map(([f, t]) => ({ ...f, ...t }) as unknown as ScheduledFault);
        checkSchedule(schedule);
        const run = await runSchedule(setup, seed, schedule, { recordAs: 'by hand' });
        const i = run.injector;
        expect(i.strikes.length + i.misses.length + i.unreached().length).toBe(schedule.length);
        const transcript = faultTranscript(run.recorder!.transcript(), i, run.cloud.startTime, (n) => describeFault(schedule[n]!));
        const result = await replay(JSON.parse(JSON.stringify(transcript)));
        expect(result.failure).toBeUndefined();
        expect(result.diff).toBeUndefined();
      }),
      params(),
    );
  });

  it('refuses any other schedule or option with an EmulatorError that names it', () => {
    const scenario = (cloud: Cloud) => void cloud;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything().map((schedule) => ({ schedule })),
          fc.array(fc.dictionary(fc.constantFrom('kind', 'account', 'for', 'at', 'on', 'how', 'p', 'ms'), fc.anything()), { maxLength: 3 }).map((schedule) => ({ schedule })),
          fc.record({ runs: fc.anything() }),
          fc.record({ faults: fc.anything() }),
          fc.record({ faultsPerRun: fc.anything() }),
          fc.record({ seed: fc.anything() }),
          fc.record({ cloud: fc.anything() }),
          fc.record({ progress: fc.anything() }),
          fc.dictionary(fc.string(), fc.anything(), { minKeys: 1 }),
        ),
        (options) => {
          let error: unknown;
          try {
            planOf(options as never);
          } catch (e) {
            error = e;
          }
          if (error === undefined) return; // a valid value, drawn by chance
          expect(error).toBeInstanceOf(EmulatorError);
          const named = Object.keys(options).some((k) => (error as Error).message.includes(k));
          expect(named, (error as Error).message).toBe(true);
          void scenario;
        },
      ),
      params(500),
    );
  });
});
