/**
 * The bounds every client frame is checked against before any code reads it. A frame is at
 * most 64 KiB of text (the WebSocket server refuses more); inside it, nesting and the number of
 * values are bounded too, so that no later step (the server's handlers, `JSON.stringify` for the
 * log and the dashboard) meets a value deep enough to overflow the stack or big enough to stall.
 * 1.4.0 sends flat objects: its deepest frame (`["call2", [name, id, {…}]]`) is 3 levels.
 */
export const FRAME_LIMITS = {
  /** Deepest nesting of arrays and objects, the frame's own array counting as 1. */
  depth: 32,
  /** Most values in one frame: every array element and object member, nested ones included. */
  values: 4096,
  /** Longest call2 function name kept as it is (longer ones are cut; no function has such a name). */
  functionName: 128,
  /**
   * Longest login account kept as it is. An account is at most 128 characters, which is at
   * most 256 UTF-16 units: a longer one can never log in, and is cut (still refused) so that
   * the log does not keep 64 KiB of it.
   */
  account: 256,
  /** Longest event name the log keeps of an unknown event. */
  eventName: 64,
  /**
   * Longest message type (`t` of `user_sendmsg`) kept as it is: 1.4.0's are at most 18
   * characters (`voip_invite_refuse`); the server logs the type of each stored message.
   */
  messageType: 64,
} as const;

/**
 * Why a parsed JSON value exceeds {@link FRAME_LIMITS} (depth or number of values), or
 * `undefined` when it does not. Iterative, so a value nested 30 000 deep is checked without
 * recursion; it stops at the first value past a limit.
 */
export function exceedsFrameLimits(value: unknown): string | undefined {
  const values: unknown[] = [value];
  const depths: number[] = [1];
  let count = 0;
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (++count > FRAME_LIMITS.values) return `more than ${FRAME_LIMITS.values} values`;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > FRAME_LIMITS.depth) return `nested deeper than ${FRAME_LIMITS.depth} levels`;
    // JSON.parse makes plain arrays and objects with own data properties only: nothing here
    // runs a getter or reaches a prototype.
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const child of children) {
      values.push(child);
      depths.push(depth + 1);
    }
  }
  return undefined;
}

/**
 * `text` cut to `max` UTF-16 units, marked with its full length: `"aaaa… (70000 chars)"`. The
 * mark has spaces, so a cut account or function name can never pass for a valid one.
 */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : detach(`${text.slice(0, Math.min(max, 64))}… (${text.length} chars)`);
}

/**
 * A copy of a short string made from a long one, with no tie to it. V8 makes `slice` and `+`
 * share the characters of the long string, so an 80-character excerpt of a 64 KiB frame kept
 * in the log would keep the whole frame alive (1 000 of them: 60 MiB).
 */
export function detach(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
