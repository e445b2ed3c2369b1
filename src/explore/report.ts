/**
 * What an exploration reports: the figures (runs, time, runs per second), which faults were
 * tried how often, and for a failure the seed, the schedule in words, the check that failed,
 * the timeline up to it, and how to run it again.
 */
import type { Cloud } from '../create-cloud.js';
import type { LogEntry } from '../log/entry.js';
import { formatOffset } from '../log/format.js';
import { formatTimeline } from '../log/timeline.js';
import type { Transcript } from '../transcript/types.js';
import { describeSchedule } from './describe.js';
import { FAULT_KINDS, type FaultKind, type ScheduledFault } from './faults.js';
import type { FailedCheck, RunOutcome } from './run.js';

/** How often one kind of fault was drawn, and what became of it. */
export interface FaultTally {
  kind: FaultKind;
  /** In the schedules drawn. */
  drawn: number;
  /** Struck the cloud. */
  struck: number;
  /** Its moment came but it did not apply then (the account was not logged in, its network was down already…). */
  missed: number;
  /** Its moment never came (the run ended first, or the callback never fired). */
  unreached: number;
}

/** A failure, shrunk, with everything needed to see it and run it again. */
export interface FaultFailure {
  /** The seed of the failing run: `{ seed, runs: 1 }` runs it again (and shrinks it the same way). */
  seed: number;
  /** Which check failed: the scenario's own code, an `everyStep` check, an `eventually` check, the final settle, or the scenario hung. */
  check: FailedCheck;
  /** What the check threw. */
  error: unknown;
  /** Its text (name and message). */
  errorText: string;
  /** The minimal schedule (shrunk): `{ seed, schedule }` runs exactly it. */
  schedule: ScheduledFault[];
  /** The schedule as first drawn. */
  drawn: ScheduledFault[];
  /** Runs the shrinking took. */
  shrinkRuns: number;
  /** Shrinking stopped at its budget of runs (`shrink`): the schedule may not be minimal. */
  shrinkStopped: boolean;
  /** Virtual ms since the start at which it failed. */
  at: number;
  /** The log up to the failure (the faults marked). */
  timeline: string;
  /** The failing run as a transcript (its steps with the faults, its whole log), when recorded. */
  transcript?: Transcript;
  /** Whether replaying the transcript gave the same log; when not, why. */
  replay?: { reproduces: boolean; detail?: string };
}

export interface FaultReport {
  /** Every run passed. */
  ok: boolean;
  /** Runs explored (the fault-free run and shrinking not counted). */
  runs: number;
  /** Seeds of the runs explored, first and last. */
  seeds: { first: number; last: number };
  /** Seeds of the failing runs found, in order. */
  failedSeeds: number[];
  /** The first failure, shrunk. */
  failure?: FaultFailure;
  /** Which faults were tried, how often. */
  tally: FaultTally[];
  /** Real ms the exploration took (shrinking included), and runs per second of the runs explored. */
  elapsed: number;
  runsPerSecond: number;
  /** The whole report as text. */
  message: string;
}

/** Counts the faults of each run as it ends. */
export class Tally {
  private readonly counts = new Map<FaultKind, FaultTally>(FAULT_KINDS.map((kind) => [kind, { kind, drawn: 0, struck: 0, missed: 0, unreached: 0 }]));

  add(outcome: RunOutcome): void {
    const get = (i: number): FaultTally => this.counts.get(outcome.schedule[i]!.kind)!;
    outcome.schedule.forEach((_, i) => get(i).drawn++);
    for (const s of outcome.injector.strikes) get(s.index).struck++;
    for (const m of outcome.injector.misses) get(m.index).missed++;
    for (const i of outcome.injector.unreached()) get(i).unreached++;
  }

  /** Kinds that were drawn at least once, in catalog order. */
  list(): FaultTally[] {
    return [...this.counts.values()].filter((t) => t.drawn > 0);
  }
}

export function formatTally(tally: readonly FaultTally[]): string {
  if (tally.length === 0) return '  (no fault drawn)';
  const rows = [['fault', 'drawn', 'struck', 'missed', 'unreached'], ...tally.map((t) => [t.kind, String(t.drawn), String(t.struck), String(t.missed), String(t.unreached)])];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => `  ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}`).join('\n');
}

/** The figures line: "100 runs in 0.21 s (476 runs/s), seeds 1…100". */
export function formatFigures(report: Pick<FaultReport, 'runs' | 'elapsed' | 'runsPerSecond' | 'seeds'>): string {
  const seeds = report.seeds.first === report.seeds.last ? `seed ${report.seeds.first}` : `seeds ${report.seeds.first}…${report.seeds.last}`;
  return `${report.runs} run${report.runs === 1 ? '' : 's'} in ${(report.elapsed / 1000).toFixed(2)} s (${Math.round(report.runsPerSecond)} runs/s), ${seeds}`;
}

/** What each failed check is called in a report. */
export const CHECKS: Readonly<Record<FailedCheck, string>> = Object.freeze({
  scenario: 'the scenario threw',
  everyStep: 'an everyStep check failed',
  eventually: 'an eventually check failed (after the faults stopped and time settled)',
  settle: 'time did not settle after the faults stopped',
  hang: 'the scenario hung',
});

export function formatFailure(failure: FaultFailure, name: string, transcriptPath?: string): string {
  const n = failure.schedule.length;
  const lines = [
    `${name}: a failure under seed ${failure.seed}, shrunk to ${n === 0 ? 'no fault at all (it fails without one)' : `${n} fault${n === 1 ? '' : 's'}`}` +
      (failure.shrinkRuns > 0 ? ` in ${failure.shrinkRuns} runs` : '') +
      (failure.drawn.length !== n ? ` (from ${failure.drawn.length} drawn)` : '') +
      ':',
    '',
    describeSchedule(failure.schedule),
    ...(failure.shrinkStopped ? ['  (shrinking stopped at its budget of runs: a smaller schedule may fail too; give shrink a larger number)'] : []),
    '',
    `${CHECKS[failure.check]} at ${formatOffset(failure.at)}:`,
    indent(failure.errorText, '  '),
    '',
    'Timeline up to the failure (> marks the faults):',
    indent(failure.timeline, '  '),
    '',
    'Run it again:',
    `  seed ${failure.seed}:   checkFaultTolerance(scenario, { ...options, seed: ${failure.seed}, runs: 1 })`,
    `  this schedule: checkFaultTolerance(scenario, { ...options, seed: ${failure.seed}, schedule: ${JSON.stringify(failure.schedule)} })`,
  ];
  if (transcriptPath !== undefined) lines.push(`  transcript:    npx agora-signaling-emulator replay ${transcriptPath}`);
  else if (failure.transcript) lines.push('  transcript:    report.failure.transcript (assertFaultTolerance writes it to a file)');
  if (failure.replay && !failure.replay.reproduces) lines.push(`  (the transcript does not replay this run exactly: ${failure.replay.detail ?? 'its log differs'})`);
  return lines.join('\n');
}

/**
 * The log around the failure: from a few entries before the first fault to the entry where the
 * check failed (the faults marked). A long stretch in between is cut in the middle, so both the
 * faults and the failure stay in view.
 */
export function timelineUpTo(cloud: Cloud, logged: number, head = 16, tail = 24): string {
  const entries = cloud.log.entries.slice(0, logged);
  const firstFault = entries.findIndex((e: LogEntry) => e.kind === 'fault');
  const from = firstFault < 0 ? Math.max(0, entries.length - tail) : Math.max(0, Math.min(firstFault - 4, entries.length - tail));
  const shown = entries.slice(from);
  const cut = shown.length > head + tail ? shown.length - head - tail : 0;
  const lines = formatTimeline(shown, { epoch: cloud.startTime, highlight: shown.filter((e: LogEntry) => e.kind === 'fault') }).split('\n');
  const text = cut > 0 ? [...lines.slice(0, head), `  … ${cut} entries`, ...lines.slice(head + cut)] : lines;
  return [...(from > 0 ? [`  … ${from} earlier entries`] : []), ...text].join('\n') || '(empty log)';
}

/** An error's name and message, its first `lines` lines. */
export function errorText(error: unknown, lines = 12): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const all = text.split('\n');
  return all.length > lines ? [...all.slice(0, lines), `… (${all.length - lines} more lines)`].join('\n') : text;
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => (l ? `${by}${l}` : l))
    .join('\n');
}
