import { builtin, autoUpdateSeconds, perSecondLimit } from './channel-builtins.js';
import { installChannelAttributes } from './channel-attributes.js';
import { channelReasons, checkChannelLimits, validChannelName, type ChannelLimits } from './channel-limits.js';
import { installChannelQueries } from './channel-queries.js';
import { ChannelRegistry, type ChannelState } from './channel-registry.js';
import type { MemberWindow } from './member-list.js';
import { limits as sizeLimits, utf8Length } from './limits.js';
import { reasons } from './protocol.js';
import { ok, okWhole, refuse, type CloudServer, type Reply } from './server.js';
import { installSpecialChannels } from './special-channels.js';
import type { AppState } from './state.js';

/** What the server holds of one channel, for `cloud.inspect()` and `cloud.channels()`. */
export interface ChannelSnapshot {
  appId: string;
  name: string;
  special: boolean;
  /** Members in join order. */
  members: Array<{ account: string; uid: number; since: number }>;
  /** Attributes set by apps, and the server's `_member_num` / `_total_member_num`. */
  attrs: Record<string, string>;
  /** Id of the last channel2 event. */
  msgid: number;
  /** Virtual ms when the empty channel goes away (undefined while it has members, or special). */
  destroyAt: number | undefined;
}

/** The channels feature of the server, as the Cloud sees it. */
export interface ChannelService {
  snapshot(app: AppState): ChannelSnapshot[];
  limits(): ChannelLimits;
  setLimits(limits: Partial<ChannelLimits>): ChannelLimits;
}

/**
 * Channels: `channel_join` / `channel_leave` / `channel_sendmsg`, the attribute functions and
 * their built-ins, the channel invoke queries and the special channels. A session may be a
 * member of several channels at once (the server API names the channel in every request, as the
 * native SDKs do); the 1.4.0 web SDK routes all their events to its one current Channel.
 * Members leave when their session ends (logout, kick, lost connection).
 */
export function installChannels(server: CloudServer): ChannelService {
  const registry = new ChannelRegistry(server);

  server.handle('channel_join', (session, args) => {
    const name = args.name;
    if (!validChannelName(name)) return refuse(channelReasons.badName);
    const existing = registry.get(session.app, name);
    if (existing && registry.isMember(existing, session)) {
      // A second join of the same channel: the same reply again, no event for the others.
      server.note('already in channel', session.account.account, [name]);
      return joinReply(registry, existing);
    }
    if (existing && existing.members.size >= registry.limits.maxMembers) {
      server.note('channel full', session.account.account, [name, registry.limits.maxMembers]);
      return refuse(channelReasons.full);
    }
    const channel = existing ?? registry.getOrCreate(session.app, name);
    registry.join(channel, session);
    return joinReply(registry, channel);
  });

  server.handle('channel_leave', (session, args) => {
    const name = args.name;
    if (!validChannelName(name)) return refuse(channelReasons.badName);
    const channel = registry.get(session.app, name);
    if (!channel || !registry.isMember(channel, session)) return refuse(channelReasons.notMember);
    registry.leave(channel, session, 'leave');
    return ok();
  });

  server.handle('channel_sendmsg', (session, args) => {
    const name = args.name;
    const msg = args.msg;
    if (!validChannelName(name)) return refuse(channelReasons.badName);
    if (typeof msg !== 'string') return refuse(reasons.badArgs);
    const channel = registry.get(session.app, name);
    if (!channel || !registry.isMember(channel, session)) return refuse(channelReasons.notMember);
    if (channel.special) return refuse(channelReasons.readOnlyChannel);
    if (utf8Length(msg) > sizeLimits.messageBytes) return refuse(reasons.tooLong);
    const now = server.ctx.time.now();
    const account = session.account.account;
    const userWindow = registry.userWindow(session.account);
    const perUser = registry.limits.userMessagesPerSecond;
    if (!userWindow.allows(now, perUser)) {
      server.note('rate limited', account, [name, `${perUser} messages/s per user`]);
      return refuse(channelReasons.tooManyMessages);
    }
    const own = perSecondLimit(channel.attrs, builtin.sendmsgLimit);
    const perChannel = Math.min(registry.limits.channelMessagesPerSecond, own ?? Infinity);
    if (!channel.sendWindow.allows(now, perChannel)) {
      const which = own !== undefined && own < registry.limits.channelMessagesPerSecond ? `_sendmsg_limit ${own}/s` : `${perChannel} messages/s per channel`;
      server.note('rate limited', account, [name, which]);
      return refuse(channelReasons.tooManyMessages);
    }
    userWindow.record(now);
    channel.sendWindow.record(now);
    const uid = session.account.uid;
    // To every member, the sender included (sample apps filter their own account out).
    registry.broadcast(channel, { type: 'channel_msg', account, uid, msg });
    return ok();
  });

  installChannelAttributes(server, registry);
  installChannelQueries(server, registry);

  server.events.on('session:end', ({ session, why }) => registry.dropSession(session, why));
  // After the listener above: a user's channel leaves come before its logout event.
  installSpecialChannels(server, registry);

  return {
    snapshot: (app) => registry.channelsOf(app).map((c) => snapshot(registry, c)),
    limits: () => ({ ...registry.limits }),
    setLimits: (limits) => {
      registry.limits = { ...registry.limits, ...checkChannelLimits(limits) };
      return { ...registry.limits };
    },
  };
}

/**
 * The reply `{result, list, attrs}`: the latest members (the joiner last) and the attributes.
 * The list is made from a window of the member list each time it is read (the SDK when it
 * calls `onChannelUserList`, the log when it makes the entry, the wire, a network rule): each
 * reader has its own, equal to the others, and nothing keeps a join's 200 pairs unless the app
 * does. Its keys are those of `{ result: 'ok', ...data }`, in that order.
 *
 * `list` is one accessor that every reply shares, and the window a private field of the reply
 * ({@link ReplyWindow}): a literal with a getter of its own is an object of its own shape,
 * which the engine keeps as a dictionary (about 0.5 KB and a few hundred ns per join more).
 * The getter's `copier(reply)` gives the SDK a function that makes the list without the reply
 * (the log keeps it, not the reply and its attributes).
 */
function joinReply(registry: ChannelRegistry, channel: ChannelState): Reply {
  const reply: Record<string, unknown> = { result: 'ok' };
  Object.defineProperty(reply, 'list', LIST);
  reply.attrs = visibleAttrs(registry, channel);
  new ReplyWindow(reply, channel.members.window(registry.limits.userListSize));
  return okWhole(reply);
}

/** A constructor that returns the object it is given: a subclass stamps its private fields on it. */
class Stamped {
  constructor(target: object) {
    return target as Stamped;
  }
}

/** Stamps a join reply (a plain object) with its member window, a private field no reflection, copy or JSON text sees. */
class ReplyWindow extends Stamped {
  readonly #window: MemberWindow;

  constructor(reply: object, window: MemberWindow) {
    super(reply);
    this.#window = window;
  }

  /** The list of a stamped reply, made anew. */
  static list(reply: object): Array<[string, number]> {
    return (reply as ReplyWindow).#window.list();
  }

  /** A function that makes a stamped reply's list anew, holding its window alone. */
  static copier(reply: object): () => Array<[string, number]> {
    const window = (reply as ReplyWindow).#window;
    return () => window.list();
  }
}

/** The getter of every join reply's `list` (named `get list`, as a literal's), with its `copier`; frozen, as it is shared. */
const listGetter = Object.getOwnPropertyDescriptor(
  {
    get list() {
      return ReplyWindow.list(this);
    },
  },
  'list',
)!.get!;
Object.defineProperty(listGetter, 'copier', { value: ReplyWindow.copier });
Object.freeze(listGetter);

/** The `list` accessor of every join reply: enumerable and configurable, as a literal's. */
const LIST: PropertyDescriptor = Object.freeze({ get: listGetter, enumerable: true, configurable: true });

/**
 * The attributes a joiner is given: everything apps set, plus `_member_num` /
 * `_total_member_num` when their `_auto_update_*` setting is on (the app asked for them).
 */
function visibleAttrs(registry: ChannelRegistry, channel: ChannelState): Record<string, string> {
  // `Object.fromEntries` as a loop (a tenth of its cost for the usual one or two attributes);
  // `__proto__` is defined, as fromEntries does, not assigned.
  const attrs: Record<string, string> = {};
  for (const [k, v] of channel.attrs) {
    if (k === '__proto__') Object.defineProperty(attrs, k, { value: v, writable: true, enumerable: true, configurable: true });
    else attrs[k] = v;
  }
  if (autoUpdateSeconds(channel.attrs, builtin.autoUpdateNum) !== undefined) {
    attrs[builtin.memberNum] = String(registry.counter(channel, builtin.memberNum));
  }
  if (autoUpdateSeconds(channel.attrs, builtin.autoUpdateTotalNum) !== undefined) {
    attrs[builtin.totalMemberNum] = String(registry.counter(channel, builtin.totalMemberNum));
  }
  return attrs;
}

function snapshot(registry: ChannelRegistry, c: ChannelState): ChannelSnapshot {
  return {
    appId: c.app.appId,
    name: c.name,
    special: c.special,
    members: c.members.map((m) => ({ account: m.account, uid: m.uid, since: m.joinedAt })),
    attrs: {
      ...Object.fromEntries(c.attrs),
      [builtin.memberNum]: String(registry.counter(c, builtin.memberNum)),
      [builtin.totalMemberNum]: String(registry.counter(c, builtin.totalMemberNum)),
    },
    msgid: c.msgid,
    destroyAt: c.destroyTimer?.due,
  };
}
