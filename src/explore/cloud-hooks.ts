/**
 * The one place fault exploration reaches below the Cloud's public API: its scheduler. A fault
 * "at +1.2 s" must strike on the cloud's own clock, in the total order of everything else, and
 * whoever drives time (`advance`, `until`, `settle`, `autoAdvance`); no public verb schedules
 * work of the test's own. Kept to three calls the cloud's own parts use everywhere (`schedule`,
 * `cancel`, `nextDue`), so a change of the scheduler shows up here, in one file, at compile time.
 */
import type { Cloud } from '../create-cloud.js';
import type { Task } from '../time/scheduler.js';

/** Something scheduled on a cloud by exploration; `cancel()` takes it back. */
export interface Scheduled {
  cancel(): void;
}

/**
 * Runs `fn` at `t` (virtual Unix ms, not before now) once everything else due at that instant
 * has run, cascades included: the same point a transcript's top-level step at `t` runs at
 * (after `{ "advance": … }` reaches `t`). So what exploration does there can be written as
 * such a step and replays exactly.
 *
 * The task is background work (`periodic`): `settle()` and `autoAdvance` do not wait for it,
 * so a fault still to come never changes when the scenario's own waits end.
 */
export function atEndOfInstant(cloud: Cloud, t: number, label: string, fn: () => void): Scheduled {
  const time = cloud.time;
  let task: Task | undefined;
  const arm = (delay: number): void => {
    task = time.schedule(delay, label, run, { periodic: true });
  };
  const run = (): void => {
    // Something else is still due at this instant (a delivery, what it scheduled): go last.
    const next = time.scheduler.nextDue();
    if (next !== undefined && next <= time.now()) return arm(0);
    task = undefined;
    fn();
  };
  arm(Math.max(0, t - time.now()));
  return {
    cancel: () => {
      if (task) time.cancel(task);
      task = undefined;
    },
  };
}

/**
 * Runs `fn` as soon as the work already due now has run (a plain task at delay 0): between two
 * deliveries, never inside one. For the checks that run after every step.
 */
export function soon(cloud: Cloud, label: string, fn: () => void): void {
  cloud.time.schedule(0, label, fn, { periodic: true });
}
