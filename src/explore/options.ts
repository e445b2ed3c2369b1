/**
 * The options of `checkFaultTolerance`, checked by allowlist before anything runs: a mistake
 * throws an `EmulatorError` that names the option and what it takes.
 */
import type { Cloud, CloudOptions } from '../create-cloud.js';
import { invariant } from '../errors.js';
import { formatValue } from '../log/format.js';
import { DEFAULT_FAULT_MIX, FAULT_KINDS, type FaultKind, type FaultSchedule } from './faults.js';
import { DEFAULT_SHRINK_RUNS, MAX_FAULTS_PER_RUN, MAX_RUNS } from './limits.js';
import { checkSchedule } from './schedule-check.js';
import { isRefusable, refusable } from './refusable.js';

export interface FaultToleranceOptions {
  /** How many runs to explore, each with a schedule drawn from its seed (default 100). */
  runs?: number;
  /** The first run's seed (default 1): the runs use `seed`, `seed + 1`, … Rerun a failure with `{ seed, runs: 1 }`. */
  seed?: number;
  /**
   * Which faults to draw: a list of kinds (equally likely), or a weight per kind. Default: the
   * faults a WebSocket app meets in production ({@link DEFAULT_FAULT_MIX}: everything but loss
   * and duplication).
   */
  faults?: readonly FaultKind[] | Partial<Record<FaultKind, number>>;
  /** Faults per run: at most this many, or `[min, max]` (default `[1, 3]`). */
  faultsPerRun?: number | readonly [number, number];
  /** The accounts faults aim at (default: every account the scenario logs in). */
  accounts?: readonly string[];
  /**
   * The requests `failNext` may refuse (default: those the apps sent whose refusal 1.4.0
   * reports to the app, such as `channel_join`, `user_sendmsg`, `voip_invite`).
   */
  requests?: readonly string[];
  /** Runs this one schedule (once, with `seed`) instead of drawing: a printed failure's `schedule`. */
  schedule?: FaultSchedule;
  /** Options of every run's cloud (`latency`, `apps`, `autoAdvance`, …); each run sets its own `seed`. */
  cloud?: Omit<CloudOptions, 'seed' | 'clock'>;
  /** A check of the cloud after every step (see `run.everyStep` for checks of the app's own state). */
  everyStep?: (cloud: Cloud) => void;
  /** A check of the cloud once the faults have stopped and time has settled (see `run.eventually`). */
  eventually?: (cloud: Cloud) => void;
  /** Most virtual ms the final settle may take (default 300 000). */
  settle?: number;
  /** Shrink a failure (default true), or the most runs shrinking may take (true: 500). */
  shrink?: boolean | number;
  /** Stop once this many failing runs are found (default 1); the first is shrunk and reported. */
  maxFailures?: number;
  /**
   * Progress on long runs: `true` prints a line to stderr every second, a function gets the
   * figures about once a second. Default: a line every 5 s, so short explorations print nothing.
   */
  progress?: boolean | ((progress: FaultProgress) => void);
  /** What the scenario is, for the report and the transcript's name. */
  name?: string;
  /** Real ms with neither log nor virtual time moving before an unfinished scenario counts as hung (default 2000). */
  hangTimeout?: number;
  /** Record the failing run as a transcript and check that it replays (default true). */
  transcript?: boolean;
}

/** Figures of an exploration under way. */
export interface FaultProgress {
  /** Runs done so far (of `total`). */
  runs: number;
  total: number;
  /** Failing runs found so far. */
  failures: number;
  /** Real ms since the exploration started. */
  elapsed: number;
  runsPerSecond: number;
}

/** The options with every default filled in. */
export interface Plan {
  runs: number;
  seed: number;
  mix: Record<FaultKind, number>;
  perRun: [number, number];
  accounts: readonly string[] | undefined;
  requests: readonly string[] | undefined;
  schedule: FaultSchedule | undefined;
  cloud: Omit<CloudOptions, 'seed' | 'clock'>;
  everyStep: ((cloud: Cloud) => void) | undefined;
  eventually: ((cloud: Cloud) => void) | undefined;
  settle: number;
  shrinkBudget: number;
  maxFailures: number;
  progress: { every: number; report: (p: FaultProgress) => void } | undefined;
  name: string;
  hangTimeout: number;
  transcript: boolean;
}

const KNOWN = [
  'runs',
  'seed',
  'faults',
  'faultsPerRun',
  'accounts',
  'requests',
  'schedule',
  'cloud',
  'everyStep',
  'eventually',
  'settle',
  'shrink',
  'maxFailures',
  'progress',
  'name',
  'hangTimeout',
  'transcript',
] as const;

const fail = (what: string): string => `Failed to check fault tolerance: ${what}`;

export function planOf(options: FaultToleranceOptions | undefined): Plan {
  const o = options ?? {};
  invariant(typeof o === 'object' && !Array.isArray(o), fail(`options must be an object like { runs: 100 }, got ${formatValue(o)}`));
  for (const key of Object.keys(o)) invariant((KNOWN as readonly string[]).includes(key), fail(`unknown option '${key}' (known: ${KNOWN.join(', ')})`));
  const runs = o.runs ?? 100;
  invariant(Number.isInteger(runs) && runs >= 1 && runs <= MAX_RUNS, fail(`runs must be a whole number from 1 to ${MAX_RUNS}, got ${formatValue(runs)}`));
  const seed = o.seed ?? 1;
  invariant(Number.isSafeInteger(seed) && Number.isSafeInteger(seed + runs), fail(`seed must be an integer, got ${formatValue(seed)}`));
  const cloud = o.cloud ?? {};
  invariant(typeof cloud === 'object' && cloud !== null && !Array.isArray(cloud), fail(`cloud must be createCloud's options, got ${formatValue(cloud)}`));
  invariant(!('seed' in cloud), fail('cloud.seed is set by each run (its own seed); use the seed option for the first run'));
  invariant(!('clock' in cloud), fail("runs use the virtual clock (a fault schedule strikes at virtual times); remove cloud.clock"));
  invariant(
    !('log' in cloud),
    fail('cloud.log: exploration reads the whole log of every run (callback triggers, checks, the report, the transcript); leave the log option out'),
  );
  for (const key of ['everyStep', 'eventually'] as const) {
    invariant(o[key] === undefined || typeof o[key] === 'function', fail(`${key} must be a function (cloud) => void that throws when the check fails, got ${formatValue(o[key])}`));
  }
  const settle = o.settle ?? 300_000;
  invariant(typeof settle === 'number' && Number.isFinite(settle) && settle >= 0, fail(`settle must be a number of virtual ms, got ${formatValue(settle)}`));
  const shrink = o.shrink ?? true;
  invariant(
    typeof shrink === 'boolean' || (Number.isInteger(shrink) && shrink >= 0 && shrink <= MAX_RUNS),
    fail(`shrink must be true, false or the most runs shrinking may take, got ${formatValue(shrink)}`),
  );
  const maxFailures = o.maxFailures ?? 1;
  invariant(Number.isInteger(maxFailures) && maxFailures >= 1, fail(`maxFailures must be a whole number of at least 1, got ${formatValue(maxFailures)}`));
  const hangTimeout = o.hangTimeout ?? 2_000;
  invariant(typeof hangTimeout === 'number' && hangTimeout >= 10 && hangTimeout <= 3_600_000, fail(`hangTimeout must be real ms from 10 to 3 600 000, got ${formatValue(hangTimeout)}`));
  invariant(o.name === undefined || typeof o.name === 'string', fail(`name must be a string, got ${formatValue(o.name)}`));
  invariant(o.transcript === undefined || typeof o.transcript === 'boolean', fail(`transcript must be true or false, got ${formatValue(o.transcript)}`));
  if (o.accounts !== undefined) {
    invariant(
      Array.isArray(o.accounts) && o.accounts.length > 0 && o.accounts.every((a) => typeof a === 'string' && a !== ''),
      fail(`accounts must be a non-empty list of account names, got ${formatValue(o.accounts)}`),
    );
  }
  if (o.requests !== undefined) {
    invariant(
      Array.isArray(o.requests) && o.requests.every((r) => typeof r === 'string' && r !== ''),
      fail(`requests must be a list of request names such as ['channel_join', 'user_sendmsg'], got ${formatValue(o.requests)}`),
    );
    for (const r of o.requests) invariant(isRefusable(r), fail(`requests names '${r}', a request the server does not handle (it handles: ${refusable().join(', ')})`));
  }
  if (o.schedule !== undefined) checkSchedule(o.schedule);
  return {
    runs: o.schedule !== undefined ? 1 : runs,
    seed,
    mix: mixOf(o.faults),
    perRun: perRunOf(o.faultsPerRun),
    accounts: o.accounts,
    requests: o.requests,
    schedule: o.schedule,
    cloud,
    everyStep: o.everyStep,
    eventually: o.eventually,
    settle,
    shrinkBudget: shrink === true ? DEFAULT_SHRINK_RUNS : shrink === false ? 0 : shrink,
    maxFailures,
    progress: progressOf(o.progress),
    name: o.name ?? 'fault exploration',
    hangTimeout,
    transcript: o.transcript ?? true,
  };
}

function mixOf(faults: FaultToleranceOptions['faults']): Record<FaultKind, number> {
  const none = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  if (faults === undefined) return { ...DEFAULT_FAULT_MIX };
  const known = `known: ${FAULT_KINDS.join(', ')}`;
  if (Array.isArray(faults)) {
    invariant(faults.length > 0, fail(`faults must name at least one kind (${known})`));
    for (const k of faults) invariant((FAULT_KINDS as readonly unknown[]).includes(k), fail(`faults names an unknown kind ${formatValue(k)} (${known})`));
    return { ...none, ...Object.fromEntries(faults.map((k) => [k, 1])) };
  }
  invariant(typeof faults === 'object' && faults !== null, fail(`faults must be a list of kinds or { kind: weight }, got ${formatValue(faults)}`));
  const mix = { ...none };
  for (const [k, w] of Object.entries(faults)) {
    invariant((FAULT_KINDS as readonly string[]).includes(k), fail(`faults names an unknown kind '${k}' (${known})`));
    invariant(typeof w === 'number' && Number.isFinite(w) && w >= 0, fail(`faults gives ${k} the weight ${formatValue(w)}: a weight is a number >= 0`));
    mix[k as FaultKind] = w;
  }
  invariant(
    Object.values(mix).some((w) => w > 0),
    fail('faults gives every kind weight 0: nothing to draw'),
  );
  return mix;
}

function perRunOf(value: FaultToleranceOptions['faultsPerRun']): [number, number] {
  if (value === undefined) return [1, 3];
  const range = typeof value === 'number' ? [1, value] : value;
  invariant(
    Array.isArray(range) &&
      range.length === 2 &&
      range.every((n) => Number.isInteger(n)) &&
      range[0]! >= 0 &&
      range[0]! <= range[1]! &&
      range[1]! <= MAX_FAULTS_PER_RUN &&
      (typeof value !== 'number' || value >= 1),
    fail(`faultsPerRun must be a count from 1 to ${MAX_FAULTS_PER_RUN} or a range [min, max] within 0…${MAX_FAULTS_PER_RUN}, got ${formatValue(value)}`),
  );
  return [range[0]!, range[1]!];
}

function progressOf(value: FaultToleranceOptions['progress']): Plan['progress'] {
  const print = (p: FaultProgress): void => {
    console.error(`fault exploration: ${p.runs}/${p.total} runs, ${p.failures} failing, ${Math.round(p.runsPerSecond)} runs/s, ${(p.elapsed / 1000).toFixed(1)} s`);
  };
  if (value === false) return undefined;
  if (value === undefined) return { every: 5_000, report: print };
  if (value === true) return { every: 1_000, report: print };
  invariant(typeof value === 'function', fail(`progress must be true, false or a function (progress) => void, got ${formatValue(value)}`));
  return { every: 1_000, report: value };
}
