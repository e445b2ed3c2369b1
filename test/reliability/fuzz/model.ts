// The fuzz's reference model: what the app side has been told (the log's calls and callbacks,
// the faults and server decisions it names), from which it predicts what the server must hold.
// It never reads the server's state to build itself; the invariants compare the two.
import type { LogEntry } from 'agora-signaling-emulator';

/** One SDK Session, as the model follows it. */
export interface SessionModel {
  readonly key: string;
  readonly account: string;
  readonly n: number;
  /** The app saw the session end (onLogout, onLoginFailed, or state 0 without a callback). */
  ended: boolean;
  /** How it ended, for the exceptions 1.4.0 itself makes. */
  endedBy: 'logout' | 'login-refused' | 'logout-while-logging-in' | 'silent' | undefined;
  /** The app called an SDK method on the session after it ended (its socket may still be open). */
  callsAfterEnd: boolean;
  /** Channels this connection's server session is in, from the join and leave replies. */
  member: Map<string, 'in' | 'unknown'>;
  /** The one join or leave whose replies have not all come yet (the driver sends one at a time). */
  pending: Pending | undefined;
}

/**
 * A join or leave on its way. A fault may duplicate the request (the server handles each copy)
 * or the reply (the SDK runs the reply callback again): the outcome is known once every reply
 * has come back, from the server's refusals of the copies.
 */
export interface Pending {
  readonly kind: 'join' | 'leave';
  readonly channel: string;
  /** Copies the server handles (1, plus one per duplication of the request). */
  copies: number;
  /** Replies the SDK will see (the copies, plus one per duplication of a reply). */
  replies: number;
  answered: number;
  /** Reasons the server refused copies with. */
  readonly refusals: string[];
  joined: boolean;
}

/**
 * Messages whose loss or duplication leaves the app and the server disagreeing about who is
 * logged in, as 1.4.0 itself would: after one, the fuzz stops comparing that account's presence
 * and membership (and its callbacks after an end), and counts it.
 */
export const DESYNCING_FAULTS = [
  'a lost login_ret: 1.4.0 has no timeout once the socket is open, so it stays logging in (state 1, or 3 on a reconnect) while the server has it online',
  'a duplicated login: the server refuses the copy ("already logged in on this connection"), and 1.4.0 sets state 0 on any refused login_ret, with no callback, while the server keeps the session (and sends to it: 1.4.0 checks no state when a message arrives); a duplicated login_ret may log a session in again after a refusal ended it',
  'a lost reply to user_logout: the server has ended the session, and 1.4.0 stays logged in (state 2), waiting for the reply',
] as const;

/** The exceptions to "no callback reaches a Session after it ended" that 1.4.0 itself makes. */
export const AFTER_END_EXCEPTIONS = [
  'onInviteEndByMyself: fired synchronously inside the app\'s own call.channelInviteEnd(), which checks no state',
  'onLoginSuccess after logout() while logging in: a login already sent still completes, and the session is live again',
  'replies (a cb, onInviteFailed, onChannelLeaved, onChannelJoinFailed) to requests made after the end, or before an end that left the socket open: 1.4.0 keeps the socket of a refused login, of logout() while logging in and of a refused re-login, and a stale Channel or Call still sends',
] as const;

const REPLY_CALLBACKS = new Set(['onInviteFailed', 'onChannelLeaved', 'onChannelJoinFailed']);
const DESYNCING_MESSAGES = new Set(['login', 'login_ret', 'call2-ret user_logout']);

export class Model {
  readonly sessions = new Map<string, SessionModel>();
  readonly violations: string[] = [];
  /** Accounts a DESYNCING_FAULT hit, with the fault (their presence is not compared any more). */
  readonly uncertain = new Map<string, string>();
  /** Accounts that ever joined each channel since it was (last) created, for `_total_member_num`. */
  readonly everJoined = new Map<string, Set<string>>();
  /** Channels whose join history the model cannot know exactly (a join reply was lost). */
  readonly inexactTotals = new Set<string>();
  /** Per message text: the accounts it reached (peer and channel messages have unique texts). */
  readonly deliveries = new Map<string, string[]>();

  session(account: string, n: number): SessionModel {
    const key = `${account}#${n}`;
    let s = this.sessions.get(key);
    if (!s) {
      s = { key, account, n, ended: false, endedBy: undefined, callsAfterEnd: false, member: new Map(), pending: undefined };
      this.sessions.set(key, s);
    }
    return s;
  }

  /** The driver is sending a join or a leave on this session (set before the call: a fault may drop it on the way). */
  requested(s: SessionModel, kind: 'join' | 'leave', channel: string): void {
    s.pending = { kind, channel, copies: 1, replies: 1, answered: 0, refusals: [], joined: false };
  }

  /** The driver saw the session at state 0 without the log saying why (a refused re-login). */
  endedSilently(s: SessionModel, by: 'logout-while-logging-in' | 'silent'): void {
    if (s.ended) return;
    s.ended = true;
    s.endedBy = by;
  }

  /** Every log entry, as it is recorded. */
  readonly onEntry = (e: LogEntry): void => {
    if (e.kind === 'callback' && e.session !== undefined) this.callback(e);
    else if (e.kind === 'call' && e.session !== undefined) {
      const s = this.session(e.client, e.session);
      if (s.ended && e.name !== 'logout' && e.name !== 'login') s.callsAfterEnd = true;
    } else if (e.kind === 'fault') this.fault(e);
    else if (e.kind === 'server' && e.name === 'refused' && (e.args[0] === 'channel_leave' || e.args[0] === 'channel_join')) {
      const kind = e.args[0] === 'channel_join' ? 'join' : 'leave';
      for (const s of this.sessions.values()) if (s.account === e.client && s.pending?.kind === kind) s.pending.refusals.push(String(e.args[1]));
    } else if (e.kind === 'server' && e.name === 'channel destroyed') {
      const name = String(e.args[0]);
      this.everJoined.delete(name);
      this.inexactTotals.delete(name);
    }
  };

  private callback(e: LogEntry): void {
    const s = this.session(e.client, e.session!);
    if (s.ended) {
      const revived = e.name === 'onLoginSuccess' && s.endedBy === 'logout-while-logging-in';
      const allowed =
        e.name === 'onInviteEndByMyself' ||
        revived ||
        this.uncertain.has(s.account) ||
        ((s.callsAfterEnd || s.endedBy !== 'logout') && (e.name.endsWith(':cb') || REPLY_CALLBACKS.has(e.name)));
      if (revived || (e.name === 'onLoginSuccess' && allowed)) {
        s.ended = false;
        s.endedBy = undefined;
      } else if (!allowed) {
        this.violations.push(`${e.name} reached ${s.key} after the session ended (log #${e.seq}, ${JSON.stringify(e.args).slice(0, 120)})`);
      }
    }
    switch (e.name) {
      case 'onLoginSuccess':
        // A new connection logged in: a new server session, in no channel yet.
        s.member = new Map();
        s.pending = undefined;
        break;
      case 'onLogout':
      case 'onLoginFailed':
        s.ended = true;
        s.endedBy = e.name === 'onLogout' ? 'logout' : 'login-refused';
        break;
      case 'onChannelJoined':
      case 'onChannelJoinFailed':
        if (s.pending?.kind === 'join') {
          if (e.name === 'onChannelJoined') s.pending.joined = true;
          this.answered(s);
        }
        break;
      case 'channelLeave:cb':
      case 'onChannelLeaved':
        if (s.pending?.kind === 'leave') this.answered(s);
        break;
      case 'onMessageInstantReceive':
      case 'onMessageChannelReceive': {
        const text = e.args[2];
        if (typeof text === 'string' && /^[pc]\d+/.test(text)) {
          const list = this.deliveries.get(text) ?? [];
          list.push(e.client);
          this.deliveries.set(text, list);
        }
        break;
      }
    }
  }

  /** One reply of the pending join or leave came back; the last one settles it. */
  private answered(s: SessionModel): void {
    const p = s.pending!;
    if (++p.answered < p.replies) return;
    s.pending = undefined;
    if (p.kind === 'join') {
      if (p.joined) {
        s.member.set(p.channel, 'in');
        const set = this.everJoined.get(p.channel) ?? new Set<string>();
        set.add(s.account);
        this.everJoined.set(p.channel, set);
      }
      return;
    }
    // A leave takes the session out, unless the server refused every copy while it was a
    // member (an injected failure); "not in channel" means it was out already. 1.4.0 says
    // `leaved` either way.
    const kept = p.refusals.length >= p.copies && p.refusals.every((r) => r !== 'not in channel');
    if (!kept) s.member.delete(p.channel);
  }

  /**
   * A fault that hit a login (see DESYNCING_FAULTS), or a join or leave: lost on the way up,
   * the server never saw it (nothing changed); lost on the way down, the server did it but
   * nobody knows how it answered.
   */
  private fault(e: LogEntry): void {
    const [direction, message] = e.args as [unknown, unknown];
    const outcome = String(e.args[2] ?? '');
    if ((e.name === 'loss' || e.name === 'duplicate') && DESYNCING_MESSAGES.has(String(message)) && !this.uncertain.has(e.client)) {
      this.uncertain.set(e.client, `${e.name} of ${String(message)} at log #${e.seq}`);
    }
    const request = e.name === 'request dropped' ? `up:${String(e.args[0])}` : `${String(direction)}:${String(message)}`;
    const kind =
      request === 'up:channel_join' || request === 'down:call2-ret channel_join' ? 'join' : request === 'up:channel_leave' || request === 'down:call2-ret channel_leave' ? 'leave' : undefined;
    if (!kind) return;
    if (outcome === 'duplicated') {
      for (const s of this.sessions.values()) {
        if (s.account !== e.client || s.pending?.kind !== kind) continue;
        if (request.startsWith('up:')) s.pending.copies++;
        s.pending.replies++;
      }
      return;
    }
    // Else only a loss matters: held, released and delayed messages still arrive.
    const lost = e.name === 'request dropped' || outcome === 'dropped' || outcome.startsWith('lost') || outcome === 'failed the link';
    if (!lost) return;
    for (const s of this.sessions.values()) {
      if (s.account !== e.client || s.pending?.kind !== kind) continue;
      // Lost on the way up with no copy, the server never saw it: nothing changed. Otherwise
      // the server handled it (or a copy of it), and nobody knows how.
      if (request.startsWith('down:') || s.pending.copies > 1) {
        s.member.set(s.pending.channel, 'unknown');
        if (kind === 'join') this.inexactTotals.add(s.pending.channel);
      }
      s.pending = undefined;
    }
  }
}
