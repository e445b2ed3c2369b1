import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';
import { Timekeeper } from './timekeeper.js';
import { scheduleTimer, type TimerBatch, type TimerKind } from './timer-batch.js';

const timekeeper = () => new Timekeeper({ mode: 'virtual', startTime: 0, loopLimit: 1_000_000, describe: () => '' });

/** Schedules the same random mix of tasks and timers (some cancelled), as batched timers or as tasks of their own. */
function runMix(batched: boolean): string[] {
  const rng = createRng(11);
  const time = timekeeper();
  const ran: string[] = [];
  const kinds = [0, 1].map(
    (k): TimerKind<{ name: string }, undefined> => ({ periodic: k === 1, label: (t) => t.name, fire: (t) => void ran.push(t.name) }),
  );
  const cancels: Array<() => void> = [];
  for (let i = 0; i < 3000; i++) {
    const delay = rng.int(1, 4) * 1000;
    const name = `${i}`;
    const roll = rng.int(0, 2);
    if (roll === 0) {
      time.schedule(delay, name, () => ran.push(name));
      continue;
    }
    const kind = kinds[roll - 1]!;
    if (batched) {
      const batch: TimerBatch<{ name: string }> = scheduleTimer(time, kind, { name }, undefined, delay, false);
      const index = batch.length - 1;
      cancels.push(() => batch.cancel(index));
    } else {
      const task = time.schedule(delay, name, () => ran.push(name));
      cancels.push(() => time.cancel(task));
    }
  }
  for (const cancel of cancels) if (rng.chance(0.3)) cancel();
  time.advanceSync(5000);
  return ran;
}

describe('Timers kept in batches', () => {
  it('go off in the order tasks of their own would, among the other tasks due then, cancelled ones not at all', () => {
    const batched = runMix(true);
    expect(batched.length).toBeGreaterThan(1000);
    expect(batched).toEqual(runMix(false));
  });

  it('show as pending tasks with their labels, and settle leaves the periodic ones out', () => {
    const time = timekeeper();
    const kind = (periodic: boolean): TimerKind<{ name: string }, undefined> => ({ periodic, label: (t) => `tick ${t.name}`, fire: () => {} });
    const background = kind(true);
    scheduleTimer(time, background, { name: 'a' }, undefined, 100, false);
    scheduleTimer(time, background, { name: 'b' }, undefined, 100, false);
    expect(time.scheduler.pending().map((t) => t.label)).toEqual(['tick a', 'tick b']);
    expect(time.scheduler.nextWork()).toBeUndefined();
    scheduleTimer(time, kind(false), { name: 'c' }, undefined, 100, false);
    expect(time.scheduler.nextWork()?.label).toBe('tick c');
  });
});
