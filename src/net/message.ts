import type { Push, Request } from '../cloud/protocol.js';

/** `up`: client → cloud. `down`: cloud → client. */
export type Direction = 'up' | 'down';

/**
 * A message crossing a client's link, as network rules see it.
 *
 * `kind` names it: for a request the call2 function (`user_sendmsg`, `channel_join`, …) or
 * `login`, `ping`; for a push `login_ret`, `call2-ret`, `pong`, `msg`, `channel2`, `kick`,
 * `close`. `detail` narrows it: the message type of a `msg` (`instant`, `voip_invite`, …), the
 * event of a `channel2` (`channel_msg`, …), the request a `call2-ret` answers
 * (`user_sendmsg`, …). A filter's `kind` matches either.
 *
 * Two kinds are not messages but the connection itself: `connect` (up: a connection attempt)
 * and `close` (either way: one side closes the WebSocket). Loss, duplication and holds leave
 * `connect` alone; loss and duplication leave `close` alone.
 */
export interface NetMessage {
  readonly direction: Direction;
  /** The account of the client at this end of the link. */
  readonly account: string;
  /** The link (one WebSocket of the SDK), numbered from 1 in the cloud. */
  readonly link: number;
  readonly kind: string;
  readonly detail: string | undefined;
  /** The request (`up`), as the wire would carry it. */
  readonly request?: Request;
  /** The push (`down`), as the wire would carry it. */
  readonly push?: Push;
}

/** How a message is named in the log: `"msg instant"`, `"call2-ret user_sendmsg"`, `"login"`. */
export function describeMessage(m: Pick<NetMessage, 'kind' | 'detail'>): string {
  return m.detail === undefined ? m.kind : `${m.kind} ${m.detail}`;
}

/** The kind of a request. */
export function requestKind(r: Request): string {
  return r.type === 'call2' ? r.name : r.type;
}

/**
 * The detail of a push (`answers`: the name of the request a call2-ret answers); its kind is
 * its type.
 */
export function pushDetail(p: Push, answers?: string): string | undefined {
  if (p.type === 'msg') return p.msg.type;
  if (p.type === 'channel2') return p.event.type;
  if (p.type === 'call2-ret') return answers;
  return undefined;
}

/** Kinds that are the connection itself rather than a message on it. */
export const CONNECTION_KINDS: ReadonlySet<string> = new Set(['connect', 'close']);
