// Property-based fuzzing of the whole emulator (see test/reliability/fuzz/): random sequences
// of SDK operations by 2-20 clients, interleaved with faults and time, with the invariants
// checked after every step. `npm test` runs a bounded number of sequences with a fixed seed (the
// same ones on every run); `npm run fuzz -- --runs N` runs more, with a fresh seed.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replay, type Cloud } from 'agora-signaling-emulator';
import { AFTER_END_EXCEPTIONS, DESYNCING_FAULTS } from './fuzz/model.js';
import { checkSequence, fuzz } from './fuzz/run.js';
import type { Sequence } from './fuzz/ops.js';

/** Sequences `npm test` runs (about a second; `npm run fuzz` runs thousands). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_101);

describe('fuzzing: random apps, faults and time keep every invariant', () => {
  it(`${RUNS} random sequences keep membership, presence, counters, message delivery, ended sessions and determinism`, async () => {
    const report = await fuzz({ runs: RUNS, seed: SEED });
    expect(report.failure).toBeUndefined();
    expect(report.totals.sequences).toBe(RUNS);
    // The runs did exercise the system: every kind of check had something to check.
    expect(report.totals.quiescentSteps).toBeGreaterThan(RUNS);
    expect(report.totals.peerMessages).toBeGreaterThan(RUNS / 2);
    expect(report.totals.channelMessages).toBeGreaterThan(0);
    expect(report.totals.faults).toBeGreaterThan(RUNS);
  });

  it('a sequence with logins, channels, calls, a kick and an outage passes every check', async () => {
    const sequence: Sequence = {
      clients: 4,
      seed: 9,
      latency: 20,
      loggedIn: 3,
      ops: [
        { op: 'join', c: 1, ch: 0 },
        { op: 'advance', ms: 200 },
        { op: 'channelSend', c: 0, ch: 0, text: 4, big: false },
        { op: 'send', c: 1, to: 2, text: 3, big: false, old: false },
        { op: 'invite', c: 0, to: 1, ch: 0, extra: 'text' },
        { op: 'advance', ms: 200 },
        { op: 'answer', c: 1, call: 0, how: 'accept' },
        { op: 'kick', c: 2 },
        { op: 'send', c: 0, to: 2, text: 1, big: false, old: false },
        { op: 'outage', ms: 2_000, how: 'close' },
        { op: 'advance', ms: 5_000 },
        { op: 'login', c: 2, onLogout: true, onLoginFailed: true, reconnectCount: 0 },
        { op: 'advance', ms: 1_000 },
        { op: 'queryNum', c: 0, ch: 0 },
      ],
    };
    const outcome = await checkSequence(sequence);
    expect(outcome.violations).toEqual([]);
    expect(outcome.stats.applied).toBe(sequence.ops.length);
    expect(outcome.stats.quiescentSteps).toBeGreaterThan(3);
  });

  it('names the exceptions 1.4.0 itself makes, so a reader knows what the checks allow', () => {
    expect(AFTER_END_EXCEPTIONS.join('\n')).toMatch(/onInviteEndByMyself/);
    expect(DESYNCING_FAULTS).toHaveLength(3);
  });
});

describe('a failing sequence', () => {
  it('is shrunk and reported with its seeds, its operations, and a transcript that replays its run', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fuzz-report-'));
    // Break the cloud's inspection on purpose: it hides the first member of every channel.
    const tamper = (cloud: Cloud): void => {
      const channels = cloud.channels.bind(cloud);
      cloud.channels = (appId?: string) => channels(appId).map((c) => ({ ...c, members: c.members.slice(1) }));
    };
    const report = await fuzz({ runs: 50, seed: 7, out, tamper });
    expect(report.failure).toBeDefined();
    const text = report.failure!;
    expect(text).toMatch(/^Fuzz sequence failed: cloud seed \d+, \d+ clients, latency \d+ ms, \d+ operations \(fast-check seed 7, path "[\d:]+"\)/);
    expect(text).toMatch(/✗ .*(has it as a member|does not have it as a member|answered)/);
    expect(text).toContain('Rerun it:   npm run fuzz -- --seed 7 --path');
    expect(text).toContain(`Transcript: ${report.counterexample!.transcript}`);
    // Shrunk: a handful of operations at most.
    expect(report.counterexample!.sequence.ops.length).toBeLessThanOrEqual(3);
    // The transcript is the run: replayed, it gives the same log.
    expect(existsSync(report.counterexample!.transcript)).toBe(true);
    const result = await replay(JSON.parse(readFileSync(report.counterexample!.transcript, 'utf8')));
    expect(result.pass).toBe(true);
  });
});
