import mitt, { type Emitter } from 'mitt';
import { errorName } from '../arguments.js';
import { bounds } from '../bounds.js';
import { invariant } from '../errors.js';
import { newEntry, type EventLog } from '../log/event-log.js';
import type { Rng } from '../time/rng.js';
import type { Timekeeper } from '../time/timekeeper.js';
import { AccountDirectory, AppAccounts, LINE_PREFIX, OnlineSessions } from './accounts.js';
import { reasons, type Port, type Push, type Request } from './protocol.js';
import type { AccountState, AppState, ServerSession } from './state.js';
import { tokenExpiry, verifyToken } from './token.js';

/**
 * What a call2 handler answers: data for `{"result":"ok", …}`, or a refusal reason; or the
 * data whole, `result: 'ok'` first (sent as it is: a join reply, whose list is made when read).
 */
export type Reply = { data: Record<string, unknown> } | { err: string } | { whole: Record<string, unknown> };

export const ok = (data: Record<string, unknown> = {}): Reply => ({ data });
export const okWhole = (whole: Record<string, unknown>): Reply => ({ whole });
export const refuse = (err: string): Reply => ({ err });

/** Handles one call2 function for a logged-in session. */
export type Call2Handler = (session: ServerSession, args: Record<string, unknown>) => Reply;

export interface ServerEvents {
  /** A session logged in (after its login_ret was sent). */
  'session:start': ServerSession;
  /** A session ended: logout, kick, closed connection, or server close. */
  'session:end': { session: ServerSession; why: SessionEndReason };
  [key: string | symbol]: unknown;
}

export type SessionEndReason = 'logout' | 'kicked' | 'disconnected' | 'closed';

/** A request as a guard sees it, before the server handles it. */
export interface GuardedRequest {
  /** `login`, or the call2 function name. */
  readonly name: string;
  readonly appId: string;
  readonly account: string;
  /** The token a login carries (logins only). */
  readonly token?: string;
}

/** Refuses a request with a reason (a string), or lets it through (undefined). */
export type RequestGuard = (request: GuardedRequest) => string | undefined;

export interface ServerContext {
  time: Timekeeper;
  rng: Rng;
  log: EventLog;
}

const ACCOUNT_MAX = 128;

/**
 * The Signaling server as a pure state machine: requests in, replies and pushes out through
 * each connection's {@link Port}. It reads time from the cloud's clock and does no I/O.
 */
export class CloudServer {
  readonly apps = new Map<string, AppState>();
  /** Every app's accounts, and the SDK's session numbers, by name (one Map: see {@link AccountDirectory}). */
  readonly directory = new AccountDirectory();
  /** Internal notifications between the server's feature modules. */
  readonly events: Emitter<ServerEvents> = mitt<ServerEvents>();
  private readonly handlers = new Map<string, Call2Handler>();
  private readonly guards: RequestGuard[] = [];
  private nextSessionId = 1;
  /** Work held back until the reply of the call2 being handled is sent (see `afterReply`). */
  private deferred: Array<() => void> | undefined;
  /** A call2 is being handled (its deferred work is made into a list at the first). */
  private handling = false;
  readonly ctx: ServerContext;

  constructor(ctx: ServerContext) {
    this.ctx = ctx;
  }

  /** Declares an app; with a certificate, logins need valid tokens. */
  createApp(appId: string, certificate?: string): AppState {
    invariant(typeof appId === 'string' && appId.length > 0, `Failed to create an app: appId must be a non-empty string, got ${JSON.stringify(appId)}`);
    invariant(!this.apps.has(appId), `Failed to create app '${appId}': it already exists (declare each app once, before its first login)`);
    const app = { appId, certificate, nextUid: 1 } as { -readonly [K in keyof AppState]: AppState[K] };
    app.accounts = new AppAccounts(this.directory, app);
    app.sessions = new OnlineSessions(this.directory, app);
    this.apps.set(appId, app);
    return app;
  }

  /** The app, created on first use without a certificate. */
  app(appId: string): AppState {
    return this.apps.get(appId) ?? this.createApp(appId);
  }

  /** The account `name` of `app`, made if it does not exist yet. */
  account(app: AppState, name: string): AccountState {
    return this.directory.claim(app, name);
  }

  /** Registers the handler of a call2 function (one per feature module). */
  handle(name: string, handler: Call2Handler): void {
    this.handlers.set(name, handler);
  }

  /** Whether a call2 function has a handler (or is built in: `user_logout`). */
  handles(name: string): boolean {
    return name === 'user_logout' || this.handlers.has(name);
  }

  /** Names of the call2 functions the server handles. */
  functionNames(): string[] {
    return ['user_logout', ...this.handlers.keys()];
  }

  /** Adds a guard that may refuse a request before it is handled (failure injection). */
  guard(guard: RequestGuard): void {
    this.guards.push(guard);
  }

  private guarded(request: GuardedRequest): string | undefined {
    for (const g of this.guards) {
      const reason = g(request);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }

  /** The session logged in on this connection, if any. */
  sessionOf(port: Port): ServerSession | undefined {
    return port.serverSession;
  }

  /**
   * Runs `fn` once the reply of the call2 being handled has been sent (at once when no call2 is
   * being handled), so that pushes caused by a request follow its reply on the author's link.
   */
  afterReply(fn: () => void): void {
    if (this.handling) (this.deferred ??= []).push(fn);
    else fn();
  }

  /** Records a server decision in the log. */
  note(name: string, client: string, args: unknown[]): void {
    const log = this.ctx.log;
    if (log.records('server')) log.append(newEntry('server', client, name, args));
  }

  /** A request arrived from a client connection. */
  receive(port: Port, req: Request): void {
    switch (req.type) {
      case 'login':
        return this.login(port, req);
      case 'ping':
        return port.push({ type: 'pong', n: req.n });
      case 'call2':
        return this.call2(port, req.name, req.id, req.args);
    }
  }

  /** The connection went away (client closed it, or the network lost it). */
  disconnected(port: Port): void {
    const session = port.serverSession;
    if (session) this.endSession(session, 'disconnected');
  }

  /** Ends a session from the server side with a `kick` push (the SDK fires `onLogout(103)`). */
  kick(session: ServerSession, reason: string): void {
    session.port.push({ type: 'kick', reason });
    this.endSession(session, 'kicked');
    session.port.end(reason);
  }

  /** Ends a session from the server side with a `close` push (the SDK fires `onLogout(102)`). */
  close(session: ServerSession, reason: string): void {
    session.port.push({ type: 'close', reason });
    this.endSession(session, 'closed');
    session.port.end(reason);
  }

  /** Sends a push to a live session. */
  push(session: ServerSession, push: Push): void {
    if (!session.ended) session.port.push(push);
  }

  /** Pushes the same message to each session in order but `except` (a channel event to its members). */
  pushAll(sessions: readonly ServerSession[], except: ServerSession | undefined, push: Push): void {
    let i = 0;
    while (i < sessions.length) {
      const session = sessions[i]!;
      if (session === except || session.ended) {
        i++;
        continue;
      }
      const port = session.port;
      if (port.pushFrom !== undefined) {
        i = port.pushFrom(sessions, i, except, push);
      } else {
        port.push(push);
        i++;
      }
    }
  }

  private login(port: Port, req: Extract<Request, { type: 'login' }>): void {
    if (port.serverSession !== undefined) return this.refuseLogin(port, req, 'already logged in on this connection');
    const account = req.account;
    if (typeof account !== 'string' || !validAccount(account)) return this.refuseLogin(port, req, reasons.wrongAccount);
    // An app id the SDK was not given (Signal() or Signal('')) is refused; 1.4.0 makes that 201.
    const vid = typeof req.vid === 'number' ? String(req.vid) : req.vid;
    if (typeof vid !== 'string' || vid === '') return this.refuseLogin(port, req, reasons.invalidVid);
    const app = this.app(vid);
    const now = this.ctx.time.now();
    const injected = this.guards.length === 0 ? undefined : this.guarded({ name: 'login', appId: app.appId, account, token: String(req.token) });
    if (injected !== undefined) return this.refuseLogin(port, req, injected);
    if (app.certificate !== undefined) {
      const verdict = verifyToken(req.token, app.appId, app.certificate, account, now);
      if (verdict !== 'ok') return this.refuseLogin(port, req, verdict);
    }
    const acc = this.account(app, account);
    const previous = acc.session;
    if (previous) {
      this.note('kick', account, ['logged in elsewhere']);
      this.kick(previous, reasons.kicked);
    }
    const id = this.nextSessionId++;
    // What a channel broadcast reads of each member comes first (see Link's fields). A literal:
    // V8 makes the objects of a literal whose objects survive old at once (allocation-site
    // pretenuring), and 100 000 sessions are then not copied out of the young generation (as
    // objects of a class, about 170 more bytes per login were).
    const session: ServerSession = {
      ended: false,
      port,
      app,
      account: acc,
      line: `${LINE_PREFIX}${id}`,
      token: String(req.token),
      tokenExpiresAt: app.certificate !== undefined ? tokenExpiry(String(req.token)) : undefined,
      loggedInSince: this.ctx.time.since(now),
      msgSeq: 0,
      inbox: undefined,
    };
    acc.session = session;
    port.serverSession = session;
    port.label = account;
    port.push({ type: 'login_ret', err: '', uid: acc.uid, line: session.line });
    this.emit('session:start', session);
  }

  /** A method, not a closure made on every login (100 000 logins made as many). */
  private refuseLogin(port: Port, req: Extract<Request, { type: 'login' }>, reason: string): void {
    this.note('login refused', String(req.account), [reason]);
    port.push({ type: 'login_ret', err: reason, uid: 0, line: '' });
  }

  private call2(port: Port, name: string, id: number, args: Record<string, unknown>): void {
    const session = port.serverSession;
    if (!session) {
      // Said in the log like every refusal: the reply may never reach an app that has closed its socket.
      this.note('refused', port.label, [name, reasons.notLoggedIn]);
      port.push({ type: 'call2-ret', id, err: reasons.notLoggedIn, data: '' });
      return;
    }
    const injected = this.guards.length === 0 ? undefined : this.guarded({ name, appId: session.app.appId, account: session.account.account });
    if (injected !== undefined) {
      this.note('refused', session.account.account, [name, injected]);
      port.push({ type: 'call2-ret', id, err: injected, data: '' });
      return;
    }
    if (name === 'user_logout') {
      port.push({ type: 'call2-ret', id, err: '', data: { result: 'ok' } });
      this.endSession(session, 'logout');
      return;
    }
    const handler = this.handlers.get(name);
    this.handling = true;
    let reply: Reply;
    let deferred: Array<() => void> | undefined;
    try {
      if (!handler) reply = refuse(reasons.unknownFunction);
      else if (args && typeof args === 'object' && nestedDeeperThan(args, bounds.maxDepth)) {
        // No handler recurses into such a value (JSON.stringify of an attribute would overflow).
        this.note('request too deep', session.account.account, [name, `nested more than ${bounds.maxDepth} levels`]);
        reply = refuse(reasons.badArgs);
      } else reply = handler(session, args && typeof args === 'object' ? args : {});
    } catch (error) {
      // A request the server cannot handle is still answered (the app's callback fires) and logged.
      this.note('request failed', session.account.account, [name, errorName(error)]);
      reply = refuse(reasons.internal);
    } finally {
      this.handling = false;
      deferred = this.deferred;
      this.deferred = undefined;
    }
    if ('err' in reply) {
      this.note('refused', session.account.account, [name, reply.err]);
      port.push({ type: 'call2-ret', id, err: reply.err, data: '' });
    } else if ('whole' in reply) {
      port.push({ type: 'call2-ret', id, err: '', data: reply.whole });
    } else {
      port.push({ type: 'call2-ret', id, err: '', data: { result: 'ok', ...reply.data } });
    }
    if (deferred !== undefined) for (const fn of deferred) fn();
  }

  /**
   * `events.emit`, without the copy of the handler list, the list of their results and the
   * closure mitt makes at each event (about 240 bytes at each of 100 000 logins). The handlers
   * run in the order they were added; one added meanwhile waits for the next event, as with
   * mitt (none is ever removed).
   */
  private emit<K extends 'session:start' | 'session:end'>(type: K, event: ServerEvents[K]): void {
    const handlers = this.events.all.get(type) as Array<(event: ServerEvents[K]) => void> | undefined;
    if (handlers !== undefined) for (let i = 0, n = handlers.length; i < n; i++) handlers[i]!(event);
    const any = this.events.all.get('*') as Array<(type: K, event: ServerEvents[K]) => void> | undefined;
    if (any !== undefined) for (let i = 0, n = any.length; i < n; i++) any[i]!(type, event);
  }

  private endSession(session: ServerSession, why: SessionEndReason): void {
    if (session.ended) return;
    session.ended = true;
    session.port.serverSession = undefined;
    if (session.account.session === session) session.account.session = undefined;
    this.note('session ended', session.account.account, [why]);
    this.emit('session:end', { session, why });
  }
}

/** Whether a request's arguments nest arrays or objects more than `max` levels (a bounded walk). */
function nestedDeeperThan(value: object, max: number): boolean {
  if (max <= 0) return true;
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'object' && v !== null && nestedDeeperThan(v, max - 1)) return true;
  }
  return false;
}

/** Up to 128 visible characters, no spaces (the doc's account rule). */
export function validAccount(account: string): boolean {
  // Code points are counted (an array of them made) only when the UTF-16 length is over the
  // limit; the pattern runs only on a name that is not all printable ASCII.
  return (
    account.length > 0 &&
    (account.length <= ACCOUNT_MAX || [...account].length <= ACCOUNT_MAX) &&
    (printableAscii(account) || !INVALID_ACCOUNT_CHAR.test(account))
  );
}

/** `!` to `~`: no whitespace and no control character among them. */
function printableAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

/** Whitespace and control characters (no `g` flag: `test` keeps no state). */
const INVALID_ACCOUNT_CHAR = /[\s\p{Cc}]/u;
