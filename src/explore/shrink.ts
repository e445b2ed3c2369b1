/**
 * Shrinks a failing schedule to a minimal one: fewest faults, then the simplest version of each
 * (a close rather than an error, the shortest duration that still fails), then the earliest
 * (sooner in time, an earlier firing of its callback). Greedy and deterministic: each step keeps
 * the first candidate that still fails the same check, and starts over from it, until no
 * candidate fails or the budget of runs is spent.
 */
import { specOf } from './catalog.js';
import type { ScheduledFault } from './faults.js';
import type { RunOutcome } from './run.js';

export interface ShrinkResult {
  /** The smallest failing run found. */
  outcome: RunOutcome;
  /** Runs the shrinking took. */
  runs: number;
  /** Whether it stopped because the budget ran out (the result may not be minimal). */
  exhausted: boolean;
}

export async function shrink(failing: RunOutcome, rerun: (schedule: ScheduledFault[]) => Promise<RunOutcome>, budget: number): Promise<ShrinkResult> {
  let best = failing;
  let runs = 0;
  const check = failing.failure!.check;
  const tried = new Set<string>([JSON.stringify(failing.schedule)]);
  for (;;) {
    let improved = false;
    for (const candidate of candidates(best)) {
      const key = JSON.stringify(candidate);
      if (tried.has(key)) continue;
      tried.add(key);
      if (runs >= budget) return { outcome: best, runs, exhausted: true };
      runs++;
      const outcome = await rerun(candidate);
      if (outcome.failure?.check === check) {
        best = outcome;
        improved = true;
        break;
      }
    }
    if (!improved) return { outcome: best, runs, exhausted: false };
  }
}

/** Smaller schedules to try, most promising first. */
function* candidates(outcome: RunOutcome): Generator<ScheduledFault[]> {
  const schedule = outcome.schedule as ScheduledFault[];
  // Faults that never struck changed nothing: drop them all at once.
  const struck = new Set(outcome.injector.strikes.map((s) => s.index));
  if (struck.size < schedule.length) yield schedule.filter((_, i) => struck.has(i));
  // Fewer faults: without the second half, the first half, then each one.
  if (schedule.length > 2) {
    const half = Math.ceil(schedule.length / 2);
    yield schedule.slice(0, half);
    yield schedule.slice(half);
  }
  for (let i = 0; i < schedule.length; i++) yield without(schedule, i);
  // Simpler faults.
  for (let i = 0; i < schedule.length; i++) {
    const f = schedule[i]!;
    for (const simpler of specOf(f).simpler(f)) yield replace(schedule, i, { ...simpler, ...trigger(f) } as ScheduledFault);
  }
  // Earlier faults.
  for (let i = 0; i < schedule.length; i++) {
    const f = schedule[i]!;
    for (const t of earlier(f)) yield replace(schedule, i, { ...f, ...t } as ScheduledFault);
  }
}

function trigger(f: ScheduledFault): { at: number } | { on: NonNullable<ScheduledFault['on']> } {
  return f.on !== undefined ? { on: f.on } : { at: f.at };
}

function earlier(f: ScheduledFault): Array<{ at: number } | { on: NonNullable<ScheduledFault['on']> }> {
  if (f.on !== undefined) {
    const nth = f.on.nth;
    return nth > 1 ? [{ on: { ...f.on, nth: 1 } }, { on: { ...f.on, nth: nth - 1 } }] : [];
  }
  const at = f.at;
  const out = new Set<number>();
  if (at > 0) out.add(0);
  out.add(Math.floor(at / 2));
  // A round figure reads better: the tenth of a second below, then the second below.
  out.add(Math.floor(at / 100) * 100);
  out.add(Math.floor(at / 1000) * 1000);
  // Then step down a tenth of a second at a time (a window of a few hundred ms is common).
  out.add(Math.max(0, Math.floor((at - 1) / 100) * 100));
  return [...out].filter((t) => t < at).map((t) => ({ at: t }));
}

function without<T>(list: readonly T[], i: number): T[] {
  return [...list.slice(0, i), ...list.slice(i + 1)];
}

function replace<T>(list: readonly T[], i: number, value: T): T[] {
  const copy = [...list];
  copy[i] = value;
  return copy;
}
