import { kLogLabel } from '../log/label.js';
import type { ChannelPush } from '../net/fan-out.js';
import type { ChannelEvent } from '../cloud/protocol.js';
import { objectOwner, type Owner, type SdkCallbackInput, type SdkContext } from './context.js';
import type * as sdk from './reference-types.js';
import { fire, fireCalled, fireCopied, fireWith, fireWith3 } from './fire.js';
import { SessionState, type ChannelEventHandler, type Connection, type ConnectionFeature, type SessionInternals } from './session.js';

/** What a channel knows of its joining: `joining` until the reply, then `joined`; `leaved` after `channelLeave`. */
export type ChannelJoinState = 'joining' | 'joined' | 'leaved';

/**
 * `p` of 1.4.0: the one current Channel of a connection. Every join reply, leave reply and
 * channel2 event goes to it, whatever channel it is about.
 */
interface ChannelSlot {
  currentChannel: Channel | undefined;
}

/** The current Channel is a field of the connection. */
function slotOf(connection: Connection): ChannelSlot {
  return connection;
}
const kOwner = Symbol('agora-signaling-emulator.channel-owner');
const kContext = Symbol('agora-signaling-emulator.channel-context');

/**
 * The callback properties (typed by {@link sdk.ChannelCallbacks}: what they hold reads as
 * `F | ''`, what they accept includes `vi.fn()` and `null`) are set in the constructor: a class
 * field cannot accept a wider type than it reads as.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Channel extends sdk.ChannelCallbacks {}

/**
 * A channel, as `session.channelJoin(name)` returns it. Fields, callbacks and methods are those
 * of 1.4.0; callbacks are plain properties, `""` until set, read when the event fires.
 *
 * Quirk of 1.4.0: the session keeps **one** current Channel, the most recently joined. Join
 * and leave replies and every channel event go to it, whatever channel they are about: join
 * `a` then `b` and `b.onChannelJoined` fires twice; `a.channelLeave()` makes `b` `leaved`.
 * Events keep arriving after `channelLeave`. After a reconnect a Channel receives nothing.
 *
 * @example
 * const channel = session.channelJoin('room');
 * channel.onChannelJoined = () => channel.messageChannelSend('hello all');
 * channel.onMessageChannelReceive = (account, uid, msg) => {
 *   if (account !== session.account) show(account, msg); // the sender gets its own message too
 * };
 */
export class Channel implements sdk.Channel {
  /** The name as sent: a non-string name given to `channelJoin` is `JSON.stringify`-ed. */
  declare name: string;
  declare state: ChannelJoinState;
  /** Last channel2 msgid taken (1.4.0's dedupe counter; 0 until the first event). */
  declare m_channel_msgid: number;

  /**
   * Sends a channel message to every member, the sender included. `cb()` gets no arguments,
   * even when the server refused the message (too long, rate limit, not a member): the log
   * says why.
   */
  declare messageChannelSend: (msg: string, cb?: SdkCallbackInput<() => void>) => void;
  /**
   * Leaves the channel. On the reply the current Channel becomes `leaved`, then `cb()` if given
   * and **no** `onChannelLeaved`; without `cb`, `onChannelLeaved(0)`.
   */
  declare channelLeave: (cb?: SdkCallbackInput<() => void>) => void;
  /** Sets an attribute; every member (this one too) gets `onChannelAttrUpdated(k, v, "update")`. `cb()` has no arguments. */
  declare channelSetAttr: (name: string, value: string, cb?: SdkCallbackInput<() => void>) => void;
  /** Deletes an attribute; members get `onChannelAttrUpdated(k, "", "del")`. `cb()` has no arguments. */
  declare channelDelAttr: (name: string, cb?: SdkCallbackInput<() => void>) => void;
  /** Deletes every attribute; members get `onChannelAttrUpdated("", "", "clear")`. `cb()` has no arguments. */
  declare channelClearAttr: (cb?: SdkCallbackInput<() => void>) => void;

  /** The owner of this Channel's log entries, for the name it has now (cached: every delivery asks). */
  #owner: Owner;
  #ownerName: string;
  /** The cloud's SDK context (read by every delivery, so kept here rather than behind the session). */
  readonly #ctx: SdkContext;

  /** @internal The cloud's SDK context. */
  get [kContext](): SdkContext {
    return this.#ctx;
  }

  /** @internal How the log shows this Channel. */
  get [kLogLabel](): string {
    return `Channel(${this.name})`;
  }

  /** @internal The owner of log entries about this Channel (1.4.0 lets the app rename it). */
  [kOwner](internals: SessionInternals): Owner {
    return this.#ownerName === this.name ? this.#owner : this.#renamed(internals);
  }

  /** The app renamed this Channel: its log entries go by the new name. */
  #renamed(internals: SessionInternals): Owner {
    this.#ownerName = this.name;
    this.#owner = objectOwner(internals.owner, `channel:${this.name}`);
    return this.#owner;
  }

  /** @internal Use `session.channelJoin(name)`. `owner`: whose its log entries are (`channel:NAME` of the session). */
  constructor(internals: SessionInternals, name: string, slot: ChannelSlot, owner: Owner) {
    // In 1.4.0's order, before anything else the constructor defines.
    this.onChannelJoined = '';
    this.onChannelJoinFailed = '';
    this.onChannelLeaved = '';
    this.onChannelUserList = '';
    this.onChannelUserJoined = '';
    this.onChannelUserLeaved = '';
    this.onChannelAttrUpdated = '';
    this.onMessageChannelReceive = '';
    const session = internals.sdkSession;
    this.#ctx = internals.ctx;
    this.#owner = owner;
    this.#ownerName = name;
    this.name = name;
    this.state = 'joining';
    this.m_channel_msgid = 0;
    // Stale Channels still send: they use the session's current call2 and line.
    this.messageChannelSend = (msg, cb) => {
      internals.logCall(owner, 'messageChannelSend', [msg]);
      session.call2('channel_sendmsg', { line: session.line, name, msg }, cbOf(internals, owner, 'messageChannelSend', cb));
    };
    this.channelLeave = (cb) => {
      internals.logCall(owner, 'channelLeave', []);
      session.call2('channel_leave', { line: session.line, name }, () => {
        // The reply goes to the connection's current Channel (`p`), not necessarily this one.
        const p = slot.currentChannel;
        if (!p) return;
        p.state = 'leaved';
        if (cb) internals.fireCb(cb, owner, 'channelLeave:cb', []);
        else internals.fire(p, ownerOf(internals, p), 'onChannelLeaved', [0]);
      });
    };
    this.channelSetAttr = (k, v, cb) => {
      internals.logCall(owner, 'channelSetAttr', [k, v]);
      session.call2('channel_set_attr', { line: session.line, channel: name, name: k, value: v }, cbOf(internals, owner, 'channelSetAttr', cb));
    };
    this.channelDelAttr = (k, cb) => {
      internals.logCall(owner, 'channelDelAttr', [k]);
      session.call2('channel_del_attr', { line: session.line, channel: name, name: k }, cbOf(internals, owner, 'channelDelAttr', cb));
    };
    this.channelClearAttr = (cb) => {
      internals.logCall(owner, 'channelClearAttr', []);
      session.call2('channel_clear_attr', { line: session.line, channel: name }, cbOf(internals, owner, 'channelClearAttr', cb));
    };
  }
}

/**
 * The reply handler of a Channel method with a `cb`: quirk of 1.4.0, `cb()` with no arguments
 * whatever the reply, and unguarded. (A function of the module: a Channel makes no helper
 * closures of its own, only its five methods.)
 */
function cbOf(internals: SessionInternals, owner: Owner, method: string, cb: unknown): () => void {
  return () => {
    if (cb) internals.fireCb(cb, owner, `${method}:cb`, []);
  };
}

/** Who a Channel's log entries belong to (its name may have changed since). */
function ownerOf(internals: SessionInternals, channel: Channel): Owner {
  return channel[kOwner](internals);
}

/**
 * The channels part of `go_login`: defines `session.channelJoin` for this connection and takes
 * its channel2 events. Each connection has its own current Channel, empty at first, so
 * Channels of an earlier connection hear nothing after a reconnect.
 */
export const channelFeature: ConnectionFeature = Object.freeze<ConnectionFeature>({
  connect: connectChannels,
});

/** A channel event arrives on a connection (the SDK context's `onChannelEvent`). */
export const onChannelPush: ChannelEventHandler = (push, connection) => onChannelEvent(connection.internals, slotOf(connection), push);

function connectChannels(internals: SessionInternals, connection: Connection): void {
  // No current Channel yet: the connection's feature record (the slot) is made at the first join.
  internals.sdkSession.channelJoin = channelJoin.bind(connection);
}

/** `session.channelJoin` of one connection (bound to it). */
function channelJoin(this: Connection, channelName: unknown): Channel | undefined {
  const internals = this.internals;
  const session = internals.sdkSession;
  const slot = slotOf(this);
  let name: unknown = channelName;
  if (typeof name !== 'string') {
    try {
      name = JSON.stringify(name);
    } catch (error) {
      // Quirk of 1.4.0: an unserialisable name is reported on the console and nothing happens.
      internals.logCall(internals.owner, 'channelJoin', [channelName]);
      console.error('Invalid channel name type, should be a string.');
      console.error(error);
      return undefined;
    }
  }
  const owner: Owner = objectOwner(internals.owner, `channel:${String(name)}`);
  internals.logCall(owner, 'channelJoin', [channelName]);
  // 1.4.0 checks the state here only ("You should log in first.").
  if (session.state !== SessionState.LOGGED_IN) return undefined;
  const channel = new Channel(internals, name as string, slot, owner);
  slot.currentChannel = channel;
  session.call2('channel_join', { line: session.line, name }, (err, data) => onJoinReply(internals, slot, err, data));
  return channel;
}

/**
 * The join reply, as 1.4.0 handles it: each step reads the current Channel (`p`) anew, so an
 * app that joins another channel inside `onChannelJoined` gets the rest of this reply
 * (`onChannelUserList`, the attributes) on the new Channel.
 */
function onJoinReply(internals: SessionInternals, slot: ChannelSlot, err: string, data: Record<string, unknown> | string): void {
  const p = slot.currentChannel;
  if (!p) return;
  if (err !== '') {
    internals.fire(p, ownerOf(internals, p), 'onChannelJoinFailed', [err]);
    return;
  }
  const reply = data as { list?: unknown; attrs?: Record<string, unknown> };
  p.state = 'joined';
  internals.fire(p, ownerOf(internals, p), 'onChannelJoined', []);
  const q = slot.currentChannel!;
  // The list as JSON would give it: the in-process reply makes a new one at each read (see the
  // server's joinReply), one for the app and one for the log's entry. The log keeps a function
  // that holds the member window alone (the getter's `copier`), not the reply with its attributes.
  // Any other reply (one a network rule made) is read as it is.
  const get = Object.getOwnPropertyDescriptor(reply, 'list')?.get as { copier?: (reply: object) => () => unknown } | undefined;
  const list = get?.copier !== undefined ? get.copier(reply) : () => reply.list;
  fireCopied(internals.ctx, q, ownerOf(internals, q), 'onChannelUserList', list);
  // Quirk of 1.4.0: the attributes come in `for…in` order, all in one try: a callback that
  // throws skips the remaining ones. Whether the callback is set is asked once, of the Channel
  // current then; each call reads the current Channel again, and calls its callback unasked (a
  // Channel joined meanwhile with none set throws a TypeError, printed, which ends the loop).
  const r = slot.currentChannel!;
  if (!r.onChannelAttrUpdated) {
    // (Unset: 1.4.0 calls nothing; the log notes each as unhandled.)
    for (const k in reply.attrs) fire(internals.ctx, r, ownerOf(internals, r), 'onChannelAttrUpdated', [k, reply.attrs[k], 'update']);
    return;
  }
  for (const k in reply.attrs) {
    const current = slot.currentChannel!;
    if (fireCalled(internals.ctx, current, ownerOf(internals, current), 'onChannelAttrUpdated', [k, reply.attrs[k], 'update'])) break;
  }
}

// The hot path of a channel's fan-out: small functions, the rare cases in functions of their
// own, so that the engine inlines the whole delivery into the fan-out's loop.
function onChannelEvent(internals: SessionInternals, slot: ChannelSlot, push: ChannelPush): void {
  const p = slot.currentChannel;
  if (!p) return noCurrentChannel(internals, push);
  // Quirk of 1.4.0: one dedupe counter for whatever channel the event is about: an msgid not
  // above the last one taken is dropped (the first event is always taken; gaps are fine).
  if (p.m_channel_msgid !== 0 && p.m_channel_msgid + 1 > push.msgid) return dropped(internals, p, push);
  p.m_channel_msgid = push.msgid;
  const event = push.event;
  if (event.type === 'channel_msg') {
    fireWith3(p[kContext], p, p.onMessageChannelReceive, ownerOf(internals, p), 'onMessageChannelReceive', event.account, event.uid, event.msg);
  } else {
    dispatch(internals, p, event);
  }
}

/** Quirk of 1.4.0: a channel2 event before any channelJoin on this connection throws out of the WebSocket handler. */
function noCurrentChannel(internals: SessionInternals, push: ChannelPush): void {
  internals.ctx.log.append({ kind: 'fault', client: internals.owner.client, name: 'channel event without a Channel', args: [push.channel, push.msgid], session: internals.owner.session });
  queueMicrotask(() => {
    throw new TypeError("Cannot read properties of undefined (reading 'm_channel_msgid')");
  });
}

function dropped(internals: SessionInternals, p: Channel, push: ChannelPush): void {
  p[kContext].log.append({
    kind: 'fault',
    client: internals.owner.client,
    name: 'channel event dropped',
    args: [push.channel, push.msgid, `msgid not above ${p.m_channel_msgid} (1.4.0 keeps one counter per session)`],
    session: internals.owner.session,
    object: `channel:${p.name}`,
  });
}

/** Quirk of 1.4.0: the event's channel name is ignored; it goes to the current Channel. */
function dispatch(internals: SessionInternals, p: Channel, event: ChannelEvent): void {
  const owner = ownerOf(internals, p);
  const ctx = p[kContext];
  // Each callback read by name (the hot path of a channel's fan-out).
  switch (event.type) {
    case 'channel_msg':
      fireWith3(ctx, p, p.onMessageChannelReceive, owner, 'onMessageChannelReceive', event.account, event.uid, event.msg);
      return;
    case 'channel_user_join':
      fireWith(ctx, p, p.onChannelUserJoined, owner, 'onChannelUserJoined', [event.account, event.uid]);
      return;
    case 'channel_user_leave':
      fireWith(ctx, p, p.onChannelUserLeaved, owner, 'onChannelUserLeaved', [event.account, event.uid]);
      return;
    case 'channel_attr_update':
      fireWith3(ctx, p, p.onChannelAttrUpdated, owner, 'onChannelAttrUpdated', event.name, event.value, event.change);
      return;
  }
}
