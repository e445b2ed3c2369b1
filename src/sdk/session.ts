import { kLogLabel } from '../log/label.js';
import type { Push, Request, UserMessage } from '../cloud/protocol.js';
import type { Channel } from './channel.js';
import type { ChannelPush } from '../net/fan-out.js';
import { kLinkClose, kLinkError, kLinkOpen, kLinkPush, type ChannelReceiver, type Link, type LinkClient } from '../net/link.js';
import type { Task } from '../time/scheduler.js';
import { scheduleTimer, type TimerBatch, type TimerKind } from '../time/timer-batch.js';
import type { Call } from './call.js';
import type { Owner, SdkCallback, SdkCallbackInput, SdkContext } from './context.js';
import type * as sdk from './reference-types.js';
import { fire, fireUnguarded, logCall } from './fire.js';
import { loginFailureCode } from './login-codes.js';
import { PeerInbox } from './peer-inbox.js';
import { asSentOnTheWire } from './wire-json.js';

/** Login states of 1.4.0 (`getStatus()`); 3 is reconnecting, which the web doc does not list. */
export const SessionState = { LOGGED_OUT: 0, LOGGING_IN: 1, LOGGED_IN: 2, RECONNECTING: 3 } as const;

/** 1.4.0 pings every 10 s while logged in (and never checks the pong). */
const PING_INTERVAL = 10_000;
/** 1.4.0 closes a WebSocket still connecting after 6 s. */
const CONNECT_TIMEOUT = 6_000;
/** Reconnect back-off: 200 ms doubling up to 2000 ms. */
const RECONNECT_FIRST_DELAY = 200;
const RECONNECT_MAX_DELAY = 2000;

/** A call2 reply callback; it is also given the connection the reply came on. */
export type ReplyHandler = (err: string, data: Record<string, unknown> | string, connection: Connection) => void;

/**
 * What one connection of a session holds: the SDK builds all of it anew in `go_login` when a
 * WebSocket opens, so objects made on an earlier connection (Channels, Calls) receive nothing.
 * It is also the connection's peer-message order (its {@link PeerInbox} part).
 */
export class Connection extends PeerInbox implements ChannelReceiver {
  // What a channel delivery reads comes first (see Link's fields).
  readonly onChannelEvent: ChannelEventHandler;
  /**
   * Quirk of 1.4.0: the connection's one current Channel (the latest `channelJoin`), which every
   * channel event goes to. Kept here, not in `features`: every delivery reads it.
   */
  currentChannel: Channel | undefined = undefined;
  /** The Session's internals (what handlers of the feature modules work with). */
  readonly internals: SessionInternals;
  readonly link: Link;
  /**
   * The pending call2 reply of id {@link replyId}: usually the only one (a poll, then the next),
   * so a field rather than a collection each of 100 000 clients would hold.
   */
  reply: ReplyHandler | undefined = undefined;
  replyId = 0;
  /**
   * Per-connection state made at first use (see {@link featuresOf}): the pending call2 replies
   * past the one above, and the feature modules' (the calls map). One field for both.
   */
  features: ConnectionExtras | undefined = undefined;
  nextCallId = 0;

  constructor(internals: SessionInternals, link: Link) {
    super();
    this.onChannelEvent = internals.ctx.onChannelEvent;
    this.internals = internals;
    this.link = link;
  }
}

/** What feature modules (channels, calls) use of a Session. */
export interface SessionInternals {
  readonly ctx: SdkContext;
  /** The owner of the Session's own log entries (this object itself: no object of its own). */
  readonly owner: Owner;
  readonly sdkSession: Session;
  /** The connection whose `go_login` ran last (undefined before the first socket opened). */
  readonly connection: Connection | undefined;
  /** Fires an app callback, guarded like 1.4.0 (`try { … } catch (e) { console.error(e) }`). */
  fire(target: object, owner: Owner, name: string, args: unknown[]): void;
  /** Calls an app `cb` argument unguarded, as 1.4.0 does: a throw escapes as an uncaught error. */
  fireCb(cb: unknown, owner: Owner, name: string, args: unknown[]): void;
  logCall(owner: Owner, name: string, args: unknown[]): void;
}

/** What a connection keeps only once it needs it: its own pending replies past the first, and each feature module's state. */
export interface ConnectionExtras {
  /** Pending call2 replies past {@link Connection.reply}, at their id. */
  replies?: Map<number, ReplyHandler>;
  [feature: string]: unknown;
}

/** The per-connection state record of feature modules, made at first use. */
export function featuresOf(connection: Connection): ConnectionExtras {
  return (connection.features ??= {});
}

/** Handles a user message of one type (`voip_invite`, …) arriving on a connection. */
export type MessageHandler = (msg: UserMessage, connection: Connection) => void;
/** Handles a channel event (a `channel2` push) arriving on a connection. */
export type ChannelEventHandler = (push: ChannelPush, connection: Connection) => void;

/**
 * A feature module of the SDK (channels, calls). `connect` is its part of `go_login`: it runs
 * for every connection, like the SDK's closures, and defines the session's methods for it.
 * `messages` handle the user messages that arrive on any connection, by type; they are shared by
 * every connection (per-connection state goes in `connection.features`), so that 100 000
 * clients do not each carry a table of handlers.
 */
export interface ConnectionFeature {
  connect(internals: SessionInternals, connection: Connection): void;
  readonly messages?: Readonly<Record<string, MessageHandler>>;
}

export const kInternals = Symbol('agora-signaling-emulator.session');
const kPing = Symbol('agora-signaling-emulator.ping');
const kRequest = Symbol('agora-signaling-emulator.request');
const kConnectTimeout = Symbol('agora-signaling-emulator.connect-timeout');

/**
 * The callback properties (typed by {@link sdk.SessionCallbacks}: what they hold reads as
 * `F | ''`, what they accept includes `vi.fn()` and `null`) are set in the constructor: a class
 * field cannot accept a wider type than it reads as. `onInviteReceived`'s handler takes the
 * emulator's Call.
 */
export interface Session extends sdk.SessionCallbacks {
  get onInviteReceived(): SdkCallback<(call: unknown) => void>;
  set onInviteReceived(handler: SdkCallbackInput<(call: Call) => void>);
  /** Not on the 1.4.0 web Session and never fired (native SDKs only); apps may assign it. */
  get onError(): SdkCallback<(evt: unknown) => void> | undefined;
  set onError(handler: SdkCallbackInput<(evt: unknown) => void>);
  /** Never fired by the web SDK 1.4.0. */
  get onInvokeRet(): SdkCallback<(...args: unknown[]) => void> | undefined;
  set onInvokeRet(handler: SdkCallbackInput<(...args: unknown[]) => void>);
  /** Never fired by the web SDK 1.4.0. */
  get onReconnecting(): SdkCallback<(...args: unknown[]) => void> | undefined;
  set onReconnecting(handler: SdkCallbackInput<(...args: unknown[]) => void>);
  /** Never fired by the web SDK 1.4.0. */
  get onReconnected(): SdkCallback<(...args: unknown[]) => void> | undefined;
  set onReconnected(handler: SdkCallbackInput<(...args: unknown[]) => void>);
}

/**
 * A login session, as `signal.login()` returns it. Fields and callbacks are those of 1.4.0;
 * callbacks are plain properties, read when the event fires.
 *
 * Quirk of 1.4.0: `messageInstantSend`, `invoke`, `channelJoin`, `channelInviteUser2` and
 * `call2` do not exist until the WebSocket opens (calling them earlier throws a TypeError), and
 * they are made anew on every reconnect.
 */
export class Session implements LinkClient, sdk.Session {
  account: string;
  /** 0 logged out, 1 logging in, 2 logged in, 3 reconnecting. */
  state: number = SessionState.LOGGING_IN;
  line = '';
  uid = 0;

  /**
   * Sends a peer message; `cb(isError)` gets `false` once the server accepted it. 1.4.0 checks
   * neither the state nor the length: the server refuses more than 8 KB.
   * (Exists once the WebSocket has opened.)
   */
  declare messageInstantSend: (peer: string, msg: string, cb?: SdkCallbackInput<(isError: boolean) => void>) => void;
  /**
   * Calls a server function. Ignored (the callback is never called) unless `func` starts with
   * `io.agora.signal.`; the 4th dotted segment names the function. `args.line` is written into
   * the caller's object. (Exists once the WebSocket has opened.)
   */
  declare invoke: (
    func: string,
    args: Record<string, unknown>,
    cb?: SdkCallbackInput<(err: string, resp: Record<string, unknown> | string) => void>,
  ) => void;
  /**
   * Joins a channel and returns its Channel, or `undefined` unless logged in (state 2). A
   * non-string name is `JSON.stringify`-ed. The Channel becomes the session's one current
   * channel (see {@link Channel}). (Exists once the WebSocket has opened.)
   *
   * @example
   * session.onLoginSuccess = () => {
   *   const channel = session.channelJoin('room')!;
   *   channel.onChannelJoined = () => channel.messageChannelSend('hi');
   * };
   */
  declare channelJoin: (name: unknown) => Channel | undefined;
  /**
   * Invites `peer` (an account, or a phone number for a SIP call) to `channelName` and returns
   * the Call. `extra` is sent as given (an object stays an object) and must be JSON up to 8 KB;
   * the cloud reads `_require_peer_online` and `_timeout` from it. (Exists once the WebSocket
   * has opened.)
   *
   * @example
   * const call = session.channelInviteUser2('room-1', 'bob', { _timeout: 30 });
   * call.onInviteAcceptedByPeer = () => joinMedia('room-1');
   */
  declare channelInviteUser2: (channelName: string, peer: string, extra?: unknown) => Call;
  /** Sends a raw call2 on the current connection. (Exists once the WebSocket has opened.) */
  declare call2: (name: string, args: Record<string, unknown>, cb?: ReplyHandler) => void;

  /** What it was logged in with (see {@link LoginSettings}). */
  readonly #login: LoginSettings;
  /** The reconnect loop's state, made when a socket first closes (most sessions never reconnect). */
  #retry: Retry | undefined;
  /** The ping timer: the batch that holds it, and its index there (see {@link TimerBatch}). */
  #pingTimer: TimerBatch<Session> | undefined;
  #pingIndex = 0;
  #pingN = 0;
  /** The SDK's 6 s connect timer of the socket still connecting (one attempt at a time). */
  #connectTimeout: TimerBatch<Session, Link> | undefined;
  #connectIndex = 0;
  /** What feature modules use of this Session; it holds the cloud's SDK context and the log owner. */
  readonly #internals: Internals;

  /** @internal Use `signal.login()`. */
  constructor(
    ctx: SdkContext,
    account: string,
    login: LoginSettings,
  ) {
    // In 1.4.0's order, before anything else the constructor defines.
    this.onLoginSuccess = '';
    this.onLoginFailed = '';
    this.onLogout = '';
    this.onInviteReceived = '';
    this.onMessageInstantReceive = '';
    this.account = account;
    this.#login = login;
    // The account may be undefined (1.4.0 sends what JSON.stringify gave: nothing); logs name it as text.
    const label = String(account);
    this.#internals = new Internals(ctx, label, ctx.nextSessionNumber(label), this);
  }

  /** @internal How the log shows this Session. */
  get [kLogLabel](): string {
    return `Session(${this.account})`;
  }

  /** @internal Opens the first connection (called by `signal.login`). */
  start(): void {
    this.#connect();
  }

  /**
   * Logs out, the 1.4.0 way: when logged in *and* `onLogout` is set, sends `user_logout` and on
   * the reply fires `onLogout(101)` and closes; logged in without `onLogout`: nothing at all;
   * logging in: state 0 with no callback (a login already sent still completes); reconnecting:
   * nothing.
   */
  logout(): void {
    this.#logCall('logout', []);
    if (this.state === SessionState.LOGGED_IN && this.onLogout) {
      this.call2('user_logout', { line: this.line }, () => {
        this.#fireLogout(101);
        this.#internals.connection?.link.close();
        this.#stopTimers();
      });
    } else if (this.state === SessionState.LOGGING_IN) {
      this.state = SessionState.LOGGED_OUT;
    }
  }

  /** 0 logged out, 1 logging in, 2 logged in, 3 reconnecting. */
  getStatus(): number {
    return this.state;
  }

  /** @internal */
  get [kInternals](): SessionInternals {
    return this.#internals;
  }

  // ---- the WebSocket handlers (symbol-keyed: off the app-visible surface) ----

  /** @internal */
  [kLinkOpen](link: Link): void {
    this.#onOpen(link);
  }

  /** @internal */
  [kLinkPush](link: Link, push: Push): void {
    this.#onPush(link, push);
  }

  /** @internal */
  [kLinkClose](link: Link): void {
    this.#onClose(link);
  }

  /** @internal */
  [kLinkError](link: Link): void {
    this.#onError(link);
  }

  #onOpen(link: Link): void {
    this.#clearConnectTimeout(link);
    if (this.state === SessionState.LOGGED_OUT) return link.close();
    if ((this.state === SessionState.LOGGING_IN && !this.#internals.connection?.link) || this.state === SessionState.RECONNECTING) {
      this.#goLogin(link);
    } else {
      link.close();
    }
  }

  #onPush(link: Link, push: Push): void {
    const conn = this.#internals.connection;
    if (!conn || conn.link !== link) return; // a message on a socket whose closure is gone
    // A channel event first: a channel's messages arrive to every member.
    if (push.type === 'channel2') return this.#internals.ctx.onChannelEvent(push, conn);
    switch (push.type) {
      case 'login_ret':
        return this.#onLoginRet(push.err, push.uid, push.line);
      case 'call2-ret': {
        const handler = push.id === conn.replyId ? conn.reply : conn.features?.replies?.get(push.id);
        if (!handler) return;
        // Quirk of 1.4.0: pending replies are never deleted, so a duplicated call2-ret runs the
        // callback again. Only a link that has duplicated a message can bring a reply twice;
        // elsewhere a handler that ran can never run again, and is let go, so that an idle
        // client's memory stays flat (one handler per poll, every 1.1 s, for ever otherwise).
        if (!conn.link.duplicated) {
          if (push.id === conn.replyId) conn.reply = undefined;
          else conn.features!.replies!.delete(push.id);
        }
        let err = push.err;
        const data = push.data;
        if (err === '' && typeof data === 'object' && data.result !== 'ok') {
          // Quirk of 1.4.0: the reason is read from data.data.result.
          const nested = (data.data as { result?: unknown } | undefined)?.result;
          err = nested !== undefined ? String(nested) : 'wrong resp:[object Object]';
        }
        handler(err, data, conn);
        return;
      }
      case 'pong':
        return;
      case 'msg':
        // In order, without duplicates, polling for what is missing (see PeerInbox).
        conn.receive(push.msg);
        return;
      case 'kick':
        return this.#fireLogout(103);
      case 'close':
        if (this.state === SessionState.LOGGING_IN) return this.#fireLoginFailedIfSet(201);
        this.#fireLogout(102);
        return this.#internals.connection?.link.close();
    }
  }

  /** The WebSocket closed cleanly. */
  #onClose(link: Link): void {
    this.#clearConnectTimeout(link);
    if (link !== this.#internals.connection?.link) return;
    if (this.state === SessionState.LOGGED_IN) {
      // A logged-in socket that closes: reconnect. (The ping stops; the poll timer waits:
      // 1.4.0's outlives its connection, see PeerInbox.resume.)
      this.#stopPing();
      this.state = SessionState.RECONNECTING;
      this.line = '';
      const retry = (this.#retry ??= new Retry());
      retry.count = 0;
      retry.delay = RECONNECT_FIRST_DELAY;
      retry.start = this.#internals.ctx.time.now();
      this.#reconnect();
    } else if (this.state === SessionState.LOGGING_IN && this.#login.lbs) {
      // Quirk of 1.4.0 (`alive_conn`): in state 1 the first clean close only counts down, the
      // second fires onLoginFailed(201) if it is set (else the state stays 1). Through the LBS
      // there are two sockets, and the one that opened second is closed by the SDK itself: so
      // the socket in use closing before login_ret is, sooner or later, the second close.
      this.#fireLoginFailedIfSet(201);
    }
    // Quirk of 1.4.0: otherwise, in state 1 with `ap_url` (one socket) or in 3, nothing
    // happens: the session is stuck.
  }

  /** The WebSocket failed (refused, timed out, broken). */
  #onError(link: Link): void {
    this.#clearConnectTimeout(link);
    if (appleMobileOrEdge()) {
      // Quirk of 1.4.0: on an iPad, iPhone, iPod or (EdgeHTML) Edge user agent an error first
      // turns state 2 into 3 and clears the line, so the SDK reconnects instead of logging out.
      if (this.state === SessionState.LOGGED_IN) {
        this.#stopPing();
        this.state = SessionState.RECONNECTING;
      }
      this.line = '';
    }
    const current = link === this.#internals.connection?.link;
    if (this.state === SessionState.LOGGED_IN && current) {
      // Quirk of 1.4.0: an error on a logged-in socket logs out, with no reconnect.
      this.#fireLogout(102);
    } else if (this.state === SessionState.LOGGING_IN) {
      this.#fireLoginFailed(201);
    } else if (this.state === SessionState.RECONNECTING) {
      const retry = (this.#retry ??= new Retry());
      if (retry.count === 0) retry.delay = RECONNECT_FIRST_DELAY;
      // Quirk of 1.4.0: every error restarts the reconnect_time window.
      retry.start = this.#internals.ctx.time.now();
      this.#reconnect();
    }
  }

  // ---- internals ----

  /** `b()`: opens a WebSocket; closes it after 6 s if it is still connecting. */
  #connect(): void {
    if (this.state !== SessionState.LOGGING_IN && this.state !== SessionState.RECONNECTING) return;
    const link = this.#internals.ctx.net.connect(this);
    const timer = scheduleTimer(this.#internals.ctx.time, CONNECT_TIMEOUT_TIMER, this, link, CONNECT_TIMEOUT, true);
    this.#connectTimeout = timer;
    this.#connectIndex = timer.length - 1;
  }

  /** @internal The 6 s connect timer of `link` went off (see {@link CONNECT_TIMEOUT_TIMER}). */
  [kConnectTimeout](link: Link, timer: TimerBatch<Session, Link>, index: number): void {
    if (this.#connectTimeout === timer && this.#connectIndex === index) this.#connectTimeout = undefined;
    if (link.state !== 'connecting') return;
    link.close();
    this.#onError(link);
  }

  /**
   * 1.4.0's connect timer is never cleared, but it only acts on a socket still connecting;
   * cancelling it once the socket opened or failed changes nothing the app sees, and
   * `settle()` need not wait 6 s for it.
   */
  #clearConnectTimeout(link: Link): void {
    const timer = this.#connectTimeout;
    if (timer === undefined || timer.extra(this.#connectIndex) !== link) return;
    timer.cancel(this.#connectIndex);
    this.#connectTimeout = undefined;
  }

  /** `go_login()`: builds the connection's closure and sends the login. */
  #goLogin(link: Link): void {
    const internals = this.#internals;
    const conn = new Connection(internals, link);
    // The methods of this connection: bound to it (one small object each, no closure scope).
    this.call2 = call2.bind(conn);
    this.messageInstantSend = messageInstantSend.bind(conn);
    this.invoke = invoke.bind(conn);
    const previous = internals.connection;
    // Quirk of 1.4.0: the previous connection's poll timer lives on (see PeerInbox.resume).
    if (previous !== undefined) {
      if (previous.alive) ((this.#retry ??= new Retry()).earlierInboxes ??= []).push(previous);
      else previous.stop();
    }
    // The fan-outs hand this link's channel events to this connection now (see #onPush: only
    // the current connection's link is listened to).
    if (previous !== undefined) previous.link.receiver = undefined;
    link.receiver = conn;
    internals.connection = conn;
    const features = internals.ctx.features;
    for (let i = 0; i < features.length; i++) features[i]!.connect(internals, conn);
    link.request({ type: 'login', vid: this.#login.vid, account: this.account, token: this.#login.token, uid: 0 });
  }

  #onLoginRet(err: string, uid: number, line: string): void {
    if (err !== '') {
      this.#fireLoginFailedIfSet(loginFailureCode(err));
      return;
    }
    // Quirk of 1.4.0: no state check, so a login_ret after logout() in state 1 still logs in.
    this.uid = uid;
    this.line = line;
    this.state = SessionState.LOGGED_IN;
    this.#pingN = 0;
    this.#internals.connection?.link.request({ type: 'ping', n: ++this.#pingN });
    this.#schedulePing();
    // A reconnect is a full new login: onLoginSuccess fires again.
    this.#fire('onLoginSuccess', [uid]);
    // Then the first user_getmsg, and the poll timer.
    this.#internals.connection?.start();
    // The poll timers of earlier connections act again now that the session is logged in.
    const earlier = this.#retry?.earlierInboxes;
    if (earlier !== undefined) for (const inbox of earlier) inbox.resume();
  }

  /** `v()`: schedules the next attempt, or gives up. */
  #reconnect(): void {
    const retry = (this.#retry ??= new Retry());
    const elapsed = this.#internals.ctx.time.now() - retry.start;
    if (elapsed < this.#login.retryMaxTime && retry.count < this.#login.retryMaxCount) {
      retry.count++;
      const delay = retry.delay;
      retry.timer = this.#internals.ctx.time.schedule(delay, `reconnect ${this.account}`, () => {
        retry.timer = undefined;
        retry.delay = Math.min(RECONNECT_MAX_DELAY, 2 * retry.delay);
        this.#connect();
      });
    } else if (this.state === SessionState.LOGGING_IN) {
      this.#fireLoginFailed(201);
    } else if (this.state === SessionState.RECONNECTING) {
      this.#fireLogout(102);
    }
  }

  #schedulePing(): void {
    const timer = scheduleTimer(this.#internals.ctx.time, PING_TIMER, this, undefined, PING_INTERVAL, false);
    this.#pingTimer = timer;
    this.#pingIndex = timer.length - 1;
  }

  /** @internal Sends a request on the current socket; false when it is closed (the request is dropped). */
  [kRequest](request: Request): boolean {
    return this.#internals.connection?.link.request(request) ?? false;
  }

  /** @internal The ping timer ticks (see {@link PING_TIMER}). */
  [kPing](): void {
    this.#pingTimer = undefined;
    if (this.state !== SessionState.LOGGED_IN) return;
    this.#internals.connection?.link.request({ type: 'ping', n: ++this.#pingN });
    this.#schedulePing();
  }

  #stopTimers(): void {
    this.#internals.connection?.stop();
    const retry = this.#retry;
    if (retry?.earlierInboxes !== undefined) for (const inbox of retry.earlierInboxes) inbox.stop();
    if (retry) retry.earlierInboxes = undefined;
    this.#stopPing();
    if (retry?.timer) this.#internals.ctx.time.cancel(retry.timer);
    if (retry) retry.timer = undefined;
  }

  #stopPing(): void {
    if (this.#pingTimer) this.#pingTimer.cancel(this.#pingIndex);
    this.#pingTimer = undefined;
  }

  /** `fire_login_failed`, reached only when `onLoginFailed` is set (quirk: else the state stays). */
  #fireLoginFailedIfSet(code: number): void {
    if (this.onLoginFailed) this.#fireLoginFailed(code);
  }

  /**
   * `fire_login_failed`: the callback only in state 1; state 0 always, and only once the
   * callback has returned (`try { … } finally { _(0) }`): inside `onLoginFailed` the app still
   * sees state 1, and what it calls there acts in state 1.
   */
  #fireLoginFailed(code: number): void {
    if (this.state === SessionState.LOGGING_IN) this.#fire('onLoginFailed', [code]);
    this.#loggedOut();
  }

  /**
   * `fire_logout`: the callback only in state 2 or 3; state 0 always, and only once the
   * callback has returned (`try { … } finally { _(0) }`): inside `onLogout` the app still sees
   * state 2 (3 when the retries ran out), and what it calls there (`logout()`, `channelJoin()`,
   * `messageInstantSend()`) acts in that state.
   */
  #fireLogout(code: number): void {
    if (this.state === SessionState.LOGGED_IN || this.state === SessionState.RECONNECTING) this.#fire('onLogout', [code]);
    this.#loggedOut();
  }

  /**
   * The `finally { _(0) }` of both. 1.4.0 stops no timer: its ping, poll and retry timers find
   * state 0 at their next tick and stop; cancelling them here is the same to the app, since no
   * time passes between.
   */
  #loggedOut(): void {
    this.state = SessionState.LOGGED_OUT;
    this.#stopTimers();
  }

  #fire(name: string, args: unknown[]): void {
    fire(this.#internals.ctx, this, this.#internals.owner, name, args);
  }

  #logCall(name: string, args: unknown[]): void {
    logCall(this.#internals.ctx, this.#internals.owner, name, args);
  }
}

/**
 * {@link SessionInternals} of one Session: one object per Session, no closures. It is also
 * the {@link Owner} of the Session's log entries (`client`, `session`), which 100 000 clients
 * would otherwise each keep as one more object.
 */
class Internals implements SessionInternals, Owner {
  readonly ctx: SdkContext;
  /** The account, as text (the Owner's). */
  readonly client: string;
  /** Which of the account's Sessions this is (the Owner's). */
  readonly session: number;
  readonly sdkSession: Session;
  /** The connection `go_login` made last: its link is 1.4.0's `h.socket`, the WebSocket that won `onopen`. */
  connection: Connection | undefined = undefined;

  constructor(ctx: SdkContext, client: string, session: number, sdkSession: Session) {
    this.ctx = ctx;
    this.client = client;
    this.session = session;
    this.sdkSession = sdkSession;
  }

  get owner(): Owner {
    return this;
  }

  fire(target: object, owner: Owner, name: string, args: unknown[]): void {
    fire(this.ctx, target, owner, name, args);
  }

  fireCb(cb: unknown, owner: Owner, name: string, args: unknown[]): void {
    fireUnguarded(this.ctx, cb, owner, name, args);
  }

  logCall(owner: Owner, name: string, args: unknown[]): void {
    logCall(this.ctx, owner, name, args);
  }
}

// ---- the methods `go_login` defines, bound to their connection ----

/** `call2`: numbers the request on its connection and sends it on the session's current socket. */
function call2(this: Connection, name: string, args: Record<string, unknown>, cb?: ReplyHandler): void {
  const id = ++this.nextCallId;
  if (cb) {
    if (this.reply === undefined) {
      this.reply = cb;
      this.replyId = id;
    } else (featuresOf(this).replies ??= new Map()).set(id, cb);
  }
  const { sdkSession: session, owner, ctx } = this.internals;
  // Quirk of 1.4.0: it JSON-encodes the frame after taking the id (a cycle throws here).
  if (!session[kRequest]({ type: 'call2', name, id, args: asSentOnTheWire(args) })) {
    ctx.log.append({ kind: 'fault', client: owner.client, name: 'request dropped', args: [name, 'socket closed'], session: owner.session });
  }
}

function messageInstantSend(this: Connection, peer: string, msg: string, cb?: unknown): void {
  const internals = this.internals;
  const session = internals.sdkSession;
  internals.logCall(internals.owner, 'messageInstantSend', [peer, msg]);
  session.call2('user_sendmsg', { line: session.line, peer, flag: 'v1:E:3600', t: 'instant', content: msg }, (err) => {
    // Quirk of 1.4.0: cb arguments are not guarded; a throw escapes.
    if (cb) internals.fireCb(cb, internals.owner, 'messageInstantSend:cb', [err !== '']);
  });
}

function invoke(this: Connection, func: string, args: Record<string, unknown>, cb?: unknown): void {
  const internals = this.internals;
  const session = internals.sdkSession;
  internals.logCall(internals.owner, 'invoke', [func, args]);
  // Quirk of 1.4.0: it calls `e.startsWith(…)` on whatever it is given.
  if (typeof func !== 'string') {
    throw new TypeError(func == null ? `Cannot read properties of ${String(func)} (reading 'startsWith')` : 'e.startsWith is not a function');
  }
  if (!func.startsWith('io.agora.signal.')) return; // quirk: silently ignored
  const name = func.split('.')[3] ?? '';
  args.line = session.line; // quirk: mutates the app's object
  session.call2(name, args, (err, resp) => {
    if (cb) internals.fireCb(cb, internals.owner, 'invoke:cb', [err, resp]);
  });
}

/**
 * 1.4.0 reads the browser's user agent when a WebSocket fails
 * (`navigator.userAgent.match(/(iPad|iPhone|iPod|Edge)/g)`). Node has no such user agent (or
 * none at all): the in-process SDK then behaves as on a desktop browser; in a page (the
 * browser build, a Playwright device) it behaves as 1.4.0 would on that device.
 */
function appleMobileOrEdge(): boolean {
  const nav = (globalThis as { navigator?: { userAgent?: unknown } }).navigator;
  return nav !== undefined && /(iPad|iPhone|iPod|Edge)/.test(String(nav.userAgent));
}

/**
 * What a Session was logged in with: the `login()` arguments and what the Signal said then.
 * One frozen object, shared by a Signal's Sessions logged in with the same (see
 * {@link loginSettings}), so that 100 000 logins do not each keep these five fields.
 */
export interface LoginSettings {
  readonly vid: string;
  readonly token: string;
  /** Quirk of 1.4.0: `|| default`, so 0 means the default. */
  readonly retryMaxCount: number;
  /** In milliseconds (quirk of 1.4.0: the doc says seconds), `|| 300 000`. */
  readonly retryMaxTime: number;
  /**
   * Whether 1.4.0 found the server through the LBS (no `setup_debugging('ap_url', …)`): it then
   * opens two WebSockets at the first login and closes the one that opens second (see #onClose).
   */
  readonly lbs: boolean;
}

/** The settings of a login: `previous` (the Signal's last) when they are the same. */
export function loginSettings(
  previous: LoginSettings | undefined,
  vid: string,
  token: string,
  reconnectCount: number | undefined,
  reconnectTime: number | undefined,
  lbs: boolean,
): LoginSettings {
  const retryMaxCount = reconnectCount || 10;
  const retryMaxTime = reconnectTime || 300_000;
  if (
    previous !== undefined &&
    previous.vid === vid &&
    previous.token === token &&
    previous.retryMaxCount === retryMaxCount &&
    previous.retryMaxTime === retryMaxTime &&
    previous.lbs === lbs
  ) {
    return previous;
  }
  return Object.freeze({ vid, token, retryMaxCount, retryMaxTime, lbs });
}

/**
 * The reconnect loop of a Session (`v()`): attempts so far, the next delay, the window's start,
 * the timer; and the inboxes of earlier connections whose poll timers still run (1.4.0's
 * outlive their connection). Made when a socket first closes or fails: most Sessions never
 * reconnect, and only a reconnect makes an earlier connection.
 */
class Retry {
  count = 0;
  delay = RECONNECT_FIRST_DELAY;
  start = 0;
  timer: Task | undefined = undefined;
  earlierInboxes: PeerInbox[] | undefined = undefined;
}

/** 1.4.0's 6 s timer on a socket still connecting (a reference in a batch, per attempt). */
const CONNECT_TIMEOUT_TIMER: TimerKind<Session, Link> = Object.freeze<TimerKind<Session, Link>>({
  periodic: false,
  label: (session) => `connect timeout ${session.account}`,
  fire: (session, link, timer, index) => session[kConnectTimeout](link, timer, index),
});

/** The 10 s ping timer's tick: background work (it repeats while the session is logged in). */
const PING_TIMER: TimerKind<Session, undefined> = Object.freeze<TimerKind<Session, undefined>>({
  periodic: true,
  label: (session) => `ping ${session.account}`,
  fire: (session) => session[kPing](),
});
