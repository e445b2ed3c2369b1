// Regression (issue 16, item 8): numbers had no upper bound. `{"advance": 1e308}` (and `at`,
// `until`'s `within`) validated and hung replay forever (at that size adding a delay leaves the
// time unchanged), and `net.latency(1e308)` or `failNext({ times: 1e9 })` were accepted. Every
// number the Cloud API and transcripts take is now finite and within a documented maximum
// (docs/guarantees.md), refused otherwise with an EmulatorError naming the argument and the bound.
import { describe, expect, it } from 'vitest';
import { createCloud, EmulatorError, replay, signalingToken, validateTranscript, type Cloud } from 'agora-signaling-emulator';
import { bounds } from '../../../src/bounds.js';

const YEAR = bounds.maxDurationMs;

/** Every Cloud verb and option that takes a number, called with `n`. */
const numeric: Array<[what: string, call: (cloud: Cloud, n: number) => unknown, largest: number]> = [
  ['createCloud latency', (_c, n) => createCloud({ latency: n }), YEAR],
  ['createCloud startTime', (_c, n) => createCloud({ startTime: n }), bounds.maxStartTime],
  ['createCloud seed', (_c, n) => createCloud({ seed: n }), Number.MAX_SAFE_INTEGER],
  ['createCloud loopLimit', (_c, n) => createCloud({ loopLimit: n }), bounds.maxLoopLimit],
  ['advance', (c, n) => c.advance(n), YEAR],
  ['advanceSync', (c, n) => c.advanceSync(n), YEAR],
  ['until within', (c, n) => c.until(() => true, { within: n }), YEAR],
  ['until a log entry within', (c, n) => c.until({ name: 'x' }, { within: n }), YEAR],
  ['settle within', (c, n) => c.settle({ within: n }), YEAR],
  ['token expiresIn', (c, n) => c.token('secure', 'alice', { expiresIn: n }), bounds.maxTokenSeconds],
  ['signalingToken expiredTs', (_c, n) => signalingToken('app', 'cert', 'alice', n), bounds.maxVirtualTime / 1000],
  ['failNext times', (c, n) => c.failNext('login', { reason: 'x', times: n }), bounds.maxTimes],
  ['refuseLogin times', (c, n) => c.refuseLogin('bob', 'x', { times: n }), bounds.maxTimes],
  ['outage ms', (c, n) => c.outage(n), YEAR],
  ['net.outage ms', (c, n) => c.net.outage(n), YEAR],
  ['net.disconnect for', (c, n) => c.net.disconnect('alice', { for: n }), YEAR],
  ['net.latency ms', (c, n) => c.net.latency(n), YEAR],
  ['net.latency range', (c, n) => c.net.latency([0, n]), YEAR],
  ['phone after', (c, n) => c.phone('+15551234', { answer: 'accept', after: n }), YEAR],
  ['phone hangUpAfter', (c, n) => c.phone('+15551234', { hangUpAfter: n }), YEAR],
  ['setChannelLimits maxMembers', (c, n) => c.setChannelLimits({ maxMembers: n }), bounds.maxLimit],
  ['setStoredMessageLimits perAccount', (c, n) => c.setStoredMessageLimits({ perAccount: n }), bounds.maxLimit],
  ['timeline argsWidth', (c, n) => c.timeline({ argsWidth: n }), bounds.maxTextWidth],
  ['log.toMermaid labelWidth', (c, n) => c.log.toMermaid({ labelWidth: n }), bounds.maxTextWidth],
];

function fresh(): Cloud {
  const cloud = createCloud({ apps: [{ appId: 'secure', certificate: 'cert' }] });
  cloud.Signal('app').login('alice', '_no_need_token');
  cloud.flushSync();
  return cloud;
}

async function outcome(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
    return 'accepted';
  } catch (error) {
    return error;
  }
}

describe('numbers the Cloud API takes', () => {
  for (const [what, call, largest] of numeric) {
    it(`${what}: 1e308, Infinity and NaN are refused with the bound; the largest allowed is accepted`, async () => {
      for (const n of [1e308, Number.POSITIVE_INFINITY, Number.NaN, largest * 2 + 1]) {
        const cloud = fresh();
        const error = await outcome(() => call(cloud, n));
        expect(error, `${what}(${n})`).toBeInstanceOf(EmulatorError);
        if (Number.isFinite(n)) expect((error as Error).message, `${what}(${n})`).toContain(String(largest));
        cloud.dispose();
      }
      // On a cloud with nobody logged in, so a year of virtual time passes at once.
      const bare = createCloud({ apps: [{ appId: 'secure', certificate: 'cert' }] });
      const result = await outcome(() => call(bare, largest));
      // (until a log entry then waits a year for one that never comes: that is not a refusal of the number)
      if (result !== 'accepted') expect((result as Error).message, `${what}(${largest})`).toMatch(/^Failed to reach a log entry matching .* within 31536000000 ms/);
      bare.dispose();
    });
  }

  it('the issue\'s cases: net.latency(1e308) and failNext({ times: 1e9 }) say the largest allowed', () => {
    const cloud = fresh();
    expect(() => cloud.net.latency(1e308)).toThrow(`Failed to set latency: the latency is 1e+308 ms, more than the longest duration the emulator takes, ${YEAR} ms (365 days)`);
    expect(() => cloud.failNext('login', { reason: 'x', times: 1e9 })).toThrow(`Failed to arm failNext('login'): times is 1000000000, more than the largest allowed, ${bounds.maxTimes}`);
    cloud.dispose();
  });

  it('virtual time cannot be moved past the end of the Date range', () => {
    const cloud = createCloud({ startTime: bounds.maxStartTime });
    // Nobody logged in: each year passes at once.
    const years = Math.floor((bounds.maxVirtualTime - bounds.maxStartTime) / YEAR);
    for (let i = 0; i < years; i++) cloud.advanceSync(YEAR);
    expect(() => cloud.advanceSync(YEAR)).toThrow(/past the latest virtual time, 8640000000000000 \(the end of Date's range\)/);
    cloud.dispose();
  });
});

describe('numbers in transcripts', () => {
  const t = (step: Record<string, unknown>) => ({ version: 1, steps: [step], expect: { match: 'exact', log: [] } });

  it('an advance, at or within of 1e308 is refused by validation, and replay does not start', async () => {
    for (const [step, path] of [
      [{ advance: 1e308 }, 'steps[0].advance'],
      [{ at: 1e308, advance: 0 }, 'steps[0].at'],
      [{ until: { name: 'x' }, within: 1e308 }, 'steps[0].within'],
    ] as const) {
      const issues = validateTranscript(t(step));
      expect(issues.map((i) => i.path), JSON.stringify(step)).toEqual([path]);
      expect(issues[0]!.message).toMatch(/1e\+308 ms is (more than|past) the 604800000 ms \(7 days\) a transcript may span/);
      await expect(replay(t(step))).rejects.toThrow(/7 days/);
    }
  });

  it('a transcript may span at most 7 days of virtual time in all (each client pings every 10 s of it)', () => {
    const week = bounds.maxTranscriptSpanMs;
    const ok = [{ advance: week - 60_000 }, { until: { name: 'x' } }];
    expect(validateTranscript({ version: 1, steps: ok, expect: { match: 'exact', log: [] } })).toEqual([]);
    const steps = [{ at: week - 1, advance: 0 }, { advance: 1 }, { until: { name: 'x' }, within: 1 }];
    expect(validateTranscript({ version: 1, steps, expect: { match: 'exact', log: [] } })).toEqual([
      { path: 'steps', message: expect.stringMatching(/^the steps move virtual time by up to 604800001 ms, more than the 604800000 ms \(7 days\) a transcript may span/) },
    ]);
  });

  it('seed, startTime, latency, nth, $repeat, $arg and $token are bounded too', () => {
    const transcript = {
      version: 1,
      seed: 1e300,
      startTime: 1e300,
      latency: 1e300,
      steps: [
        { client: 'alice', call: 'login', args: ['alice', { $token: { expiresIn: 1e300 } }] },
        { on: 'onLogout', client: 'alice', nth: 1e300, throw: 'x' },
        { client: 'alice', call: 'messageInstantSend', args: ['bob', { $repeat: ['x', 1e9] }] },
        { on: 'onLogout', client: 'alice', do: [{ client: 'alice', call: 'messageInstantSend', args: ['bob', { $arg: 1e9 }] }] },
      ],
      expect: { match: 'exact', log: [] },
    };
    expect(validateTranscript(transcript).map((i) => i.path)).toEqual([
      'seed',
      'startTime',
      'latency',
      'steps[0].args[1].$token.expiresIn',
      'steps[1].nth',
      'steps[2].args[1].$repeat',
      'steps[3].do[0].args[1].$arg',
    ]);
  });
});
