/**
 * What the routed sockets of a test carried, as text lines for the report of a failed test:
 * the cloud's log holds the server's side, this holds the frames themselves (the real SDK's
 * callbacks happen in the page, where the log cannot see them).
 *
 * Bounded: at most {@link MAX_LINES} lines of at most {@link MAX_LINE} characters; past that the
 * oldest lines go, and the text says how many.
 */

/** Most lines kept. */
export const MAX_LINES = 2_000;
/** Longest line kept, in characters (a longer frame is cut, with its length noted). */
export const MAX_LINE = 240;

export class WireRecord {
  readonly #lines: string[] = [];
  readonly #start: number;
  readonly #now: () => number;
  #dropped = 0;
  #sockets = 0;

  /** `now`: a real clock in ms (the record is a diagnostic: it never touches the cloud's log). */
  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
    this.#start = now();
  }

  /** A new routed socket; returns its label (`ws1`, `ws2`…). */
  socket(url: string): string {
    const label = `ws${++this.#sockets}`;
    this.add(label, 'open', url);
    return label;
  }

  /** One line: who, what (`→` page to cloud, `←` cloud to page, or an event), and its text. */
  add(label: string, what: string, text: string): void {
    const seconds = ((this.#now() - this.#start) / 1000).toFixed(3).padStart(8);
    const body = text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}… (${text.length} chars)` : text;
    this.#lines.push(`${seconds}s  ${label.padEnd(5)} ${what.padEnd(5)} ${body}`);
    if (this.#lines.length > MAX_LINES) {
      this.#lines.shift();
      this.#dropped++;
    }
  }

  /** Everything recorded, oldest first. */
  text(): string {
    const head = this.#dropped > 0 ? [`(${this.#dropped} earlier lines dropped)`] : [];
    return [...head, ...this.#lines].join('\n');
  }

  get empty(): boolean {
    return this.#lines.length === 0;
  }
}
