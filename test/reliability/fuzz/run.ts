// A fuzz campaign: fast-check generates sequences, each runs on a fresh cloud with the
// invariants checked after every step, runs again with the same seed (the logs must be equal),
// and replays from its recorded transcript (the replay must match). A failure is shrunk, then
// reported with its seeds, its operations and the transcript that reproduces it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { formatReplayFailure, formatTranscript, replay, type Cloud } from 'agora-signaling-emulator';
import { sequenceArb, type Sequence } from './ops.js';
import { FuzzWorld, type RunStats } from './world.js';

export interface SequenceOutcome {
  violations: string[];
  stats: RunStats;
}

export interface CheckOptions {
  /** Run the sequence a second time and compare the logs (default true). */
  determinism?: boolean;
  /** Replay the recorded transcript and compare its log (default true). */
  replay?: boolean;
  /** Breaks each cloud on purpose (a test of the fuzz itself). */
  tamper?: (cloud: Cloud) => void;
}

/** Runs one sequence with every check; never throws for a violation, it lists it. */
export async function checkSequence(seq: Sequence, options: CheckOptions = {}): Promise<SequenceOutcome> {
  const world = new FuzzWorld(seq, options.tamper);
  try {
    world.run();
    const violations = [...world.violations];
    const expected = world.transcript();
    if (options.determinism !== false) {
      const again = new FuzzWorld(seq, options.tamper);
      try {
        again.run();
        const a = expected.expect!.log;
        const b = again.transcript().expect!.log;
        const first = a.findIndex((e, i) => JSON.stringify(e) !== JSON.stringify(b[i]));
        if (first >= 0 || a.length !== b.length) {
          const i = first >= 0 ? first : Math.min(a.length, b.length);
          violations.push(`the same seed gave another log: entry ${i} was ${JSON.stringify(a[i])}, then ${JSON.stringify(b[i])}`);
        }
      } finally {
        again.dispose();
      }
    }
    if (options.replay !== false) {
      if (world.recorder.warnings.length > 0) violations.push(`the recorder could not capture the run exactly: ${world.recorder.warnings.join('; ')}`);
      const result = await replay(expected);
      if (!result.pass) violations.push(`the recorded transcript does not replay to the same log:\n${formatReplayFailure(result)}`);
    }
    return { violations, stats: world.stats };
  } finally {
    world.dispose();
  }
}

export interface FuzzOptions {
  /** Sequences to generate (default 100). */
  runs?: number;
  /** fast-check's seed (default: a fresh one, printed with any failure). */
  seed?: number;
  /** fast-check's path to a counterexample, to rerun a reported failure at once. */
  path?: string;
  /** Longest sequence (default 40 operations). */
  maxOps?: number;
  /** Where a failing sequence's transcript is written (default: the OS temp directory). */
  out?: string;
  /** Called after each sequence (progress for the long runs). */
  onSequence?: (n: number, stats: Totals) => void;
  /** Breaks each cloud on purpose (a test of the fuzz itself). */
  tamper?: (cloud: Cloud) => void;
}

/** What a campaign did, summed over every sequence it ran (shrinking included). */
export interface Totals extends RunStats {
  sequences: number;
}

export interface FuzzReport {
  totals: Totals;
  seed: number;
  /** The failure, with everything needed to reproduce it; undefined when every sequence passed. */
  failure?: string;
  /** The failing sequence (shrunk) and the transcript file that reproduces its run. */
  counterexample?: { sequence: Sequence; transcript: string };
}

const DEFAULT_MAX_OPS = 40;

export async function fuzz(options: FuzzOptions = {}): Promise<FuzzReport> {
  const maxOps = options.maxOps ?? DEFAULT_MAX_OPS;
  const totals: Totals = { sequences: 0, steps: 0, applied: 0, checks: 0, quiescentSteps: 0, peerMessages: 0, channelMessages: 0, faults: 0, logEntries: 0, uncertainAccounts: 0 };
  const property = fc.asyncProperty(sequenceArb(maxOps), async (seq) => {
    const outcome = await checkSequence(seq, { tamper: options.tamper });
    totals.sequences++;
    for (const k of Object.keys(outcome.stats) as Array<keyof RunStats>) totals[k] += outcome.stats[k];
    options.onSequence?.(totals.sequences, totals);
    return outcome.violations.length === 0;
  });
  const details = await fc.check(property, {
    numRuns: options.runs ?? 100,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.path !== undefined ? { path: options.path } : {}),
  });
  if (!details.failed) return { totals, seed: details.seed };
  if (!details.counterexample) return { totals, seed: details.seed, failure: `fast-check failed without a counterexample: ${String(details.errorInstance)}` };
  const [seq] = details.counterexample;
  const { text, file } = await describeFailure(seq, details.seed, details.counterexamplePath ?? '', maxOps, options);
  return { totals, seed: details.seed, failure: text, counterexample: { sequence: seq, transcript: file } };
}

/** Reruns the shrunk sequence and writes what reproduces it. */
async function describeFailure(seq: Sequence, fcSeed: number, path: string, maxOps: number, options: FuzzOptions): Promise<{ text: string; file: string }> {
  const out = options.out ?? join(tmpdir(), 'agora-signaling-emulator-fuzz');
  const outcome = await checkSequence(seq, { tamper: options.tamper });
  const world = new FuzzWorld(seq, options.tamper);
  world.run();
  const transcript = world.transcript();
  const timeline = world.cloud.timeline();
  world.dispose();
  mkdirSync(out, { recursive: true });
  const file = join(out, `fuzz-${fcSeed}-${seq.seed}.json`);
  writeFileSync(file, formatTranscript(transcript));
  const tail = timeline.split('\n').slice(-40).join('\n');
  const text = [
    `Fuzz sequence failed: cloud seed ${seq.seed}, ${seq.clients} clients, latency ${seq.latency} ms, ${seq.ops.length} operations (fast-check seed ${fcSeed}, path "${path}").`,
    ...outcome.violations.map((v) => `  ✗ ${v}`),
    `Operations: ${JSON.stringify(seq.ops)}`,
    `Rerun it:   npm run fuzz -- --seed ${fcSeed} --path "${path}"${maxOps !== DEFAULT_MAX_OPS ? ` --max-ops ${maxOps}` : ''}`,
    `Transcript: ${file}  (npx agora-signaling-emulator replay ${file})`,
    `Last 40 log entries:\n${tail}`,
  ].join('\n');
  return { text, file };
}
