import { invariant } from '../errors.js';
import type { Task } from '../time/scheduler.js';

/** How a link goes down, and what connection attempts meet while it is down. */
export interface DownOptions {
  /** Come back by itself after this many ms (default: stay down until `reconnect`/`end`). */
  for?: number;
  /**
   * What the client sees on a link that was open: `'close'` (default: the WebSocket's `close`;
   * 1.4.0 reconnects) or `'error'` (the WebSocket's `error`; 1.4.0 logs out with 102 and does
   * not reconnect, as in browsers when a connection breaks abnormally).
   */
  how?: 'close' | 'error';
  /**
   * What connection attempts meet while down: `'refused'` (default: an `error` one round trip
   * later, so 1.4.0 retries after its back-off) or `'unanswered'` (no answer at all, so 1.4.0
   * gives up on each attempt after its 6 s connect timeout).
   */
  attempts?: 'refused' | 'unanswered';
}

/** A network that is down: one account's (`disconnect`) or the whole cloud's (`outage`). */
export interface Down {
  readonly fault: 'disconnect' | 'outage';
  readonly how: 'close' | 'error';
  readonly attempts: 'refused' | 'unanswered';
  readonly since: number;
  timer: Task | undefined;
}

export function checkDownOptions(options: DownOptions | undefined, verb: string): Required<Omit<DownOptions, 'for'>> & { for: number | undefined } {
  const o = options ?? {};
  invariant(typeof o === 'object', `Failed to ${verb}: options must be an object like { for, how, attempts }, got ${String(o)}`);
  for (const key of Object.keys(o)) {
    invariant(['for', 'how', 'attempts'].includes(key), `Failed to ${verb}: unknown option '${key}' (known: for, how, attempts)`);
  }
  invariant(o.for === undefined || (Number.isFinite(o.for) && o.for >= 0), `Failed to ${verb}: 'for' must be a number of ms >= 0, got ${String(o.for)}`);
  invariant(o.how === undefined || o.how === 'close' || o.how === 'error', `Failed to ${verb}: 'how' must be 'close' or 'error', got ${String(o.how)}`);
  invariant(
    o.attempts === undefined || o.attempts === 'refused' || o.attempts === 'unanswered',
    `Failed to ${verb}: 'attempts' must be 'refused' or 'unanswered', got ${String(o.attempts)}`,
  );
  return { for: o.for, how: o.how ?? 'close', attempts: o.attempts ?? 'refused' };
}
