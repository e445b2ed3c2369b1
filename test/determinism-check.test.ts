import { describe, expect, it } from 'vitest';
import { checkDeterminism, EmulatorError, sweepSeeds, type Cloud } from 'agora-signaling-emulator';

/** alice pings bob five times; bob answers each. Depends on nothing outside the cloud. */
async function pingPong(cloud: Cloud) {
  const signal = cloud.Signal('app');
  const alice = signal.login('alice', '_no_need_token');
  const bob = signal.login('bob', '_no_need_token');
  bob.onMessageInstantReceive = (from, _uid, msg) => bob.messageInstantSend(from, msg.replace('ping', 'pong'));
  alice.onLoginSuccess = () => {
    for (let i = 0; i < 5; i++) alice.messageInstantSend('bob', `ping ${i}`, () => {});
  };
  await cloud.advance(1000);
}

describe('checkDeterminism', () => {
  it('passes a scenario whose log depends only on the seed and its calls', async () => {
    const report = await checkDeterminism(pingPong, { cloud: { latency: 20 } });
    expect(report.ok, report.message).toBe(true);
    expect(report.entries).toBeGreaterThan(20);
    expect(report.difference).toBeUndefined();
    expect(report.message).toMatch(/^The 2 runs of seed 1 gave the same log \(\d+ entries\)\.$/);
  });

  it('runs several times over several seeds', async () => {
    const report = await checkDeterminism(pingPong, { runs: 3, seeds: [1, 2, 3] });
    expect(report.ok).toBe(true);
    expect(report.seeds).toEqual([1, 2, 3]);
    expect(report.message).toMatch(/^The 3 runs of each of 3 seeds gave the same log/);
  });

  it('catches a scenario that depends on state outside the cloud, and shows the first difference with both sides', async () => {
    let runs = 0; // lives outside the cloud: the deliberate mistake
    const report = await checkDeterminism(async (cloud) => {
      runs++;
      const signal = cloud.Signal('app');
      const alice = signal.login('alice', '_no_need_token');
      signal.login('bob', '_no_need_token');
      await cloud.flush();
      alice.messageInstantSend('bob', 'hello');
      alice.messageInstantSend('bob', `attempt ${runs}`);
      await cloud.flush();
    });
    expect(report.ok).toBe(false);
    expect(report.difference).toMatchObject({ seed: 1, run: 2, fields: ['args'] });
    expect(report.difference!.expected!.args).toEqual(['bob', 'attempt 1']);
    expect(report.difference!.actual!.args).toEqual(['bob', 'attempt 2']);
    expect(report.message).toMatchInlineSnapshot(`
      "Run 2 of seed 1 differs from run 1 at entry 5 (they differ in args):

               +0.000s  alice  call      login               "alice", "_no_need_token"
               +0.000s  bob    call      login               "bob", "_no_need_token"
               +0.000s  alice  callback  onLoginSuccess      1  (not set)
               +0.000s  bob    callback  onLoginSuccess      2  (not set)
               +0.000s  alice  call      messageInstantSend  "bob", "hello"
        run 1: +0.000s  alice  call      messageInstantSend  "bob", "attempt 1"
        run 2: +0.000s  alice  call      messageInstantSend  "bob", "attempt 2""
    `);
  });

  it('reports a run whose log is longer', async () => {
    let runs = 0;
    const report = await checkDeterminism(async (cloud) => {
      runs++;
      const signal = cloud.Signal('app');
      signal.login('alice', '_no_need_token');
      await cloud.flush();
      if (runs > 1) signal.login('bob', '_no_need_token');
      await cloud.flush();
    });
    expect(report.difference).toMatchObject({ index: 2, fields: ['missing'], expected: undefined });
    expect(report.difference!.actual).toMatchObject({ client: 'bob', name: 'login' });
    expect(report.message).toMatchInlineSnapshot(`
      "Run 2 of seed 1 differs from run 1 at entry 2 (one log is longer):

               +0.000s  alice  call      login           "alice", "_no_need_token"
               +0.000s  alice  callback  onLoginSuccess  1  (not set)
        run 1: (log ended after 2 entries)
        run 2: +0.000s  bob    call      login           "bob", "_no_need_token""
    `);
  });

  it('reports runs with the same log but a different outcome', async () => {
    let runs = 0;
    const report = await checkDeterminism(async (cloud) => {
      cloud.Signal('app').login('alice', '_no_need_token');
      await cloud.flush();
      if (++runs === 2) throw new Error('only the second time');
    });
    expect(report.ok).toBe(false);
    expect(report.message).toBe('Run 2 of seed 1 differs from run 1: the logs are the same (2 entries), but run 1 passed and run 2 threw Error: only the second time.');
  });

  it('calls a scenario that always throws the same way deterministic, and says what it threw', async () => {
    const report = await checkDeterminism(async () => {
      throw new Error('always');
    });
    expect(report).toMatchObject({ ok: true, error: 'Error: always' });
    expect(report.message).toBe('The 2 runs of seed 1 gave the same log (0 entries); every run threw the same: Error: always.');
  });

  it('refuses bad options with an EmulatorError', async () => {
    await expect(checkDeterminism(pingPong, { runs: 1 })).rejects.toThrow(EmulatorError);
    await expect(checkDeterminism(pingPong, { runs: 1 })).rejects.toThrow(/runs must be a whole number of at least 2/);
    await expect(checkDeterminism(pingPong, { seeds: [] })).rejects.toThrow(/no seeds given/);
    await expect(checkDeterminism('nope' as never)).rejects.toThrow(/expected a scenario function/);
  });
});

describe('sweepSeeds', () => {
  /** A scenario with a bug that shows for some seeds only (here: seeds divisible by 4). */
  async function flaky(cloud: Cloud) {
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    await cloud.flush();
    expect(alice.getStatus()).toBe(2);
    if (cloud.seed % 4 === 0) throw new Error(`unlucky seed ${cloud.seed}`);
  }

  it('reports the seeds for which the scenario throws, with the error and the end of the log', async () => {
    const report = await sweepSeeds(flaky, { seeds: 10 });
    expect(report.ok).toBe(false);
    expect(report.seeds).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(report.failedSeeds).toEqual([4, 8]);
    expect(report.failures[0]!.error).toBeInstanceOf(Error);
    expect(report.message).toMatchInlineSnapshot(`
      "2 of 10 seeds failed: 4, 8

      seed 4: Error: unlucky seed 4
        +0.000s  alice  call      login           "alice", "_no_need_token"
        +0.000s  alice  callback  onLoginSuccess  1  (not set)

      seed 8: Error: unlucky seed 8
        +0.000s  alice  call      login           "alice", "_no_need_token"
        +0.000s  alice  callback  onLoginSuccess  1  (not set)"
    `);
  });

  it('passes when every seed passes, and takes a list of seeds', async () => {
    const report = await sweepSeeds(flaky, { seeds: [1, 2, 3, 5, 7] });
    expect(report.failedSeeds, report.message).toEqual([]);
    expect(report.message).toBe('All 5 seeds passed.');
  });

  it('gives each seed a fresh cloud with the given options', async () => {
    const seen: Array<[number, number]> = [];
    await sweepSeeds(
      async (cloud) => {
        cloud.Signal('app').login('alice', '_no_need_token');
        await cloud.until(() => cloud.log.count({ name: 'onLoginSuccess' }) === 1);
        seen.push([cloud.seed, cloud.now() - cloud.startTime]);
      },
      { seeds: [7, 9], cloud: { latency: 25 } },
    );
    expect(seen).toEqual([
      [7, 100],
      [9, 100],
    ]);
  });
});
