import { describeArg, readOptions, readWhole } from '../arguments.js';
import { bounds } from '../bounds.js';
import { EmulatorError, invariant } from '../errors.js';
import { reasons } from './protocol.js';
import type { CloudServer } from './server.js';
import type { ServerSession } from './state.js';

/** What `cloud.expireToken` does to a session that is logged in with the token. */
export type TokenExpiryEffect =
  /** (default) Nothing now; the token is refused at the session's next login or reconnect. */
  | 'next-login'
  /** The server kicks the session at once: 1.4.0 fires `onLogout(103)`. */
  | 'kick'
  /** The server closes the session at once: 1.4.0 fires `onLogout(102)`. */
  | 'close';

export interface FailNextOptions {
  /** The refusal reason the server answers with (the SDK's `err` string). */
  reason: string;
  /** Only requests of this account (default: anyone's). */
  account?: string;
  /** Only requests in this app (default: any app). */
  appId?: string;
  /** How many requests to refuse (default 1). */
  times?: number;
}

/** An armed `failNext`; `remove()` disarms what is left of it. */
export interface FailNextHandle {
  /** Refusals left. */
  readonly remaining: number;
  remove(): void;
}

interface Armed {
  name: string;
  reason: string;
  account: string | undefined;
  appId: string | undefined;
  remaining: number;
}

/**
 * The service scenarios a test scripts on the server side: kicking a session, closing it,
 * expiring its token, refusing the next requests of a kind. Each is one verb, and each is a
 * `'fault'` entry in the log. Misuse (an account that is not logged in, a request name the
 * server does not know) throws an {@link EmulatorError} that says what is there instead.
 */
export class ServiceFaults {
  private readonly server: CloudServer;
  private armed: Armed[] = [];
  /** Tokens expired by `expireToken`, per app and account. */
  private readonly expired = new Map<string, Set<string>>();

  /** Whether the guard is installed: at the first expireToken or failNext, so that a cloud without them checks nothing per request. */
  private guarding = false;

  constructor(server: CloudServer) {
    this.server = server;
  }

  private guard(): void {
    if (this.guarding) return;
    this.guarding = true;
    this.server.guard((req) => {
      // (No key made, and hashed, at every login while no token has expired.)
      if (req.name === 'login' && req.token !== undefined && this.expired.size > 0 && this.expired.get(key(req.appId, req.account))?.has(req.token)) {
        this.fault(req.account, 'expireToken', ['login refused', reasons.tokenExpired]);
        return reasons.tokenExpired;
      }
      for (const a of this.armed) {
        if (a.name !== req.name || a.remaining <= 0) continue;
        if (a.account !== undefined && a.account !== req.account) continue;
        if (a.appId !== undefined && a.appId !== req.appId) continue;
        a.remaining--;
        if (a.remaining === 0) this.armed = this.armed.filter((x) => x !== a);
        this.fault(req.account, 'failNext', [req.name, a.reason]);
        return a.reason;
      }
      return undefined;
    });
  }

  kick(account: string, appId: string | undefined, reason: string): void {
    const session = this.sessionOf(account, appId, 'kick');
    this.fault(account, 'kick', [reason]);
    this.server.kick(session, reason);
  }

  closeSession(account: string, appId: string | undefined): void {
    const session = this.sessionOf(account, appId, 'close the session of');
    this.fault(account, 'closeSession', []);
    this.server.close(session, 'close');
  }

  expireToken(account: string, appId: string | undefined, effect: TokenExpiryEffect): void {
    invariant(
      effect === 'next-login' || effect === 'kick' || effect === 'close',
      () => `Failed to expire a token: effect must be 'next-login', 'kick' or 'close', got ${describeArg(effect)}`,
    );
    const session = this.sessionOf(account, appId, 'expire the token of');
    const k = key(session.app.appId, account);
    const set = this.expired.get(k) ?? new Set<string>();
    set.add(session.token);
    this.expired.set(k, set);
    this.guard();
    this.fault(account, 'expireToken', [effect]);
    if (effect === 'kick') this.server.kick(session, reasons.tokenExpired);
    else if (effect === 'close') this.server.close(session, reasons.tokenExpired);
  }

  failNext(name: string, options: FailNextOptions): FailNextHandle {
    invariant(typeof name === 'string' && name !== '', () => `Failed to arm failNext: expected a request name like 'login' or 'user_sendmsg', got ${describeArg(name)}`);
    invariant(
      name === 'login' || this.server.handles(name),
      () => `Failed to arm failNext('${name}'): the server handles no request of that name (known: login, ${this.server.functionNames().join(', ')})`,
    );
    const what = `Failed to arm failNext('${name}')`;
    invariant(options !== null && typeof options === 'object' && !Array.isArray(options), `${what}: expected options { reason, account?, appId?, times? }`);
    const o = readOptions(options, ['reason', 'account', 'appId', 'times'], what, "{ reason: 'peer offline', times: 2 }");
    invariant(
      typeof o.reason === 'string' && o.reason !== '',
      `${what}: reason must be a non-empty string (the server's refusal, e.g. '${name === 'login' ? 'TokenErrorExpired' : 'peer offline'}')`,
    );
    for (const k of ['account', 'appId'] as const) {
      invariant(o[k] === undefined || typeof o[k] === 'string', () => `${what}: ${k} must be a string, got ${describeArg(o[k])}`);
    }
    const times = o.times === undefined ? 1 : readWhole(o.times, what, 'times', 1, bounds.maxTimes);
    const account = o.account as string | undefined;
    const armed: Armed = { name, reason: o.reason, account, appId: o.appId as string | undefined, remaining: times };
    this.armed.push(armed);
    this.guard();
    this.fault(account ?? '', 'failNext', ['armed', { request: name, reason: o.reason, times }]);
    return {
      get remaining() {
        return armed.remaining;
      },
      remove: () => {
        armed.remaining = 0;
        this.armed = this.armed.filter((x) => x !== armed);
      },
    };
  }

  /** The one live session of `account` (in `appId`), or a clear error. */
  private sessionOf(account: string, appId: string | undefined, verb: string): ServerSession {
    invariant(typeof account === 'string', () => `Cannot ${verb} ${describeArg(account)}: expected an account name`);
    if (appId !== undefined) {
      const app = this.server.apps.get(appId);
      invariant(app, () => `Cannot ${verb} '${account}': there is no app '${appId}' (apps: ${[...this.server.apps.keys()].join(', ') || 'none'})`);
      const s = app.sessions.get(account);
      if (!s) throw new EmulatorError(`Cannot ${verb} '${account}': no session of '${account}' is logged in to app '${appId}' (online: ${online([...app.sessions.keys()])})`);
      return s;
    }
    const found: ServerSession[] = [];
    for (const app of this.server.apps.values()) {
      const s = app.sessions.get(account);
      if (s) found.push(s);
    }
    if (found.length === 1) return found[0]!;
    if (found.length > 1) {
      throw new EmulatorError(
        `Cannot ${verb} '${account}': it is logged in to several apps (${found.map((s) => s.app.appId).join(', ')}); say which with { appId }`,
      );
    }
    const everyone = [...this.server.apps.values()].flatMap((app) => [...app.sessions.keys()]);
    throw new EmulatorError(`Cannot ${verb} '${account}': no session of '${account}' is logged in (online: ${online(everyone)})`);
  }

  private fault(client: string, name: string, args: unknown[]): void {
    this.server.ctx.log.append({ kind: 'fault', client, name, args });
  }
}

function key(appId: string, account: string): string {
  return `${appId}\u0000${account}`;
}

function online(accounts: string[]): string {
  return accounts.length > 0 ? [...new Set(accounts)].join(', ') : 'nobody';
}
