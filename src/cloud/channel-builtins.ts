/**
 * The built-in channel attributes of the documentation and how the server reads them. The
 * settings are ordinary attributes (set, deleted, cleared and broadcast like any other); the
 * two counters are kept by the server and cannot be set.
 */
export const builtin = {
  /** `0`: members are not told of joins and leaves. Default 1. */
  userNotification: '_userNotification',
  /** Seconds between the last member leaving and the channel (and its attributes) going away. Default 7200. */
  channelTtl: '_channel_ttl',
  /** Members now (kept by the server; read-only). */
  memberNum: '_member_num',
  /** `n` ≥ 1: push `_member_num` to the members every n seconds. Default 0 (off). */
  autoUpdateNum: '_auto_update_num',
  /** Distinct accounts that have ever joined (kept by the server; read-only). */
  totalMemberNum: '_total_member_num',
  /** `n` ≥ 1: push `_total_member_num` every n seconds. Default 0 (off). */
  autoUpdateTotalNum: '_auto_update_total_num',
  /** `n` ≥ 1: at most n channel messages per second in this channel. */
  sendmsgLimit: '_sendmsg_limit',
  /** `n` ≥ 1: at most n attribute updates (set, del, clear) per second in this channel. */
  setattrLimit: '_setattr_limit',
} as const;

export const DEFAULT_CHANNEL_TTL_SECONDS = 7200;

/** The attributes only the server writes. */
export const READ_ONLY_ATTRS: readonly string[] = [builtin.memberNum, builtin.totalMemberNum];

type Attrs = ReadonlyMap<string, string>;

/** A whole number ≥ 1 from an attribute value, or undefined (unset, 0, or not a number). */
function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Math.floor(Number(value));
  return Number.isFinite(n) && n >= 1 ? n : undefined;
}

/** Are members told of joins and leaves? Only an explicit `0` turns it off. */
export function notifiesMembership(attrs: Attrs): boolean {
  const v = attrs.get(builtin.userNotification);
  return v === undefined || v.trim() === '' || Number(v) !== 0;
}

/** Seconds an empty channel lives on: `_channel_ttl` when it is a number ≥ 0, else 7200. */
export function channelTtlSeconds(attrs: Attrs): number {
  const v = attrs.get(builtin.channelTtl);
  if (v === undefined || v.trim() === '') return DEFAULT_CHANNEL_TTL_SECONDS;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_CHANNEL_TTL_SECONDS;
}

/** The push period in seconds of `_auto_update_num` / `_auto_update_total_num`, or undefined when off. */
export function autoUpdateSeconds(attrs: Attrs, which: typeof builtin.autoUpdateNum | typeof builtin.autoUpdateTotalNum): number | undefined {
  return positiveInt(attrs.get(which));
}

/** `_sendmsg_limit` / `_setattr_limit` per second, or undefined when unset. */
export function perSecondLimit(attrs: Attrs, which: typeof builtin.sendmsgLimit | typeof builtin.setattrLimit): number | undefined {
  return positiveInt(attrs.get(which));
}
