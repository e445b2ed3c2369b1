import { describeArg, readOptions, readWhole } from '../arguments.js';
import { bounds } from '../bounds.js';
import { invariant } from '../errors.js';

/**
 * The service limits of channels. The defaults are the documentation's; a test may lower them
 * (`cloud.setChannelLimits`) to reach a limit without thousands of clients.
 */
export interface ChannelLimits {
  /** Most members of one channel (doc: 10 000). A join beyond it fails with `channel full`. */
  maxMembers: number;
  /** Most channel messages one account may send per second, over all its channels (doc: 60). */
  userMessagesPerSecond: number;
  /** Most messages per second in one channel (doc: 200); `_sendmsg_limit` can only lower it. */
  channelMessagesPerSecond: number;
  /** Length of the user list in the join reply and `channel_query_userlist` (doc: the latest 200). */
  userListSize: number;
}

export const defaultChannelLimits: Readonly<ChannelLimits> = Object.freeze({
  maxMembers: 10_000,
  userMessagesPerSecond: 60,
  channelMessagesPerSecond: 200,
  userListSize: 200,
});

/**
 * Checks a partial override of the limits (known names, whole numbers from 1 to
 * {@link bounds.maxLimit}); returns a copy, or throws an EmulatorError naming a bad one.
 */
export function checkChannelLimits(limits: Partial<ChannelLimits>): Partial<ChannelLimits> {
  const what = 'Failed to set channel limits';
  invariant(limits !== null && typeof limits === 'object' && !Array.isArray(limits), () => `${what}: expected an object, got ${describeArg(limits)}`);
  const known = Object.keys(defaultChannelLimits) as Array<keyof ChannelLimits>;
  const o = readOptions(limits, known, what, '{ maxMembers: 2 }', 'limit');
  const out: Partial<ChannelLimits> = {};
  for (const key of known) if (o[key] !== undefined) out[key] = readWhole(o[key], what, key, 1, bounds.maxLimit);
  return out;
}

/** Channel names: up to 128 characters (code points). */
export const CHANNEL_NAME_MAX = 128;
/** Attribute names: up to 128 characters (the native SDK docs; the web doc is silent). */
export const ATTR_NAME_MAX = 128;
/** Attribute values: 8 KB of UTF-8, like messages. */
export const ATTR_VALUE_MAX_BYTES = 8 * 1024;

/**
 * A channel name the server accepts: 1 to 128 characters, none of them control characters.
 * (Spaces are allowed: the doc forbids them in accounts, not in channel names.)
 */
export function validChannelName(name: unknown): name is string {
  // Characters counted as code points; a name of no more UTF-16 units than that needs no count.
  if (typeof name !== 'string' || name.length === 0) return false;
  if (name.length > CHANNEL_NAME_MAX && [...name].length > CHANNEL_NAME_MAX) return false;
  // eslint-disable-next-line no-control-regex
  return !/[\p{Cc}]/u.test(name);
}

/**
 * Counts accepted attempts over the last second of virtual time (a sliding window: at most
 * `limit` in any 1000 ms). Refused attempts are not counted.
 */
export class RateWindow {
  private readonly times: number[] = [];

  /** Would one more attempt at `now` stay within `limit` per second? */
  allows(now: number, limit: number): boolean {
    this.prune(now);
    return this.times.length < limit;
  }

  record(now: number): void {
    this.times.push(now);
  }

  private prune(now: number): void {
    let drop = 0;
    while (drop < this.times.length && this.times[drop]! <= now - 1000) drop++;
    if (drop > 0) this.times.splice(0, drop);
  }
}

/** The reasons the server gives when it refuses a channel request (the `err` of call2-ret). */
export const channelReasons = {
  badName: 'invalid channel name',
  notMember: 'not in channel',
  full: 'channel full',
  tooManyMessages: 'too many messages',
  tooManyAttrUpdates: 'too many attribute updates',
  readOnlyAttr: 'read-only attribute',
  readOnlyChannel: 'special channel is read-only',
  badAttrName: 'invalid attribute name',
  valueTooLong: 'value too long',
} as const;
