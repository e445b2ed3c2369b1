import type { AccountState, AppState, ServerSession } from './state.js';

/**
 * The cloud's accounts, one record per name and app in one Map keyed by name: what the server
 * keeps about the account in the app, the session it has logged in now, and how many SDK
 * Sessions the cloud has made with the name (the log's session numbers). A login used to
 * look the name up, and insert it, in four Maps and Sets of 100 000 entries each; now it
 * looks it up once, in one.
 *
 * The same name in a second app is a second record, chained to the first (most clouds have
 * one app). A name SDK Sessions used before any server saw it has a record of no app yet,
 * which the first app to need the account takes over (its uid is given then, as before).
 */
export class AccountDirectory {
  private readonly byName = new Map<string, AccountState>();

  /** The account `name` of `app`, if the server has made it. */
  get(app: AppState, name: string): AccountState | undefined {
    let acc = this.byName.get(name);
    while (acc !== undefined && acc.app !== app) acc = acc.nextApp;
    return acc;
  }

  /** The account `name` of `app`, made (with the app's next uid) if it does not exist yet. */
  claim(app: AppState, name: string): AccountState {
    const first = this.byName.get(name);
    if (first === undefined) {
      const acc = newAccount(name, app);
      this.byName.set(name, acc);
      return acc;
    }
    if (first.app === app) return first;
    if (first.app === undefined) {
      first.app = app;
      first.uid = app.nextUid++;
      return first;
    }
    let acc = first;
    while (acc.nextApp !== undefined) {
      acc = acc.nextApp;
      if (acc.app === app) return acc;
    }
    const added = newAccount(name, app);
    acc.nextApp = added;
    return added;
  }

  /** The number of the next SDK Session made with `name` (1 for its first), counted on the name's first record. */
  nextSessionNumber(name: string): number {
    let first = this.byName.get(name);
    if (first === undefined) {
      first = newAccount(name, undefined);
      this.byName.set(name, first);
    }
    return ++first.sdkSessions;
  }

  /** The accounts of `app`, in the order the server made them (by uid). */
  accountsOf(app: AppState): AccountState[] {
    const out: AccountState[] = [];
    for (const first of this.byName.values()) {
      for (let acc: AccountState | undefined = first; acc !== undefined; acc = acc.nextApp) if (acc.app === app) out.push(acc);
    }
    return out.sort((a, b) => a.uid - b.uid);
  }

  /** The sessions logged in to `app` now, in the order they logged in. */
  sessionsOf(app: AppState): ServerSession[] {
    const out: ServerSession[] = [];
    for (const first of this.byName.values()) {
      for (let acc: AccountState | undefined = first; acc !== undefined; acc = acc.nextApp) {
        if (acc.app === app && acc.session !== undefined) out.push(acc.session);
      }
    }
    return out.sort((a, b) => a.id - b.id);
  }
}

function newAccount(name: string, app: AppState | undefined): AccountState {
  return {
    account: name,
    app,
    uid: app === undefined ? 0 : app.nextUid++,
    session: undefined,
    attrs: undefined,
    stored: undefined,
    nextApp: undefined,
    sdkSessions: 0,
  };
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
