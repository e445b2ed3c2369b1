import { Task, type Batch, type BatchCursor } from './scheduler.js';
import type { Timekeeper } from './timekeeper.js';

/**
 * One kind of timer that many objects keep (the ping timer of every Session): what it does
 * when it goes off, and how a pending one is shown.
 */
export interface TimerKind<T extends object, X> {
  /** Background work (see {@link Task.periodic}). */
  readonly periodic: boolean;
  /** The task's label ("ping alice"), made when asked for. */
  label(target: T): string;
  /** The timer `index` of `batch` went off for `target` (with the `extra` it was set with). */
  fire(target: T, extra: X, batch: TimerBatch<T, X>, index: number): void;
}

/**
 * Timers of one kind due at the same time, as one {@link Batch} of the scheduler: 100 000
 * clients that log in at once start as many connect, ping and poll timers, each one or two
 * references here rather than a task object of its own (with a boxed due time). A timer
 * joins the batch while the batch holds the item added last at that time, so the timers run
 * in the same order, among everything due then, as tasks of their own would.
 *
 * The owner keeps the batch and the index {@link scheduleTimer} gave it, to cancel the timer.
 */
export class TimerBatch<T extends object, X = undefined> implements Batch {
  readonly kind: TimerKind<T, X>;
  /** The owner of each timer; `undefined` once it went off or was cancelled. */
  private readonly targets: Array<T | undefined> = [];
  /** What each timer was set with (none for kinds that need nothing more than the owner). */
  private readonly extras: X[] | undefined;
  /** Runs the timers one by one (one object for all of them). */
  private readonly runner: TimerRunner<T, X>;

  constructor(kind: TimerKind<T, X>, withExtras: boolean) {
    this.kind = kind;
    this.extras = withExtras ? [] : undefined;
    this.runner = new TimerRunner(this);
  }

  get length(): number {
    return this.targets.length;
  }

  get periodic(): boolean {
    return this.kind.periodic;
  }

  live(i: number): boolean {
    return this.targets[i] !== undefined;
  }

  task(i: number): Task {
    return new TimerItem(this, this.targets[i]!);
  }

  take(i: number): Task {
    const runner = this.runner;
    runner.target = this.targets[i];
    runner.extra = this.extra(i);
    runner.index = i;
    runner.live = true;
    this.targets[i] = undefined;
    return runner;
  }

  runItems(cursor: BatchCursor, budget: number): number {
    let ran = 0;
    while (ran < budget && !cursor.stopped) {
      const i = cursor.next;
      if (i >= this.targets.length) break;
      cursor.next = i + 1;
      const target = this.targets[i];
      if (target === undefined) continue;
      this.targets[i] = undefined;
      ran++;
      this.kind.fire(target, this.extra(i), this, i);
    }
    return ran;
  }

  /** What timer `i` was set with. */
  extra(i: number): X {
    return this.extras?.[i] as X;
  }

  /** Timer `i` will not go off (nothing happens if it already did). */
  cancel(i: number): void {
    this.targets[i] = undefined;
  }

  /** @internal Adds a timer; returns its index. */
  add(target: T, extra: X): number {
    this.extras?.push(extra);
    return this.targets.push(target) - 1;
  }
}

/**
 * Sets a timer of `kind` for `target`, `delay` ms from now. Returns the batch that holds it;
 * its index there is `batch.length - 1`.
 */
export function scheduleTimer<T extends object, X>(time: Timekeeper, kind: TimerKind<T, X>, target: T, extra: X, delay: number, withExtras: boolean): TimerBatch<T, X> {
  const open = time.latestBatch(delay);
  if (open instanceof TimerBatch && open.kind === kind) {
    time.extendBatch();
    open.add(target, extra);
    return open as TimerBatch<T, X>;
  }
  const batch = new TimerBatch<T, X>(kind, withExtras);
  batch.add(target, extra);
  time.scheduleBatch(batch, delay);
  return batch;
}

/** Runs timer `index` of a batch. */
class TimerRunner<T extends object, X> extends Task {
  declare readonly batch: TimerBatch<T, X>;
  declare target: T | undefined;
  declare extra: X | undefined;
  declare index: number;

  constructor(batch: TimerBatch<T, X>) {
    super();
    this.batch = batch;
    this.target = undefined;
    this.extra = undefined;
    this.index = 0;
  }

  override get label(): string {
    return this.target === undefined ? '' : this.batch.kind.label(this.target);
  }

  override get periodic(): boolean {
    return this.batch.kind.periodic;
  }

  override run(): void {
    const target = this.target!;
    const extra = this.extra as X;
    this.target = undefined;
    this.extra = undefined;
    this.batch.kind.fire(target, extra, this.batch, this.index);
  }
}

/** A pending timer of a batch, as inspection shows it. */
class TimerItem<T extends object, X> extends Task {
  declare readonly batch: TimerBatch<T, X>;
  declare readonly target: T;

  constructor(batch: TimerBatch<T, X>, target: T) {
    super();
    this.batch = batch;
    this.target = target;
  }

  override get label(): string {
    return this.batch.kind.label(this.target);
  }

  override get periodic(): boolean {
    return this.batch.kind.periodic;
  }

  override run(): void {
    // Inspection only: the scheduler runs a batch's items through `take`.
  }
}
