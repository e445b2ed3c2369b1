import { describeArg, readDuration, readOptions } from '../arguments.js';
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

/**
 * A disconnect's or an outage's options, checked by allowlist without running the caller's code;
 * `known` leaves out `for` where the duration is an argument of its own (`outage(ms, options)`).
 */
export function checkDownOptions(
  options: DownOptions | undefined,
  verb: string,
  known: ReadonlyArray<keyof DownOptions> = ['for', 'how', 'attempts'],
): Required<Omit<DownOptions, 'for'>> & { for: number | undefined } {
  const what = `Failed to ${verb}`;
  invariant(options === undefined || (typeof options === 'object' && options !== null && !Array.isArray(options)), () => `${what}: options must be an object like { ${known.join(', ')} }, got ${describeArg(options)}`);
  const o = readOptions(options, known, what, `{ ${known.join(', ')} }`);
  const ms = o.for === undefined ? undefined : readDuration(o.for, what, "'for'");
  invariant(o.how === undefined || o.how === 'close' || o.how === 'error', () => `${what}: 'how' must be 'close' or 'error', got ${describeArg(o.how)}`);
  invariant(
    o.attempts === undefined || o.attempts === 'refused' || o.attempts === 'unanswered',
    () => `${what}: 'attempts' must be 'refused' or 'unanswered', got ${describeArg(o.attempts)}`,
  );
  return { for: ms, how: (o.how as DownOptions['how']) ?? 'close', attempts: (o.attempts as DownOptions['attempts']) ?? 'refused' };
}
