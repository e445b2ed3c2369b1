import type { Task } from '../time/scheduler.js';
import { failureExtra, type InviteFailure } from './invite-failures.js';
import { limits, utf8Length } from './limits.js';
import { deliver } from './peer-messages.js';
import type { ScriptedPhone } from './phones.js';
import { reasons } from './protocol.js';
import { ok, refuse, validAccount, type CloudServer, type Reply, type SessionEndReason } from './server.js';
import type { AppState, ServerSession } from './state.js';

/** How long an invite waits for an offline callee before it fails (the doc's default). */
export const PEER_OFFLINE_WAIT = 20_000;

/** What a phone number looks like: digits, an optional leading `+`, at least 3 digits. */
export const PHONE_NUMBER = /^\+?[0-9]{3,}$/;

/**
 * `waiting`: the callee is offline and has not received it; `ringing`: the callee has it;
 * `active`: the callee accepted.
 */
export type InviteState = 'waiting' | 'ringing' | 'active';

/** Who acts on an invite: the one who invited, or the one invited. */
export type Side = 'caller' | 'callee';

/** One invitation (and, once accepted, one call) the cloud keeps. */
export interface Invite {
  readonly id: number;
  readonly app: AppState;
  readonly channel: string;
  readonly caller: ServerSession;
  /** The callee's account, or a phone number. */
  readonly callee: string;
  /** The callee's session once the invite reached it. */
  calleeSession: ServerSession | undefined;
  /** The scripted phone answering, for a SIP call. */
  readonly phone: ScriptedPhone | undefined;
  /** The invite's `extra`, as the caller sent it (a JSON value: an object stays an object). */
  readonly extra: unknown;
  state: InviteState;
  readonly createdAt: number;
  offlineDeadline: number | undefined;
  timeoutDeadline: number | undefined;
  timers: Task[];
}

/** What `cloud.inspect()` shows of an invite. */
export interface InviteSnapshot {
  id: number;
  channel: string;
  caller: string;
  callee: string;
  /** The callee is a scripted phone. */
  phone: boolean;
  state: InviteState;
  /** Virtual ms the invite was made. */
  since: number;
  /** Virtual ms at which the cloud will fail it, if nothing happens first. */
  deadline: number | null;
  /** What it fails with then. */
  deadlineReason: 'peer_offline' | 'timeout' | null;
  extra: unknown;
}

const VOIP_RELAYED = ['voip_invite_ack', 'voip_invite_accept', 'voip_invite_refuse', 'voip_invite_bye', 'voip_invite_msg'] as const;
export type RelayedType = (typeof VOIP_RELAYED)[number];

/** What only the callee may send, and only while the invite rings. */
const CALLEE_ONLY: ReadonlySet<string> = new Set(['voip_invite_ack', 'voip_invite_accept', 'voip_invite_refuse']);

const END_REASON: Record<SessionEndReason, InviteFailure> = {
  logout: 'peer_logged_out',
  kicked: 'peer_kicked',
  disconnected: 'peer_disconnected',
  closed: 'peer_session_closed',
};

/**
 * Calls on the server: `voip_invite` and the messages of a call (`voip_invite_ack`, `_accept`,
 * `_refuse`, `_bye`, `_msg`), relayed to the other party as user messages whose content is
 * `{channel, peer, extra}`, with `peer` the receiver's remote party. The cloud keeps each
 * invite with its deadlines, fails it when the callee stays offline for 20 s or `_timeout`
 * passes, and ends it when a party's session ends.
 */
export class Invites {
  /** Scripted phones by number (cloud-wide, like the telephone network). */
  readonly phones = new Map<string, ScriptedPhone>();
  readonly server: CloudServer;
  private readonly byId = new Map<number, Invite>();
  private readonly byKey = new Map<string, Invite>();
  private nextId = 1;

  constructor(server: CloudServer) {
    this.server = server;
    server.handle('voip_invite', (session, args) => this.invite(session, args));
    for (const type of VOIP_RELAYED) server.handle(type, (session, args) => this.relay(session, type, args));
    server.events.on('session:start', (session) => this.deliverWaiting(session));
    server.events.on('session:end', ({ session, why }) => this.partyGone(session, why));
  }

  /** Invites the cloud holds now, oldest first. */
  list(): Invite[] {
    return [...this.byId.values()];
  }

  snapshot(invite: Invite): InviteSnapshot {
    const deadlines: Array<[number, 'peer_offline' | 'timeout']> = [];
    if (invite.offlineDeadline !== undefined) deadlines.push([invite.offlineDeadline, 'peer_offline']);
    if (invite.timeoutDeadline !== undefined) deadlines.push([invite.timeoutDeadline, 'timeout']);
    deadlines.sort((a, b) => a[0] - b[0]);
    return {
      id: invite.id,
      channel: invite.channel,
      caller: invite.caller.account.account,
      callee: invite.callee,
      phone: invite.phone !== undefined,
      state: invite.state,
      since: invite.createdAt,
      deadline: deadlines[0]?.[0] ?? null,
      deadlineReason: deadlines[0]?.[1] ?? null,
      extra: invite.extra,
    };
  }

  /**
   * A party acts on an invite: acknowledge, accept, refuse, hang up, or send a call message.
   * Returns why the cloud refused, or `undefined` when it relayed the action.
   */
  act(invite: Invite, side: Side, type: RelayedType, extra: unknown): string | undefined {
    if (CALLEE_ONLY.has(type)) {
      if (side !== 'callee') return `only the callee can send ${type}`;
      if (invite.state !== 'ringing') return `the call has already been accepted`;
    }
    if (type === 'voip_invite_msg' && invite.state === 'waiting') return 'the callee has not received the invite yet';
    const to: Side = side === 'caller' ? 'callee' : 'caller';
    switch (type) {
      case 'voip_invite_accept':
        invite.state = 'active';
        invite.offlineDeadline = undefined;
        invite.timeoutDeadline = undefined;
        this.cancelTimers(invite);
        break;
      case 'voip_invite_refuse':
      case 'voip_invite_bye':
        this.note(invite, 'caller', endName(type, invite.state), [side === 'caller' ? 'by the caller' : 'by the callee']);
        this.remove(invite);
        break;
      default:
        break;
    }
    this.send(invite, to, type, extra);
    return undefined;
  }

  // ---- voip_invite ----

  private invite(session: ServerSession, args: Record<string, unknown>): Reply {
    const channel = args.channelName;
    const peer = args.peer;
    if (typeof channel !== 'string' || channel.length === 0 || [...channel].length > limits.channelChars) {
      return refuse(failureExtra('invalid_arguments', `channelName must be a string of 1 to ${limits.channelChars} characters, got ${describe(channel)}`));
    }
    if (typeof peer !== 'string' || !(validAccount(peer) || this.phones.has(peer))) {
      return refuse(failureExtra('invalid_arguments', `peer must be an account (up to 128 visible characters, no spaces) or a phone number, got ${describe(peer)}`));
    }
    if (peer === session.account.account) return refuse(failureExtra('peer_is_self', 'an account cannot invite itself'));
    const parsed = readInviteExtra(args.extra);
    if ('failure' in parsed) return refuse(failureExtra(parsed.failure, parsed.detail));

    // A new invite of the same caller, callee and channel replaces the old one. The caller's
    // SDK has already replaced its Call (1.4.0 keys Calls by channel + peer), so only the
    // callee's old Call hears of it.
    const old = this.byKey.get(keyOf(session.app, session.account.account, peer, channel));
    if (old) this.fail(old, 'reinvite', ['callee']);

    const phone = this.phones.get(peer);
    const target = phone ? undefined : session.app.sessions.get(peer);
    if (!phone && !target && parsed.requirePeerOnline) {
      this.server.ctx.log.append({
        kind: 'server',
        client: session.account.account,
        name: 'invite failed',
        args: ['peer_offline', `${peer} is offline and the invite requires it online`],
        object: `call:${channel}/${peer}`,
      });
      return refuse(failureExtra('peer_offline'));
    }

    const now = this.server.ctx.time.now();
    const invite: Invite = {
      id: this.nextId++,
      app: session.app,
      channel,
      caller: session,
      callee: peer,
      calleeSession: undefined,
      phone,
      extra: parsed.value,
      state: 'waiting',
      createdAt: now,
      offlineDeadline: undefined,
      timeoutDeadline: undefined,
      timers: [],
    };
    this.byId.set(invite.id, invite);
    this.byKey.set(keyOf(invite.app, session.account.account, peer, channel), invite);

    if (parsed.timeoutSeconds !== undefined) {
      const ms = parsed.timeoutSeconds * 1000;
      invite.timeoutDeadline = now + ms;
      invite.timers.push(
        this.server.ctx.time.schedule(ms, `invite ${session.account.account} → ${peer}: _timeout`, () => {
          if (this.byId.get(invite.id) === invite && invite.state !== 'active') this.fail(invite, 'timeout', ['caller', 'callee']);
        }),
      );
    }

    if (phone) {
      invite.state = 'ringing';
      this.note(invite, 'caller', 'invite delivered', [peer, 'phone']);
      phone.ring(invite);
    } else if (target) {
      this.deliverInvite(invite, target);
    } else {
      invite.offlineDeadline = now + PEER_OFFLINE_WAIT;
      invite.timers.push(
        this.server.ctx.time.schedule(PEER_OFFLINE_WAIT, `invite ${session.account.account} → ${peer}: peer offline`, () => {
          if (this.byId.get(invite.id) === invite && invite.state === 'waiting') this.fail(invite, 'peer_offline', ['caller']);
        }),
      );
      const hint = PHONE_NUMBER.test(peer) ? [`no phone is registered as '${peer}': cloud.phone('${peer}') scripts one`] : [];
      this.note(invite, 'caller', 'invite waiting', [peer, `offline: fails in ${PEER_OFFLINE_WAIT / 1000} s unless it logs in`, ...hint]);
    }
    return ok();
  }

  private deliverInvite(invite: Invite, callee: ServerSession): void {
    invite.calleeSession = callee;
    invite.state = 'ringing';
    invite.offlineDeadline = undefined;
    // The offline timer checks the state when it fires; only _timeout stays meaningful.
    this.note(invite, 'caller', 'invite delivered', [invite.callee]);
    this.send(invite, 'callee', 'voip_invite', invite.extra);
  }

  /** A callee logged in: it receives the invites that waited for it, oldest first. */
  private deliverWaiting(session: ServerSession): void {
    if (this.byId.size === 0) return; // no list made at every login
    for (const invite of this.list()) {
      if (invite.state === 'waiting' && invite.app === session.app && invite.callee === session.account.account) {
        this.deliverInvite(invite, session);
      }
    }
  }

  // ---- the messages of a call ----

  private relay(session: ServerSession, type: RelayedType, args: Record<string, unknown>): Reply {
    const channel = args.channelName;
    const peer = args.peer;
    if (typeof channel !== 'string' || typeof peer !== 'string') return refuse(reasons.badArgs);
    const extra = snapshotJson(args.extra);
    if (extra === INVALID) return refuse('extra is not JSON-serialisable');
    if (extra !== undefined && jsonLength(extra) > limits.messageBytes) return refuse('extra longer than 8 KB');
    const me = session.account.account;
    const asCaller = this.byKey.get(keyOf(session.app, me, peer, channel));
    const asCallee = this.byKey.get(keyOf(session.app, peer, me, channel));
    let invite: Invite | undefined;
    let side: Side;
    if (!CALLEE_ONLY.has(type) && asCaller && asCaller.caller === session) {
      invite = asCaller;
      side = 'caller';
    } else {
      invite = asCallee && asCallee.calleeSession === session ? asCallee : undefined;
      side = 'callee';
    }
    if (!invite) return refuse(`no such call: ${me} has no call with ${peer} on channel '${channel}'`);
    const err = this.act(invite, side, type, extra);
    return err === undefined ? ok() : refuse(err);
  }

  /** A session ended: the other party of each of its invites and calls learns why. */
  private partyGone(session: ServerSession, why: SessionEndReason): void {
    for (const invite of this.list()) {
      if (invite.caller === session) {
        if (invite.state === 'waiting') {
          this.remove(invite);
          this.note(invite, 'caller', 'invite dropped', [`the caller's session ended (${why}) before ${invite.callee} received it`]);
        } else {
          this.fail(invite, END_REASON[why], ['callee']);
        }
      } else if (invite.calleeSession === session) {
        this.fail(invite, END_REASON[why], ['caller']);
      }
    }
  }

  // ---- internals ----

  /** Ends an invite and tells the given sides `voip_invite_failed` with the reason. */
  private fail(invite: Invite, reason: InviteFailure, tell: Side[]): void {
    this.remove(invite);
    const told = tell.filter((side) => side === 'caller' || invite.state !== 'waiting');
    this.note(invite, 'caller', 'invite failed', [reason, ...(told.length > 0 ? [`told: ${told.join(', ')}`] : [])]);
    for (const side of told) this.send(invite, side, 'voip_invite_failed', failureExtra(reason));
  }

  private remove(invite: Invite): void {
    this.cancelTimers(invite);
    this.byId.delete(invite.id);
    const key = keyOf(invite.app, invite.caller.account.account, invite.callee, invite.channel);
    if (this.byKey.get(key) === invite) this.byKey.delete(key);
  }

  private cancelTimers(invite: Invite): void {
    for (const t of invite.timers) this.server.ctx.time.cancel(t);
    invite.timers = [];
  }

  /** Carries a call message to one side, as a user message `{channel, peer, extra}`. */
  private send(invite: Invite, to: Side, type: string, extra: unknown): void {
    const now = this.server.ctx.time.now();
    if (to === 'caller') {
      const content = JSON.stringify({ channel: invite.channel, peer: invite.callee, extra });
      const fromUid = invite.calleeSession?.account.uid ?? 0;
      deliver(this.server, invite.caller, { from: invite.callee, fromUid, type, content, sentAt: now });
    } else if (invite.phone) {
      invite.phone.hear(invite, type, extra);
    } else if (invite.calleeSession) {
      const caller = invite.caller.account;
      const content = JSON.stringify({ channel: invite.channel, peer: caller.account, extra });
      deliver(this.server, invite.calleeSession, { from: caller.account, fromUid: caller.uid, type, content, sentAt: now });
    }
  }

  /** A server decision about an invite, logged from one side's point of view. */
  private note(invite: Invite, side: Side, name: string, args: unknown[]): void {
    const caller = invite.caller.account.account;
    this.server.ctx.log.append({
      kind: 'server',
      client: side === 'caller' ? caller : invite.callee,
      name,
      args,
      object: side === 'caller' ? `call:${invite.channel}/${invite.callee}` : `call:${invite.channel}/${caller}`,
    });
  }
}

/** Registers the call functions on the server. */
export function installInvites(server: CloudServer): Invites {
  return new Invites(server);
}

// ---- extra ----

type ParsedExtra =
  | { value: unknown; requirePeerOnline: boolean; timeoutSeconds: number | undefined }
  | { failure: InviteFailure; detail: string };

const INVALID = Symbol('invalid');

/**
 * The invite's `extra`: JSON (an object as the SDK sends it, or JSON text), up to 8 KB, with
 * the cloud's options `_require_peer_online` (0 or 1) and `_timeout` (seconds, at least 1).
 * `""` (what 1.4.0 sends when there is no extra) is no extra.
 */
export function readInviteExtra(raw: unknown): ParsedExtra {
  const value = snapshotJson(raw);
  if (value === INVALID) return { failure: 'invalid_extra', detail: 'extra must be JSON (an object or JSON text)' };
  if (value === undefined || value === null || value === '') return { value: value ?? '', requirePeerOnline: false, timeoutSeconds: undefined };
  if (jsonLength(value) > limits.messageBytes) {
    return { failure: 'extra_too_long', detail: `extra is ${jsonLength(value)} bytes; the limit is ${limits.messageBytes}` };
  }
  let options: unknown = value;
  if (typeof value === 'string') {
    try {
      options = JSON.parse(value);
    } catch {
      return { failure: 'invalid_extra', detail: `extra must be JSON text, got ${describe(value)}` };
    }
  }
  const fields = options !== null && typeof options === 'object' && !Array.isArray(options) ? (options as Record<string, unknown>) : {};
  const online = fields._require_peer_online;
  let requirePeerOnline: boolean;
  if (online === undefined || online === null || online === 0 || online === '0' || online === false) requirePeerOnline = false;
  else if (online === 1 || online === '1' || online === true) requirePeerOnline = true;
  else return { failure: 'invalid_extra', detail: `_require_peer_online must be 0 or 1, got ${describe(online)}` };
  const timeout = fields._timeout;
  let timeoutSeconds: number | undefined;
  if (timeout !== undefined && timeout !== null) {
    const n = typeof timeout === 'string' && timeout.trim() !== '' ? Number(timeout) : timeout;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 1) {
      return { failure: 'invalid_extra', detail: `_timeout must be a number of seconds, at least 1, got ${describe(timeout)}` };
    }
    timeoutSeconds = n;
  }
  return { value, requirePeerOnline, timeoutSeconds };
}

/** A deep copy through JSON, as the wire would make it (and so no shared app objects). */
function snapshotJson(raw: unknown): unknown {
  if (raw === undefined || typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' || raw === null) return raw;
  try {
    const text = JSON.stringify(raw);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return INVALID;
  }
}

function jsonLength(value: unknown): number {
  return utf8Length(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
}

function endName(type: RelayedType, state: InviteState): string {
  if (type === 'voip_invite_refuse') return 'invite refused';
  return state === 'active' ? 'call ended' : 'invite cancelled';
}

function keyOf(app: AppState, caller: string, callee: string, channel: string): string {
  return JSON.stringify([app.appId, caller, callee, channel]);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === undefined) return 'undefined';
  return `${typeof value} ${String(JSON.stringify(value)).slice(0, 40)}`;
}
