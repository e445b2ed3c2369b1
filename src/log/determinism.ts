import { createCloud, type Cloud, type CloudOptions } from '../create-cloud.js';
import { describeArg, readOptions, readWhole } from '../arguments.js';
import { bounds } from '../bounds.js';
import { invariant } from '../errors.js';
import type { LogEntry } from './entry.js';
import { formatValue } from './format.js';
import { deepEqual } from './match.js';
import { formatTimeline } from './timeline.js';

/** A test scenario: drives a fresh cloud (made with the seed under test) and throws when something is wrong. */
export type Scenario = (cloud: Cloud) => void | Promise<void>;

export interface DeterminismOptions {
  /** How many times to run the scenario per seed (default 2). */
  runs?: number;
  /** The seed (default 1). */
  seed?: number;
  /** Several seeds instead: each is run `runs` times, stopping at the first difference. */
  seeds?: Iterable<number>;
  /** Other options of each run's cloud (`latency`, `apps`, …). */
  cloud?: Omit<CloudOptions, 'seed'>;
}

/** Where two runs of one seed first differ. */
export interface LogDifference {
  seed: number;
  /** The run compared with run 1 (2 for the second run). */
  run: number;
  /** Index in the log of the first entry that differs. */
  index: number;
  /** The fields that differ (`'missing'` when one log ended first). */
  fields: string[];
  /** Run 1's entry there (`undefined`: its log ended first). */
  expected: LogEntry | undefined;
  /** The other run's entry there. */
  actual: LogEntry | undefined;
}

export interface DeterminismReport {
  /** Every run of every seed gave the same log (and the same outcome). */
  ok: boolean;
  /** The seeds run. */
  seeds: number[];
  runs: number;
  /** Entries in each run's log (of the last seed run). */
  entries: number;
  /** The first difference, when not `ok`. */
  difference?: LogDifference;
  /** What the scenario threw, when every run of it threw the same. */
  error?: string;
  /** A readable account: the first difference with both sides and the entries before it. */
  message: string;
}

interface Run {
  entries: readonly LogEntry[];
  error: string | undefined;
  startTime: number;
}

/**
 * Runs `scenario` several times on fresh clouds with the same seed and compares their logs
 * entry by entry. Same seed and same calls must give the same log; when they do not, the
 * report names the first entry that differs and shows both sides, so you can see what in the
 * scenario depends on something outside the cloud (a counter, `Date.now`, `Math.random`,
 * real timers).
 *
 * @example
 * const report = await checkDeterminism(async (cloud) => {
 *   const alice = cloud.Signal('app').login('alice', '_no_need_token');
 *   await cloud.advance(1000);
 * });
 * expect(report.ok, report.message).toBe(true);
 */
export async function checkDeterminism(scenario: Scenario, given: DeterminismOptions = {}): Promise<DeterminismReport> {
  const what = 'Failed to check determinism';
  invariant(typeof scenario === 'function', () => `${what}: expected a scenario function (cloud) => Promise<void>, got ${describeArg(scenario)}`);
  const options = readOptions(given, ['runs', 'seed', 'seeds', 'cloud'], what, '{ runs: 3, seeds: [1, 2, 3] }') as DeterminismOptions;
  invariant(options.seed === undefined || options.seeds === undefined, `${what}: give seed or seeds, not both`);
  const runs = options.runs === undefined ? 2 : readWhole(options.runs, what, 'runs', 2, bounds.maxLimit);
  const seeds = seedList(options.seeds ?? [options.seed ?? 1], 'check determinism');
  let entries = 0;
  let lastError: string | undefined;
  const done: number[] = [];
  for (const seed of seeds) {
    done.push(seed);
    const first = await runOnce(scenario, seed, options.cloud);
    entries = first.entries.length;
    lastError = first.error;
    for (let run = 2; run <= runs; run++) {
      const other = await runOnce(scenario, seed, options.cloud);
      const difference = compare(first, other, seed, run);
      if (difference) {
        return { ok: false, seeds: done, runs, entries, difference, message: describeDifference(difference, first, other) };
      }
    }
  }
  const ran = `${runs} runs of ${done.length === 1 ? `seed ${done[0]}` : `each of ${done.length} seeds`}`;
  return {
    ok: true,
    seeds: done,
    runs,
    entries,
    ...(lastError !== undefined ? { error: lastError } : {}),
    message: `The ${ran} gave the same log (${entries} entries)${lastError !== undefined ? `; every run threw the same: ${lastError}` : ''}.`,
  };
}

export interface SweepOptions {
  /** The seeds: a count `n` (seeds 1…n), or a list (default 20). */
  seeds?: number | Iterable<number>;
  /** Other options of each run's cloud (`latency`, `apps`, …). */
  cloud?: Omit<CloudOptions, 'seed'>;
}

/** A seed whose run threw. */
export interface SeedFailure {
  seed: number;
  /** What the scenario threw. */
  error: unknown;
  /** The error's text. */
  message: string;
  /** The last entries of that run's log, as a timeline. */
  tail: string;
}

export interface SweepReport {
  /** Every seed passed. */
  ok: boolean;
  /** The seeds run, in order. */
  seeds: number[];
  /** The seeds whose run threw, in order (`expect(report.failedSeeds).toEqual([])`). */
  failedSeeds: number[];
  failures: SeedFailure[];
  /** A readable account: which seeds failed, and for each its error and the end of its log. */
  message: string;
}

/**
 * Runs `scenario` once per seed on a fresh cloud and reports the seeds for which it threw
 * (an assertion that failed, a timeout of `cloud.until`, an app error). Rerun one with
 * `createCloud({ seed })` to debug it.
 *
 * @example
 * const report = await sweepSeeds(chatScenario, { seeds: 50, cloud: { latency: 40 } });
 * expect(report.failedSeeds, report.message).toEqual([]);
 */
export async function sweepSeeds(scenario: Scenario, optionsGiven: SweepOptions = {}): Promise<SweepReport> {
  const what = 'Failed to sweep seeds';
  invariant(typeof scenario === 'function', () => `${what}: expected a scenario function (cloud) => Promise<void>, got ${describeArg(scenario)}`);
  const options = readOptions(optionsGiven, ['seeds', 'cloud'], what, '{ seeds: 50 }') as SweepOptions;
  const given = options.seeds ?? 20;
  let seeds: number[];
  if (typeof given === 'number') {
    invariant(Number.isInteger(given) && given > 0, () => `${what}: seeds must be a positive count or a list of seeds, got ${describeArg(given)}`);
    readWhole(given, what, 'seeds', 1, bounds.maxLimit);
    seeds = Array.from({ length: given }, (_, i) => i + 1);
  } else {
    seeds = seedList(given, 'sweep seeds');
  }
  const failures: SeedFailure[] = [];
  for (const seed of seeds) {
    const cloud = createCloud({ ...options.cloud, seed });
    try {
      await scenario(cloud);
    } catch (error) {
      failures.push({
        seed,
        error,
        message: errorText(error, 24),
        tail: formatTimeline(cloud.log.entries.slice(-10), { epoch: cloud.startTime }),
      });
    } finally {
      cloud.dispose();
    }
  }
  const failedSeeds = failures.map((f) => f.seed);
  const message =
    failures.length === 0
      ? `All ${seeds.length} seeds passed.`
      : [
          `${failures.length} of ${seeds.length} seeds failed: ${failedSeeds.join(', ')}`,
          ...failures.map((f) => `\nseed ${f.seed}: ${f.message}\n${f.tail ? indent(f.tail) : '  (empty log)'}`),
        ].join('\n');
  return { ok: failures.length === 0, seeds, failedSeeds, failures, message };
}

async function runOnce(scenario: Scenario, seed: number, options: Omit<CloudOptions, 'seed'> | undefined): Promise<Run> {
  const cloud = createCloud({ ...options, seed });
  let error: string | undefined;
  try {
    await scenario(cloud);
  } catch (e) {
    error = errorText(e);
  } finally {
    cloud.dispose();
  }
  return { entries: cloud.log.entries, error, startTime: cloud.startTime };
}

const FIELDS = ['t', 'kind', 'client', 'session', 'name', 'object', 'args', 'error', 'unhandled'] as const;

function compare(a: Run, b: Run, seed: number, run: number): LogDifference | undefined {
  const n = Math.max(a.entries.length, b.entries.length);
  for (let i = 0; i < n; i++) {
    const x = a.entries[i];
    const y = b.entries[i];
    if (!x || !y) return { seed, run, index: i, fields: ['missing'], expected: x, actual: y };
    // Times are compared relative to each cloud's start (the same unless the clock is global).
    const fields = FIELDS.filter((f) => (f === 't' ? x.t - a.startTime !== y.t - b.startTime : !deepEqual(x[f], y[f])));
    if (fields.length > 0) return { seed, run, index: i, fields, expected: x, actual: y };
  }
  if (a.error !== b.error) return { seed, run, index: n, fields: ['outcome'], expected: undefined, actual: undefined };
  return undefined;
}

function describeDifference(d: LogDifference, a: Run, b: Run): string {
  const head = `Run ${d.run} of seed ${d.seed} differs from run 1`;
  if (d.fields[0] === 'outcome') {
    return `${head}: the logs are the same (${a.entries.length} entries), but run 1 ${a.error ? `threw ${a.error}` : 'passed'} and run ${d.run} ${b.error ? `threw ${b.error}` : 'passed'}.`;
  }
  const before = a.entries.slice(Math.max(0, d.index - 5), d.index);
  // Lay both sides out together, so their columns line up.
  const rows = formatTimeline([...before, ...(d.expected ? [d.expected] : []), ...(d.actual ? [d.actual] : [])], { epoch: a.startTime }).split('\n');
  const common = rows.slice(0, before.length).map((l) => `         ${l}`);
  let k = before.length;
  const left = d.expected ? `  run 1: ${rows[k++]}` : `  run 1: (log ended after ${a.entries.length} entries)`;
  const right = d.actual ? `  run ${d.run}: ${rows[k++]}` : `  run ${d.run}: (log ended after ${b.entries.length} entries)`;
  const what = d.fields[0] === 'missing' ? 'one log is longer' : `they differ in ${d.fields.join(', ')}`;
  return [
    `${head} at entry ${d.index} (${what}):`,
    '',
    ...(d.index > before.length ? [`         … ${d.index - before.length} identical entries`] : []),
    ...common,
    left,
    right,
    ...(a.error !== undefined || b.error !== undefined ? ['', `run 1 ${a.error ? `threw ${a.error}` : 'passed'}; run ${d.run} ${b.error ? `threw ${b.error}` : 'passed'}`] : []),
  ].join('\n');
}

function seedList(seeds: Iterable<number>, verb: string): number[] {
  invariant(seeds !== null && typeof seeds === 'object' && Symbol.iterator in seeds, () => `Failed to ${verb}: seeds must be a list of integers, got ${describeArg(seeds)}`);
  const list = [...seeds];
  invariant(list.length > 0, `Failed to ${verb}: no seeds given`);
  for (const s of list) invariant(Number.isSafeInteger(s), () => `Failed to ${verb}: every seed must be a safe integer, got ${describeArg(s)}`);
  return list;
}

/** An error's name and message, cut to its first `lines` lines. */
function errorText(e: unknown, lines = 1): string {
  if (!(e instanceof Error)) return formatValue(e);
  const all = `${e.name}: ${e.message}`.split('\n');
  return all.length > lines ? [...all.slice(0, lines), `… (${all.length - lines} more lines)`].join('\n') : all.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
