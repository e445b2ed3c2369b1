import { describeArg, readOptions, readWhole } from '../arguments.js';
import { bounds } from '../bounds.js';
import { invariant } from '../errors.js';
import type { Task } from '../time/scheduler.js';
import { limits } from './limits.js';
import type { UserMessage } from './protocol.js';
import type { CloudServer } from './server.js';
import type { AccountState, AppState } from './state.js';

/** How many messages the server keeps for offline users. */
export interface StoredMessageLimits {
  /** Most messages kept for one account (default 1 000). One more is refused: the sender's `cb(true)`. */
  perAccount: number;
  /** Most messages kept in one app, over all its accounts (default 10 000). */
  perApp: number;
}

export const defaultStoredMessageLimits: Readonly<StoredMessageLimits> = Object.freeze({ perAccount: 1_000, perApp: 10_000 });

/** What {@link MessageStore.take} gives for an account with nothing kept (at every login: no new array each). */
const NOTHING_STORED: ReadonlyArray<Omit<UserMessage, 'seq'>> = Object.freeze([]);

/** Why the server refuses to store a message (the `err` of the call2 reply). */
export const storeReasons = {
  accountFull: 'too many stored messages for the peer',
  appFull: 'too many stored messages in the app',
} as const;

/**
 * Messages to users who are offline, kept for their next login (`flag: "v1:E:N"`: N seconds,
 * at most the 3600 s the SDK sends). Bounded: at most `perAccount` messages per account and
 * `perApp` per app; one more is refused. Each message expires by a timer at its time (logged
 * then, `stored message expired`), so the store never holds a message past its expiry.
 */
export class MessageStore {
  private readonly server: CloudServer;
  private limits: StoredMessageLimits = { ...defaultStoredMessageLimits };
  /** Messages kept per app. */
  private readonly perApp = new Map<AppState, number>();
  /** The expiry timer of each account with stored messages, due at its earliest expiry. */
  private readonly timers = new Map<AccountState, { task: Task; due: number }>();

  constructor(server: CloudServer) {
    this.server = server;
  }

  /**
   * Changes the caps (whole numbers from 1 to 1 000 000 000); returns the caps now in effect.
   * Messages already kept stay.
   */
  setLimits(given: Partial<StoredMessageLimits>): StoredMessageLimits {
    const what = 'Failed to set the stored-message limits';
    invariant(given !== null && typeof given === 'object' && !Array.isArray(given), () => `${what}: expected an object like { perAccount: 10 }, got ${describeArg(given)}`);
    const o = readOptions(given, ['perAccount', 'perApp'], what, '{ perAccount: 10, perApp: 100 }', 'limit');
    const next = { ...this.limits };
    if (o.perAccount !== undefined) next.perAccount = readWhole(o.perAccount, what, 'perAccount', 1, bounds.maxLimit);
    if (o.perApp !== undefined) next.perApp = readWhole(o.perApp, what, 'perApp', 1, bounds.maxLimit);
    this.limits = next;
    return { ...next };
  }

  /**
   * Keeps a message for `acc` for `seconds`, or says why not (a refusal reason). The log says
   * `message stored` with the seconds it is kept.
   */
  store(app: AppState, acc: AccountState, msg: Omit<UserMessage, 'seq'>, seconds: number): string | undefined {
    const kept = acc.stored?.length ?? 0;
    if (kept >= this.limits.perAccount) return storeReasons.accountFull;
    const inApp = this.perApp.get(app) ?? 0;
    if (inApp >= this.limits.perApp) return storeReasons.appFull;
    const expiresAt = msg.sentAt + seconds * 1000;
    (acc.stored ??= []).push({ msg, expiresAt });
    this.perApp.set(app, inApp + 1);
    this.server.note('message stored', acc.account, [msg.from, msg.type, seconds]);
    this.arm(app, acc, expiresAt);
    return undefined;
  }

  /** Takes every message kept for `acc` (its session has started); expired ones are dropped and logged. */
  take(app: AppState, acc: AccountState): ReadonlyArray<Omit<UserMessage, 'seq'>> {
    const stored = acc.stored;
    if (stored === undefined || stored.length === 0) return NOTHING_STORED;
    this.disarm(acc);
    const waiting = stored.splice(0);
    this.count(app, -waiting.length);
    const now = this.server.ctx.time.now();
    const out: Array<Omit<UserMessage, 'seq'>> = [];
    for (const item of waiting) {
      if (item.expiresAt <= now) this.server.note('stored message expired', acc.account, [item.msg.from, item.msg.type]);
      else out.push(item.msg);
    }
    return out;
  }

  /** The expiry timer of `acc` is due at its earliest message's expiry. */
  private arm(app: AppState, acc: AccountState, expiresAt: number): void {
    const current = this.timers.get(acc);
    if (current && current.due <= expiresAt) return;
    if (current) this.server.ctx.time.cancel(current.task);
    const time = this.server.ctx.time;
    // Housekeeping nobody waits for (as a channel's TTL): settle() and autoAdvance do not run
    // an hour ahead for it.
    const task = time.schedule(Math.max(0, expiresAt - time.now()), `stored messages of ${acc.account} expire`, () => this.expire(app, acc), { periodic: true });
    this.timers.set(acc, { task, due: expiresAt });
  }

  private disarm(acc: AccountState): void {
    const current = this.timers.get(acc);
    if (current) this.server.ctx.time.cancel(current.task);
    this.timers.delete(acc);
  }

  /** The timer of `acc` fired: drops (and logs) every message whose time has come, arms the next. */
  private expire(app: AppState, acc: AccountState): void {
    this.timers.delete(acc);
    const stored = acc.stored;
    if (stored === undefined) return;
    const now = this.server.ctx.time.now();
    let next = Infinity;
    const kept = stored.filter((item) => {
      if (item.expiresAt > now) {
        next = Math.min(next, item.expiresAt);
        return true;
      }
      this.server.note('stored message expired', acc.account, [item.msg.from, item.msg.type]);
      return false;
    });
    this.count(app, kept.length - stored.length);
    acc.stored = kept.length > 0 ? kept : undefined;
    if (next !== Infinity) this.arm(app, acc, next);
  }

  private count(app: AppState, delta: number): void {
    const n = (this.perApp.get(app) ?? 0) + delta;
    if (n > 0) this.perApp.set(app, n);
    else this.perApp.delete(app);
  }
}

/**
 * The seconds a `user_sendmsg` flag asks to keep the message for an offline peer, clamped to
 * the 3600 s the SDK sends (no documentation gives a longer time): `"v1:E:N"` with N a whole
 * number. No flag: 0 (not kept). Anything else is malformed: undefined.
 */
export function storeSeconds(flag: unknown): number | undefined {
  if (flag === undefined) return 0;
  if (typeof flag !== 'string') return undefined;
  const m = /^v1:E:(\d{1,15})$/.exec(flag);
  return m ? Math.min(Number(m[1]), limits.maxStoreSeconds) : undefined;
}
