import type { AccountState, AppState, ServerSession, StoredMessage } from './state.js';

/** A session's line is this and its number, from 1 in the cloud (`emu_1`, `emu_2`, …). */
export const LINE_PREFIX = 'emu_';

/**
 * The cloud's accounts, one record per name and app in one Map keyed by name: what the server
 * keeps about the account in the app, the session it has logged in now, and how many SDK
 * Sessions the cloud has made with the name (the log's session numbers). A login used to
 * look the name up, and insert it, in three Maps of 100 000 entries each (the app's accounts,
 * its sessions, the session numbers); now it does so in one.
 *
 * The same name in a second app is a second record, kept apart (most clouds have one app). A
 * name SDK Sessions used before any server saw it has a record of no app yet, which the first
 * app to need the account takes over (its uid is given then, as before).
 */
export class AccountDirectory {
  /** Each name's first record: the account of the first app that needed it, or of no app yet. */
  private readonly byName = new Map<string, Account>();
  /** The records of names in apps after their first, by app and name (made at the first such). */
  private elsewhere: Map<string, Account> | undefined = undefined;

  /** The account `name` of `app`, if the server has made it. */
  get(app: AppState, name: string): AccountState | undefined {
    const first = this.byName.get(name);
    if (first === undefined || first.app === app) return first;
    return this.elsewhere?.get(elsewhereKey(app, name));
  }

  /** The account `name` of `app`, made (with the app's next uid) if it does not exist yet. */
  claim(app: AppState, name: string): AccountState {
    const first = this.byName.get(name);
    if (first === undefined) {
      const acc = new Account(name, app);
      this.byName.set(name, acc);
      return acc;
    }
    if (first.app === app) return first;
    if (first.app === undefined) {
      first.app = app;
      first.uid = app.nextUid++;
      return first;
    }
    const elsewhere = (this.elsewhere ??= new Map());
    const key = elsewhereKey(app, name);
    let acc = elsewhere.get(key);
    if (acc === undefined) {
      acc = new Account(name, app);
      elsewhere.set(key, acc);
    }
    return acc;
  }

  /** The number of the next SDK Session made with `name` (1 for its first), counted on the name's first record. */
  nextSessionNumber(name: string): number {
    let first = this.byName.get(name);
    if (first === undefined) {
      first = new Account(name, undefined);
      this.byName.set(name, first);
    }
    return ++first.sdkSessions;
  }

  /** The accounts of `app`, in the order the server made them (by uid). */
  accountsOf(app: AppState): AccountState[] {
    const out: AccountState[] = [];
    for (const acc of this.records()) if (acc.app === app) out.push(acc);
    return out.sort((a, b) => a.uid - b.uid);
  }

  /** The sessions logged in to `app` now, in the order they logged in. */
  sessionsOf(app: AppState): ServerSession[] {
    const out: ServerSession[] = [];
    for (const acc of this.records()) if (acc.app === app && acc.session !== undefined) out.push(acc.session);
    return out.sort((a, b) => sessionNumber(a) - sessionNumber(b));
  }

  private *records(): IterableIterator<Account> {
    yield* this.byName.values();
    if (this.elsewhere !== undefined) yield* this.elsewhere.values();
  }
}

/** The number in a session's line (sessions are numbered in the order they began). */
function sessionNumber(session: ServerSession): number {
  return Number(session.line.slice(LINE_PREFIX.length));
}

function elsewhereKey(app: AppState, name: string): string {
  return `${app.appId}\u0000${name}`;
}

/**
 * One record of the directory. What few accounts have (attributes, stored messages) is in one
 * object made at the first: 100 000 accounts that never use them do not each keep two fields.
 */
class Account implements AccountState {
  readonly account: string;
  app: AppState | undefined;
  uid: number;
  session: ServerSession | undefined = undefined;
  sdkSessions = 0;
  private more: { attrs?: Map<string, string>; stored?: StoredMessage[] } | undefined = undefined;

  constructor(name: string, app: AppState | undefined) {
    this.account = name;
    this.app = app;
    this.uid = app === undefined ? 0 : app.nextUid++;
  }

  get attrs(): Map<string, string> | undefined {
    return this.more?.attrs;
  }

  set attrs(attrs: Map<string, string> | undefined) {
    if (attrs !== undefined || this.more !== undefined) (this.more ??= {}).attrs = attrs;
  }

  get stored(): StoredMessage[] | undefined {
    return this.more?.stored;
  }

  set stored(stored: StoredMessage[] | undefined) {
    if (stored !== undefined || this.more !== undefined) (this.more ??= {}).stored = stored;
  }
}

/** An app's accounts, read through the directory (`app.accounts`). */
export class AppAccounts {
  constructor(
    private readonly directory: AccountDirectory,
    private readonly app: AppState,
  ) {}

  get(name: string): AccountState | undefined {
    return this.directory.get(this.app, name);
  }

  /** In the order the server made them. */
  values(): IterableIterator<AccountState> {
    return this.directory.accountsOf(this.app).values();
  }
}

/** The sessions logged in to an app now, by account (`app.sessions`), read through the directory. */
export class OnlineSessions {
  constructor(
    private readonly directory: AccountDirectory,
    private readonly app: AppState,
  ) {}

  get(name: string): ServerSession | undefined {
    return this.directory.get(this.app, name)?.session;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** In the order they logged in. */
  values(): IterableIterator<ServerSession> {
    return this.directory.sessionsOf(this.app).values();
  }

  /** Their accounts, in the order they logged in. */
  keys(): IterableIterator<string> {
    return this.directory
      .sessionsOf(this.app)
      .map((s) => s.account.account)
      .values();
  }
}
