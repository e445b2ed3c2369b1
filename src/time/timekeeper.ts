import { createClock } from '@sinonjs/fake-timers';
import { EmulatorError, invariant } from '../errors.js';
import { installedFakeClock, jestLegacyTimers, sleep } from './global-clock.js';
import { PromiseWatch } from './promise-watch.js';
import { StallHint, STALL_HINT_MS, type StallSubject } from './stall-hint.js';
import { FnTask, Scheduler, type Batch, type Task } from './scheduler.js';

export type ClockMode = 'virtual' | 'global';

export interface ScheduleOptions {
  /** Background work that repeats (pings, idle polls, counters): `settle` and `autoAdvance` do not wait for it. */
  periodic?: boolean;
  /** Said after the label (`"ping"` about `"alice"`): the label text is made only when asked for. */
  about?: string;
}

export interface TimekeeperOptions {
  mode: ClockMode;
  /** Virtual epoch in ms (virtual mode only). */
  startTime: number;
  /** Most tasks one flush may run at a single virtual instant before it is called a loop. */
  loopLimit: number;
  /** Describes the cloud for error messages (seed, recent log). */
  describe: () => string;
  /**
   * An error stopped a run the cloud started by itself (the automatic flush, `autoAdvance`, the
   * global clock's timer): logs it as a fault. Nobody awaits such a run, so it is also printed,
   * and the next `flush`, `advance`, `until` or `settle` rejects with it.
   */
  fault?: (name: string, args: unknown[]) => void;
  /** Virtual mode: when the app is idle, jump to the next pending task (see {@link AUTO_ADVANCE_IDLE_HOPS}). */
  autoAdvance?: boolean;
  /**
   * Virtual clock without `autoAdvance`: real ms of stillness, with work pending ahead, after
   * which the cloud says on the console how to move time ({@link StallHint}); false: never.
   */
  stallHint?: number | false;
}

/** Microtask hops between two tasks, so the app's own promise chains run in between. */
const MICROTASK_HOPS = 4;

/**
 * Tasks an awaited drive runs before it starts watching the realm's promises (see
 * {@link Drive}): a short drive takes every turn, and pays nothing for the watch.
 */
const WATCH_AFTER = 64;

/**
 * With `autoAdvance`, the app counts as idle once this many microtask turns pass with no
 * cloud work due now. A count of turns, not a real-time threshold (trio's `autojump_threshold`
 * is real time), so the jumps happen at the same points of the app's code on every run.
 */
export const AUTO_ADVANCE_IDLE_HOPS = 100;

/**
 * With `autoAdvance`, most jumps in a row without the test itself calling flush, advance,
 * until or settle: past it the cloud is taken to be in an endless loop (an app callback that
 * keeps sending, each message a little later), and jumping stops with an error on the console.
 */
export const AUTO_ADVANCE_JUMP_LIMIT = 100_000;

const noop = (): void => {};

/** A job waiting its turn in {@link Timekeeper.enqueue}. */
interface Queued<T> {
  job: (() => Promise<T>) | undefined;
  readonly by: 'test' | 'auto';
  /** A job with a result (until, settle): disposed before it ran, it rejects; others resolve. */
  readonly verb?: string;
  started?: boolean;
}

/**
 * Runs a queued job once the ones before it are done. While it waits it holds the timekeeper
 * only through `self`, which dispose empties.
 */
async function runJob<T>(self: { timekeeper: Timekeeper | undefined }, queued: Queued<T>): Promise<T> {
  try {
    // No local keeps the timekeeper while the job waits.
    if (self.timekeeper === undefined) {
      // Disposed before its turn: what is due will never run.
      if (queued.by === 'test' && queued.verb !== undefined) throw new EmulatorError(`Failed to ${queued.verb}: the cloud was disposed before it ran`);
      return undefined as T;
    }
    return await self.timekeeper.startJob(queued);
  } catch (error) {
    if (queued.by === 'auto') self.timekeeper?.autoFailed(error);
    throw error;
  } finally {
    self.timekeeper?.endJob(queued);
  }
}

/** Real-time polling step of `until`/`settle` on the real global clock. */
const REAL_TIME_POLL_MS = 5;

/**
 * Owns time for one cloud: the virtual clock (a `@sinonjs/fake-timers` clock that is never
 * installed globally) or the global timers, and the scheduler of everything due.
 *
 * In virtual mode time moves only when the test moves it; tasks due now run by themselves on
 * a microtask, so awaiting a callback works without an explicit flush.
 */
export class Timekeeper implements StallSubject {
  readonly scheduler = new Scheduler();
  readonly mode: ClockMode;
  /** Virtual time in ms (virtual mode), while nobody has asked for {@link clock}. */
  private virtualNow: number;
  #clock: ReturnType<typeof createClock> | undefined;
  private readonly options: TimekeeperOptions;
  /** @internal A promise already resolved, for the microtask turns between tasks (see {@link Drive}). */
  readonly hopPromise: Promise<void> = Promise.resolve();
  /** The last job queued (see {@link enqueue}); at first, the resolved {@link hopPromise}. */
  private chain: Promise<void> = this.hopPromise;
  /** The async job running (see {@link enqueue}): one the test started, or one the cloud started itself. */
  private job: 'test' | 'auto' | undefined = undefined;
  /** The test's flushes, advances, untils and settles queued or running. */
  private testJobs = 0;
  /** flushSync or advanceSync is running. */
  private syncing = false;
  /** @internal An awaited drive is running tasks right now (not waiting between two). */
  inTask = false;
  /** What stopped a run the cloud started by itself, for the next flush, advance, until or settle. */
  private autoError: Error | undefined = undefined;
  private autoQueued = false;
  private globalTimer: ReturnType<typeof setTimeout> | undefined;
  private globalTimerDue = Infinity;
  /** @internal */
  disposed = false;
  /** @internal The awaited drive in progress, if any (see {@link Drive}). */
  currentDrive: Drive | undefined = undefined;
  /**
   * @internal A Drive that ended, for the next {@link drive} (a test's until steps through a
   * dozen drives: one object and one resume function serve them all).
   */
  spareDrive: Drive | undefined = undefined;
  /** The target of the drive {@link startDrive} starts. */
  private driveTarget = 0;
  /** @internal Awaited drives take every microtask turn (what their skipping is tested against). */
  everyTurn = false;
  /** @internal Microtask turns awaited drives have taken between tasks (for tests). */
  turnsTaken = 0;
  /** @internal Counts moves of time and runs (see {@link StallHint}). */
  progress = 0;
  private readonly stall: StallHint | undefined;
  private readonly autoAdvance: boolean;
  private pumpQueued = false;
  /** Jumps made by `autoAdvance` since the test last drove the cloud itself. */
  private autoJumps = 0;
  /**
   * When the cloud started. Objects that keep many times (100 000 clients' links) keep them as
   * ms since then: small whole numbers, which the engine stores without a box each.
   */
  readonly origin: number;
  /** See {@link wrapTasks}. */
  private wrapper: ((task: Task) => void) | undefined;
  /**
   * What the microtasks this timekeeper queues hold on to: `dispose()` empties it, so that work
   * still queued when a test disposes its cloud does not keep the cloud alive.
   */
  private readonly self: { timekeeper: Timekeeper | undefined } = { timekeeper: this };
  private readonly autoFlushJob: () => void;

  constructor(options: TimekeeperOptions) {
    this.options = options;
    this.mode = options.mode;
    this.virtualNow = options.startTime;
    invariant(
      !options.autoAdvance || options.mode === 'virtual',
      `Failed to create the cloud: autoAdvance needs clock: 'virtual'. On the global clock, let the fake timers ` +
        `move time (vi.advanceTimersByTimeAsync, vi.runAllTimersAsync) or run in real time`,
    );
    invariant(
      options.mode !== 'global' || !jestLegacyTimers(),
      "Failed to create the cloud: clock: 'global' cannot follow jest's legacy fake timers " +
        '(jest.useFakeTimers({ legacyFakeTimers: true })): they expose no clock to read, so the cloud would wait for real ' +
        "milliseconds that jest.advanceTimersByTime does not move. Use jest's modern timers (jest.useFakeTimers()), " +
        "or the cloud's own clock (clock: 'virtual', the default)",
    );
    this.autoAdvance = options.autoAdvance === true;
    const stallMs = options.stallHint ?? STALL_HINT_MS;
    this.stall = options.mode === 'virtual' && !this.autoAdvance && stallMs !== false ? new StallHint(this, stallMs) : undefined;
    this.origin = this.now();
    const self = this.self;
    this.autoFlushJob = () => self.timekeeper?.autoFlushed();
  }

  /**
   * The virtual clock (virtual mode; `undefined` on the global clock): a `@sinonjs/fake-timers`
   * clock, never installed globally. Apps may use its `setTimeout` to share the cloud's time.
   * Made when first asked for, at the cloud's time then (a clock per cloud costs more than the
   * rest of a small test's cloud); until then no timer can be on it, so time is a number.
   */
  get clock(): ReturnType<typeof createClock> | undefined {
    if (this.mode !== 'virtual') return undefined;
    return (this.#clock ??= createClock(this.virtualNow, this.options.loopLimit));
  }

  now(): number {
    if (this.mode !== 'virtual') return globalThis.Date.now();
    return this.#clock !== undefined ? this.#clock.now : this.virtualNow;
  }

  /**
   * `t` as ms since the cloud started ({@link origin}), as a small integer when it is whole (so
   * a field that keeps it holds no boxed number); `origin + since(t) === t` exactly.
   */
  since(t: number): number {
    const d = t - this.origin;
    return (d | 0) === d ? d | 0 : d;
  }

  /** Runs `fn` after `delay` ms of the cloud's time (0: as soon as the current work is done). */
  schedule(delay: number, label: string, fn: () => void, options: ScheduleOptions = {}): Task {
    return this.scheduleTask(new FnTask(label, fn, options.periodic === true, options.about), delay);
  }

  /**
   * Schedules a task object (a message in flight is one) after `delay` ms. Tasks due at the
   * same time and scheduled one after the other are kept together by the scheduler.
   */
  scheduleTask(task: Task, delay: number): Task {
    if (this.disposed) throw new EmulatorError(`Failed to schedule "${task.label}": the cloud has been disposed`);
    this.scheduler.insert(task, delay > 0 ? this.now() + delay : this.now());
    this.scheduled(delay);
    return task;
  }

  /** Something was scheduled `delay` ms from now: make sure it will run. */
  private scheduled(delay: number): void {
    if (delay <= 0) this.queueAutoFlush();
    else if (this.mode === 'global') this.armGlobalTimer();
    else if (this.autoAdvance) this.queuePump();
    else this.stall?.arm();
  }

  /**
   * @internal The batch holding the latest item scheduled, if it is due `delay` ms from now:
   * an item added to it runs right after that one (see {@link Batch}).
   */
  openBatch(delay: number): Batch | undefined {
    return this.scheduler.openBatch(delay > 0 ? this.now() + delay : this.now());
  }

  /** @internal The batch holding the latest item due `delay` ms from now (see {@link Scheduler.latestBatch}). */
  latestBatch(delay: number): Batch | undefined {
    return this.scheduler.latestBatch(delay > 0 ? this.now() + delay : this.now());
  }

  /** @internal Schedules a new batch `delay` ms from now, with its first item; returns that item's seq. */
  scheduleBatch(batch: Batch, delay: number): number {
    if (this.disposed) throw new EmulatorError('Failed to schedule a delivery: the cloud has been disposed');
    const seq = this.scheduler.insertBatch(batch, delay > 0 ? this.now() + delay : this.now());
    this.scheduled(delay);
    return seq;
  }

  /** @internal The open batch ({@link openBatch}) takes `n` more items (default 1); returns the seq of the first. */
  extendBatch(n = 1): number {
    return this.scheduler.extendBatch(n);
  }

  /**
   * @internal Runs every task through `wrapper` (the transcript recorder counts them, and knows
   * when one is running). Returns the function that removes it.
   */
  wrapTasks(wrapper: (task: Task) => void): () => void {
    this.wrapper = wrapper;
    return () => {
      if (this.wrapper === wrapper) this.wrapper = undefined;
    };
  }

  cancel(task: Task): void {
    this.scheduler.cancel(task);
  }

  /** Runs everything due now, synchronously (the app's promise continuations do not interleave). */
  flushSync(): void {
    this.autoJumps = 0;
    this.enterSync('flushSync');
    try {
      this.runDueSync(this.now());
    } finally {
      this.syncing = false;
    }
  }

  /** Moves virtual time forward by `ms`, running every task on the way, synchronously. */
  advanceSync(ms: number): void {
    this.autoJumps = 0;
    this.checkAdvance(ms, 'advanceSync');
    this.enterSync('advanceSync');
    try {
      const target = this.now() + ms;
      for (;;) {
        this.runDueSync(this.now());
        const next = this.scheduler.nextDue();
        if (next === undefined || next > target) break;
        this.moveTo(next);
      }
      this.moveTo(target);
    } finally {
      this.syncing = false;
    }
  }

  /** Runs everything due now, letting the app's promise chains run between tasks. */
  flush(): Promise<void> {
    this.autoJumps = 0;
    return this.runDue('test');
  }

  /** `flush`, for the test or for the cloud itself (auto-flush, which does not count as the test driving it). */
  private runDue(by: 'test' | 'auto'): Promise<void> {
    const run = this.enqueue(() => this.drive(this.now()), by);
    // On the global clock real time moves during a run: a task scheduled "now" late in it can
    // fall due after the run's target, while its auto-flush was skipped (the run was going).
    // The timer picks it up.
    const self = this.self;
    return this.mode === 'global' ? run.finally(() => self.timekeeper?.armGlobalTimer()) : run;
  }

  /** Moves virtual time forward by `ms`, running every task on the way in order. */
  advance(ms: number): Promise<void> {
    this.autoJumps = 0;
    this.checkAdvance(ms, 'advance');
    return this.enqueue(async () => {
      const target = this.now() + ms;
      await this.drive(target);
      this.moveTo(target);
    }, 'test');
  }

  /**
   * Steps through time task by task until `check()` holds, at most `within` ms ahead.
   * Resolves with the time it held at; throws with `what`, the seed and the log's tail when it
   * never did. Virtual clock: steps the cloud's scheduler. Global clock under fake timers:
   * ticks the installed fake clock (the app's own timers run on the way). Real time: waits.
   */
  until(check: () => boolean, within: number, what: string, hint: () => string = () => ''): Promise<number> {
    this.autoJumps = 0;
    this.checkWithin(within, 'until');
    return this.enqueue(async () => {
      if (await this.step(check, within)) return this.now();
      const idle = this.scheduler.nextDue() === undefined;
      throw new EmulatorError(
        `Failed to reach ${what} within ${within} ms of ${this.timeName()}: ` +
          (idle ? 'the cloud went idle first' : `nothing made it true by ${this.at()}`) +
          `.${hint()}\n${this.options.describe()}`,
      );
    }, 'test', 'until');
  }

  /**
   * Runs until nothing but periodic work (pings, idle polls, counters) is pending, at most
   * `within` ms ahead. Resolves with the time it settled at.
   */
  settle(within: number): Promise<number> {
    this.autoJumps = 0;
    this.checkWithin(within, 'settle');
    return this.enqueue(async () => {
      if (await this.step(() => this.scheduler.nextWork() === undefined, within)) return this.now();
      const work = this.scheduler
        .pending()
        .filter((t) => !t.periodic)
        .slice(0, 8)
        .map((t) => `  ${t.label} (due in ${t.due - this.now()} ms)`);
      throw new EmulatorError(
        `Failed to settle within ${within} ms of ${this.timeName()}: work is still pending:\n${work.join('\n')}\n` +
          `Pass a larger { within } if this work is expected to finish.\n${this.options.describe()}`,
      );
    }, 'test', 'settle');
  }

  /** Stops every timer; nothing runs afterwards. */
  dispose(): void {
    this.disposed = true;
    this.self.timekeeper = undefined;
    this.currentDrive?.stop();
    this.stall?.stop();
    this.scheduler.clear();
    if (this.globalTimer !== undefined) globalThis.clearTimeout(this.globalTimer);
    this.globalTimer = undefined;
  }

  /** Steps until `check()` holds or `within` ms have passed; true when it held. */
  private async step(check: () => boolean, within: number): Promise<boolean> {
    const fake = this.mode === 'global' ? installedFakeClock() : undefined;
    const limit = this.now() + within;
    for (;;) {
      await this.drive(this.now());
      if (check()) return true;
      if (this.mode === 'global' && !fake) {
        // Real time: the global timers run the tasks; look again shortly.
        const left = limit - this.now();
        if (left <= 0) return false;
        await sleep(Math.min(REAL_TIME_POLL_MS, left));
        continue;
      }
      const next = this.scheduler.nextDue();
      if (next === undefined || next > limit) break;
      if (fake) await fake.tickAsync(Math.max(0, next - this.now()));
      else this.moveTo(next);
    }
    return check();
  }

  /** A time (default: now), relative to when the cloud started (as the timeline shows it). */
  at(t = this.now()): string {
    return `+${((t - this.origin) / 1000).toFixed(3)}s`;
  }

  /** The next live task that is not background work (see {@link Scheduler.nextWork}). */
  nextWork(): Task | undefined {
    return this.scheduler.nextWork();
  }

  private timeName(): string {
    if (this.mode === 'virtual') return 'virtual time';
    return installedFakeClock() ? 'fake time' : 'real time';
  }

  private checkWithin(ms: number, verb: string): void {
    invariant(
      typeof ms === 'number' && Number.isFinite(ms) && ms >= 0,
      `Failed to ${verb}: within must be a non-negative number of milliseconds, got ${String(ms)}`,
    );
  }

  private checkAdvance(ms: number, verb: string): void {
    invariant(
      typeof ms === 'number' && Number.isFinite(ms) && ms >= 0,
      `Failed to ${verb}: expected a non-negative number of milliseconds, got ${String(ms)}`,
    );
    invariant(
      this.mode === 'virtual',
      `Failed to ${verb}: this cloud runs on the global clock (clock: 'global'); move time with ` +
        `vi.advanceTimersByTimeAsync(ms) under vi.useFakeTimers(), or wait in real time`,
    );
  }

  /**
   * flushSync and advanceSync run unless tasks are running: inside an SDK callback, or while the
   * test's own flush, advance, until or settle is pending. The cloud's own runs (the automatic
   * flush) give way between two tasks: they find what is left when they go on.
   */
  private enterSync(verb: string): void {
    invariant(
      !this.syncing && !this.inTask && this.testJobs === 0,
      `Failed to ${verb}: the cloud is already running tasks (called from inside an SDK callback, ` +
        `or while an async flush/advance is pending). Await the pending flush, or move the call out of the callback`,
    );
    this.syncing = true;
    this.progress++;
  }

  /**
   * Runs `job` after the jobs queued before it. `by`: the test started it, or the cloud itself
   * (its errors are reported at once, and reject the test's next job).
   */
  private enqueue<T>(job: () => Promise<T>, by: 'test' | 'auto', verb?: string): Promise<T> {
    if (by === 'test') this.testJobs++;
    // The job holds the timekeeper only through `self` (emptied by dispose) while it waits:
    // a disposed cloud is not kept alive by a run it had started itself.
    const self = this.self;
    const queued: Queued<T> = verb === undefined ? { job, by } : { job, by, verb };
    const result = this.chain.then(() => runJob(self, queued));
    this.chain = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** @internal Starts a queued job (see {@link runJob}); its promise. */
  startJob<T>(queued: Queued<T>): Promise<T> {
    const { job, by } = queued;
    queued.job = undefined;
    invariant(!this.syncing && this.job === undefined && job !== undefined, 'Failed to run: the cloud is already running tasks');
    const failed = this.autoError;
    if (by === 'test' && failed !== undefined) {
      this.autoError = undefined;
      throw failed;
    }
    this.job = by;
    queued.started = true;
    this.progress++;
    return job();
  }

  /** @internal A job ended (see {@link runJob}). */
  endJob(queued: Queued<unknown>): void {
    if (queued.started) this.job = undefined;
    if (queued.by === 'test') this.testJobs--;
    if (this.autoAdvance) this.queuePump();
    // On the global clock, a task that fell due during the run (real time moved) but after
    // its target waits for the timer (see runDue).
    if (this.mode === 'global' && !this.disposed) this.armGlobalTimer();
  }

  private queueAutoFlush(): void {
    if (this.autoQueued) return;
    this.autoQueued = true;
    // A promise job, not queueMicrotask: jest's fake timers fake queueMicrotask (vitest's do
    // not), which would hold what is due now until the test moves the fake clock.
    void this.hopPromise.then(this.autoFlushJob);
  }

  /** The queued auto-flush (see {@link self}). */
  private autoFlushed(): void {
    this.autoQueued = false;
    if (this.job !== undefined || this.disposed) return; // the running loop picks the task up
    void this.runDue('auto').catch(noop); // reported by autoFailed
  }

  /**
   * A run the cloud started by itself failed (the loop limit, or an error of the emulator's own):
   * nobody awaits it, so it is printed now with the log's tail, logged as a fault, and kept for
   * the test's next flush, advance, until or settle to reject with.
   *
   * @internal
   */
  autoFailed(error: unknown): void {
    const e = error instanceof Error ? error : new EmulatorError(String(error));
    if (this.autoError === undefined) this.autoError = e;
    const message = e instanceof EmulatorError ? e.message : `${String(e)}\n${this.options.describe()}`;
    this.options.fault?.('run stopped', [message.split('\n')[0]!]);
    console.error(
      new EmulatorError(
        `The cloud's automatic flush stopped: ${message}\nThe test's next flush, advance, until or settle rejects with this error.`,
      ),
    );
  }

  /**
   * `autoAdvance`: once the app has been idle for {@link AUTO_ADVANCE_IDLE_HOPS} microtask
   * turns, runs everything up to the next task that is not periodic. With only periodic work
   * left, time stands still (else pings would move it forever).
   */
  private queuePump(): void {
    if (this.pumpQueued || this.disposed) return;
    this.pumpQueued = true;
    const self = this.self;
    void (async () => {
      for (let i = 0; i < AUTO_ADVANCE_IDLE_HOPS; i++) await undefined;
      await self.timekeeper?.pumped();
    })();
  }

  /** The idle turns of {@link queuePump} have passed. */
  private async pumped(): Promise<void> {
    this.pumpQueued = false;
    // A running job queues the pump again when it ends.
    if (this.disposed || this.job !== undefined || !this.scheduler.nextWork()) return;
    if (++this.autoJumps > AUTO_ADVANCE_JUMP_LIMIT) {
      if (this.autoJumps === AUTO_ADVANCE_JUMP_LIMIT + 1) {
        console.error(
          new EmulatorError(
            `autoAdvance stopped after ${AUTO_ADVANCE_JUMP_LIMIT} jumps in a row (virtual time ${this.at()}) without the test ` +
              `calling flush, advance, until or settle: this looks like an endless loop (an app callback that keeps ` +
              `sending?). Time now moves only when the test moves it.\n${this.options.describe()}`,
          ),
        );
      }
      return;
    }
    const self = this.self;
    await this.enqueue(async () => {
      const due = self.timekeeper?.scheduler.nextWork()?.due;
      if (due !== undefined) await self.timekeeper?.drive(due);
    }, 'auto').catch(noop); // reported by autoFailed
  }

  /**
   * Runs every task due by `target` in order, moving time to each, with the app's promise
   * chains given {@link MICROTASK_HOPS} microtask turns between two tasks (see {@link Drive}).
   *
   * @internal
   */
  drive(target: number): Promise<void> {
    this.driveTarget = target;
    return new Promise<void>(this.startDrive);
  }

  /** The executor of {@link drive}'s promise: starts a drive to {@link driveTarget}, on the spare Drive if there is one. */
  private readonly startDrive = (resolve: () => void, reject: (error: unknown) => void): void => {
    const drive = this.spareDrive ?? new Drive(this.hopPromise);
    this.spareDrive = undefined;
    drive.start(this, this.driveTarget, resolve, reject);
    drive.run();
  };

  private runDueSync(target: number): void {
    let count = 0;
    const scheduler = this.scheduler;
    const limit = this.options.loopLimit;
    for (;;) {
      if (this.disposed) return;
      // A batch's items (a channel message's deliveries) run in one loop, without a task
      // object each; a wrapper wants to see every task, so it gets them one by one.
      if (this.wrapper === undefined && count < limit) {
        const ran = scheduler.runBatch(target, limit - count);
        if (ran > 0) {
          count += ran;
          continue;
        }
      }
      const next = scheduler.take(target);
      if (!next) return;
      if (++count > limit) this.loopError(next);
      this.run(next);
    }
  }

  /** @internal No wrapper sees each task (a batch may run in place). */
  unwrapped(): boolean {
    return this.wrapper === undefined;
  }

  /** @internal Runs one task (through the wrapper, if any). */
  run(task: Task): void {
    task.live = false;
    if (this.wrapper) this.wrapper(task);
    else task.run();
  }

  /** @internal Most tasks at one virtual instant. */
  get loopLimitValue(): number {
    return this.options.loopLimit;
  }

  /** @internal */
  loopError(task: Task): never {
    throw new EmulatorError(
      `Aborting after ${this.options.loopLimit} tasks at virtual time ${this.now()}: this looks like an ` +
        `endless loop (an app callback that triggers itself at zero latency?). Last task: ${task.label}. ` +
        `Raise createCloud({ loopLimit }) if this is intended.\n${this.options.describe()}`,
    );
  }

  /** @internal Moves virtual time to `t` (never back). */
  moveTo(t: number): void {
    if (this.mode !== 'virtual') return;
    if (this.#clock !== undefined) {
      if (t > this.#clock.now) {
        this.#clock.tick(t - this.#clock.now);
        this.progress++;
      }
    } else if (t > this.virtualNow) {
      this.virtualNow = t;
      this.progress++;
    }
  }

  /** @internal */
  armGlobalTimer(): void {
    const next = this.scheduler.nextDue();
    if (next === undefined || next >= this.globalTimerDue) return;
    if (this.globalTimer !== undefined) globalThis.clearTimeout(this.globalTimer);
    this.globalTimerDue = next;
    this.globalTimer = globalThis.setTimeout(() => {
      this.globalTimer = undefined;
      this.globalTimerDue = Infinity;
      // Re-armed even when the run fails (its error still surfaces), so later tasks never stall.
      void this.enqueue(() => this.drive(this.now()), 'auto')
        .catch(noop) // reported by autoFailed
        .finally(() => this.armGlobalTimer());
    }, Math.max(0, next - this.now()));
  }
}

/**
 * One awaited run of the tasks due by a target: what `flush`, `advance`, `until`, `settle` and
 * the automatic flush do. Between two tasks it takes {@link MICROTASK_HOPS} microtask turns, so
 * that the app's promise chains run between deliveries as they would between two WebSocket
 * messages. A turn costs more than a delivery, though, and most deliveries queue nothing (a
 * callback that counts, pushes or is not set); so after {@link WATCH_AFTER} tasks the drive
 * watches the realm's promises ({@link PromiseWatch}) and skips the turns after a task when
 * they would run nothing but itself: no promise was made, settled or run between the queueing
 * and the running of its last turn (no job of anyone else was waiting when it ran), nor since
 * (none is waiting now). The order of everything is then the same as with the turns taken.
 * Another drive's turns are promises too, so two clouds driven at once still alternate as they
 * did. Work queued with a bare `queueMicrotask` (no promise) is not seen; where the realm cannot
 * be watched (a browser, jest's `vm` contexts) every turn is taken.
 */
class Drive {
  private tk: Timekeeper | undefined = undefined;
  private target = 0;
  private resolve: (() => void) | undefined = undefined;
  private reject: ((error: unknown) => void) | undefined = undefined;
  private instant = 0;
  private atInstant = 0;
  /** Tasks run so far (counted up to {@link WATCH_AFTER}). */
  private ran = 0;
  /** Turns taken since the last task. */
  private hops = 0;
  /** The watch's count when the last turn was queued. */
  private mark = 0;
  /** No job but this drive's own is waiting in the microtask queue (as far as the watch sees). */
  private quiet = false;
  /** The realm's promises, once watched; null: they cannot be. */
  private watch: PromiseWatch | null | undefined = undefined;
  private readonly resume = (): void => this.hopped();
  private readonly hop: Promise<void>;

  /** `hop`: the timekeeper's resolved promise (see {@link Timekeeper.hopPromise}). */
  constructor(hop: Promise<void>) {
    this.hop = hop;
  }

  /**
   * Begins a drive to `target` (a new Drive, or one that ended: see {@link Timekeeper.spareDrive}).
   * An ended drive has no turn pending: it ends from {@link run}, after its last turn, or from
   * {@link stop}, after which the cloud makes no more drives.
   */
  start(tk: Timekeeper, target: number, resolve: () => void, reject: (error: unknown) => void): void {
    this.tk = tk;
    this.target = target;
    this.resolve = resolve;
    this.reject = reject;
    this.instant = tk.now();
    this.atInstant = 0;
    this.ran = 0;
    this.hops = 0;
    this.mark = 0;
    this.quiet = false;
    this.watch = undefined;
    tk.currentDrive = this;
  }

  /** Runs tasks until one needs the app's turns after it, or none is left. */
  run(): void {
    const tk = this.tk;
    if (tk === undefined) return;
    tk.inTask = true;
    try {
      const scheduler = tk.scheduler;
      const limit = tk.loopLimitValue;
      for (;;) {
        if (tk.disposed) return this.end();
        if (this.quiet && this.atInstant < limit && tk.unwrapped()) {
          const batch = this.runBatch(tk, limit);
          if (batch === 'ran') continue;
          if (batch === 'turns') return;
        }
        const next = scheduler.take(this.target);
        if (next === undefined) return this.end();
        if (next.due > tk.now()) tk.moveTo(next.due);
        const now = tk.now();
        if (now !== this.instant) {
          this.instant = now;
          this.atInstant = 0;
        }
        if (++this.atInstant > limit) tk.loopError(next);
        if (this.quiet) {
          const watch = this.watch!;
          const seen = watch.count;
          tk.run(next);
          if (watch.count === seen) continue; // the turns would run nothing but this drive
          this.quiet = false;
        } else {
          tk.run(next);
          if (this.watch === undefined && ++this.ran >= WATCH_AFTER) this.watch = tk.everyTurn ? null : (PromiseWatch.start() ?? null);
        }
        this.hops = 0;
        this.turn();
        return;
      }
    } catch (error) {
      this.end(true, error);
    } finally {
      tk.inTask = false;
    }
  }

  /**
   * Quiet, with a batch next (a channel message's deliveries): runs its items in place, as
   * flushSync does, until one of them makes promise activity (the watch stops the run after
   * it, and the turns are queued: 'turns'). 'none': the next item is not a batch's.
   */
  private runBatch(tk: Timekeeper, limit: number): 'ran' | 'turns' | 'none' {
    const scheduler = tk.scheduler;
    const cursor = scheduler.batchCursor(this.target);
    if (cursor === undefined) return 'none';
    const due = scheduler.nextDue()!;
    if (due > tk.now()) tk.moveTo(due);
    if (due !== this.instant) {
      this.instant = due;
      this.atInstant = 0;
    }
    const watch = this.watch!;
    const seen = watch.count;
    watch.cursor = cursor;
    let ran: number;
    try {
      ran = scheduler.runBatch(this.target, limit - this.atInstant);
    } finally {
      watch.cursor = undefined;
      if (!tk.disposed) cursor.stopped = false;
    }
    this.atInstant += ran;
    if (watch.count === seen) return 'ran';
    // The last item run made activity: its turns come now.
    this.quiet = false;
    this.hops = 0;
    this.turn();
    return 'turns';
  }

  /** The dispose of the cloud: the drive ends now, and lets go of the cloud. */
  stop(): void {
    this.end();
  }

  private turn(): void {
    const watch = this.watch;
    if (watch) {
      watch.turn(this.hop, this.resume);
      this.mark = watch.count;
    } else {
      void this.hop.then(this.resume);
    }
  }

  private hopped(): void {
    if (this.tk === undefined) return;
    this.tk.turnsTaken++;
    if (++this.hops < MICROTASK_HOPS) return this.turn();
    // Nothing ran during the last turn but this drive: no job of anyone else is waiting.
    const watch = this.watch;
    this.quiet = watch ? watch.count === this.mark : false;
    this.run();
  }

  private end(failed = false, error?: unknown): void {
    const { tk, resolve, reject } = this;
    if (tk === undefined) return;
    this.tk = undefined;
    this.resolve = undefined;
    this.reject = undefined;
    if (tk.currentDrive === this) tk.currentDrive = undefined;
    this.watch?.stop();
    this.watch = undefined;
    // Stopped by the dispose: the cloud makes no more drives (and a turn may still be queued).
    if (!tk.disposed) tk.spareDrive = this;
    if (failed) reject!(error);
    else resolve!();
  }
}
