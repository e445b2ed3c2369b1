import type { Push, UserMessage } from '../cloud/protocol.js';
import type { Link, LinkCloseCause, LinkClient } from '../net/link.js';
import type { Task } from '../time/scheduler.js';
import { loginFailureCode } from './login-codes.js';
import type { Owner, SdkCallback, SdkContext } from './context.js';
import { fire, logCall } from './fire.js';

/** Login states of 1.4.0 (`getStatus()`); 3 is reconnecting, which the web doc does not list. */
export const SessionState = { LOGGED_OUT: 0, LOGGING_IN: 1, LOGGED_IN: 2, RECONNECTING: 3 } as const;

/** 1.4.0 pings every 10 s while logged in. */
const PING_INTERVAL = 10_000;
/** Reconnect back-off: 200 ms doubling up to 2000 ms. */
const RECONNECT_FIRST_DELAY = 200;
const RECONNECT_MAX_DELAY = 2000;

type ReplyHandler = (err: string, data: Record<string, unknown>) => void;

/** Internal hooks between a Session and the objects it makes (Channel, Call). */
export const kSession = Symbol('agora-signaling-emulator.session');

export interface SessionInternals {
  readonly ctx: SdkContext;
  readonly owner: Owner;
  /** Which login this is: bumped by every successful (re)login; older objects go quiet. */
  readonly generation: number;
  /** Sends a call2 on the current connection; `onReply` gets `(err, data)`. */
  call2(name: string, args: Record<string, unknown>, onReply?: ReplyHandler): void;
  fire(target: object, owner: Owner, name: string, args: unknown[]): void;
  logCall(owner: Owner, name: string, args: unknown[]): void;
}

/**
 * A login session, as `signal.login()` returns it. Fields and callbacks are those of 1.4.0;
 * callbacks are plain properties, read when the event fires.
 */
export class Session implements LinkClient {
  account: string;
  /** 0 logged out, 1 logging in, 2 logged in, 3 reconnecting. */
  state: number = SessionState.LOGGED_OUT;
  line = '';
  uid = 0;

  onLoginSuccess: SdkCallback<(uid: number) => void> = '';
  onLoginFailed: SdkCallback<(ecode: number) => void> = '';
  onLogout: SdkCallback<(ecode: number) => void> = '';
  onMessageInstantReceive: SdkCallback<(account: string, uid: number, msg: string) => void> = '';
  onInviteReceived: SdkCallback<(call: unknown) => void> = '';
  /** Never fired by the web SDK 1.4.0 (native SDKs only); apps may still assign it. */
  onError: SdkCallback<(evt: unknown) => void> = '';
  /** Never fired by the web SDK 1.4.0. */
  onInvokeRet: SdkCallback<(...args: unknown[]) => void> = '';
  /** Never fired by the web SDK 1.4.0. */
  onReconnecting: SdkCallback<(...args: unknown[]) => void> = '';
  /** Never fired by the web SDK 1.4.0. */
  onReconnected: SdkCallback<(...args: unknown[]) => void> = '';

  readonly #ctx: SdkContext;
  readonly #owner: Owner;
  readonly #vid: string;
  readonly #token: string;
  readonly #reconnectCount: number;
  readonly #reconnectTime: number;
  #link: Link | undefined;
  #callId = 0;
  #replies = new Map<number, ReplyHandler>();
  #pingTimer: Task | undefined;
  #pingN = 0;
  #generation = 0;
  #reconnecting: { attempts: number; since: number; timer: Task | undefined } | undefined;
  #messageHandlers = new Map<string, (msg: UserMessage) => void>();
  #pushHandlers = new Map<string, (push: Push) => void>();

  /** @internal Use `signal.login()`. */
  constructor(
    ctx: SdkContext,
    vid: string,
    account: string,
    token: string,
    reconnectCount: number,
    reconnectTime: number,
  ) {
    this.#ctx = ctx;
    this.#vid = vid;
    this.account = account;
    this.#token = token;
    this.#reconnectCount = reconnectCount;
    this.#reconnectTime = reconnectTime;
    this.#owner = { client: account, session: ctx.nextSessionNumber(account) };
    this.#messageHandlers.set('instant', (m) => this.#fire('onMessageInstantReceive', [m.from, m.fromUid, m.content]));
  }

  /** @internal Starts the first login (called by `signal.login`). */
  start(): void {
    this.state = SessionState.LOGGING_IN;
    this.#connect();
  }

  /**
   * Logs out. 1.4.0 acts only when logged in *and* `onLogout` is set (it then sends
   * `user_logout`, fires `onLogout(101)` and closes); while logging in it just stops.
   */
  logout(): void {
    this.#logCall('logout', []);
    if (this.state === SessionState.LOGGING_IN) {
      // Quirk of 1.4.0: a logout while logging in gives no callback at all.
      this.state = SessionState.LOGGED_OUT;
      this.#teardown();
      return;
    }
    if (this.state !== SessionState.LOGGED_IN || !this.onLogout) return; // quirk: no onLogout, no logout
    this.call2('user_logout', {});
    this.state = SessionState.LOGGED_OUT;
    this.#teardown();
    this.#ctx.time.schedule(0, `onLogout(101) → ${this.account}`, () => this.#fire('onLogout', [101]));
  }

  /** 0 logged out, 1 logging in, 2 logged in, 3 reconnecting. */
  getStatus(): number {
    return this.state;
  }

  /**
   * Sends a peer message; `cb(isError)` gets `false` once the server accepted it.
   * 1.4.0 checks no length itself: the server refuses more than 8 KB.
   */
  messageInstantSend(peer: string, msg: string, cb?: SdkCallback<(isError: boolean) => void>): void {
    this.#logCall('messageInstantSend', [peer, msg]);
    this.call2('user_sendmsg', { peer, flag: 'v1:E:3600', t: 'instant', content: msg }, (err) => {
      if (typeof cb === 'function') this.#fireFn(cb, 'messageInstantSend:cb', [err !== '']);
    });
  }

  /**
   * Calls a server function. Ignored (the callback is never called) unless `func` starts with
   * `io.agora.signal.`; the 4th dotted segment names the function. `args.line` is written into
   * the caller's object, as 1.4.0 does.
   */
  invoke(func: string, args: Record<string, unknown>, cb?: SdkCallback<(err: string, resp: Record<string, unknown>) => void>): void {
    this.#logCall('invoke', [func, args]);
    if (typeof func !== 'string' || !func.startsWith('io.agora.signal.')) return; // quirk: silently ignored
    const name = func.split('.')[3] ?? '';
    const body = args && typeof args === 'object' ? args : {};
    body.line = this.line; // quirk: mutates the app's object
    this.call2(name, body, (err, data) => {
      if (typeof cb === 'function') this.#fireFn(cb, 'invoke:cb', [err, data]);
    });
  }

  /** @internal */
  get [kSession](): SessionInternals {
    return {
      ctx: this.#ctx,
      owner: this.#owner,
      generation: this.#generation,
      call2: (name, args, onReply) => this.call2(name, args, onReply),
      fire: (target, owner, name, args) => fire(this.#ctx, target, owner, name, args),
      logCall: (owner, name, args) => logCall(this.#ctx, owner, name, args),
    };
  }

  /** @internal Routes user messages of a type (`voip_*`) to a feature module. */
  onMessageType(type: string, handler: (msg: UserMessage) => void): void {
    this.#messageHandlers.set(type, handler);
  }

  /** @internal Routes pushes of a type (`channel2`) to a feature module. */
  onPushType(type: string, handler: (push: Push) => void): void {
    this.#pushHandlers.set(type, handler);
  }

  /** @internal Sends a call2 on the current connection (dropped when there is none, as in 1.4.0). */
  call2(name: string, args: Record<string, unknown>, onReply?: ReplyHandler): void {
    const link = this.#link;
    if (!link || !link.open || this.state !== SessionState.LOGGED_IN) {
      this.#ctx.log.append({ kind: 'fault', client: this.account, name: 'request dropped', args: [name, 'not connected'], session: this.#owner.session });
      return;
    }
    const id = ++this.#callId;
    if (onReply) this.#replies.set(id, onReply);
    args.line ??= this.line;
    link.request({ type: 'call2', name, id, args });
  }

  // ---- LinkClient: what the connection tells us ----

  /** @internal */
  onPush(push: Push): void {
    switch (push.type) {
      case 'login_ret':
        return this.#onLoginRet(push.err, push.uid, push.line);
      case 'call2-ret': {
        const handler = this.#replies.get(push.id);
        if (!handler) return;
        this.#replies.delete(push.id);
        const result = push.data.result;
        handler(push.err !== '' ? push.err : result !== undefined && result !== 'ok' ? String(result) : '', push.data);
        return;
      }
      case 'pong':
        return;
      case 'msg': {
        const handler = this.#messageHandlers.get(push.msg.type);
        if (handler && this.state === SessionState.LOGGED_IN) handler(push.msg);
        return;
      }
      case 'kick':
        return this.#serverEnded(103);
      case 'close':
        return this.#serverEnded(102);
      default:
        this.#pushHandlers.get(push.type)?.(push);
    }
  }

  /** @internal */
  onClose(cause: LinkCloseCause): void {
    this.#link = undefined;
    this.#stopPing();
    if (this.state === SessionState.LOGGING_IN) {
      this.state = SessionState.LOGGED_OUT;
      this.#fire('onLoginFailed', [201]);
    } else if (this.state === SessionState.LOGGED_IN && cause === 'network') {
      this.#startReconnecting();
    } else if (this.state === SessionState.LOGGED_IN) {
      // The server closed the socket without a kick/close frame: the SDK reconnects.
      this.#startReconnecting();
    } else if (this.state === SessionState.RECONNECTING) {
      this.#retryOrGiveUp();
    }
  }

  // ---- internals ----

  #connect(): void {
    this.#callId = 0;
    this.#replies.clear();
    const link = this.#ctx.net.connect(this);
    this.#link = link;
    link.request({ type: 'login', vid: this.#vid, account: this.account, token: this.#token, uid: 0 });
  }

  #onLoginRet(err: string, uid: number, line: string): void {
    if (err !== '') {
      const wasLoggingIn = this.state === SessionState.LOGGING_IN;
      this.state = SessionState.LOGGED_OUT;
      this.#teardown();
      // Quirk: onLoginFailed fires only in state 1, so a refused re-login is silent.
      if (wasLoggingIn) this.#fire('onLoginFailed', [loginFailureCode(err)]);
      return;
    }
    if (this.state !== SessionState.LOGGING_IN && this.state !== SessionState.RECONNECTING) return;
    this.#reconnecting = undefined;
    this.state = SessionState.LOGGED_IN;
    this.uid = uid;
    this.line = line;
    this.#generation++;
    this.#startPing();
    // A reconnect is a full new login: onLoginSuccess fires again.
    this.#fire('onLoginSuccess', [uid]);
  }

  #serverEnded(code: 102 | 103): void {
    if (this.state !== SessionState.LOGGED_IN && this.state !== SessionState.RECONNECTING) return;
    this.state = SessionState.LOGGED_OUT;
    this.#teardown();
    this.#fire('onLogout', [code]);
  }

  #startReconnecting(): void {
    this.state = SessionState.RECONNECTING;
    this.line = '';
    this.#reconnecting = { attempts: 0, since: this.#ctx.time.now(), timer: undefined };
    this.#retryOrGiveUp();
  }

  #retryOrGiveUp(): void {
    const r = this.#reconnecting;
    if (!r) return;
    const elapsed = this.#ctx.time.now() - r.since;
    if (r.attempts >= this.#reconnectCount || elapsed >= this.#reconnectTime) {
      this.#reconnecting = undefined;
      this.state = SessionState.LOGGED_OUT;
      this.#teardown();
      this.#fire('onLogout', [102]);
      return;
    }
    const delay = Math.min(RECONNECT_MAX_DELAY, RECONNECT_FIRST_DELAY * 2 ** r.attempts);
    r.attempts++;
    r.timer = this.#ctx.time.schedule(delay, `reconnect ${this.account}`, () => {
      r.timer = undefined;
      if (this.state === SessionState.RECONNECTING) this.#connect();
    });
  }

  #startPing(): void {
    this.#stopPing();
    const tick = (): void => {
      this.#link?.request({ type: 'ping', n: ++this.#pingN });
      this.#pingTimer = this.#ctx.time.schedule(PING_INTERVAL, `ping ${this.account}`, tick);
    };
    this.#pingTimer = this.#ctx.time.schedule(0, `ping ${this.account}`, tick);
  }

  #stopPing(): void {
    if (this.#pingTimer) this.#ctx.time.cancel(this.#pingTimer);
    this.#pingTimer = undefined;
  }

  #teardown(): void {
    this.#stopPing();
    if (this.#reconnecting?.timer) this.#ctx.time.cancel(this.#reconnecting.timer);
    this.#reconnecting = undefined;
    this.#link?.close();
    this.#link = undefined;
    this.#replies.clear();
  }

  #fire(name: string, args: unknown[]): void {
    fire(this.#ctx, this, this.#owner, name, args);
  }

  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  #fireFn(fn: Function, name: string, args: unknown[]): void {
    fire(this.#ctx, { [name]: fn }, this.#owner, name, args);
  }

  #logCall(name: string, args: unknown[]): void {
    logCall(this.#ctx, this.#owner, name, args);
  }
}
