/**
 * Runs callbacks after a delay, in the order they were given, whatever the delay of each (a
 * WebSocket is one ordered stream: latency may grow or shrink, frames never pass each other).
 * With no delay and nothing waiting, a callback runs at once. Real time: the wire runs beside
 * the real SDK.
 *
 * One queue and one timer, for its head: when the timer fires, the head runs and so does every
 * callback behind it that is due by then, in order; then the timer is set for the next. (A timer
 * per callback is not enough: Node measures a timer from the event loop's cached time, which
 * lags `Date.now()` by however long the current turn has run, so a callback queued later with a
 * shorter remaining delay could fire first.)
 */
export class DelayLine {
  /** Waiting callbacks with their due times (`Date.now()` ms), in order; due times never decrease. */
  private queue: Array<{ due: number; fn: () => void }> = [];
  /** The index of the head in `queue` (taken items are not shifted out one by one). */
  private head = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The due time the timer was set for: what is due by then runs when it fires. */
  private armedFor = 0;
  /** A drain is running its callbacks: a callback that queues another does not set the timer. */
  private draining = false;
  private lastDue = 0;

  run(fn: () => void, ms: number): void {
    if (ms <= 0 && this.head === this.queue.length) {
      fn();
      return;
    }
    const due = Math.max(Date.now() + ms, this.lastDue);
    this.lastDue = due;
    this.queue.push({ due, fn });
    if (this.timer === undefined && !this.draining) this.arm();
  }

  /** Forgets what is waiting (the connection is gone). */
  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    this.head = 0;
  }

  /** Sets the timer for the head of the queue. */
  private arm(): void {
    const next = this.queue[this.head];
    if (next === undefined) return;
    this.armedFor = next.due;
    this.timer = setTimeout(() => this.drain(), Math.max(0, next.due - Date.now()));
  }

  /** The head is due: runs it, and every callback behind it that is due too, in order. */
  private drain(): void {
    this.timer = undefined;
    const queue = this.queue;
    // The timer may fire a hair before Date.now() reaches the head's due time (Node's timers
    // and Date.now() are different clocks): what it was set for runs all the same.
    const until = Math.max(this.armedFor, Date.now());
    this.draining = true;
    try {
      while (this.queue === queue && this.head < queue.length) {
        const item = queue[this.head]!;
        if (item.due > until && item.due > Date.now()) break;
        this.head++;
        item.fn();
      }
    } finally {
      this.draining = false;
      if (this.queue === queue && this.head === queue.length) {
        this.queue = [];
        this.head = 0;
      }
      if (this.timer === undefined) this.arm();
    }
  }
}
