import { describe, expect, it, vi } from 'vitest';
import type { Channel, Cloud, Session } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

async function join(cloud: Cloud, session: Session, name: string): Promise<Channel> {
  const channel = session.channelJoin(name)!;
  await cloud.until(() => channel.state === 'joined', { what: `${session.account} in ${name}` });
  return channel;
}

/** The connection of `account` drops, seen from the server (the full fault API lives in cloud.net). */
function dropConnection(cloud: Cloud, account: string): void {
  const link = cloud.net.openLinks().find((l) => l.label === account);
  if (!link) throw new Error(`no open link of ${account}`);
  cloud.server.disconnected(link);
  link.end();
}

const members = (cloud: Cloud, name = 'room'): string[] =>
  cloud.channels('app').find((c) => c.name === name)?.members.map((m) => m.account) ?? [];

describe('channel members', () => {
  it('see others join and leave as onChannelUserJoined / onChannelUserLeaved(account, uid); the joiner is not told of itself', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const alice = await join(cloud, sessions.alice!, 'room');
    alice.onChannelUserJoined = vi.fn();
    alice.onChannelUserLeaved = vi.fn();
    const bob = sessions.bob!.channelJoin('room')!;
    bob.onChannelUserJoined = vi.fn();
    await cloud.flush();
    expect(alice.onChannelUserJoined).toHaveBeenCalledWith('bob', 2);
    expect(bob.onChannelUserJoined).not.toHaveBeenCalled();
    bob.channelLeave();
    await cloud.flush();
    expect(alice.onChannelUserLeaved).toHaveBeenCalledWith('bob', 2);
  });

  it('hear the joiner only after the joiner has its reply', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob'], { latency: 25 });
    await join(cloud, sessions.alice!, 'room');
    sessions.bob!.channelJoin('room');
    await cloud.advance(200);
    const after = cloud.log.last({ name: 'channelJoin' })!.seq;
    const names = cloud.log
      .filter({ kind: 'callback', object: 'channel:room' })
      .filter((e) => e.seq > after)
      .map((e) => `${e.client} ${e.name}`);
    expect(names).toEqual(['bob onChannelJoined', 'bob onChannelUserList', 'alice onChannelUserJoined']);
  });

  it('are not told of joins and leaves when _userNotification is 0', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const alice = await join(cloud, sessions.alice!, 'room');
    alice.channelSetAttr('_userNotification', '0');
    await cloud.flush();
    alice.onChannelUserJoined = vi.fn();
    alice.onChannelUserLeaved = vi.fn();
    const bob = await join(cloud, sessions.bob!, 'room');
    bob.channelLeave();
    await cloud.flush();
    expect(alice.onChannelUserJoined).not.toHaveBeenCalled();
    expect(alice.onChannelUserLeaved).not.toHaveBeenCalled();
    // Back to 1: told again.
    alice.channelSetAttr('_userNotification', 1 as unknown as string);
    await cloud.flush();
    await join(cloud, sessions.bob!, 'room');
    expect(alice.onChannelUserJoined).toHaveBeenCalledWith('bob', 2);
  });

  it('leave when they log out; the others see them go', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const alice = await join(cloud, sessions.alice!, 'room');
    const bob = await join(cloud, sessions.bob!, 'room');
    alice.onChannelUserLeaved = vi.fn();
    bob.onChannelLeaved = vi.fn();
    sessions.bob!.onLogout = () => {};
    sessions.bob!.logout();
    await cloud.flush();
    expect(alice.onChannelUserLeaved).toHaveBeenCalledWith('bob', 2);
    expect(bob.onChannelLeaved).not.toHaveBeenCalled(); // 1.4.0 tells the Channel nothing
    expect(members(cloud)).toEqual(['alice']);
    expect(cloud.log.first({ kind: 'server', name: 'channel left', client: 'bob' })?.args).toEqual(['room', 'logout']);
  });

  it('leave when they are kicked by a second login, which is not in the channel', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const alice = await join(cloud, sessions.alice!, 'room');
    await join(cloud, sessions.bob!, 'room');
    alice.onChannelUserLeaved = vi.fn();
    alice.onChannelUserJoined = vi.fn();
    const bobAgain = cloud.Signal('app').login('bob', '_no_need_token');
    await cloud.until(() => bobAgain.getStatus() === 2);
    expect(alice.onChannelUserLeaved).toHaveBeenCalledWith('bob', 2);
    expect(alice.onChannelUserJoined).not.toHaveBeenCalled();
    expect(members(cloud)).toEqual(['alice']);
    expect(cloud.log.first({ kind: 'server', name: 'channel left', client: 'bob' })?.args).toEqual(['room', 'kicked']);
  });

  it('leave when their connection drops; after the reconnect (a new login) they are not in the channel until they join again', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const alice = await join(cloud, sessions.alice!, 'room');
    const stale = await join(cloud, sessions.bob!, 'room');
    alice.onChannelUserLeaved = vi.fn();
    alice.onChannelUserJoined = vi.fn();
    stale.onMessageChannelReceive = vi.fn();
    const bob = sessions.bob!;
    const logins = vi.fn();
    bob.onLoginSuccess = logins;

    dropConnection(cloud, 'bob');
    await cloud.until(() => logins.mock.calls.length === 1, { what: 'bob reconnected' });
    expect(bob.getStatus()).toBe(2);
    expect(alice.onChannelUserLeaved).toHaveBeenCalledWith('bob', 2);
    expect(members(cloud)).toEqual(['alice']);
    expect(cloud.log.first({ kind: 'server', name: 'channel left', client: 'bob' })?.args).toEqual(['room', 'disconnected']);

    // The old Channel still sends (on the new connection) but bob is no member: refused, and cb() all the same.
    const cb = vi.fn();
    stale.messageChannelSend('am I here?', cb);
    await cloud.flush();
    expect(cb).toHaveBeenCalledWith();
    expect(cloud.log.last({ kind: 'server', name: 'refused' })?.args).toEqual(['channel_sendmsg', 'not in channel']);

    // Joining again: a new Channel; the old one hears nothing any more.
    const fresh = await join(cloud, bob, 'room');
    fresh.onMessageChannelReceive = vi.fn();
    alice.messageChannelSend('welcome back');
    await cloud.flush();
    expect(alice.onChannelUserJoined).toHaveBeenCalledWith('bob', 2);
    expect(fresh.onMessageChannelReceive).toHaveBeenCalledWith('alice', 1, 'welcome back');
    expect(stale.onMessageChannelReceive).not.toHaveBeenCalled();
  });

  it('channel events still reach a Channel after channelLeave when the session is in another channel (1.4.0 keeps the current Channel)', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const bobInLobby = await join(cloud, sessions.bob!, 'lobby');
    await join(cloud, sessions.alice!, 'lobby');
    const aliceInRoom = await join(cloud, sessions.alice!, 'room'); // current: 'room'
    aliceInRoom.channelLeave();
    await cloud.flush();
    expect(aliceInRoom.state).toBe('leaved');
    aliceInRoom.onMessageChannelReceive = vi.fn();
    bobInLobby.messageChannelSend('in the lobby');
    await cloud.flush();
    expect(aliceInRoom.onMessageChannelReceive).toHaveBeenCalledWith('bob', 2, 'in the lobby');
    expect(cloud.log.last({ name: 'onMessageChannelReceive', client: 'alice' })?.object).toBe('channel:room');
  });
});
