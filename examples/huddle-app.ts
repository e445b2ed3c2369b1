/**
 * Example app: "huddle", a team room with calls. Each user's app logs in, joins the `huddle`
 * channel, shows who is there, and can call another member.
 *
 * `HuddleApp` has a classic bug that no happy-path test finds: it treats `onLoginSuccess` as
 * something that happens once. When the connection drops and 1.4.0 reconnects, the SDK logs in
 * again (`onLoginSuccess` fires a second time) but does not re-join the channel, and the old
 * Channel and Call objects stay dead: the app still shows itself in the room, and in its call,
 * while the cloud has neither. `FixedHuddleApp` treats every login as a new connection.
 *
 * examples/fault-exploration.ts explores fault schedules against both.
 */
import type { Session, Signal } from 'agora-signaling-emulator';

type Channel = NonNullable<ReturnType<Session['channelJoin']>>;
type Call = ReturnType<Session['channelInviteUser2']>;

export const ROOM = 'huddle';

export class HuddleApp {
  readonly account: string;
  readonly session: Session;
  /** What the app shows: its connection, whether it is in the room, who is there, its call. */
  status: 'connecting' | 'online' | 'offline' = 'connecting';
  inRoom = false;
  members: string[] = [];
  call: { peer: string; state: 'ringing' | 'talking' } | undefined;
  protected room: Channel | undefined;
  protected callObject: Call | undefined;
  private joinAttempts = 0;

  constructor(signal: Signal, account: string) {
    this.account = account;
    this.session = signal.login(account, '_no_need_token');
    this.session.onLoginSuccess = () => this.loggedIn();
    this.session.onLoginFailed = () => this.loggedOut();
    this.session.onLogout = () => this.loggedOut();
    this.session.onInviteReceived = (call) => this.answer(call);
  }

  /** Calls another member; they answer at once. */
  callPeer(peer: string): void {
    if (this.status !== 'online' || this.call) return;
    const call = this.session.channelInviteUser2(`call-${this.account}-${peer}`, peer, '');
    this.track(call, peer, 'ringing');
    call.onInviteAcceptedByPeer = () => this.setCall(call, 'talking');
  }

  hangUp(): void {
    if (!this.call) return;
    this.callObject?.channelInviteEnd();
    this.endCall();
  }

  /** The bug: the room is joined on the first login only. After a reconnect `this.room` is a dead Channel. */
  protected loggedIn(): void {
    this.status = 'online';
    if (!this.room) this.join();
  }

  protected join(): void {
    this.inRoom = false;
    this.members = [];
    const room = this.session.channelJoin(ROOM)!;
    this.room = room;
    room.onChannelJoined = () => {
      this.joinAttempts = 0;
      this.inRoom = true;
    };
    room.onChannelJoinFailed = () => {
      // A refused join is tried again, twice at most.
      if (++this.joinAttempts <= 2 && this.status === 'online') this.join();
    };
    room.onChannelUserList = (users) => {
      this.members = users.map(([account]) => account);
    };
    room.onChannelUserJoined = (account) => {
      if (!this.members.includes(account)) this.members.push(account);
    };
    room.onChannelUserLeaved = (account) => {
      this.members = this.members.filter((m) => m !== account);
    };
  }

  protected loggedOut(): void {
    this.status = 'offline';
    this.inRoom = false;
    this.members = [];
    this.room = undefined;
    this.endCall();
  }

  protected endCall(): void {
    this.call = undefined;
    this.callObject = undefined;
  }

  private answer(call: Call): void {
    if (this.call) return call.channelInviteRefuse('busy');
    this.track(call, call.peer, 'talking');
    call.channelInviteAccept('');
  }

  private track(call: Call, peer: string, state: 'ringing' | 'talking'): void {
    this.callObject = call;
    this.call = { peer, state };
    const ended = () => {
      if (this.callObject === call) this.endCall();
    };
    call.onInviteEndByPeer = ended;
    call.onInviteFailed = ended;
    call.onInviteRefusedByPeer = ended;
    call.onInviteEndByMyself = ended;
  }

  private setCall(call: Call, state: 'talking'): void {
    if (this.callObject === call && this.call) this.call = { ...this.call, state };
  }
}

/**
 * The fix: every `onLoginSuccess` is a new connection. 1.4.0 does not re-join channels after a
 * reconnect and leaves the old Channel and Call objects dead, so the app joins again, with a
 * new Channel, and forgets the call the old connection carried.
 */
export class FixedHuddleApp extends HuddleApp {
  /**
   * And no call is placed while the SDK is reconnecting (state 3): the app would take it for a
   * call of the old connection when the new login's `onLoginSuccess` comes, and forget it.
   */
  override callPeer(peer: string): void {
    if (this.session.getStatus() === 2) super.callPeer(peer);
  }

  protected override loggedIn(): void {
    this.status = 'online';
    this.endCall();
    this.join();
  }
}
