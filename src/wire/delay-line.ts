/**
 * Runs callbacks after a delay, in the order they were given, whatever the delay of each (a
 * WebSocket is one ordered stream: latency may grow or shrink, frames never pass each other).
 * With no delay and nothing waiting, a callback runs at once. Real time: the wire runs beside
 * the real SDK.
 */
export class DelayLine {
  private readonly waiting = new Set<ReturnType<typeof setTimeout>>();
  private lastDue = 0;

  run(fn: () => void, ms: number): void {
    if (ms <= 0 && this.waiting.size === 0) {
      fn();
      return;
    }
    const now = Date.now();
    const due = Math.max(now + ms, this.lastDue);
    this.lastDue = due;
    const timer = setTimeout(() => {
      this.waiting.delete(timer);
      fn();
    }, due - now);
    this.waiting.add(timer);
  }

  /** Forgets what is waiting (the connection is gone). */
  clear(): void {
    for (const timer of this.waiting) clearTimeout(timer);
    this.waiting.clear();
  }
}
