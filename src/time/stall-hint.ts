/**
 * Stalled time is never silent. On the virtual clock time moves only when the test moves it, so
 * a test that awaits the app (`await new Promise((r) => (session.onLoginSuccess = r))`) while the
 * answer is due later in virtual time (a link's latency, a back-off) waits for ever, and the
 * runner says only "Test timed out". When work is pending ahead and neither time nor the cloud
 * has moved for about a second of real time, the cloud says so on the console: what is pending
 * next, when, and the three ways out.
 *
 * A diagnostic: a real timer, unref'd (it never keeps a process alive), that reads the cloud and
 * never writes to it: the log, the order and the results are the same with it or without it.
 */

/** What the hint reads of the cloud's time. */
export interface StallSubject {
  readonly disposed: boolean;
  /** Counts every move of time and every run: unchanged over the wait, the cloud stood still. */
  readonly progress: number;
  now(): number;
  /** The next pending task that is not background work, if any. */
  nextWork(): { label: string; due: number } | undefined;
  /** Virtual time as the timeline shows it (`+0.040s`). */
  at(t: number): string;
}

/** Real ms of stillness before the hint (`createCloud({ stallHint })` changes it). */
export const STALL_HINT_MS = 1_000;

/** The platform's setTimeout as the package found it: a fake installed later does not hold the hint. */
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

export class StallHint {
  /**
   * Held strongly while a check is pending (at most `ms`): a WeakRef would keep its target alive
   * until the end of the current task, which a test making many clouds in one loop would feel.
   */
  private readonly subject: StallSubject;
  private readonly ms: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The subject's progress when the timer was set. */
  private armedAt = -1;
  /** Said once per cloud. */
  private said = false;

  constructor(subject: StallSubject, ms: number) {
    this.subject = subject;
    this.ms = ms;
  }

  /** Work was scheduled ahead: watch for a stall, if not watching already. */
  arm(): void {
    if (this.timer !== undefined || this.said) return;
    this.armedAt = this.subject.progress;
    const timer = realSetTimeout(() => this.check(), this.ms);
    (timer as { unref?: () => void }).unref?.();
    this.timer = timer;
  }

  stop(): void {
    if (this.timer !== undefined) realClearTimeout(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    this.timer = undefined;
    const subject = this.subject;
    if (subject.disposed) return;
    const next = subject.nextWork();
    if (next === undefined || next.due <= subject.now()) return; // nothing waits on time
    if (subject.progress !== this.armedAt) {
      this.arm(); // it moved meanwhile: watch the next second
      return;
    }
    this.said = true;
    const wait = next.due - subject.now();
    const way = (code: string, what: string) => `  ${code.padEnd(36)}${what}\n`;
    console.warn(
      `agora-signaling-emulator: virtual time has stood still at ${subject.at(subject.now())} for ${this.ms / 1000} s of ` +
        `real time while work is pending: next "${next.label}" at ${subject.at(next.due)}. Time moves only when the ` +
        `test moves it; if the test is awaiting the app, move time:\n` +
        way(`await cloud.advance(${wait})`, `moves virtual time by ${wait} ms`) +
        way('await cloud.until(() => …)', 'runs virtual time until a condition holds') +
        way('createCloud({ autoAdvance: true })', 'time jumps to the next task whenever the app is idle') +
        '(Said once per cloud. Dispose the cloud at the end of each test; createCloud({ stallHint: false }) turns this off.)',
    );
  }
}
