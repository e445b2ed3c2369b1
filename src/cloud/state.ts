import type { Port, UserMessage } from './protocol.js';

/** One app ID on the cloud: its accounts, sessions and (later) channels. */
export interface AppState {
  readonly appId: string;
  /** Set: logins need a valid SignalingToken. Unset: any token, `_no_need_token` included. */
  readonly certificate: string | undefined;
  readonly accounts: Map<string, AccountState>;
  /** Who is logged in now, by account. */
  readonly sessions: Map<string, ServerSession>;
  nextUid: number;
}

/** What the server keeps about an account between its sessions. */
export interface AccountState {
  readonly account: string;
  /** Stable for the account within its app. */
  readonly uid: number;
  /** `user_set_attr` values (made at the first one: most accounts never set any). */
  attrs: Map<string, string> | undefined;
  /** Peer messages waiting for the account's next login (made at the first). */
  stored: StoredMessage[] | undefined;
  /** How many sessions this account has had (for the log's `session` field). */
  logins: number;
}

export interface StoredMessage {
  msg: Omit<UserMessage, 'seq'>;
  /** Virtual ms after which the message is discarded. */
  expiresAt: number;
}

/** One logged-in session, bound to the connection it logged in on. */
export interface ServerSession {
  readonly id: number;
  readonly app: AppState;
  readonly account: AccountState;
  readonly port: Port;
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
