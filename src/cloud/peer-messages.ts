import { limits, utf8Length } from './limits.js';
import { reasons, type UserMessage } from './protocol.js';
import { MessageStore, storeSeconds } from './message-store.js';
import { ok, okWhole, refuse, validAccount, type CloudServer } from './server.js';
import type { AppState, ServerSession } from './state.js';

/**
 * Messages to users: `user_sendmsg` (peer messages, and the call signalling of `voip_*`),
 * the inbox a wire client polls with `user_getmsg`, and the store of messages for offline
 * peers. The SDK sends `flag: "v1:E:3600"`; we read it as "keep for 3600 s if the peer is
 * offline" (a longer time is clamped to 3600 s, a malformed flag is refused) and deliver stored
 * messages at the peer's next login (the emulator's choice). The store is bounded (see
 * {@link MessageStore}); returns it, for `cloud.setStoredMessageLimits`.
 */
export function installPeerMessages(server: CloudServer): MessageStore {
  const store = new MessageStore(server);
  server.handle('user_sendmsg', (session, args) => {
    const peer = args.peer;
    const content = args.content;
    if (typeof peer !== 'string' || typeof content !== 'string') return refuse(reasons.badArgs);
    // A name no account can have (empty, spaces, over 128 characters) would be stored for nobody.
    if (!validAccount(peer)) return refuse(reasons.badArgs);
    if (utf8Length(content) > limits.messageBytes) return refuse(reasons.tooLong);
    const seconds = storeSeconds(args.flag);
    if (seconds === undefined) return refuse(reasons.badArgs);
    const type = typeof args.t === 'string' ? args.t : 'instant';
    const app = session.app;
    const msg = { from: session.account.account, fromUid: session.account.uid, type, content, sentAt: server.ctx.time.now() };
    const target = app.sessions.get(peer);
    if (target) {
      deliver(server, target, msg);
      return ok();
    }
    if (seconds <= 0) return refuse('peer offline');
    const refused = store.store(app, server.account(app, peer), msg, seconds);
    return refused === undefined ? ok() : refuse(refused);
  });

  // The poll of wire clients. `ver_clear` is the client's "taken up to" mark (1.4.0 sends the
  // last seq it delivered): the server forgets the messages at or below it and answers with
  // that mark and the rest in seq order. Quirk of 1.4.0: the client sets its next seq from the
  // reply's `ver_clear` (`y = max(parseInt(ver_clear), y)`), so the reply's mark is always a
  // whole number, and never beyond the last seq the server sent (a stale or bogus mark would
  // make the client skip messages it never got).
  server.handle('user_getmsg', (session, args) => {
    const max = typeof args.max === 'number' && args.max > 0 ? Math.min(Math.floor(args.max), 100) : 30;
    const asked = typeof args.ver_clear === 'number' && Number.isFinite(args.ver_clear) ? Math.floor(args.ver_clear) : 0;
    const mark = Math.min(Math.max(asked, 0), session.msgSeq);
    const inbox = session.inbox;
    if (inbox) while (inbox.length > 0 && inbox[0]!.seq <= mark) inbox.shift();
    const msgs = inbox ? inbox.slice(0, max) : [];
    // Made whole (not data copied after `result`): every client polls at login and every minute.
    return okWhole({ result: 'ok', ver_clear: mark, msgs });
  });

  server.events.on('session:start', (session) => {
    const taken = store.take(session.app, session.account);
    for (let i = 0; i < taken.length; i++) {
      const msg = taken[i]!;
      server.note('stored message delivered', session.account.account, [msg.from, msg.type]);
      deliver(server, session, msg);
    }
  });
  return store;
}

/** Hands a message to a live session: into its inbox, and pushed at once. */
export function deliver(server: CloudServer, session: ServerSession, msg: Omit<UserMessage, 'seq'>): void {
  // The message's fields, then its seq in this session's inbox (one literal: no spread).
  const full: UserMessage = { from: msg.from, fromUid: msg.fromUid, type: msg.type, content: msg.content, sentAt: msg.sentAt, seq: ++session.msgSeq };
  if (session.port.keepsInbox) {
    const inbox = (session.inbox ??= []);
    inbox.push(full);
    if (inbox.length > INBOX_MAX) {
      // A client that never polls: keep the newest, and say what was let go.
      const dropped = inbox.shift()!;
      server.note('inbox overflow', session.account.account, [dropped.from, dropped.type, dropped.seq]);
    }
  }
  server.push(session, { type: 'msg', msg: full });
}

/** Unpolled messages a wire session keeps before dropping the oldest. */
const INBOX_MAX = 1000;

export type { AppState };
