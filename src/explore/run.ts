/**
 * One run of a scenario under one fault schedule: a fresh cloud with the run's seed, the
 * schedule armed on it, the scenario, the checks after every step; then the faults stop, time
 * settles, and the `eventually` checks run. The outcome says whether (and where) it failed.
 */
import { createCloud, type Cloud, type CloudOptions } from '../create-cloud.js';
import { EmulatorError } from '../errors.js';
import type { LogEntry } from '../log/entry.js';
import { record, type Recorder } from '../transcript/record.js';
import { soon } from './cloud-hooks.js';
import type { FaultSchedule } from './faults.js';
import { Injector } from './injector.js';
import { errorText } from './report.js';

/**
 * What a scenario gets besides its cloud: the run's seed and schedule, and where to register
 * checks that need the app's own state.
 */
export interface FaultRun {
  /** The seed of this run (the cloud's seed; the schedule was drawn from it). */
  readonly seed: number;
  /** The faults this run injects (read only). */
  readonly schedule: FaultSchedule;
  /**
   * Adds a check that runs after every step: whenever an app has been handed a callback, as
   * soon as the deliveries due at that moment have run (never inside one), and once more at
   * the end. It must only read (throw to fail); one that makes SDK calls fails the run.
   */
  everyStep(check: () => void): void;
  /** Adds a check that runs at the end, once the faults have stopped and time has settled. */
  eventually(check: () => void): void;
}

/** A scenario to explore: the test's own function, driving its app on the cloud it is given. */
export type FaultScenario = (cloud: Cloud, run: FaultRun) => void | Promise<void>;

/** Which check a run failed. */
export type FailedCheck = 'scenario' | 'everyStep' | 'eventually' | 'settle' | 'hang';

export interface RunFailure {
  check: FailedCheck;
  /** What was thrown. */
  error: unknown;
  /** Virtual Unix ms it failed at. */
  t: number;
  /** How many entries the log held then (the timeline is shown up to there). */
  logged: number;
}

/** How every run of one exploration is set up. */
export interface RunSetup {
  scenario: FaultScenario;
  cloud: Omit<CloudOptions, 'seed'>;
  everyStep: ((cloud: Cloud) => void) | undefined;
  eventually: ((cloud: Cloud) => void) | undefined;
  /** `within` of the final settle (virtual ms). */
  settle: number;
  /** Real ms without progress after which an unfinished scenario counts as hung. */
  hangTimeout: number;
}

export interface RunOutcome {
  seed: number;
  schedule: FaultSchedule;
  failure: RunFailure | undefined;
  injector: Injector;
  /** The run's cloud (disposed); its log stays readable. */
  cloud: Cloud;
  /** The recorder, when the run was recorded. */
  recorder: Recorder | undefined;
  /** Virtual Unix ms at which the scenario returned (or failed). */
  ended: number;
  /** Log entries recorded by then. */
  loggedByEnd: number;
}

/**
 * Runs the scenario once under `schedule` on a cloud seeded with `seed`.
 * With `recordAs`, a recorder watches the run (for its transcript).
 */
export async function runSchedule(
  setup: RunSetup,
  seed: number,
  schedule: FaultSchedule,
  extra: { recordAs?: string; prepare?: (cloud: Cloud) => void } = {},
): Promise<RunOutcome> {
  const cloud = createCloud({ ...setup.cloud, seed });
  const recorder = extra.recordAs !== undefined ? record(cloud, { name: extra.recordAs }) : undefined;
  extra.prepare?.(cloud);
  const injector = new Injector(cloud, schedule);
  const checks = new Checks(cloud, setup.everyStep);
  const finals: Array<() => void> = [];
  const run: FaultRun = {
    seed,
    schedule: Object.freeze(schedule.map((f) => Object.freeze({ ...f }))),
    everyStep: (check) => checks.add(check),
    eventually: (check) => {
      finals.push(check);
    },
  };
  // The log is watched only when something needs it (a watched log makes an object per entry).
  const watch = injector.watchesCallbacks;
  let stopWatching = (): void => {};
  const startWatching = (): void => {
    stopWatching = cloud.log.subscribe((entry) => {
      if (entry.kind !== 'callback') return;
      if (watch) injector.onCallback(entry);
      checks.delivered();
    });
  };
  if (watch || checks.any) startWatching();
  else checks.onFirst = startWatching;
  let failure: RunFailure | undefined;
  let ended = cloud.now();
  let loggedByEnd = 0;
  const fail = (check: FailedCheck, error: unknown): void => {
    failure ??= { check, error, t: cloud.now(), logged: cloud.log.entries.length };
  };
  try {
    try {
      const pending = setup.scenario(cloud, run);
      if (pending !== undefined && typeof (pending as Promise<void>).then === 'function') await finishes(pending as Promise<void>, cloud, setup.hangTimeout);
    } catch (error) {
      fail(error instanceof Hung ? 'hang' : 'scenario', error);
    }
    ended = cloud.now();
    loggedByEnd = cloud.log.total;
    if (checks.failure) failure = checks.failure;
    if (failure === undefined || failure.check !== 'hang') {
      try {
        injector.stop();
      } catch (error) {
        throw new EmulatorError(
          `Failed to check fault tolerance: the scenario disposed its cloud, so the faults cannot stop and time cannot settle after it. ` +
            `Leave the cloud to checkFaultTolerance, which disposes each run's cloud itself (${errorText(error, 1)})`,
        );
      }
      try {
        await cloud.settle({ within: setup.settle });
      } catch (error) {
        fail('settle', error);
      }
    }
    stopWatching();
    if (failure === undefined) {
      checks.runAll();
      if (checks.failure) failure = checks.failure;
    }
    if (failure === undefined) {
      try {
        setup.eventually?.(cloud);
        for (const check of finals) check();
      } catch (error) {
        fail('eventually', error);
      }
    }
  } finally {
    stopWatching();
    recorder?.stop();
    cloud.dispose();
  }
  return { seed, schedule, failure, injector, cloud, recorder, ended, loggedByEnd };
}

/** The checks that run after every step (see {@link FaultRun.everyStep}). */
class Checks {
  failure: RunFailure | undefined;
  private readonly cloud: Cloud;
  private readonly list: Array<() => void> = [];
  private pending = false;

  constructor(cloud: Cloud, first: ((cloud: Cloud) => void) | undefined) {
    this.cloud = cloud;
    if (first) this.list.push(() => first(cloud));
  }

  /** Called when the first check is added (the run then starts watching the log). */
  onFirst: (() => void) | undefined;

  get any(): boolean {
    return this.list.length > 0;
  }

  add(check: () => void): void {
    this.list.push(check);
    if (this.list.length === 1) this.onFirst?.();
  }

  /** A callback was handed to an app: check once the deliveries due now have run. */
  delivered(): void {
    if (this.pending || this.list.length === 0 || this.failure) return;
    this.pending = true;
    soon(this.cloud, 'everyStep', () => {
      this.pending = false;
      this.runAll();
    });
  }

  runAll(): void {
    if (this.failure) return;
    const log = this.cloud.log;
    for (const check of this.list) {
      const before = log.total;
      try {
        check();
      } catch (error) {
        this.failure = { check: 'everyStep', error, t: this.cloud.now(), logged: log.entries.length };
        return;
      }
      if (log.total !== before) {
        const made = log.entries.slice(-(log.total - before)).find((e: LogEntry) => e.kind === 'call');
        const what = made ? `${made.client} ${made.name}` : 'something the log recorded';
        this.failure = {
          check: 'everyStep',
          error: new Error(`an everyStep check changed the run (it made ${what}): checks must only read the app's state and the cloud's`),
          t: this.cloud.now(),
          logged: log.entries.length,
        };
        return;
      }
    }
  }
}

/** A scenario that stopped making progress. */
export class Hung extends Error {
  override name = 'Hung';
}

/**
 * Waits for the scenario; fails with {@link Hung} once neither the log nor virtual time has
 * moved for `ms` of real time (a scenario awaiting a callback a fault took away, with nothing
 * to move time). The timer is a diagnostic only: it never touches the cloud.
 */
function finishes(pending: Promise<void>, cloud: Cloud, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const progress = (): string => `${cloud.log.total}:${cloud.now()}`;
    let last = progress();
    const timer = setInterval(() => {
      const now = progress();
      if (now !== last) {
        last = now;
        return;
      }
      clearInterval(timer);
      reject(
        new Hung(
          `the scenario did not finish: nothing happened for ${ms} ms of real time, virtual time standing at +${((cloud.now() - cloud.startTime) / 1000).toFixed(3)}s. ` +
            'It awaits something that never comes under this schedule (a callback a fault took away?); wait with cloud.until(…, { within }) so it fails instead, or create the cloud with autoAdvance',
        ),
      );
    }, ms);
    (timer as { unref?: () => void }).unref?.();
    pending.then(
      () => {
        clearInterval(timer);
        resolve();
      },
      (error: unknown) => {
        clearInterval(timer);
        reject(error);
      },
    );
  });
}
