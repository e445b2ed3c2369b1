/**
 * A priority queue of tasks in a total order: due time, then the order they were scheduled in.
 * Two tasks due at the same virtual millisecond always run in the order they were added,
 * whatever the platform's timer implementation does.
 */
export interface Task {
  readonly due: number;
  readonly seq: number;
  /** What the task is, for errors and inspection ("deliver login_ret to alice"). */
  readonly label: string;
  /**
   * Background work: repeating for as long as the cloud runs (pings, idle polls, auto-update
   * counters), or housekeeping nobody waits for (an empty channel's TTL). `settle()` and
   * `autoAdvance` do not wait for it.
   */
  readonly periodic: boolean;
  fn: (() => void) | null;
}

export class Scheduler {
  private heap: Task[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  add(due: number, label: string, fn: () => void, periodic = false): Task {
    const task: Task = { due, seq: this.nextSeq++, label, periodic, fn };
    const heap = this.heap;
    heap.push(task);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(task, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = task;
    return task;
  }

  /** Cancelled tasks stay in the heap and are skipped when they come up. */
  cancel(task: Task): void {
    task.fn = null;
  }

  /** The next live task, without removing it. */
  peek(): Task | undefined {
    const heap = this.heap;
    while (heap.length > 0 && heap[0]!.fn === null) this.pop();
    return heap[0];
  }

  /** Removes and returns the next task (live or cancelled). */
  pop(): Task | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
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
    return top;
  }

  /** Live tasks in the order they will run (a copy; for inspection and errors). */
  pending(): Task[] {
    return this.heap.filter((t) => t.fn !== null).sort((x, y) => (before(x, y) ? -1 : 1));
  }

  /** The next live task that is not periodic (what `settle` and `autoAdvance` wait for). */
  nextWork(): Task | undefined {
    let best: Task | undefined;
    for (const t of this.heap) {
      if (t.fn !== null && !t.periodic && (!best || before(t, best))) best = t;
    }
    return best;
  }

  clear(): void {
    for (const t of this.heap) t.fn = null;
    this.heap = [];
  }
}

function before(a: Task, b: Task): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}
