import { limits, utf8Length } from './limits.js';
import { reasons, type UserMessage } from './protocol.js';
import { ok, refuse, type CloudServer } from './server.js';
import type { AccountState, AppState, ServerSession } from './state.js';

/**
 * Messages to users: `user_sendmsg` (peer messages, and the call signalling of `voip_*`),
 * the inbox a wire client polls with `user_getmsg`, and the store of messages for offline
 * peers. The SDK sends `flag: "v1:E:3600"`; we read it as "keep for 3600 s if the peer is
 * offline" and deliver stored messages at the peer's next login (the emulator's choice).
 */
export function installPeerMessages(server: CloudServer): void {
  server.handle('user_sendmsg', (session, args) => {
    const peer = args.peer;
    const content = args.content;
    if (typeof peer !== 'string' || typeof content !== 'string') return refuse(reasons.badArgs);
    if (utf8Length(content) > limits.messageBytes) return refuse(reasons.tooLong);
    const type = typeof args.t === 'string' ? args.t : 'instant';
    const result = sendUserMessage(server, session, peer, type, content, storeSeconds(args.flag));
    return result === 'refused' ? refuse('peer offline') : ok();
  });

  server.handle('user_getmsg', (session, args) => {
    const max = typeof args.max === 'number' && args.max > 0 ? Math.min(args.max, 100) : 30;
    const after = typeof args.ver_clear === 'number' ? args.ver_clear : 0;
    // Messages at or below ver_clear have been taken by the client: forget them.
    while (session.inbox.length > 0 && session.inbox[0]!.seq <= after) session.inbox.shift();
    const msgs = session.inbox.slice(0, max);
    return ok({ ver_clear: after, msgs });
  });

  server.events.on('session:start', (session) => deliverStored(server, session));
}

/**
 * Delivers a user message to `peer` now when online, stores it for `storeFor` seconds when
 * not (0: not stored). The sender is whatever session sent it.
 */
export function sendUserMessage(
  server: CloudServer,
  from: ServerSession,
  peer: string,
  type: string,
  content: string,
  storeFor: number,
): 'delivered' | 'stored' | 'refused' {
  const app = from.app;
  const msg = { from: from.account.account, fromUid: from.account.uid, type, content, sentAt: server.ctx.time.now() };
  const target = app.sessions.get(peer);
  if (target) {
    deliver(server, target, msg);
    return 'delivered';
  }
  if (storeFor <= 0) return 'refused';
  const acc = server.account(app, peer);
  acc.stored.push({ msg, expiresAt: msg.sentAt + storeFor * 1000 });
  server.note('message stored', peer, [msg.from, type, storeFor]);
  return 'stored';
}

/** Hands a message to a live session: into its inbox, and pushed at once. */
export function deliver(server: CloudServer, session: ServerSession, msg: Omit<UserMessage, 'seq'>): void {
  const full: UserMessage = { ...msg, seq: ++session.msgSeq };
  if (session.port.keepsInbox) {
    session.inbox.push(full);
    if (session.inbox.length > 1000) session.inbox.shift();
  }
  server.push(session, { type: 'msg', msg: full });
}

function deliverStored(server: CloudServer, session: ServerSession): void {
  const acc: AccountState = session.account;
  if (acc.stored.length === 0) return;
  const now = server.ctx.time.now();
  const waiting = acc.stored.splice(0);
  for (const item of waiting) {
    if (item.expiresAt <= now) {
      server.note('stored message expired', acc.account, [item.msg.from, item.msg.type]);
      continue;
    }
    server.note('stored message delivered', acc.account, [item.msg.from, item.msg.type]);
    deliver(server, session, item.msg);
  }
}

function storeSeconds(flag: unknown): number {
  if (typeof flag !== 'string') return 0;
  const m = /^v1:E:(\d+)$/.exec(flag);
  return m ? Number(m[1]) : 0;
}

export type { AppState };
