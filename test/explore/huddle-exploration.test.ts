// The example of docs/exploration.md: fault exploration finds the huddle app's reconnect bug
// (examples/huddle-app.ts) within the default run count, shrinks it to one or two faults, and
// the failure comes back from its seed, from its schedule and from its transcript; the fixed
// app passes the same exploration.
import { checkFaultTolerance, replay, type FaultReport } from 'agora-signaling-emulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { huddleOptions, huddleScenario } from '../../examples/fault-exploration.js';
import { FixedHuddleApp, HuddleApp } from '../../examples/huddle-app.js';

/** The first fix: join at every login and forget the call; it still placed calls while the SDK reconnected. */
class FirstFix extends HuddleApp {
  protected override loggedIn(): void {
    this.status = 'online';
    this.endCall();
    this.join();
  }
}

describe('fault exploration of the huddle app', () => {
  let buggy: FaultReport;
  beforeAll(async () => {
    buggy = await checkFaultTolerance(huddleScenario(HuddleApp), huddleOptions);
  });

  it('finds the reconnect bug within the default run count', () => {
    expect(buggy.ok).toBe(false);
    expect(buggy.runs).toBeLessThanOrEqual(100);
    expect(buggy.failure!.check).toBe('eventually');
    expect(buggy.failure!.errorText).toMatch(/is logged in, its app shows (no )?room|shows a call/);
  });

  it('shrinks it to one or two faults, each of which struck', () => {
    const { schedule, drawn } = buggy.failure!;
    expect(schedule.length).toBeGreaterThanOrEqual(1);
    expect(schedule.length).toBeLessThanOrEqual(2);
    expect(schedule.length).toBeLessThanOrEqual(drawn.length);
    // The bug is the reconnect: a dropped connection (or the whole cloud down) is in the schedule.
    expect(schedule.some((f) => f.kind === 'disconnect' || f.kind === 'outage')).toBe(true);
  });

  it('prints the seed, the schedule in words, the failed check and the timeline', () => {
    const m = buggy.message;
    expect(m).toContain(`a failure under seed ${buggy.failure!.seed}`);
    expect(m).toMatch(/1\. (at \+\d+\.\d{3}s|as \w+'s app is handed)/);
    expect(m).toMatch(/network drops for|whole cloud is down/);
    expect(m).toContain('an eventually check failed');
    expect(m).toContain('Timeline up to the failure');
    expect(m).toMatch(/> \+\d+\.\d{3}s {2}\w+ +fault {5}(disconnect|outage)/);
    expect(m).toContain(`seed: ${buggy.failure!.seed}, runs: 1`);
    expect(m).toContain('Faults tried:');
  });

  it('gives the same failure when run again by its seed', async () => {
    const again = await checkFaultTolerance(huddleScenario(HuddleApp), { ...huddleOptions, seed: buggy.failure!.seed, runs: 1 });
    expect(again.failure!.schedule).toEqual(buggy.failure!.schedule);
    expect(again.failure!.errorText).toBe(buggy.failure!.errorText);
    expect(again.failure!.timeline).toBe(buggy.failure!.timeline);
  });

  it('gives the same failure when its printed schedule is run', async () => {
    const { seed, schedule } = buggy.failure!;
    const again = await checkFaultTolerance(huddleScenario(HuddleApp), { ...huddleOptions, seed, schedule: JSON.parse(JSON.stringify(schedule)), shrink: false });
    expect(again.failure!.errorText).toBe(buggy.failure!.errorText);
    expect(again.failure!.timeline).toBe(buggy.failure!.timeline);
  });

  it('writes a transcript that replays the failing run exactly, faults included', async () => {
    const { transcript } = buggy.failure!;
    expect(buggy.failure!.replay).toEqual({ reproduces: true });
    const result = await replay(JSON.parse(JSON.stringify(transcript)));
    expect(result.pass).toBe(true);
    expect(result.log.filter((e) => e.kind === 'fault').length).toBeGreaterThan(0);
    expect(JSON.stringify(transcript!.steps)).toMatch(/"cloud":"(net\.disconnect|outage)"/);
  });

  it('passes the same exploration once fixed', async () => {
    const fixed = await checkFaultTolerance(huddleScenario(FixedHuddleApp), huddleOptions);
    expect(fixed.failure?.errorText).toBeUndefined();
    expect(fixed.ok).toBe(true);
    expect(fixed.runs).toBe(100);
    expect(fixed.tally.reduce((n, t) => n + t.struck, 0)).toBeGreaterThan(100);
  });

  it('catches the first fix, which forgot a call placed while the SDK reconnected, with the two faults a long run found; the fix passes them', async () => {
    const found = {
      seed: 6227,
      schedule: [
        { kind: 'disconnect', account: 'alice', for: 100, how: 'close', attempts: 'refused', at: 1100 },
        { kind: 'hold', direction: 'down', for: 560, at: 1442 },
      ] as const,
    };
    const options = { ...huddleOptions, seed: found.seed, schedule: found.schedule.map((f) => ({ ...f })), shrink: false };
    const first = await checkFaultTolerance(huddleScenario(FirstFix), options);
    expect(first.failure?.errorText).toBe("Error: bob's app still shows a call with alice (talking)");
    const fixed = await checkFaultTolerance(huddleScenario(FixedHuddleApp), options);
    expect(fixed.ok, fixed.message).toBe(true);
  });
});
