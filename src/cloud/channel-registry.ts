import type { Task } from '../time/scheduler.js';
import { autoUpdateSeconds, builtin, channelTtlSeconds, notifiesMembership } from './channel-builtins.js';
import { defaultChannelLimits, RateWindow, type ChannelLimits } from './channel-limits.js';
import type { ChannelEvent, Push } from './protocol.js';
import type { CloudServer } from './server.js';
import { ListedMember, MemberList } from './member-list.js';
import type { AccountState, AppState, ServerSession } from './state.js';

/** The special channels of the documentation: never destroyed, fed by the server. */
export const SPECIAL_CHANNELS: readonly string[] = ['_agora_user_online', '_agora_channel_event'];

export interface ChannelMember {
  readonly session: ServerSession;
  readonly account: string;
  readonly uid: number;
  readonly joinedAt: number;
}

/** One channel of one app, as the server holds it. */
export interface ChannelState {
  readonly app: AppState;
  readonly name: string;
  /** `_agora_user_online` / `_agora_channel_event`: never destroyed. */
  readonly special: boolean;
  readonly createdAt: number;
  /** By account, in join order. */
  readonly members: MemberList;
  /**
   * The members' sessions in join order, made when a broadcast asks and dropped when
   * membership changes (never changed in place: a broadcast that goes out after the reply
   * keeps the list of its moment).
   */
  sessions: readonly ServerSession[] | undefined;
  /** Attribute values set by apps (built-in settings included), in the order they were first set. */
  readonly attrs: Map<string, string>;
  /**
   * Accounts that were members and are not now: with the members, the accounts that have ever
   * joined (`_total_member_num`). Empty while nobody leaves, so that a join is not an insert
   * into a set of every account the room has seen.
   */
  readonly departed: Set<string>;
  /** Id of the last channel2 event (they count from 1 per channel). */
  msgid: number;
  /** Virtual ms since when the channel has had no member (undefined while it has some). */
  emptySince: number | undefined;
  destroyTimer: Task | undefined;
  /** Pending `_auto_update_num` / `_auto_update_total_num` pushes, with their period. */
  readonly autoTimers: Map<string, { task: Task; seconds: number }>;
  readonly sendWindow: RateWindow;
  readonly attrWindow: RateWindow;
}

/** Told of every join and leave, its parts as arguments (no object made for each). */
export type MembershipListener = (kind: 'join' | 'leave', channel: ChannelState, member: ChannelMember, why: string) => void;

/**
 * Owns the channels of every app: membership, the channel2 event stream with its msgids, the
 * life of empty channels (`_channel_ttl`) and the `_auto_update_*` pushes, all on the cloud's
 * virtual clock.
 */
export class ChannelRegistry {
  readonly server: CloudServer;
  limits: ChannelLimits = { ...defaultChannelLimits };
  private readonly byApp = new Map<AppState, Map<string, ChannelState>>();
  /**
   * The channels each live session is a member of, in the order it joined them: the channel
   * itself while it is one (most sessions are in one channel: no collection of their own),
   * an array from the second on.
   */
  private readonly bySession = new Map<ServerSession, ChannelState | ChannelState[]>();
  /** Channel messages per account, over all channels (60/s). */
  private readonly userWindows = new Map<AccountState, RateWindow>();
  private readonly membershipListeners: MembershipListener[] = [];

  constructor(server: CloudServer) {
    this.server = server;
  }

  get(app: AppState, name: string): ChannelState | undefined {
    return this.byApp.get(app)?.get(name);
  }

  /** The channel, created (empty, its TTL running) if it does not exist. */
  getOrCreate(app: AppState, name: string): ChannelState {
    const existing = this.get(app, name);
    if (existing) return existing;
    let channels = this.byApp.get(app);
    if (!channels) {
      channels = new Map();
      this.byApp.set(app, channels);
    }
    const now = this.now();
    const channel: ChannelState = {
      app,
      name,
      special: SPECIAL_CHANNELS.includes(name),
      createdAt: now,
      members: new MemberList(),
      sessions: undefined,
      attrs: new Map(),
      departed: new Set(),
      msgid: 0,
      emptySince: now,
      destroyTimer: undefined,
      autoTimers: new Map(),
      sendWindow: new RateWindow(),
      attrWindow: new RateWindow(),
    };
    channels.set(name, channel);
    this.scheduleDestroy(channel);
    return channel;
  }

  /** Every channel of the app, in creation order. */
  channelsOf(app: AppState): ChannelState[] {
    return [...(this.byApp.get(app)?.values() ?? [])];
  }

  /** The channels a session is a member of, in the order it joined them. */
  channelsOfSession(session: ServerSession): ChannelState[] {
    const mine = this.bySession.get(session);
    if (mine === undefined) return [];
    return Array.isArray(mine) ? [...mine] : [mine];
  }

  isMember(channel: ChannelState, session: ServerSession): boolean {
    return channel.members.get(session.account.account)?.session === session;
  }

  userWindow(account: AccountState): RateWindow {
    let w = this.userWindows.get(account);
    if (!w) {
      w = new RateWindow();
      this.userWindows.set(account, w);
    }
    return w;
  }

  /** Calls `listener` after every join and leave (the special channels feed on it). */
  onMembership(listener: MembershipListener): void {
    this.membershipListeners.push(listener);
  }

  /** Adds a session to a channel and tells the other members (unless `_userNotification` is 0). */
  join(channel: ChannelState, session: ServerSession): ChannelMember {
    const account = session.account.account;
    const member = new ListedMember(session, account, session.account.uid, this.now());
    if (channel.members.set(account, member) && channel.departed.size > 0) channel.departed.delete(account);
    channel.sessions = undefined;
    this.addToSession(session, channel);
    if (channel.emptySince !== undefined) {
      channel.emptySince = undefined;
      this.cancelDestroy(channel);
      this.syncAutoUpdates(channel);
    }
    if (notifiesMembership(channel.attrs)) {
      this.broadcast(channel, { type: 'channel_user_join', account, uid: member.uid }, session);
    }
    for (const l of this.membershipListeners) l('join', channel, member, 'join');
    return member;
  }

  private addToSession(session: ServerSession, channel: ChannelState): void {
    const mine = this.bySession.get(session);
    if (mine === undefined) this.bySession.set(session, channel);
    else if (!Array.isArray(mine)) {
      if (mine !== channel) this.bySession.set(session, [mine, channel]);
    } else if (!mine.includes(channel)) mine.push(channel);
  }

  private removeFromSession(session: ServerSession, channel: ChannelState): void {
    const mine = this.bySession.get(session);
    if (mine === channel) this.bySession.delete(session);
    else if (Array.isArray(mine)) {
      const at = mine.indexOf(channel);
      if (at >= 0) mine.splice(at, 1);
    }
  }

  /**
   * Removes a session from a channel and tells the remaining members; an emptied channel stops
   * its auto-updates and starts its TTL. `why`: `leave`, or how the session ended.
   */
  leave(channel: ChannelState, session: ServerSession, why: string): void {
    const account = session.account.account;
    const member = channel.members.get(account);
    if (!member || member.session !== session) return;
    channel.members.delete(account);
    channel.departed.add(account);
    channel.sessions = undefined;
    this.removeFromSession(session, channel);
    if (why !== 'leave') this.server.note('channel left', account, [channel.name, why]);
    if (notifiesMembership(channel.attrs)) {
      this.broadcast(channel, { type: 'channel_user_leave', account, uid: member.uid });
    }
    if (channel.members.size === 0) {
      channel.emptySince = this.now();
      this.syncAutoUpdates(channel);
      this.scheduleDestroy(channel);
    }
    for (const l of this.membershipListeners) l('leave', channel, member, why);
  }

  /** Takes an ended session out of every channel it was in. */
  dropSession(session: ServerSession, why: string): void {
    for (const channel of this.channelsOfSession(session)) this.leave(channel, session, why);
    this.bySession.delete(session);
  }

  /**
   * Sends one channel event to every member now in the channel (but `except`), under the
   * channel's next msgid: the msgid counts events of the channel, so a member who was skipped
   * sees a gap. Inside a request the pushes go out after its reply: the author of a change
   * hears the reply first, then everyone hears of the change.
   */
  broadcast(channel: ChannelState, event: ChannelEvent, except?: ServerSession): void {
    const msgid = ++channel.msgid;
    // Who is a member now (the pushes may go out after the reply): the channel's list of
    // sessions, made once for as long as membership stays the same.
    const to = (channel.sessions ??= channel.members.map((m) => m.session));
    // One push for every member: pushes are never changed on their way.
    const push: Push = { type: 'channel2', channel: channel.name, msgid, event };
    this.server.afterReply(() => this.server.pushAll(to, except, push));
  }

  /** Re-reads the built-in settings after an attribute change: TTL and auto-update timers. */
  attributesChanged(channel: ChannelState): void {
    this.syncAutoUpdates(channel);
    if (channel.emptySince !== undefined) this.scheduleDestroy(channel);
  }

  /** The `_member_num` / `_total_member_num` values the server keeps. */
  counter(channel: ChannelState, which: string): number {
    return which === builtin.memberNum ? channel.members.size : channel.members.size + channel.departed.size;
  }

  // ---- life of an empty channel ----

  private scheduleDestroy(channel: ChannelState): void {
    this.cancelDestroy(channel);
    if (channel.special || channel.emptySince === undefined) return;
    const due = channel.emptySince + channelTtlSeconds(channel.attrs) * 1000;
    const ttl = channel.attrs.get(builtin.channelTtl);
    // Housekeeping nobody waits for: settle() and autoAdvance do not run two hours ahead for it.
    channel.destroyTimer = this.server.ctx.time.schedule(
      due - this.now(),
      `destroy channel ${channel.name}`,
      () => {
        channel.destroyTimer = undefined;
        this.destroy(channel, ttl === undefined ? 'empty for the default _channel_ttl of 7200 s' : `empty for _channel_ttl ${ttl} s`);
      },
      { periodic: true },
    );
  }

  private cancelDestroy(channel: ChannelState): void {
    if (channel.destroyTimer) this.server.ctx.time.cancel(channel.destroyTimer);
    channel.destroyTimer = undefined;
  }

  private destroy(channel: ChannelState, why: string): void {
    for (const { task } of channel.autoTimers.values()) this.server.ctx.time.cancel(task);
    channel.autoTimers.clear();
    this.byApp.get(channel.app)?.delete(channel.name);
    this.server.note('channel destroyed', '', [channel.name, why]);
  }

  // ---- _auto_update_num / _auto_update_total_num ----

  /** Starts, restarts or stops each auto-update timer to match the attributes and membership. */
  private syncAutoUpdates(channel: ChannelState): void {
    for (const [setting, counter] of [
      [builtin.autoUpdateNum, builtin.memberNum],
      [builtin.autoUpdateTotalNum, builtin.totalMemberNum],
    ] as const) {
      const seconds = channel.members.size > 0 ? autoUpdateSeconds(channel.attrs, setting) : undefined;
      const running = channel.autoTimers.get(counter);
      if (running && running.seconds === seconds) continue;
      if (running) {
        this.server.ctx.time.cancel(running.task);
        channel.autoTimers.delete(counter);
      }
      if (seconds !== undefined) this.armAutoUpdate(channel, counter, seconds);
    }
  }

  private armAutoUpdate(channel: ChannelState, counter: string, seconds: number): void {
    const task = this.server.ctx.time.schedule(
      seconds * 1000,
      `${counter} → ${channel.name}`,
      () => {
        channel.autoTimers.delete(counter);
        this.broadcast(channel, { type: 'channel_attr_update', name: counter, value: String(this.counter(channel, counter)), change: 'update' });
        this.armAutoUpdate(channel, counter, seconds);
      },
      { periodic: true },
    );
    channel.autoTimers.set(counter, { task, seconds });
  }

  private now(): number {
    return this.server.ctx.time.now();
  }
}
