// What makes a run fail: the scenario's own assertions, a check after every step, a check once
// the faults have stopped and time has settled, time that never settles, a scenario that hangs.
// And what an exploration reports besides: a scenario that fails without any fault, progress,
// several failing seeds, the faults it drew.
import { checkFaultTolerance, EmulatorError, type Cloud, type FaultProgress, type FaultRun } from 'agora-signaling-emulator';
import { describe, expect, it } from 'vitest';

/** Alice writes to bob five times, 500 ms apart; her app counts the acknowledgements (the send's cb). */
function chat(cloud: Cloud, run: FaultRun): void {
  // The app's state lives in the scenario: every run starts afresh.
  const counter = { sent: 0, acked: 0 };
  const signal = cloud.Signal('app');
  const alice = signal.login('alice', '_no_need_token');
  const bob = signal.login('bob', '_no_need_token');
  bob.onMessageInstantReceive = () => {};
  run.everyStep(() => {
    if (counter.acked > counter.sent) throw new Error(`more acknowledgements (${counter.acked}) than messages (${counter.sent})`);
  });
  cloud.advanceSync(500);
  for (let i = 0; i < 5; i++) {
    counter.sent++;
    alice.messageInstantSend('bob', `message ${i}`, () => counter.acked++);
    cloud.advanceSync(500);
  }
}

describe('what fails a run', () => {
  it("the scenario's own assertion, with the schedule that led to it", async () => {
    const report = await checkFaultTolerance(
      (cloud) => {
        const bob = cloud.Signal('app').login('bob', '_no_need_token');
        cloud.advanceSync(3_000);
        if (bob.getStatus() !== 2) throw new Error(`bob is not logged in (state ${bob.getStatus()})`);
      },
      { faults: ['kick', 'latency'], runs: 50 },
    );
    expect(report.ok).toBe(false);
    expect(report.failure).toMatchObject({ check: 'scenario', errorText: expect.stringMatching(/^Error: bob is not logged in \(state 0\)/) });
    expect(report.failure!.schedule).toEqual([expect.objectContaining({ kind: 'kick', account: 'bob' })]);
    expect(report.message).toContain('the scenario threw at +3.000s');
  });

  it('a check after every step, at the step where it first fails', async () => {
    // 1.4.0 runs a reply's cb once per reply it gets: a duplicated reply acknowledges twice.
    const report = await checkFaultTolerance(chat, {
      schedule: [{ kind: 'duplicate', p: 1, account: 'alice', direction: 'down', for: 5_000, at: 0 }],
      shrink: false,
    });
    expect(report.failure).toMatchObject({ check: 'everyStep', errorText: 'Error: more acknowledgements (2) than messages (1)' });
    expect(report.failure!.at).toBe(500);
    expect(report.failure!.timeline.split('\n').at(-1)).toMatch(/alice +callback +messageInstantSend:cb +false/);
  });

  it('a check of the cloud after every step, given as an option', async () => {
    const report = await checkFaultTolerance(
      (cloud) => {
        const signal = cloud.Signal('app');
        signal.login('alice', '_no_need_token');
        signal.login('bob', '_no_need_token');
        cloud.advanceSync(2_000);
      },
      {
        everyStep: (cloud) => {
          const online = cloud.inspect().apps.flatMap((a) => a.online.map((o) => o.account));
          if (cloud.now() - cloud.startTime > 100 && online.length < 2) throw new Error(`only ${online.join(', ') || 'nobody'} online`);
        },
        schedule: [{ kind: 'closeSession', account: 'bob', at: 1_000 }],
        shrink: false,
      },
    );
    expect(report.failure).toMatchObject({ check: 'everyStep', at: 1_000, errorText: 'Error: only alice online' });
  });

  it('a check that changes the run instead of reading it', async () => {
    const report = await checkFaultTolerance((cloud, run) => {
      const bob = cloud.Signal('app').login('bob', '_no_need_token');
      bob.onLoginSuccess = () => {};
      run.everyStep(() => {
        bob.messageInstantSend('bob', 'from a check');
      });
      cloud.advanceSync(1_000);
    });
    expect(report.failure).toMatchObject({ check: 'everyStep', errorText: expect.stringMatching(/everyStep check changed the run \(it made bob messageInstantSend\)/) });
  });

  it('a check once the faults have stopped and time has settled', async () => {
    const report = await checkFaultTolerance(
      (cloud, run) => {
        const bob = cloud.Signal('app').login('bob', '_no_need_token', 3);
        run.eventually(() => {
          if (bob.getStatus() !== 2) throw new Error(`bob ended in state ${bob.getStatus()}`);
        });
        cloud.advanceSync(5_000);
      },
      { faults: ['disconnect'], faultsPerRun: 1, runs: 200 },
    );
    expect(report.failure).toMatchObject({ check: 'eventually', errorText: 'Error: bob ended in state 0' });
    // One dropped connection is enough: bob runs out of his three reconnection attempts.
    expect(report.failure!.schedule).toEqual([expect.objectContaining({ kind: 'disconnect', account: 'bob' })]);
    expect(report.failure!.schedule[0]!.at).toBe(0);
  });

  it('time that does not settle once the faults stop', async () => {
    const report = await checkFaultTolerance(
      (cloud) => {
        const signal = cloud.Signal('app');
        const alice = signal.login('alice', '_no_need_token');
        const bob = signal.login('bob', '_no_need_token');
        // A ping-pong that starts once bob logs in a second time, and never ends.
        let logins = 0;
        bob.onLoginSuccess = () => {
          if (++logins === 2) bob.messageInstantSend('alice', 'ping');
        };
        alice.onMessageInstantReceive = (from) => alice.messageInstantSend(from, 'pong');
        bob.onMessageInstantReceive = (from) => bob.messageInstantSend(from, 'ping');
        cloud.advanceSync(2_000);
      },
      { schedule: [{ kind: 'disconnect', account: 'bob', for: 100, how: 'close', attempts: 'refused', at: 500 }], settle: 10_000, cloud: { latency: 10 }, shrink: false },
    );
    expect(report.failure).toMatchObject({ check: 'settle', errorText: expect.stringMatching(/Failed to settle within 10000 ms/) });
  });

  it('a scenario that waits for a callback a fault took away, with nothing to move time', async () => {
    const report = await checkFaultTolerance(
      async (cloud) => {
        const bob = cloud.Signal('app').login('bob', '_no_need_token');
        await cloud.advance(100);
        await new Promise<void>((resolve) => {
          bob.onMessageInstantReceive = () => resolve();
          cloud.Signal('app').login('alice', '_no_need_token').onLoginSuccess = function (this: { messageInstantSend(p: string, m: string): void }) {
            this.messageInstantSend('bob', 'hi');
          };
          void cloud.advance(1_000);
        });
      },
      { schedule: [{ kind: 'loss', p: 1, account: 'bob', direction: 'down', for: 5_000, at: 0 }], hangTimeout: 50, shrink: false },
    );
    expect(report.failure).toMatchObject({ check: 'hang', errorText: expect.stringMatching(/^Hung: the scenario did not finish: nothing happened for 50 ms of real time, virtual time standing at \+1\.100s/) });
  });
});

describe('what an exploration reports', () => {
  it('a scenario that fails without any fault, as such', async () => {
    const report = await checkFaultTolerance((cloud) => {
      cloud.Signal('app').login('bob', '_no_need_token');
      throw new Error('broken from the start');
    });
    expect(report).toMatchObject({ ok: false, runs: 0, failedSeeds: [1], failure: { check: 'scenario', schedule: [], seed: 1 } });
    expect(report.message).toContain('The scenario fails without any fault');
    expect(report.message).toContain('shrunk to no fault at all');
  });

  it('only the faults asked for, as many as asked for', async () => {
    const counts: number[] = [];
    const report = await checkFaultTolerance(
      (cloud, run) => {
        counts.push(run.schedule.length);
        cloud.Signal('app').login('bob', '_no_need_token');
        cloud.Signal('app').login('alice', '_no_need_token');
        cloud.advanceSync(2_000);
      },
      { faults: { hold: 1, latency: 3 }, faultsPerRun: [2, 4], runs: 60 },
    );
    expect(report.ok).toBe(true);
    expect(report.tally.map((t) => t.kind)).toEqual(['latency', 'hold']);
    const latency = report.tally.find((t) => t.kind === 'latency')!.drawn;
    const hold = report.tally.find((t) => t.kind === 'hold')!.drawn;
    expect(latency).toBeGreaterThan(hold);
    // Two fault-free runs first (what the scenario does, which requests it sends), then the 60.
    expect(counts.slice(0, 2)).toEqual([0, 0]);
    expect(counts.slice(2).every((n) => n >= 2 && n <= 4)).toBe(true);
    expect(new Set(counts.slice(2)).size).toBe(3);
  });

  it('says when shrinking stopped at its budget, as the schedule may not be minimal', async () => {
    const report = await checkFaultTolerance(
      (cloud) => {
        const bob = cloud.Signal('app').login('bob', '_no_need_token');
        cloud.advanceSync(3_000);
        if (bob.getStatus() !== 2) throw new Error('bob is out');
      },
      { schedule: [{ kind: 'latency', ms: [10, 20], direction: 'both', for: 2_000, at: 100 }, { kind: 'kick', account: 'bob', at: 2_500 }], shrink: 1 },
    );
    expect(report.failure).toMatchObject({ shrinkRuns: 1, shrinkStopped: true });
    expect(report.message).toContain('shrinking stopped at its budget of runs');
  });

  it('several failing seeds when asked to go on', async () => {
    const report = await checkFaultTolerance(
      (cloud) => {
        const bob = cloud.Signal('app').login('bob', '_no_need_token');
        cloud.advanceSync(3_000);
        if (bob.getStatus() !== 2) throw new Error('bob is out');
      },
      { faults: ['kick', 'latency'], runs: 100, maxFailures: 3, shrink: false },
    );
    expect(report.failedSeeds).toHaveLength(3);
    expect(report.failure!.seed).toBe(report.failedSeeds[0]);
    expect(report.message).toContain(`failing seeds: ${report.failedSeeds.join(', ')}`);
  });

  it('progress with the runs done, the failures found and the runs per second', async () => {
    const seen: FaultProgress[] = [];
    const report = await checkFaultTolerance(
      (cloud) => {
        cloud.Signal('app').login('bob', '_no_need_token');
        cloud.advanceSync(1_000);
      },
      { runs: 64, progress: (p) => seen.push(p) },
    );
    expect(report.ok).toBe(true);
    // Progress comes about once a second; the last word comes at the end of a long enough run.
    for (const p of seen) {
      expect(p.total).toBe(64);
      expect(p.runs).toBeLessThanOrEqual(64);
      expect(p.failures).toBe(0);
      expect(p.runsPerSecond).toBeGreaterThan(0);
    }
    expect(report.runsPerSecond).toBeGreaterThan(0);
    expect(report.message).toMatch(/^fault exploration: no failure in 64 runs in \d+\.\d\d s \(\d+ runs\/s\), seeds 1…64\.\nFaults tried:\n {2}fault +drawn +struck +missed +unreached/);
  });

  it('a scenario that keeps state from one run to the next is told so before anything is explored', async () => {
    let runs = 0;
    await expect(
      checkFaultTolerance((cloud) => {
        const bob = cloud.Signal('app').login('bob', '_no_need_token');
        cloud.advanceSync(100);
        bob.messageInstantSend('alice', `run ${++runs}`);
        cloud.advanceSync(100);
      }),
    ).rejects.toThrow(/two fault-free runs of the scenario with seed 1 differ at log entry 2.*state kept from one run to the next/);
  });

  it('a scenario that disposes its cloud is told to leave that to the exploration', async () => {
    await expect(
      checkFaultTolerance((cloud) => {
        cloud.Signal('app').login('bob', '_no_need_token');
        cloud.dispose();
      }),
    ).rejects.toThrow(EmulatorError);
  });
});
