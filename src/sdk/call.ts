import type { CallCallbackName } from './callback-names.js';
import { kLogLabel } from '../log/label.js';
import type { UserMessage } from '../cloud/protocol.js';
import { objectOwner, type Owner } from './context.js';
import type * as sdk from './reference-types.js';
import { featuresOf, type Connection, type ConnectionFeature, type SessionInternals } from './session.js';

/** The user-message types of call signalling that 1.4.0 dispatches to a Call. */
const VOIP_TYPES = [
  'voip_invite',
  'voip_invite_ack',
  'voip_invite_accept',
  'voip_invite_refuse',
  'voip_invite_failed',
  'voip_invite_bye',
  'voip_invite_msg',
] as const;

/** The Call callback each incoming type fires. */
const CALLBACK_OF: Record<string, CallCallbackName> = {
  voip_invite_ack: 'onInviteReceivedByPeer',
  voip_invite_accept: 'onInviteAcceptedByPeer',
  voip_invite_refuse: 'onInviteRefusedByPeer',
  voip_invite_failed: 'onInviteFailed',
  voip_invite_bye: 'onInviteEndByPeer',
  voip_invite_msg: 'onInviteMsg',
};


const kCall = Symbol('agora-signaling-emulator.call');

/** The calls of one connection, keyed as 1.4.0 keys them: `channelName + peer`. */
type CallMap = Map<string, Call>;

/**
 * The callback properties (typed by {@link sdk.CallCallbacks}: what they hold reads as `F | ''`,
 * what they accept includes `vi.fn()` and `null`) are set in the constructor: a class field
 * cannot accept a wider type than it reads as.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Call extends sdk.CallCallbacks {}

/**
 * A call, as `session.channelInviteUser2()` returns it to the caller and
 * `session.onInviteReceived(call)` hands it to the callee. Fields and callbacks are those of
 * 1.4.0; callbacks are plain properties, `""` until set, read when the event fires.
 *
 * Quirks of 1.4.0 it keeps: the SDK checks no call state (refuse after end is sent); each
 * connection keeps its calls under `channelName + peer` (plain concatenation, so `'ab' + 'c'`
 * and `'a' + 'bc'` are the same call), a new Call with the same key replaces the old one, and a
 * Call made before a reconnect receives nothing afterwards (it can still send).
 *
 * @example
 * const call = session.channelInviteUser2('room-1', 'bob', { hello: 1 });
 * call.onInviteAcceptedByPeer = (extra) => joinMedia('room-1');
 * call.onInviteFailed = (extra) => console.log(JSON.parse(extra).reason);
 */
export class Call implements sdk.Call {
  declare channelName: string;
  /** The other party's account (or phone number). */
  declare peer: string;
  /** The invite's extra: as given by the caller; on the callee's side, as the caller sent it. */
  declare extra: unknown;

  readonly #internals: SessionInternals;
  readonly #owner: Owner;
  /** 1.4.0 sends `extra || ""` and keeps that in its closure. */
  readonly #sentExtra: unknown;

  /** @internal Calls are made by `session.channelInviteUser2()` and by incoming invites. */
  /** @internal How the log shows this Call. */
  get [kLogLabel](): string {
    return `Call(${this.channelName}/${this.peer})`;
  }

  constructor(internals: SessionInternals, calls: CallMap, channelName: string, peer: string, extra: unknown) {
    // In 1.4.0's order, before anything else the constructor defines.
    this.onInviteReceivedByPeer = '';
    this.onInviteAcceptedByPeer = '';
    this.onInviteRefusedByPeer = '';
    this.onInviteFailed = '';
    this.onInviteEndByPeer = '';
    this.onInviteEndByMyself = '';
    this.onInviteMsg = '';
    this.channelName = channelName;
    this.peer = peer;
    this.extra = extra;
    this.#internals = internals;
    this.#owner = objectOwner(internals.owner, `call:${String(channelName)}/${String(peer)}`);
    this.#sentExtra = extra || '';
    // Quirk of 1.4.0: plain concatenation, and the newest Call with a key wins.
    calls.set(`${channelName}${peer}`, this);
  }

  /**
   * Sends the invite again, with the same extra (1.4.0's Call has this method too;
   * `session.channelInviteUser2` calls it once).
   *
   * @example
   * call.onInviteFailed = () => setTimeout(() => call.channelInviteUser2(), 5000); // retry
   */
  channelInviteUser2(): void {
    this.#internals.logCall(this.#owner, 'channelInviteUser2', []);
    this.#sendInvite();
  }

  /**
   * Accepts the invite: the caller gets `onInviteAcceptedByPeer(extra)`.
   *
   * @example
   * session.onInviteReceived = (call) => call.channelInviteAccept();
   */
  channelInviteAccept(extra?: unknown): void {
    this.#send('channelInviteAccept', 'voip_invite_accept', [extra], extra || '');
  }

  /**
   * Refuses the invite: the caller gets `onInviteRefusedByPeer(extra)`.
   *
   * @example
   * session.onInviteReceived = (call) => call.channelInviteRefuse('{"busy":1}');
   */
  channelInviteRefuse(extra?: unknown): void {
    this.#send('channelInviteRefuse', 'voip_invite_refuse', [extra], extra || '');
  }

  /**
   * Sends DTMF digits: the other side gets `onInviteMsg('{"msgtype":"dtmf","msgdata":…}')`.
   *
   * @example
   * call.channelInviteDTMF('1234#');
   */
  channelInviteDTMF(dtmf: string): void {
    // Quirk of 1.4.0: the digits are not defaulted (undefined leaves msgdata out).
    this.#send('channelInviteDTMF', 'voip_invite_msg', [dtmf], JSON.stringify({ msgtype: 'dtmf', msgdata: dtmf }));
  }

  /**
   * Ends the call (or cancels the invite): `onInviteEndByMyself("")` fires at once, before this
   * returns; the other side gets `onInviteEndByPeer(extra)`.
   *
   * @example
   * call.channelInviteEnd();
   */
  channelInviteEnd(extra?: unknown): void {
    this.#send('channelInviteEnd', 'voip_invite_bye', [extra], extra || '');
    // Quirk of 1.4.0: the only synchronous callback of the SDK.
    this.#fire('onInviteEndByMyself', ['']);
  }

  /** @internal What the calls feature uses; kept off the app-visible surface. */
  get [kCall](): { owner: Owner; sendInvite(): void; fire(name: CallCallbackName, args: unknown[]): void } {
    return {
      owner: this.#owner,
      sendInvite: () => this.#sendInvite(),
      fire: (name, args) => this.#fire(name, args),
    };
  }

  /** Sends `voip_invite`; a refused request fires `onInviteFailed(err)`. */
  #sendInvite(): void {
    const session = this.#internals.sdkSession;
    session.call2('voip_invite', { line: session.line, channelName: this.channelName, peer: this.peer, extra: this.#sentExtra }, (err) => {
      if (err === '') return;
      this.#failFromRequest(err);
    });
  }

  #fire(name: CallCallbackName, args: unknown[]): void {
    this.#internals.fire(this, this.#owner, name, args);
  }

  #send(method: string, type: string, logArgs: unknown[], extra: unknown): void {
    this.#internals.logCall(this.#owner, method, logArgs);
    // Old Calls still send after a reconnect: 1.4.0 uses the session's current call2 and line.
    const session = this.#internals.sdkSession;
    session.call2(type, { line: session.line, channelName: this.channelName, peer: this.peer, extra });
  }

  #failFromRequest(err: string): void {
    if (typeof this.onInviteFailed === 'function') return this.#fire('onInviteFailed', [err]);
    // Quirk of 1.4.0: `r.onInviteFailed(e)` is called without checking that it is set; an unset
    // callback throws a TypeError inside the SDK's try/catch, which prints it.
    const error = new TypeError('r.onInviteFailed is not a function');
    this.#internals.ctx.log.append({
      kind: 'callback',
      client: this.#owner.client,
      name: 'onInviteFailed',
      args: [err],
      session: this.#owner.session,
      object: this.#owner.object,
      unhandled: true,
      error: `${error.name}: ${error.message}`,
    });
    console.error(error);
  }
}

/**
 * The calls part of `go_login`: defines `session.channelInviteUser2` for this connection and
 * handles the `voip_*` user messages with this connection's calls map.
 */
export const callFeature: ConnectionFeature = Object.freeze<ConnectionFeature>({
  connect(internals: SessionInternals, connection: Connection): void {
    internals.sdkSession.channelInviteUser2 = channelInviteUser2.bind(connection);
  },
  messages: Object.fromEntries(VOIP_TYPES.map((type) => [type, onVoip])),
});

/** `session.channelInviteUser2` of one connection (bound to it). */
function channelInviteUser2(this: Connection, channelName: string, peer: string, extra?: unknown): Call {
  const internals = this.internals;
  const call = new Call(internals, callsOf(this), channelName, peer, extra);
  internals.logCall(call[kCall].owner, 'channelInviteUser2', [channelName, peer, extra]);
  call[kCall].sendInvite();
  return call;
}

/** The connection's calls, made at its first call (most connections never have one). */
function callsOf(connection: Connection): CallMap {
  return (featuresOf(connection).calls ??= new Map()) as CallMap;
}

function onVoip(msg: UserMessage, connection: Connection): void {
  const internals = connection.internals;
  const session = internals.sdkSession;
  let content: { channel?: unknown; peer?: unknown; extra?: unknown };
  try {
    content = JSON.parse(msg.content) as typeof content;
  } catch (error) {
    // 1.4.0 parses without a guard: the error escapes its WebSocket handler.
    queueMicrotask(() => {
      throw error;
    });
    return;
  }
  const channel = content.channel as string;
  const peer = content.peer as string;
  const extra = content.extra;
  if (msg.type === 'voip_invite') {
    const call = new Call(internals, callsOf(connection), channel, peer, extra);
    // Quirk of 1.4.0: the acknowledgement goes out before the app hears of the invite.
    session.call2('voip_invite_ack', { line: session.line, channelName: channel, peer, extra: '' });
    internals.fire(session, call[kCall].owner, 'onInviteReceived', [call]);
    return;
  }
  // An event for a call this connection does not know is ignored (1.4.0).
  const call = (connection.features?.calls as CallMap | undefined)?.get(`${channel}${peer}`);
  if (!call) return;
  call[kCall].fire(CALLBACK_OF[msg.type]!, [extra]);
}
