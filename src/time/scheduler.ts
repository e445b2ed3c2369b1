/**
 * A priority queue of tasks in a total order: due time, then the order they were scheduled in.
 * Two tasks due at the same virtual millisecond always run in the order they were added,
 * whatever the platform's timer implementation does.
 */

/**
 * Something scheduled to run once. A plain task runs a function ({@link FnTask}); the network's
 * messages in flight are tasks of their own kind (they run by arriving), so a delivery costs
 * one small object and no closure.
 */
export abstract class Task {
  /** Virtual ms it is due at (set when it is added to a scheduler). */
  due = 0;
  /** Its place in the scheduler's order among tasks due at the same time. */
  seq = 0;
  /** False once it ran or was cancelled. */
  live = true;

  /** What the task is, for errors and inspection ("login_ret → alice"); made when asked. */
  abstract get label(): string;

  /**
   * Background work: repeating for as long as the cloud runs (pings, idle polls, auto-update
   * counters), or housekeeping nobody waits for (an empty channel's TTL). `settle()` and
   * `autoAdvance` do not wait for it.
   */
  get periodic(): boolean {
    return false;
  }

  /** Does the task's work (the scheduler's loop marks it run first). */
  abstract run(): void;
}

/** A task that calls a function. */
export class FnTask extends Task {
  readonly #label: string;
  readonly #fn: () => void;
  readonly #periodic: boolean;

  constructor(label: string, fn: () => void, periodic = false) {
    super();
    this.#label = label;
    this.#fn = fn;
    this.#periodic = periodic;
  }

  override get label(): string {
    return this.#label;
  }

  override get periodic(): boolean {
    return this.#periodic;
  }

  override run(): void {
    this.#fn();
  }
}

/**
 * Items of one kind, due at the same time with consecutive seqs, kept compactly by their owner:
 * the network keeps a channel message's deliveries to 10 000 links as 10 000 references in
 * one batch, not as 10 000 objects. Each item still runs as a task of its own, made when it
 * comes up (to run, or to be shown).
 */
export interface Batch {
  /** Items so far (a batch grows while it holds the latest item scheduled). */
  readonly length: number;
  /** Whether item `i` is still to run (not cancelled). */
  live(i: number): boolean;
  /** Item `i` as a task to keep (for inspection); the scheduler sets its `due` and `seq`. */
  task(i: number): Task;
  /**
   * Item `i` as a task to run now: the batch lets go of the item. The object may be reused for
   * the next item, so it is valid until it has run.
   */
  take(i: number): Task;
}

/**
 * Tasks due at the same time and added one right after the other: they are consecutive in the
 * total order, so they are kept together as one heap entry and run in the order added (a
 * task's seq is the run's plus its index). A fan-out of one channel message to 10 000 members
 * is one entry, not 10 000.
 */
interface Run {
  readonly due: number;
  /** `seq` of its first item: runs order among themselves as their items do. */
  readonly seq: number;
  /** The tasks of a run of task objects (undefined once handed out)… */
  readonly tasks: Array<Task | undefined> | undefined;
  /** …or the items of a batch. */
  readonly batch: Batch | undefined;
  /** The next item to hand out. */
  next: number;
}

export class Scheduler {
  private heap: Run[] = [];
  private nextSeq = 0;
  /**
   * The run holding the item added last, while it is still pending: an item added with the
   * same due time goes right after that one in the total order, so it joins the run.
   */
  private open: Run | undefined;

  /** Schedules a function at `due`. */
  add(due: number, label: string, fn: () => void, periodic = false): Task {
    return this.insert(new FnTask(label, fn, periodic), due);
  }

  /** Schedules a task object at `due` (a task is scheduled once). */
  insert(task: Task, due: number): Task {
    task.due = due;
    task.seq = this.nextSeq++;
    const open = this.open;
    if (open !== undefined && open.due === due && open.tasks !== undefined) {
      open.tasks.push(task);
      return task;
    }
    this.start({ due, seq: task.seq, tasks: [task], batch: undefined, next: 0 });
    return task;
  }

  /** The batch holding the latest item scheduled, if it is due at `due` (so an item may join it). */
  openBatch(due: number): Batch | undefined {
    const open = this.open;
    return open !== undefined && open.due === due ? open.batch : undefined;
  }

  /** Schedules a new batch at `due`, holding its first item; returns that item's seq. */
  insertBatch(batch: Batch, due: number): number {
    const seq = this.nextSeq++;
    this.start({ due, seq, tasks: undefined, batch, next: 0 });
    return seq;
  }

  /** The open batch ({@link openBatch}) takes one more item; returns its seq. */
  extendBatch(): number {
    return this.nextSeq++;
  }

  /** Cancelled tasks stay where they are and are skipped when they come up. */
  cancel(task: Task): void {
    task.live = false;
  }

  /** When the next live item is due (undefined: nothing is pending). */
  nextDue(): number | undefined {
    const heap = this.heap;
    while (heap.length > 0) {
      const run = heap[0]!;
      if (this.skipDead(run)) return run.due;
      this.removeTop();
    }
    return undefined;
  }

  /** The next live task, without removing it. */
  peek(): Task | undefined {
    const heap = this.heap;
    while (heap.length > 0) {
      const run = heap[0]!;
      if (this.skipDead(run)) return run.tasks !== undefined ? run.tasks[run.next]! : this.itemOf(run, run.next);
      this.removeTop();
    }
    return undefined;
  }

  /** Removes and returns the next live task if it is due at or before `target`. */
  take(target: number): Task | undefined {
    const heap = this.heap;
    while (heap.length > 0) {
      const run = heap[0]!;
      if (run.due > target) return undefined;
      if (this.skipDead(run)) {
        const i = run.next++;
        let task: Task;
        if (run.tasks !== undefined) {
          task = run.tasks[i]!;
          run.tasks[i] = undefined; // let it go once run
        } else {
          task = run.batch!.take(i);
          task.due = run.due;
          task.seq = run.seq + i;
        }
        if (run.next === (run.tasks ?? run.batch!).length) this.removeTop();
        return task;
      }
      this.removeTop();
    }
    return undefined;
  }

  /** Removes and returns the next live task. */
  pop(): Task | undefined {
    return this.take(Infinity);
  }

  /** Live tasks in the order they will run (a copy; for inspection and errors). */
  pending(): Task[] {
    const out: Task[] = [];
    for (const run of this.heap) {
      for (let i = run.next; i < (run.tasks ?? run.batch!).length; i++) {
        if (run.tasks !== undefined) {
          if (run.tasks[i]!.live) out.push(run.tasks[i]!);
        } else if (run.batch!.live(i)) out.push(this.itemOf(run, i));
      }
    }
    return out.sort((x, y) => x.due - y.due || x.seq - y.seq);
  }

  /** The next live task that is not periodic (what `settle` and `autoAdvance` wait for). */
  nextWork(): Task | undefined {
    let best: Task | undefined;
    for (const run of this.heap) {
      if (best && (best.due < run.due || (best.due === run.due && best.seq < run.seq))) continue;
      for (let i = run.next; i < (run.tasks ?? run.batch!).length; i++) {
        let t: Task | undefined;
        if (run.tasks !== undefined) t = run.tasks[i]!.live && !run.tasks[i]!.periodic ? run.tasks[i] : undefined;
        else if (run.batch!.live(i)) t = this.itemOf(run, i); // a batch holds no periodic work
        if (t !== undefined) {
          if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
          break; // the rest of the run comes after it
        }
      }
    }
    return best;
  }

  clear(): void {
    for (const run of this.heap) {
      if (run.tasks !== undefined) for (let i = run.next; i < run.tasks.length; i++) run.tasks[i]!.live = false;
    }
    this.heap = [];
    this.open = undefined;
  }

  /** Moves past the run's cancelled items; false when nothing live is left in it. */
  private skipDead(run: Run): boolean {
    if (run.tasks !== undefined) {
      const tasks = run.tasks;
      while (run.next < tasks.length) {
        if (tasks[run.next]!.live) return true;
        tasks[run.next++] = undefined;
      }
      return false;
    }
    const batch = run.batch!;
    while (run.next < batch.length) {
      if (batch.live(run.next)) return true;
      run.next++;
    }
    return false;
  }

  /** Item `i` of a batch run, as a task with its place in the order. */
  private itemOf(run: Run, i: number): Task {
    const task = run.batch!.task(i);
    task.due = run.due;
    task.seq = run.seq + i;
    return task;
  }

  private start(run: Run): void {
    this.open = run;
    const heap = this.heap;
    heap.push(run);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(run, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = run;
  }

  /** Takes the first run off the heap (it has been run, or holds only cancelled items). */
  private removeTop(): void {
    const heap = this.heap;
    const top = heap[0]!;
    if (this.open === top) this.open = undefined;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && before(heap[r]!, heap[l]!) ? r : l;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}

function before(a: Run, b: Run): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}
