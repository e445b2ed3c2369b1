/**
 * The Signaling Web SDK 1.4.0 as an app sees it, as TypeScript types. The real SDK ships no
 * typings: these describe what its code does (FIDELITY.md), so an app can type its real-SDK code
 * with them, and the emulator's objects (`cloud.Signal`) satisfy them without a cast.
 *
 * Published as `agora-signaling-emulator/sdk` (types only).
 *
 * @example
 * import type { Session, SignalFactory } from 'agora-signaling-emulator/sdk';
 *
 * export function connect(Signal: SignalFactory, account: string): Session {
 *   const session = Signal('my-app-id').login(account, '_no_need_token');
 *   session.onLoginSuccess = (uid) => console.log('in as', uid);
 *   return session;
 * }
 */
import type { codes } from '../codes.js';

// A callback's parameters are `any[]` here so that every function type fits; each callback
// below names its own.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => unknown;

/**
 * A callback property as 1.4.0 holds it: `''` until the app assigns a function. The SDK reads
 * the property when the event fires and calls it only when it is truthy.
 */
export type Callback<F extends AnyFunction> = F | '';

/**
 * What a callback property accepts: a function of the callback's type (a `jest.fn()` too), or
 * `''`, `null` or `undefined` to unset it (1.4.0 calls only a truthy value). A `vi.fn()` made
 * without type arguments is typed as callable or constructible: the constructible part is
 * accepted for it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CallbackInput<F extends AnyFunction> = F | '' | null | undefined | (new (...args: any[]) => unknown);

/** Every error code of the 1.4.0 documentation by name, plus `LOGIN_E_INVALID_USER` (209). */
export type Codes = typeof codes;
/** The name of an error code: `'LOGOUT_E_KICKED'`, … */
export type CodeName = keyof Codes;
/** An error code's number: `0`, `101`, `103`, … */
export type Code = Codes[CodeName];

/** What `getStatus()` returns: 0 logged out, 1 logging in, 2 logged in, 3 reconnecting. */
export type LoginStatus = 0 | 1 | 2 | 3;

/** `Signal(appid)`, with or without `new` (the global the SDK's script defines). */
export interface SignalFactory {
  (appid?: string): Signal;
  new (appid?: string): Signal;
}

/** What `Signal(appid)` returns. */
export interface Signal {
  appid: string;
  vid: string;
  lbs_url1: string[];
  lbs_url2: string[];
  server_urls: unknown[];
  /**
   * Logs in and returns a new Session (1.4.0 returns a new one on every call). `reconnect_time`
   * is in milliseconds in the shipped code (default 300 000), `reconnect_count` defaults to 10.
   */
  login(account: string, token: string, reconnect_count?: number, reconnect_time?: number): Session;
  /** `"1.4.0"` */
  getSDKVersion(): string;
  /** `1010400000` */
  getSDKVersion_int(): number;
  /** Only `'DEBUG'`, `'WARNING'` and `'INFO'` change anything. */
  setDoLog(isEnabled?: boolean, level?: string): void;
  /** `setup_debugging('ap_url', 'ws://host:port/')` connects there and skips the LBS. */
  setup_debugging(key: string, value: unknown): void;
  setUpDebugging(key: string, value: unknown): void;
}

/** The callback properties of a Session: plain properties, `''` until set, read when the event fires. */
export interface SessionCallbacks {
  get onLoginSuccess(): Callback<(uid: number) => void>;
  set onLoginSuccess(handler: CallbackInput<(uid: number) => void>);
  /** Fires only while logging in (state 1); the state becomes 0 after the callback returns. */
  get onLoginFailed(): Callback<(ecode: number) => void>;
  set onLoginFailed(handler: CallbackInput<(ecode: number) => void>);
  /** Fires only while logged in or reconnecting; the state becomes 0 after the callback returns. */
  get onLogout(): Callback<(ecode: number) => void>;
  set onLogout(handler: CallbackInput<(ecode: number) => void>);
  /**
   * The callee's side of an invite: the SDK has already acknowledged it.
   *
   * Read back, the property's type says it takes `unknown`: so that a Session fits an app's own
   * Session type whose Call declares only the members the app uses.
   */
  get onInviteReceived(): Callback<(call: unknown) => void>;
  set onInviteReceived(handler: CallbackInput<(call: Call) => void>);
  get onMessageInstantReceive(): Callback<(account: string, uid: number, msg: string) => void>;
  set onMessageInstantReceive(handler: CallbackInput<(account: string, uid: number, msg: string) => void>);
}

/** A login session, as `signal.login()` returns it. */
export interface Session extends SessionCallbacks {
  account: string;
  /** The login status, as `getStatus()` returns it. */
  state: number;
  line: string;
  uid: number;

  /** Logs out; does nothing when logged in without an `onLogout` callback (1.4.0). */
  logout(): void;
  /** 0 logged out, 1 logging in, 2 logged in, 3 reconnecting. */
  getStatus(): number;
  /** `cb(isError)`: `false` once the server accepted the message. Exists once the socket is open. */
  messageInstantSend(peer: string, msg: string, cb?: CallbackInput<(isError: boolean) => void>): void;
  /**
   * Calls a server function (`'io.agora.signal.user_query_user_status'`, …); `cb(err, resp)` with
   * `err === ''` and the parsed reply on success. Exists once the socket is open.
   */
  invoke(func: string, args: Record<string, unknown>, cb?: CallbackInput<(err: string, resp: Record<string, unknown> | string) => void>): void;
  /** Joins a channel; `undefined` unless logged in (state 2). Exists once the socket is open. */
  channelJoin(name: string): Channel | undefined;
  /** Invites `peer` to `channelName`; `extra` is JSON (text or an object). Exists once the socket is open. */
  channelInviteUser2(channelName: string, peer: string, extra?: unknown): Call;
}

/** What the channel's `state` field holds. */
export type ChannelState = 'joining' | 'joined' | 'leaved';

/** The callback properties of a Channel: plain properties, `''` until set, read when the event fires. */
export interface ChannelCallbacks {
  get onChannelJoined(): Callback<() => void>;
  set onChannelJoined(handler: CallbackInput<() => void>);
  /** `reason` is the server's string (e.g. `"channel full"`). */
  get onChannelJoinFailed(): Callback<(reason: string) => void>;
  set onChannelJoinFailed(handler: CallbackInput<(reason: string) => void>);
  /** `0` after `channelLeave()` without a `cb`. */
  get onChannelLeaved(): Callback<(code: number) => void>;
  set onChannelLeaved(handler: CallbackInput<(code: number) => void>);
  /** `[[account, uid], …]`: the latest 200 members, the joiner included. */
  get onChannelUserList(): Callback<(users: Array<[string, number]>) => void>;
  set onChannelUserList(handler: CallbackInput<(users: Array<[string, number]>) => void>);
  get onChannelUserJoined(): Callback<(account: string, uid: number) => void>;
  set onChannelUserJoined(handler: CallbackInput<(account: string, uid: number) => void>);
  get onChannelUserLeaved(): Callback<(account: string, uid: number) => void>;
  set onChannelUserLeaved(handler: CallbackInput<(account: string, uid: number) => void>);
  /** `type`: `"update"`, `"del"` or `"clear"`. */
  get onChannelAttrUpdated(): Callback<(name: string, value: string, type: string) => void>;
  set onChannelAttrUpdated(handler: CallbackInput<(name: string, value: string, type: string) => void>);
  get onMessageChannelReceive(): Callback<(account: string, uid: number, msg: string) => void>;
  set onMessageChannelReceive(handler: CallbackInput<(account: string, uid: number, msg: string) => void>);
}

/** A joined (or joining) channel, as `session.channelJoin(name)` returns it. */
export interface Channel extends ChannelCallbacks {
  name: string;
  state: ChannelState;

  /** `cb()` has no arguments, even when the server refused the message. */
  messageChannelSend(msg: string, cb?: CallbackInput<() => void>): void;
  /** With `cb`, `cb()` and no `onChannelLeaved`; without, `onChannelLeaved(0)`. */
  channelLeave(cb?: CallbackInput<() => void>): void;
  channelSetAttr(name: string, value: string, cb?: CallbackInput<() => void>): void;
  channelDelAttr(name: string, cb?: CallbackInput<() => void>): void;
  channelClearAttr(cb?: CallbackInput<() => void>): void;
}

/** The callback properties of a Call: plain properties, `''` until set, read when the event fires. */
export interface CallCallbacks {
  /** The caller's SDK got the callee's automatic acknowledgement. */
  get onInviteReceivedByPeer(): Callback<(extra: unknown) => void>;
  set onInviteReceivedByPeer(handler: CallbackInput<(extra: unknown) => void>);
  get onInviteAcceptedByPeer(): Callback<(extra: unknown) => void>;
  set onInviteAcceptedByPeer(handler: CallbackInput<(extra: unknown) => void>);
  get onInviteRefusedByPeer(): Callback<(extra: unknown) => void>;
  set onInviteRefusedByPeer(handler: CallbackInput<(extra: unknown) => void>);
  /** The invite request failed (its error string) or the cloud failed the call (JSON text with a `reason` field). */
  get onInviteFailed(): Callback<(extra: string) => void>;
  set onInviteFailed(handler: CallbackInput<(extra: string) => void>);
  get onInviteEndByPeer(): Callback<(extra: unknown) => void>;
  set onInviteEndByPeer(handler: CallbackInput<(extra: unknown) => void>);
  /** Fires synchronously inside `channelInviteEnd()`, with `""`. */
  get onInviteEndByMyself(): Callback<(extra: string) => void>;
  set onInviteEndByMyself(handler: CallbackInput<(extra: string) => void>);
  get onInviteMsg(): Callback<(extra: unknown) => void>;
  set onInviteMsg(handler: CallbackInput<(extra: unknown) => void>);
}

/** A call: the caller's from `session.channelInviteUser2()`, the callee's from `onInviteReceived`. */
export interface Call extends CallCallbacks {
  channelName: string;
  /** The other party's account (or phone number). */
  peer: string;
  /** The invite's extra, as the caller gave it. */
  extra: unknown;

  /** Sends the invite again, with the same extra. */
  channelInviteUser2(): void;
  channelInviteAccept(extra?: unknown): void;
  channelInviteRefuse(extra?: unknown): void;
  channelInviteDTMF(dtmf: string): void;
  channelInviteEnd(extra?: unknown): void;
}
