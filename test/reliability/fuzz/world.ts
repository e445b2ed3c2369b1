import { CALL_CALLBACKS, CHANNEL_CALLBACKS } from '../../../src/sdk/callback-names.js';
// Runs one fuzz sequence on a fresh cloud: the driver plays the apps (through the SDK objects a
// recorder hands out, so the run becomes a transcript) and the faults, and after every step the
// invariants compare what the server holds with what the model predicts from the app's side.
import {
  createCloud,
  record,
  type Call,
  type Channel,
  type Cloud,
  type LogEntry,
  type Recorder,
  type RuleHandle,
  type Session,
  type Transcript,
} from 'agora-signaling-emulator';
import { Model, type SessionModel } from './model.js';
import { ATTR_NAMES, CALL_CHANNELS, CHANNELS, FAIL_NEXT, TEXTS, type Op, type Sequence } from './ops.js';

const APP = 'app';
const MESSAGE_BYTES = 8 * 1024;
const SESSION_CALLBACKS = ['onLoginSuccess', 'onMessageInstantReceive'] as const; // the ones the fuzz listens to
/** Figures of one run, summed over a fuzz campaign. */
export interface RunStats {
  steps: number;
  /** Operations that applied (the others had nothing to act on: no session, no channel…). */
  applied: number;
  /** Invariant checks made (each check of each step counts once). */
  checks: number;
  /** Steps at which nothing was in flight, so membership and presence were compared exactly. */
  quiescentSteps: number;
  peerMessages: number;
  channelMessages: number;
  faults: number;
  logEntries: number;
  /** Accounts a fault left with the app and the server disagreeing (see DESYNCING_FAULTS). */
  uncertainAccounts: number;
}

interface SessionRec {
  readonly session: Session;
  readonly model: SessionModel;
  /** The newest Channel of each name (as a replay binds `channel:NAME`). */
  readonly channels: Map<string, Channel>;
  /** The newest Call of each channel and peer (as a replay binds `call:CHANNEL/PEER`). */
  readonly calls: Map<string, Call>;
}

interface PeerMessage {
  readonly text: string;
  readonly from: string;
  readonly to: string;
  /** Log position when it was sent. */
  readonly at: number;
  readonly told: boolean[];
}

interface ChannelMessage {
  readonly text: string;
  readonly from: string;
  readonly channel: string;
  readonly at: number;
  /** Members the server must hand it to (known when the model was exact when it was sent). */
  expected: Set<string> | undefined;
  replied: number;
}

export class FuzzWorld {
  readonly cloud: Cloud;
  readonly recorder: Recorder;
  readonly model: Model;
  readonly seq: Sequence;
  readonly stats: RunStats = { steps: 0, applied: 0, checks: 0, quiescentSteps: 0, peerMessages: 0, channelMessages: 0, faults: 0, logEntries: 0, uncertainAccounts: 0 };
  private readonly signal: ReturnType<Cloud['Signal']>;
  private readonly clients: SessionRec[][];
  private readonly rules: RuleHandle[] = [];
  private readonly peer: PeerMessage[] = [];
  private readonly channel: ChannelMessage[] = [];
  private readonly stopLog: () => void;
  /** Work to do once the step's deliveries have been made. */
  private readonly afterFlush: Array<() => void> = [];
  private nextMessage = 1;
  private nextToken = 1;
  /** The step being run, for messages. */
  private step = -1;

  /** `tamper`: a test's way to break the cloud on purpose, to see the fuzz report it. */
  constructor(seq: Sequence, tamper?: (cloud: Cloud) => void) {
    this.seq = seq;
    this.cloud = createCloud({ seed: seq.seed, latency: seq.latency });
    tamper?.(this.cloud);
    this.recorder = record(this.cloud, { name: `fuzz sequence (seed ${seq.seed}, ${seq.clients} clients)` });
    this.model = new Model();
    this.stopLog = this.cloud.log.subscribe(this.model.onEntry);
    this.signal = this.cloud.Signal(APP);
    this.clients = Array.from({ length: seq.clients }, () => []);
  }

  /** Runs every operation, checking the invariants after each; then lets everything play out. */
  run(): void {
    try {
      this.prelude();
      for (let i = 0; i < this.seq.ops.length; i++) this.runStep(i);
      this.end();
    } finally {
      this.close();
    }
  }

  /** Runs operation `i` and checks the invariants (`run()` runs them all; a test may interleave two worlds). */
  runStep(i: number): void {
    this.prelude();
    this.step = i;
    const quiet = this.quiescent();
    const before = this.expectedMembers();
    if (this.apply(this.seq.ops[i]!, quiet ? before : undefined)) this.stats.applied++;
    this.cloud.flushSync();
    this.stats.steps++;
    this.afterStep();
  }

  /** Lifts every fault, lets time play out, and checks that every message was accounted for. */
  end(): void {
    this.step = this.seq.ops.length;
    this.finish();
  }

  /** Stops watching the log and takes the figures. */
  close(): void {
    this.stopLog();
    this.stats.logEntries = this.cloud.log.total;
    this.stats.faults = this.cloud.log.count({ kind: 'fault' });
    this.stats.uncertainAccounts = this.model.uncertain.size;
  }

  private preluded = false;

  /** The clients that start logged in do, and the even ones join `room-a`. */
  private prelude(): void {
    if (this.preluded) return;
    this.preluded = true;
    if (this.seq.loggedIn === 0) return;
    for (let c = 0; c < this.seq.loggedIn; c++) this.login(c, { op: 'login', c, onLogout: true, onLoginFailed: true, reconnectCount: 0 });
    this.cloud.advanceSync(4 * this.seq.latency);
    for (let c = 0; c < this.seq.loggedIn; c += 2) this.apply({ op: 'join', c, ch: 0 }, undefined);
    this.cloud.advanceSync(2 * this.seq.latency);
    this.afterStep();
  }

  get violations(): string[] {
    return this.model.violations;
  }

  transcript(): Transcript {
    return this.recorder.transcript();
  }

  dispose(): void {
    this.recorder.stop();
    this.cloud.dispose();
  }

  // ---- the operations ----

  private account(c: number): string {
    return `u${c % this.seq.clients}`;
  }

  private latest(c: number, old = false): SessionRec | undefined {
    const list = this.clients[c % this.seq.clients]!;
    return old ? list[list.length - 2] : list[list.length - 1];
  }

  /** Runs one operation; false when it had nothing to act on. `members`: the exact membership before it, if known. */
  private apply(op: Op, members: Map<string, Set<string>> | undefined): boolean {
    const cloud = this.cloud;
    switch (op.op) {
      case 'login':
        this.login(op.c, op);
        return true;
      case 'logout': {
        const rec = this.latest(op.c, op.old);
        if (!rec) return false;
        const wasLoggingIn = rec.session.state === 1;
        rec.session.logout();
        if (wasLoggingIn) this.model.endedSilently(rec.model, 'logout-while-logging-in');
        return true;
      }
      case 'send': {
        const rec = this.latest(op.c, op.old);
        if (!rec || typeof rec.session.messageInstantSend !== 'function') return false;
        const id = `p${this.nextMessage++}`;
        const text = op.big ? `${id} `.padEnd(MESSAGE_BYTES + 1, 'x') : `${id}${TEXTS[op.text]}`;
        const msg: PeerMessage = { text, from: rec.model.account, to: this.account(op.to), at: cloud.log.total, told: [] };
        this.peer.push(msg);
        this.stats.peerMessages++;
        rec.session.messageInstantSend(msg.to, text, (isError: boolean) => msg.told.push(isError));
        return true;
      }
      case 'join': {
        const rec = this.latest(op.c);
        if (!rec || typeof rec.session.channelJoin !== 'function' || rec.model.pending) return false;
        const name = CHANNELS[op.ch % CHANNELS.length]!;
        // Pending from before the call: a fault may drop the request while it is being sent.
        this.model.requested(rec.model, 'join', name);
        const channel = rec.session.channelJoin(name);
        if (!channel) {
          rec.model.pending = undefined; // not logged in: 1.4.0 returns undefined and sends nothing
          return true;
        }
        for (const cb of CHANNEL_CALLBACKS) (channel as unknown as Record<string, unknown>)[cb] = () => {};
        rec.channels.set(name, channel);
        return true;
      }
      case 'leave': {
        const rec = this.latest(op.c);
        const channel = rec?.channels.get(CHANNELS[op.ch % CHANNELS.length]!);
        if (!rec || !channel || rec.model.pending) return false;
        this.model.requested(rec.model, 'leave', channel.name);
        channel.channelLeave(op.withCb ? () => {} : undefined);
        return true;
      }
      case 'channelSend': {
        const rec = this.latest(op.c);
        const channel = rec?.channels.get(CHANNELS[op.ch % CHANNELS.length]!);
        if (!rec || !channel) return false;
        const id = `c${this.nextMessage++}`;
        const text = op.big ? `${id} `.padEnd(MESSAGE_BYTES + 1, 'x') : `${id}${TEXTS[op.text]}`;
        const live = rec.session.state === 2 && !rec.model.pending;
        const expected = live && members ? this.recipients(members, rec.model.account, channel.name) : undefined;
        const msg: ChannelMessage = { text, from: rec.model.account, channel: channel.name, at: cloud.log.total, expected, replied: 0 };
        this.channel.push(msg);
        this.stats.channelMessages++;
        channel.messageChannelSend(text, () => msg.replied++);
        // The membership it was checked against holds only if the server handled it in this step.
        this.afterFlush.push(() => {
          if (msg.replied === 0) msg.expected = undefined;
        });
        return true;
      }
      case 'setAttr': {
        const channel = this.latest(op.c)?.channels.get(CHANNELS[op.ch % CHANNELS.length]!);
        if (!channel) return false;
        const key = ATTR_NAMES[op.key % ATTR_NAMES.length]!;
        channel.channelSetAttr(key, key === '_userNotification' ? String(op.value % 2) : `v${op.value}`, () => {});
        return true;
      }
      case 'delAttr': {
        const channel = this.latest(op.c)?.channels.get(CHANNELS[op.ch % CHANNELS.length]!);
        if (!channel) return false;
        channel.channelDelAttr(ATTR_NAMES[op.key % ATTR_NAMES.length]!, () => {});
        return true;
      }
      case 'clearAttr': {
        const channel = this.latest(op.c)?.channels.get(CHANNELS[op.ch % CHANNELS.length]!);
        if (!channel) return false;
        channel.channelClearAttr(() => {});
        return true;
      }
      case 'queryNum': {
        const rec = this.latest(op.c);
        if (!rec || typeof rec.session.invoke !== 'function') return false;
        const name = CHANNELS[op.ch % CHANNELS.length]!;
        const replies: Array<[string, unknown]> = [];
        rec.session.invoke('io.agora.signal.channel_query_num', { name }, (err: string, resp: unknown) => replies.push([err, resp]));
        const expected = members && rec.session.state === 2 ? members.get(name)?.size ?? 0 : undefined;
        if (expected !== undefined) {
          this.afterFlush.push(() => {
            if (replies.length !== 1 || replies[0]![0] !== '') return;
            this.stats.checks++;
            const num = (replies[0]![1] as { num?: unknown }).num;
            if (num !== expected) this.violation(`channel_query_num of '${name}' answered ${String(num)}, but ${expected} sessions joined it and have not left`);
          });
        }
        return true;
      }
      case 'invite': {
        const rec = this.latest(op.c);
        if (!rec || typeof rec.session.channelInviteUser2 !== 'function') return false;
        const extra = { none: undefined, online: { _require_peer_online: 1 }, timeout: { _timeout: 2 }, text: '{"topic":"lunch"}', bad: 'not json' }[op.extra];
        const channelName = CALL_CHANNELS[op.ch % CALL_CHANNELS.length]!;
        const call = rec.session.channelInviteUser2(channelName, this.account(op.to), extra);
        this.keepCall(rec, call);
        return true;
      }
      case 'answer': {
        const rec = this.latest(op.c);
        if (!rec || rec.calls.size === 0) return false;
        const call = [...rec.calls.values()][op.call % rec.calls.size]!;
        if (op.how === 'accept') call.channelInviteAccept('');
        else if (op.how === 'refuse') call.channelInviteRefuse('');
        else if (op.how === 'end') call.channelInviteEnd('');
        else call.channelInviteDTMF('1#');
        return true;
      }
      case 'advance':
        cloud.advanceSync(op.ms);
        return true;
      case 'disconnect': {
        const account = this.account(op.c);
        if (cloud.net.inspect().disconnected.includes(account)) return false;
        cloud.net.disconnect(account, { how: op.how, attempts: op.attempts, ...(op.for !== null ? { for: op.for } : {}) });
        return true;
      }
      case 'reconnect': {
        const account = this.account(op.c);
        if (!cloud.net.inspect().disconnected.includes(account)) return false;
        cloud.net.reconnect(account);
        return true;
      }
      case 'outage':
        if (cloud.net.inspect().outage) return false;
        cloud.outage(op.ms, { how: op.how });
        return true;
      case 'loss':
        this.rules.push(cloud.net.loss(op.p, this.filter(op.c, op.direction, op.kind)));
        return true;
      case 'duplicate':
        this.rules.push(cloud.net.duplicate(1, this.filter(op.c, op.direction, op.kind)));
        return true;
      case 'jitter':
        this.rules.push(cloud.net.latency([0, op.max]));
        return true;
      case 'hold':
        this.rules.push(cloud.net.hold({ account: this.account(op.c), direction: op.direction }));
        return true;
      case 'removeRule': {
        const live = this.rules.filter((r) => r.active);
        if (live.length === 0) return false;
        live[op.i % live.length]!.remove();
        return true;
      }
      case 'release':
        cloud.net.release();
        return true;
      case 'kick':
      case 'closeSession':
      case 'expireToken': {
        const account = this.account(op.c);
        if (!this.online().has(account)) return false;
        if (op.op === 'kick') cloud.kick(account);
        else if (op.op === 'closeSession') cloud.closeSession(account);
        else cloud.expireToken(account, { effect: op.effect });
        return true;
      }
      case 'failNext':
        cloud.failNext(FAIL_NEXT[op.name % FAIL_NEXT.length]!, { reason: 'injected failure', times: op.times, ...(op.c !== null ? { account: this.account(op.c) } : {}) });
        return true;
      case 'limit':
        cloud.setChannelLimits({ maxMembers: op.maxMembers });
        return true;
    }
  }

  private login(c: number, op: Extract<Op, { op: 'login' }>): void {
    const account = this.account(c);
    const list = this.clients[c % this.seq.clients]!;
    // A token per login (the app has no certificate, so any token works): expiring one
    // session's token leaves the account's next login alone.
    const session = this.signal.login(account, `token-${this.nextToken++}`, op.reconnectCount);
    const rec: SessionRec = { session, model: this.model.session(account, list.length + 1), channels: new Map(), calls: new Map() };
    list.push(rec);
    for (const cb of SESSION_CALLBACKS) (session as unknown as Record<string, unknown>)[cb] = () => {};
    if (op.onLogout) session.onLogout = () => {};
    if (op.onLoginFailed) session.onLoginFailed = () => {};
    session.onInviteReceived = (call: Call) => this.keepCall(rec, call);
  }

  private keepCall(rec: SessionRec, call: Call): void {
    for (const cb of CALL_CALLBACKS) (call as unknown as Record<string, unknown>)[cb] = () => {};
    rec.calls.set(`${call.channelName}/${call.peer}`, call);
  }

  private filter(c: number | null, direction: 'up' | 'down' | 'both', kind: string | null) {
    return { ...(c !== null ? { account: this.account(c) } : {}), direction, ...(kind !== null ? { kind } : {}) };
  }

  private online(): Set<string> {
    return new Set(this.cloud.inspect().apps.find((a) => a.appId === APP)?.online.map((u) => u.account) ?? []);
  }

  // ---- the invariants ----

  private violation(text: string): void {
    const where = this.step < 0 ? 'the prelude' : `step ${this.step} (${JSON.stringify(this.seq.ops[this.step] ?? 'end')})`;
    this.model.violations.push(`${where}: ${text}`);
  }

  /** Nothing in flight or held: every request has been answered and every push delivered. */
  private quiescent(): boolean {
    const net = this.cloud.net.inspect();
    return net.inFlight.length === 0 && net.held === 0;
  }

  /**
   * What the model says the server holds: per channel, the accounts whose live session (state 2)
   * joined it and has not left. Undefined when the model cannot know exactly (a reply was lost,
   * a join or leave is still unanswered).
   */
  private expectedMembers(): Map<string, Set<string>> | undefined {
    if (this.model.uncertain.size > 0) return undefined;
    const members = new Map<string, Set<string>>();
    for (const list of this.clients) {
      for (const rec of list) {
        if (rec.session.state !== 2) continue;
        if (rec.model.pending) return undefined;
        for (const [channel, how] of rec.model.member) {
          if (how === 'unknown') return undefined;
          const set = members.get(channel) ?? new Set<string>();
          set.add(rec.model.account);
          members.set(channel, set);
        }
      }
    }
    return members;
  }

  private recipients(members: Map<string, Set<string>>, sender: string, channel: string): Set<string> {
    const set = members.get(channel);
    return set?.has(sender) ? new Set(set) : new Set();
  }

  private afterStep(): void {
    for (const fn of this.afterFlush.splice(0)) fn();
    // A session at state 0 that the log did not end (a re-login refused while reconnecting).
    for (const list of this.clients) for (const rec of list) if (rec.session.state === 0) this.model.endedSilently(rec.model, 'silent');
    this.checkDeliveries();
    if (this.quiescent()) {
      this.stats.quiescentSteps++;
      this.checkPresenceAndMembership();
    }
  }

  /** Nobody is told of a message twice, unless a fault duplicated its request; and only its addressee. */
  private checkDeliveries(): void {
    this.stats.checks++;
    for (const m of this.peer) {
      const got = this.model.deliveries.get(m.text) ?? [];
      if (got.some((a) => a !== m.to)) this.violation(`peer message ${m.text.slice(0, 12)} from ${m.from} to ${m.to} reached ${got.join(', ')}`);
      if (got.length > 1 && !this.duplicatedSince(m.at, m.from, 'user_sendmsg')) {
        this.violation(`peer message ${m.text.slice(0, 12)} from ${m.from} reached ${m.to} ${got.length} times, and no fault duplicated it`);
      }
    }
    for (const m of this.channel) {
      const got = this.model.deliveries.get(m.text) ?? [];
      const counts = new Map<string, number>();
      for (const a of got) counts.set(a, (counts.get(a) ?? 0) + 1);
      for (const [account, n] of counts) {
        if (m.expected && !m.expected.has(account)) this.violation(`channel message ${m.text.slice(0, 12)} of ${m.from} in '${m.channel}' reached ${account}, who was not a member`);
        if (n > 1 && !this.duplicatedSince(m.at, m.from, 'channel_sendmsg')) this.violation(`channel message ${m.text.slice(0, 12)} reached ${account} ${n} times, and no fault duplicated it`);
      }
    }
  }

  private duplicatedSince(at: number, account: string, kind: string): boolean {
    return this.entriesSince(at).some((e) => e.kind === 'fault' && e.name === 'duplicate' && e.client === account && e.args[1] === kind);
  }

  private entriesSince(at: number): LogEntry[] {
    return this.cloud.log.entries.slice(at);
  }

  /**
   * With nothing in flight: the accounts online are those with a live session, each has one,
   * and every channel's members are the live sessions that joined it and have not left or been
   * cut off. The server's counters agree.
   */
  private checkPresenceAndMembership(): void {
    this.stats.checks++;
    const uncertain = this.model.uncertain;
    const live = new Map<string, SessionRec[]>();
    for (const list of this.clients) {
      for (const rec of list) {
        if (rec.session.state !== 2) continue;
        live.set(rec.model.account, [...(live.get(rec.model.account) ?? []), rec]);
        if (rec.model.pending) this.violation(`${rec.model.key}'s ${rec.model.pending.kind} of '${rec.model.pending.channel}' was neither answered nor named by a fault`);
      }
    }
    for (const [account, recs] of live) {
      if (recs.length > 1 && !uncertain.has(account)) this.violation(`${account} has ${recs.length} live sessions: ${recs.map((r) => r.model.key).join(', ')}`);
    }
    const online = [...this.online()].filter((a) => !uncertain.has(a));
    const apps = [...live.keys()].filter((a) => !uncertain.has(a));
    if (online.length !== apps.length || !online.every((a) => live.has(a))) {
      this.violation(`the server has online [${online.join(', ')}], the apps have live sessions of [${apps.join(', ')}]`);
    }

    this.stats.checks++;
    const server = this.cloud.channels(APP);
    for (const name of new Set([...server.map((c) => c.name), ...CHANNELS])) {
      const snapshot = server.find((c) => c.name === name);
      const members = new Set(snapshot?.members.map((m) => m.account) ?? []);
      for (const account of members) {
        if (!live.has(account) && !uncertain.has(account)) this.violation(`'${name}' has member ${account}, who has no live session`);
      }
      for (const [account, recs] of live) {
        if (uncertain.has(account)) continue;
        const how = recs[recs.length - 1]!.model.member.get(name);
        if (how === 'unknown') continue;
        if ((how === 'in') !== members.has(account)) {
          this.violation(`${account} ${how === 'in' ? 'joined' : 'is not in'} '${name}' as the app was told, but the server ${members.has(account) ? 'has' : 'does not have'} it as a member`);
        }
      }
      if (!snapshot) continue;
      this.stats.checks++;
      if (snapshot.attrs._member_num !== String(members.size)) this.violation(`'${name}' _member_num is ${snapshot.attrs._member_num} with ${members.size} members`);
      if (!this.model.inexactTotals.has(name) && uncertain.size === 0) {
        const total = this.model.everJoined.get(name)?.size ?? 0;
        if (snapshot.attrs._total_member_num !== String(total)) this.violation(`'${name}' _total_member_num is ${snapshot.attrs._total_member_num}, but ${total} accounts joined it`);
      }
    }
  }


  /**
   * The end: every fault lifted, time enough for polls and back-offs to play out, then every
   * message must have been delivered, or its sender told it failed, or the log must name what
   * dropped it.
   */
  private finish(): void {
    this.cloud.net.clear();
    this.cloud.advanceSync(65_000);
    for (let i = 0; i < 50 && !this.quiescent(); i++) this.cloud.advanceSync(Math.max(1, this.seq.latency));
    this.afterStep();
    this.checkEveryMessageAccountedFor();
  }

  private checkEveryMessageAccountedFor(): void {
    this.stats.checks++;
    const log = this.cloud.log.entries;
    const used = new Set<number>();
    // Each fault on the sender's side explains one message; faults on the receiving side (a
    // lost push leaves a gap that blocks what follows until a poll) may explain several.
    const take = (m: { at: number }, pick: (e: LogEntry) => boolean): boolean => {
      for (let i = log.length - 1; i >= m.at; i--) {
        const e = log[i]!;
        if (!used.has(e.seq) && pick(e)) {
          used.add(e.seq);
          return true;
        }
      }
      return false;
    };
    const any = (m: { at: number }, pick: (e: LogEntry) => boolean): boolean => log.slice(m.at).some(pick);
    const onRequest = (account: string, request: string) => (e: LogEntry) =>
      e.client === account &&
      ((e.kind === 'fault' && (e.args[1] === request || (e.name === 'request dropped' && e.args[0] === request))) ||
        (e.kind === 'server' && e.name === 'refused' && e.args[0] === request));

    // A fault or decision on the receiving side explains every message it may have held up;
    // the others each need one of their own on the sender's side, after they were sent.
    const unexplained = this.peer.filter(
      (m) =>
        (this.model.deliveries.get(m.text) ?? []).length === 0 &&
        !m.told.includes(true) &&
        // At any time: a lost push leaves a gap, and a lost poll stops that connection's polling for good (1.4.0).
        !any({ at: 0 }, (e) =>
          e.client === m.to &&
          ((e.kind === 'fault' && ['msg instant', 'call2-ret user_getmsg', 'user_getmsg'].includes(String(e.args[1]))) ||
            (e.kind === 'server' && ['message stored', 'inbox overflow', 'stored message expired'].includes(e.name))),
        ),
    );
    for (const m of unexplained.sort((a, b) => b.at - a.at)) {
      if (!take(m, onRequest(m.from, 'user_sendmsg'))) {
        this.violation(`peer message ${m.text.slice(0, 12)} from ${m.from} to ${m.to} was never delivered, its sender was not told, and the log names no fault or decision that dropped it`);
      }
    }
    for (const m of [...this.channel].sort((a, b) => b.at - a.at)) {
      if (!m.expected) continue;
      const got = new Set(this.model.deliveries.get(m.text) ?? []);
      const missing = [...m.expected].filter((a) => !got.has(a));
      if (missing.length === 0) continue;
      if (take(m, onRequest(m.from, 'channel_sendmsg'))) continue;
      for (const account of missing) {
        const explained = take(m, (e) => e.client === account && e.kind === 'fault' && (String(e.args[1]).startsWith('channel2') || e.name === 'channel event dropped' || e.name === 'channel event without a Channel'));
        if (!explained) this.violation(`channel message ${m.text.slice(0, 12)} of ${m.from} in '${m.channel}' never reached member ${account}, and the log names no fault or decision that dropped it`);
      }
    }
  }
}
