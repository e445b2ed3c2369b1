import type { UserMessage } from '../cloud/protocol.js';
import { scheduleTimer, type TimerBatch, type TimerKind } from '../time/timer-batch.js';
import type { Timekeeper } from '../time/timekeeper.js';
import type { Connection, ConnectionFeature, ReplyHandler } from './session.js';

/** Flag bits of a {@link PeerInbox}. */
const POLLING = 1;
const STARTED = 2;
const STOPPED = 4;

/** 1.4.0 asks for at most this many messages per `user_getmsg`. */
const POLL_MAX = 30;
/** 1.4.0's poll timer ticks every 100 ms. */
const TICK = 100;
/** Acknowledge (poll) once messages delivered by push have been quiet for more than 1 s. */
const ACK_AFTER = 1_000;
/** Poll anyway after 60 s without a delivery or a poll. */
const IDLE_POLL = 60_000;

/** What the inbox uses of its Session: 1.4.0's closure reads these fields of `h`. */
export interface PeerInboxSession {
  readonly account: string;
  /** `getStatus()` */
  readonly state: number;
  readonly line: string;
  call2(name: string, args: Record<string, unknown>, cb: ReplyHandler): void;
}

/**
 * The peer-message order of one 1.4.0 connection: messages arrive numbered, a message is
 * handed to the app only when it is the next one (`seq === last + 1`), and anything else
 * (a gap left by a lost message, a duplicate) makes the SDK poll the server's inbox with
 * `user_getmsg`. A 100 ms timer polls again to acknowledge, about 1 s after the last
 * delivery, and every 60 s when idle. So a lost peer message reaches the app late (at the
 * next message or the next idle poll), and a duplicated one only once.
 *
 * Quirks of 1.4.0 kept: only one poll at a time, and a poll whose reply never comes stops
 * polling on that connection for good; the follow-up poll after a full page (30) is skipped
 * (the in-flight flag is still set when it is asked for), so the timer picks it up later.
 */
export abstract class PeerInbox {
  /** `y`: the last seq handed to the app. */
  private last = 0;
  /** `E`: the server's `ver_clear` from the last poll reply (what it knows the client took). */
  private acked = 0;
  /** `k`: the time of the last delivery by push, or of the last poll reply (ms since the cloud started). */
  private activeAt = 0;
  /** {@link POLLING}, {@link STARTED}, {@link STOPPED}: one small integer rather than three fields. */
  private flags = 0;
  /** When the poll timer started (ms since the cloud started). */
  private startedAt = 0;
  /** The poll timer: the batch that holds it, and its index there (see {@link TimerBatch}). */
  private timer: TimerBatch<PeerInbox> | undefined;
  private timerIndex = 0;

  /** `S`: a poll is in flight. */
  private get polling(): boolean {
    return (this.flags & POLLING) !== 0;
  }

  private set polling(on: boolean) {
    this.flags = on ? this.flags | POLLING : this.flags & ~POLLING;
  }

  /** The poll timer has started (at login_ret). */
  private get started(): boolean {
    return (this.flags & STARTED) !== 0;
  }

  private set started(on: boolean) {
    this.flags = on ? this.flags | STARTED : this.flags & ~STARTED;
  }

  private get stopped(): boolean {
    return (this.flags & STOPPED) !== 0;
  }

  private set stopped(on: boolean) {
    this.flags = on ? this.flags | STOPPED : this.flags & ~STOPPED;
  }

  /**
   * The connection it orders messages for (its cloud's time and handlers come with it): the
   * inbox is the connection's own part, not an object of its own, since every logged-in
   * client has one.
   */
  private get connection(): Connection {
    return this as unknown as Connection;
  }

  /** The Session whose fields 1.4.0's closure reads (the connection's: no field of its own). */
  private get session(): PeerInboxSession {
    return this.connection.internals.sdkSession;
  }

  private get time(): Timekeeper {
    return this.connection.internals.ctx.time;
  }

  /** Hands a message, in order, to the handler of its type. */
  private deliver(msg: UserMessage): void {
    dispatchMessage(this.connection.internals.ctx.features, msg, this.connection);
  }

  /**
   * Quirk of 1.4.0: the poll timer of a connection outlives it. After a reconnect the old
   * connection's timer still ticks, and while the session is logged in (on the new connection)
   * it polls with its own mark (`ver_clear`) through the session's current `call2`, and hands
   * what comes back to the app by its own count: messages the new connection already
   * delivered come again (same account, the server numbers each session from 1). It waits
   * while the session is not logged in, and stops at state 0.
   *
   * Called when a login succeeds on a later connection, for every earlier connection's inbox.
   */
  resume(): void {
    if (!this.stopped && this.timer === undefined) this.arm();
  }

  /**
   * Whether this inbox's timer runs and can still poll: not if its connection never logged in
   * (1.4.0 starts the timer at login_ret), nor if a poll's reply was lost (`S` stays set).
   */
  get alive(): boolean {
    return this.started && !this.stopped && !this.polling;
  }

  /** Login succeeded on this connection: start the poll timer, and poll once (`A()`). */
  start(): void {
    this.started = true;
    this.startedAt = this.time.since(this.time.now());
    this.poll();
    this.arm();
  }

  /** The connection is no longer the session's (reconnect) or the session ended. */
  stop(): void {
    this.stopped = true;
    if (this.timer) this.timer.cancel(this.timerIndex);
    this.timer = undefined;
  }

  /** A pushed message (`recvmsg`). */
  receive(msg: UserMessage): void {
    if (msg.seq === this.last + 1) {
      this.deliver(msg);
      this.last = msg.seq;
      this.activeAt = this.time.since(this.time.now());
      this.arm();
    } else {
      // (1.4.0 also notes the seq as `w`, the latest announced; the emulation needs no copy of it.)
      this.poll();
    }
  }

  /** `A()`: one `user_getmsg` at a time. */
  private poll(): void {
    if (this.polling || this.stopped) return;
    this.polling = true;
    // An earlier connection's inbox polls through the current call2: the reply comes on the
    // current connection, and must reach this inbox.
    // (A closure only then: polls of earlier connections are rare, and no field per inbox.)
    const reply: ReplyHandler = this.connection.internals.connection === this.connection ? pollReply : (err, data) => this.onPollReply(err, data);
    this.session.call2('user_getmsg', { line: this.session.line, ver_clear: this.last, max: POLL_MAX }, reply);
  }

  /** @internal The reply to a poll (see {@link pollReply}). */
  onPollReply(err: string, data: Record<string, unknown> | string): void {
    if (this.stopped) return;
    if (err === '' && typeof data === 'object') {
      this.acked = Number.parseInt(String(data.ver_clear), 10);
      this.last = Math.max(this.acked, this.last);
      for (const msg of (data.msgs as UserMessage[] | undefined) ?? []) {
        if (msg.seq >= this.last + 1) {
          this.deliver(msg);
          this.last = msg.seq;
        }
      }
      // Quirk of 1.4.0: the follow-up poll is asked for while the in-flight flag is still set, so it never happens.
    }
    this.polling = false;
    this.activeAt = this.time.since(this.time.now());
    this.arm();
  }

  /** Schedules the poll timer's next tick that will act (`L()`, without the idle ticks). */
  private arm(): void {
    if (this.timer) this.timer.cancel(this.timerIndex);
    this.timer = undefined;
    if (this.stopped || this.polling) return;
    const now = this.time.now();
    // E < y: acknowledge once quiet for more than 1 s; else poll after 60 s idle.
    const activeAt = this.time.origin + this.activeAt;
    const at = this.acked < this.last ? this.tickAfter(activeAt + ACK_AFTER, true) : this.tickAfter(activeAt + IDLE_POLL, false);
    const due = Math.max(at, this.tickAfter(now, true));
    const timer = scheduleTimer(this.time, POLL_TIMER, this, undefined, due - now, false);
    this.timer = timer;
    this.timerIndex = timer.length - 1;
  }

  /** @internal The poll timer ticks (see {@link POLL_TIMER}). */
  tick(): void {
    this.timer = undefined;
    const state = this.session.state;
    if (state === 0) return this.stop();
    // Not logged in (reconnecting): 1.4.0's timer ticks on and does nothing; this one waits for
    // the next login (`resume`) instead of ticking every 100 ms.
    if (state !== 2) return;
    this.poll();
    this.arm();
  }

  /** @internal For the timer's label. */
  get account(): string {
    return this.session.account;
  }

  /** The first tick of the 100 ms timer after `t` (`strict`) or at/after it. */
  private tickAfter(t: number, strict: boolean): number {
    const startedAt = this.time.origin + this.startedAt;
    const n = (t - startedAt) / TICK;
    const k = strict ? Math.floor(n) + 1 : Math.max(1, Math.ceil(n));
    return startedAt + Math.max(1, k) * TICK;
  }
}

/**
 * The reply callback of every poll: 1.4.0 never forgets a pending reply, so each poll's
 * callback stays for as long as the connection; one function for all of them keeps that cheap.
 */
function pollReply(err: string, data: Record<string, unknown> | string, connection: Connection): void {
  connection.onPollReply(err, data);
}

/** The poll timer's next tick that acts: background work (it repeats while the session lives). */
const POLL_TIMER: TimerKind<PeerInbox, undefined> = Object.freeze<TimerKind<PeerInbox, undefined>>({
  periodic: true,
  label: (inbox) => `poll timer ${inbox.account}`,
  fire: (inbox) => inbox.tick(),
});

/**
 * Hands a user message to its handler: `instant` is the Session's own; the feature modules
 * handle the rest. An unknown type is dropped, as 1.4.0 does (any string a sender chose: own
 * keys of the handler tables only).
 */
export function dispatchMessage(features: readonly ConnectionFeature[], msg: UserMessage, conn: Connection): void {
  if (msg.type === 'instant') {
    // Quirk of 1.4.0: the uid argument of onMessageInstantReceive is always 0.
    const internals = conn.internals;
    internals.fire(internals.sdkSession, internals.owner, 'onMessageInstantReceive', [msg.from, 0, msg.content]);
    return;
  }
  for (const feature of features) {
    const table = feature.messages;
    if (table !== undefined && Object.hasOwn(table, msg.type)) return table[msg.type]!(msg, conn);
  }
}
