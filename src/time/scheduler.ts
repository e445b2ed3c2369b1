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
  // Fields are set in the constructor rather than declared with initializers: tasks are made
  // by the million (a message in flight is one), and plain assignments are cheaper.
  /** Virtual ms it is due at (set when it is added to a scheduler). */
  declare due: number;
  /** Its place in the scheduler's order among tasks due at the same time. */
  declare seq: number;
  /** False once it ran or was cancelled. */
  declare live: boolean;

  constructor() {
    this.due = 0;
    this.seq = 0;
    this.live = true;
  }

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

  /** It will not run: let go of what it would have run with. */
  cancel(): void {
    this.live = false;
  }
}

/** A task that calls a function. */
export class FnTask extends Task {
  private declare readonly text: string;
  /** Said after the label ("ping" about "alice"), so no label string is made unless asked for. */
  private declare readonly about: string | undefined;
  private declare fn: (() => void) | undefined;
  private declare readonly repeats: boolean;

  constructor(label: string, fn: () => void, periodic = false, about?: string) {
    super();
    this.text = label;
    this.about = about;
    this.fn = fn;
    this.repeats = periodic;
  }

  override get label(): string {
    return this.about === undefined ? this.text : `${this.text} ${this.about}`;
  }

  override get periodic(): boolean {
    return this.repeats;
  }

  override run(): void {
    this.fn?.();
  }

  override cancel(): void {
    this.live = false;
    this.fn = undefined;
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
  /** Every item is background work (see {@link Task.periodic}); a batch of messages is not. */
  readonly periodic?: boolean;
  /** Whether item `i` is still to run (not cancelled). */
  live(i: number): boolean;
  /** Item `i` as a task to keep (for inspection); the scheduler sets its `due` and `seq`. */
  task(i: number): Task;
  /**
   * Item `i` as a task to run now: the batch lets go of the item. The object may be reused for
   * the next item, so it is valid until it has run.
   */
  take(i: number): Task;
  /**
   * Runs items in place from `cursor.next` on, in order, with no task object (a synchronous
   * flush runs a batch this way), moving `cursor.next` past each before it runs it; stops after
   * `budget` items have run, at the end, or once `cursor.stopped`. Returns how many ran.
   */
  runItems(cursor: BatchCursor, budget: number): number;
}

/** Where a batch's run is (see {@link Batch.runItems}). */
export interface BatchCursor {
  next: number;
  /** The scheduler was cleared: nothing more runs. */
  readonly stopped: boolean;
}

/**
 * Items due at the same time and added one right after the other: they are consecutive in the
 * total order, so they are kept together as one heap entry and run in the order added. A
 * fan-out of one channel message to 10 000 members is one entry, not 10 000. (A task alone is
 * its own heap entry; a run starts with the second one.)
 */
class Run implements BatchCursor {
  readonly due: number;
  /** `seq` of its first pending item: runs order among themselves as their items do. */
  seq: number;
  /** The tasks of a run of task objects (undefined once handed out)… */
  readonly tasks: Array<Task | undefined> | undefined;
  /** …or the items of a batch (item `i` has seq `seq0 + i`). */
  readonly batch: Batch | undefined;
  readonly seq0: number;
  /** The next item to hand out. */
  next = 0;
  stopped = false;

  constructor(due: number, seq: number, tasks: Array<Task | undefined> | undefined, batch: Batch | undefined) {
    this.due = due;
    this.seq = seq;
    this.seq0 = seq;
    this.tasks = tasks;
    this.batch = batch;
  }

  get length(): number {
    return (this.tasks ?? this.batch!).length;
  }
}

type Entry = Task | Run;

/** Due times {@link LatestByDue} keeps in a list before it keeps them in a Map. */
const LATEST_LIST_MAX = 8;

/**
 * For each due time, the heap entry holding the item added last with that due time (see
 * {@link Scheduler.latest}). A small test has a handful of due times pending at once, and a Map
 * keyed by times (boxed numbers) made and remade its table as they came and went: while they
 * are few they are a list searched by `due`; past {@link LATEST_LIST_MAX}, a Map.
 */
class LatestByDue {
  private list: Entry[] = [];
  private map: Map<number, Entry> | undefined = undefined;

  get(due: number): Entry | undefined {
    if (this.map !== undefined) return this.map.get(due);
    const list = this.list;
    for (let i = 0; i < list.length; i++) if (list[i]!.due === due) return list[i];
    return undefined;
  }

  /** `entry` is now the latest at its due time. */
  set(entry: Entry): void {
    const due = entry.due;
    if (this.map !== undefined) {
      this.map.set(due, entry);
      return;
    }
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      if (list[i]!.due === due) {
        list[i] = entry;
        return;
      }
    }
    if (list.length < LATEST_LIST_MAX) {
      list.push(entry);
      return;
    }
    const map = new Map<number, Entry>();
    for (const e of list) map.set(e.due, e);
    map.set(due, entry);
    this.map = map;
    this.list = [];
  }

  /** Forgets `entry`'s due time if `entry` is the latest there. */
  drop(entry: Entry): void {
    if (this.map !== undefined) {
      if (this.map.get(entry.due) === entry) this.map.delete(entry.due);
      return;
    }
    const list = this.list;
    const i = list.indexOf(entry);
    if (i < 0) return;
    const last = list.pop()!;
    if (i < list.length) list[i] = last;
  }

  clear(): void {
    this.list = [];
    this.map = undefined;
  }
}

/** Cancelled tasks wait in the heap until they come up, unless this many pile up (then it is compacted). */
const COMPACT_AFTER = 1024;

export class Scheduler {
  private heap: Entry[] = [];
  private nextSeq = 0;
  /**
   * For each due time, the heap entry holding the item added last with that due time, while it
   * is pending: an item added with the same due time goes right after that one in the total
   * order (nothing else due then was added in between), so it joins its run. Items due at
   * different times may interleave (a login's message now, its connect timeout in 6 s): each
   * time still gets one run.
   */
  private readonly latest = new LatestByDue();
  /** The batch run scheduled last, while it is in the heap (see {@link openBatch}). */
  private lastBatch: Run | undefined = undefined;
  /** Cancelled tasks still in the heap. */
  private cancelled = 0;
  /** Task objects in the heap, live or cancelled (a batch's items aside). */
  private tasks = 0;

  /** Schedules a function at `due`. */
  add(due: number, label: string, fn: () => void, periodic = false): Task {
    return this.insert(new FnTask(label, fn, periodic), due);
  }

  /** Schedules a task object at `due` (a task is scheduled once). */
  insert(task: Task, due: number): Task {
    task.due = due;
    task.seq = this.nextSeq++;
    this.tasks++;
    const open = this.latest.get(due);
    if (open !== undefined) {
      if (open instanceof Run) {
        if (open.tasks !== undefined) {
          open.tasks.push(task);
          return task;
        }
      } else {
        // The second task in a row at this time starts a run (right after the first one).
        this.start(new Run(due, task.seq, [task], undefined));
        return task;
      }
    }
    this.start(task);
    return task;
  }

  /**
   * The batch holding the item added last of all, if it is due at `due`: an item may join it
   * (a batch's items have consecutive seqs, so nothing may have been added in between).
   */
  openBatch(due: number): Batch | undefined {
    // The batch holding the item added last of all is the batch run scheduled last, if any item
    // since went to it (a field read: a fan-out asks once per delivery).
    const open = this.lastBatch;
    return open !== undefined && open.due === due && open.seq0 + open.batch!.length === this.nextSeq ? open.batch : undefined;
  }

  /**
   * The batch run holding the item added last *at `due`*, whatever was added at other times
   * since: items due then keep their order if one joins it (see {@link latest}). Its items'
   * seqs then are not the scheduler's next ones; they only order them among items due at the
   * same time, which is all a seq is compared for. (For timers; messages use {@link openBatch}.)
   */
  latestBatch(due: number): Batch | undefined {
    const open = this.latest.get(due);
    return open instanceof Run && open.batch !== undefined ? open.batch : undefined;
  }

  /** Schedules a new batch at `due`, holding its first item; returns that item's seq. */
  insertBatch(batch: Batch, due: number): number {
    const seq = this.nextSeq++;
    const run = new Run(due, seq, undefined, batch);
    this.lastBatch = run;
    this.start(run);
    return seq;
  }

  /** The open batch ({@link openBatch}) takes `n` more items (default 1); returns the seq of the first. */
  extendBatch(n = 1): number {
    const seq = this.nextSeq;
    this.nextSeq += n;
    return seq;
  }

  /** A cancelled task stays where it is and is skipped when it comes up (see {@link COMPACT_AFTER}). */
  cancel(task: Task): void {
    if (!task.live) return;
    task.cancel();
    if (++this.cancelled > COMPACT_AFTER && this.cancelled * 2 > this.tasks) this.compact();
  }

  /** When the next live item is due (undefined: nothing is pending). */
  nextDue(): number | undefined {
    const top = this.top();
    return top?.due;
  }

  /** The next live task, without removing it. */
  peek(): Task | undefined {
    const top = this.top();
    if (top === undefined || top instanceof Task) return top;
    return top.tasks !== undefined ? top.tasks[top.next]! : this.itemOf(top, top.next);
  }

  /** Removes and returns the next live task if it is due at or before `target`. */
  take(target: number): Task | undefined {
    const top = this.top();
    if (top === undefined || top.due > target) return undefined;
    if (top instanceof Task) {
      this.removeTop();
      this.tasks--;
      return top;
    }
    const i = top.next++;
    let task: Task;
    if (top.tasks !== undefined) {
      task = top.tasks[i]!;
      top.tasks[i] = undefined; // let it go once run
      this.tasks--;
    } else {
      task = top.batch!.take(i);
      task.due = top.due;
      task.seq = top.seq0 + i;
    }
    if (top.next === top.length) this.removeTop();
    return task;
  }

  /**
   * If the next live item is part of a batch due at or before `target`, runs that batch's items
   * in order, in place, while they stay next: at most `budget` of them. Returns how many ran (0:
   * the next item is not a batch's). Nothing can come before them meanwhile (whatever they
   * schedule gets a later seq), unless the scheduler is cleared or the loop limit is reached.
   */
  runBatch(target: number, budget: number): number {
    const top = this.top();
    if (top === undefined || top instanceof Task || top.batch === undefined || top.due > target) return 0;
    const ran = top.batch.runItems(top, budget);
    if (top.next >= top.batch.length && this.heap[0] === top) this.removeTop();
    return ran;
  }

  /**
   * The cursor of the next live item's batch run, if it is part of a batch due at or before
   * `target` (see {@link runBatch}): an awaited drive sets its `stopped` to end the run after
   * the item running (then sets it back).
   */
  batchCursor(target: number): { stopped: boolean } | undefined {
    const top = this.top();
    return top === undefined || top instanceof Task || top.batch === undefined || top.due > target ? undefined : top;
  }

  /** Removes and returns the next live task. */
  pop(): Task | undefined {
    return this.take(Infinity);
  }

  /** Live tasks in the order they will run (a copy; for inspection and errors). */
  pending(): Task[] {
    const out: Task[] = [];
    for (const entry of this.heap) {
      if (entry instanceof Task) {
        if (entry.live) out.push(entry);
        continue;
      }
      for (let i = entry.next; i < entry.length; i++) {
        if (entry.tasks !== undefined) {
          if (entry.tasks[i]!.live) out.push(entry.tasks[i]!);
        } else if (entry.batch!.live(i)) out.push(this.itemOf(entry, i));
      }
    }
    return out.sort((x, y) => x.due - y.due || x.seq - y.seq);
  }

  /** The next live task that is not periodic (what `settle` and `autoAdvance` wait for). */
  nextWork(): Task | undefined {
    let best: Task | undefined;
    const better = (t: Task) => !best || t.due < best.due || (t.due === best.due && t.seq < best.seq);
    for (const entry of this.heap) {
      if (entry instanceof Task) {
        if (entry.live && !entry.periodic && better(entry)) best = entry;
        continue;
      }
      if (best && (best.due < entry.due || (best.due === entry.due && best.seq < entry.seq))) continue;
      for (let i = entry.next; i < entry.length; i++) {
        let t: Task | undefined;
        if (entry.tasks !== undefined) t = entry.tasks[i]!.live && !entry.tasks[i]!.periodic ? entry.tasks[i] : undefined;
        else if (entry.batch!.periodic === true) break; // background work only
        else if (entry.batch!.live(i)) t = this.itemOf(entry, i); // a batch is all periodic or none
        if (t !== undefined) {
          if (better(t)) best = t;
          break; // the rest of the run comes after it
        }
      }
    }
    return best;
  }

  clear(): void {
    for (const entry of this.heap) {
      if (entry instanceof Task) entry.cancel();
      else if (entry.tasks !== undefined) for (let i = entry.next; i < entry.tasks.length; i++) entry.tasks[i]!.cancel();
      else entry.stopped = true;
    }
    this.heap = [];
    this.latest.clear();
    this.lastBatch = undefined;
    this.cancelled = 0;
    this.tasks = 0;
  }

  /** The first heap entry with a live item (its next item is that one), dropping what has none. */
  private top(): Entry | undefined {
    const heap = this.heap;
    while (heap.length > 0) {
      const top = heap[0]!;
      if (top instanceof Task) {
        if (top.live) return top;
        this.cancelled--;
        this.tasks--;
      } else if (this.skipDead(top)) {
        return top;
      }
      this.removeTop();
    }
    return undefined;
  }

  /** Moves past the run's cancelled items; false when nothing live is left in it. */
  private skipDead(run: Run): boolean {
    if (run.tasks !== undefined) {
      const tasks = run.tasks;
      while (run.next < tasks.length) {
        if (tasks[run.next]!.live) return true;
        tasks[run.next++] = undefined;
        this.cancelled--;
        this.tasks--;
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
    task.seq = run.seq0 + i;
    return task;
  }

  private start(entry: Entry): void {
    this.latest.set(entry);
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  /** Takes the first entry off the heap (it has been run, or holds only cancelled items). */
  private removeTop(): void {
    const heap = this.heap;
    const top = heap[0]!;
    this.latest.drop(top);
    if (this.lastBatch === top) this.lastBatch = undefined;
    const last = heap.pop()!;
    if (heap.length > 0) this.siftDown(0, last);
  }

  private siftDown(at: number, entry: Entry): void {
    const heap = this.heap;
    const n = heap.length;
    let i = at;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && before(heap[r]!, heap[l]!) ? r : l;
      if (!before(heap[child]!, entry)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = entry;
  }

  /**
   * Drops cancelled tasks (a poll timer re-armed on every delivery leaves one behind each time),
   * so that memory follows what is pending. The order of what stays does not change.
   */
  private compact(): void {
    const kept: Entry[] = [];
    for (const entry of this.heap) {
      if (entry instanceof Task) {
        if (entry.live) kept.push(entry);
        else this.latest.drop(entry);
        continue;
      }
      if (entry.tasks !== undefined) {
        // A run's pending tasks, live ones only; it orders by its first (and may still grow).
        let w = 0;
        for (let i = entry.next; i < entry.tasks.length; i++) if (entry.tasks[i]!.live) entry.tasks[w++] = entry.tasks[i];
        entry.tasks.length = w;
        entry.next = 0;
        if (w === 0) {
          this.latest.drop(entry);
          continue;
        }
        entry.seq = entry.tasks[0]!.seq;
      }
      kept.push(entry);
    }
    this.heap = kept;
    for (let i = (kept.length >> 1) - 1; i >= 0; i--) this.siftDown(i, kept[i]!);
    this.cancelled = 0;
    this.tasks = 0;
    for (const entry of kept) {
      if (entry instanceof Task) this.tasks++;
      else if (entry.tasks !== undefined) {
        this.tasks += entry.tasks.length - entry.next;
        for (let i = entry.next; i < entry.tasks.length; i++) if (!entry.tasks[i]!.live) this.cancelled++;
      }
    }
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}
