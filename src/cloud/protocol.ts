/**
 * The vocabulary between a client and the cloud: the same requests and pushes as the 1.4.0
 * wire protocol (login, call2 by function name, notify kinds), as structured values. The
 * in-process SDK uses them as they are; the wire server encodes them as JSON frames.
 */

import type { ServerSession } from './state.js';

export type Request =
  | { type: 'login'; vid: string; account: string; token: string; uid: number }
  | { type: 'call2'; name: string; id: number; args: Record<string, unknown> }
  | { type: 'ping'; n: number };

/** A message to a user (peer message or call signalling), the `msg-v2` of the wire. */
export interface UserMessage {
  /** Position in the receiver's inbox, from 1 within its session. */
  seq: number;
  /** Sender account. */
  from: string;
  /** Sender uid. */
  fromUid: number;
  /** `instant`, `voip_invite`, `voip_invite_ack`, … */
  type: string;
  content: string;
  /** Virtual time the server accepted it (ms). */
  sentAt: number;
}

export type ChannelEvent =
  | { type: 'channel_msg'; account: string; uid: number; msg: string }
  | { type: 'channel_user_join'; account: string; uid: number }
  | { type: 'channel_user_leave'; account: string; uid: number }
  | { type: 'channel_attr_update'; name: string; value: string; change: string };

export type Push =
  | { type: 'login_ret'; err: string; uid: number; line: string }
  /** `data` is the reply object (`{result: "ok", …}`), or a raw string when `err` is set. */
  | { type: 'call2-ret'; id: number; err: string; data: Record<string, unknown> | string }
  | { type: 'pong'; n: number }
  | { type: 'msg'; msg: UserMessage }
  | { type: 'channel2'; channel: string; msgid: number; event: ChannelEvent }
  | { type: 'kick'; reason: string }
  | { type: 'close'; reason: string };

/**
 * The cloud's end of one client connection. The transport (the in-process network, or a
 * WebSocket) implements it.
 */
export interface Port {
  readonly id: number;
  /** A name for logs and errors (the account once known). */
  label: string;
  /** The client polls `user_getmsg` (wire clients): the server keeps an inbox for it. */
  readonly keepsInbox: boolean;
  /** Carries a push to the client. */
  push(push: Push): void;
  /** Ends the connection from the server side, after the pushes already sent. */
  end(reason: string): void;
  /**
   * The session logged in on this connection, kept here by the server (a field, not a map
   * entry per connection: one lookup less on every request of 100 000 clients).
   */
  serverSession: ServerSession | undefined;
  /**
   * Pushes `push` to `sessions[from]` (whose port this is) and to as many of the sessions after
   * it (but `except`) as it carries in one go (the in-process network adds its links to one
   * fan-out); returns the index of the first session it did not handle. Without it, a channel
   * event is pushed to each port in turn.
   */
  pushFrom?(sessions: readonly ServerSession[], from: number, except: ServerSession | undefined, push: Push): number;
}

/** The server reasons the 1.4.0 SDK maps to login codes (see `loginFailureCode`). */
export const reasons = {
  kicked: 'kick',
  tokenExpired: 'TokenErrorExpired',
  tokenWrong: 'TokenErrorWrong',
  wrongAccount: 'wrong account',
  /** A login without an app id (`Signal()` or `Signal('')`). */
  invalidVid: 'invalid vid',
  /** A peer or channel message larger than 8 KB. */
  tooLong: 'message too long',
  notLoggedIn: 'not logged in',
  badArgs: 'invalid arguments',
  unknownFunction: 'unknown function',
  /** The server failed to handle a request (logged as `request failed`). */
  internal: 'internal error',
} as const;
