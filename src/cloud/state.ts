import type { AppAccounts, OnlineSessions } from './accounts.js';
import type { Port, UserMessage } from './protocol.js';

/** One app ID on the cloud: its accounts, sessions and (later) channels. */
export interface AppState {
  readonly appId: string;
  /** Set: logins need a valid SignalingToken. Unset: any token, `_no_need_token` included. */
  readonly certificate: string | undefined;
  /** Its accounts (records of the cloud's {@link AccountDirectory}, read through it). */
  readonly accounts: AppAccounts;
  /** Who is logged in now, by account (each account's `session`). */
  readonly sessions: OnlineSessions;
  nextUid: number;
}

/**
 * What the server keeps about an account between its sessions, and the session it has logged
 * in now: one record per name and app (see {@link AccountDirectory}).
 */
export interface AccountState {
  readonly account: string;
  /** Its app; undefined while only SDK Sessions have used the name (see {@link AccountDirectory}). */
  app: AppState | undefined;
  /** Stable for the account within its app (given when the app first needs the account). */
  uid: number;
  /** The session logged in now (the app's `sessions`). */
  session: ServerSession | undefined;
  /** `user_set_attr` values (made at the first one: most accounts never set any). */
  attrs: Map<string, string> | undefined;
  /** Peer messages waiting for the account's next login (made at the first). */
  stored: StoredMessage[] | undefined;
  /**
   * How many SDK Sessions the cloud has made with this name, in any app (the log's `session`
   * numbers; counted on the name's first record only).
   */
  sdkSessions: number;
}

export interface StoredMessage {
  msg: Omit<UserMessage, 'seq'>;
  /** Virtual ms after which the message is discarded. */
  expiresAt: number;
}

/** One logged-in session, bound to the connection it logged in on. */
export interface ServerSession {
  readonly app: AppState;
  readonly account: AccountState;
  readonly port: Port;
  /** `emu_` and the session's number, from 1 in the cloud: the order sessions began in. */
  readonly line: string;
  readonly token: string;
  /** Virtual ms when the token expires, if it is a real token. */
  readonly tokenExpiresAt: number | undefined;
  /**
   * When it logged in, in ms since the cloud started (`time.since`: a small integer, where the
   * time itself would be a boxed number in each session).
   */
  readonly loggedInSince: number;
  /** Last inbox seq handed to this session. */
  msgSeq: number;
  /** Messages of this session's inbox not yet fetched by `user_getmsg` (made at the first). */
  inbox: UserMessage[] | undefined;
  ended: boolean;
}
