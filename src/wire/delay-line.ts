/**
 * Runs callbacks after a delay, in the order they were given, whatever the delay of each (a
 * WebSocket is one ordered stream: latency may grow or shrink, frames never pass each other).
 * With no delay and nothing waiting, a callback runs at once. Real time: the wire runs beside
 * the real SDK.
 *
 * One queue, and a timer per callback. When a callback's timer fires, every callback queued
 * before it runs first, in order, then it. (A timer alone is not enough: Node measures a timer
 * from the event loop's cached time, which lags `Date.now()` by however long the current turn
 * has run, so a callback queued later with a shorter remaining delay could fire first.) A timer
 * each, rather than one for the head draining all that is due, keeps every callback at its own
 * place among the process's other timers: under a fake clock the frames of two connections
 * due at the same millisecond run in the order they were queued, as the cloud's scheduler
 * runs an in-process link's.
 */
export class DelayLine {
  /** Waiting callbacks with their due times (`Date.now()` ms) and timers, in order; due times never decrease. */
  private queue: Array<{ due: number; fn: () => void; timer: ReturnType<typeof setTimeout> | undefined }> = [];
  /** The index of the head in `queue` (taken items are not shifted out one by one). */
  private head = 0;
  private lastDue = 0;

  run(fn: () => void, ms: number): void {
    if (ms <= 0 && this.head === this.queue.length) {
      fn();
      return;
    }
    const due = Math.max(Date.now() + ms, this.lastDue);
    this.lastDue = due;
    const item: (typeof this.queue)[number] = { due, fn, timer: undefined };
    this.queue.push(item);
    this.arm(item);
  }

  /** Forgets what is waiting (the connection is gone). */
  clear(): void {
    for (let i = this.head; i < this.queue.length; i++) clearTimeout(this.queue[i]!.timer);
    this.queue = [];
    this.head = 0;
  }

  private arm(item: (typeof this.queue)[number]): void {
    item.timer = setTimeout(() => this.upTo(item), Math.max(0, item.due - Date.now()));
  }

  /** `item`'s timer fired: runs every callback queued before it, in order, and then it. */
  private upTo(item: (typeof this.queue)[number]): void {
    // Fired early by Date.now() (the loop's cached time lagged when it was set): wait the rest.
    // A millisecond early is on time (Node's timers and Date.now() are different clocks).
    if (item.due - Date.now() > 1) return this.arm(item);
    const queue = this.queue;
    while (this.queue === queue && this.head < queue.length) {
      const next = queue[this.head]!;
      this.head++;
      if (next !== item) clearTimeout(next.timer);
      next.fn();
      if (next === item) break;
    }
    if (this.queue === queue && this.head === queue.length) {
      this.queue = [];
      this.head = 0;
    }
  }
}
