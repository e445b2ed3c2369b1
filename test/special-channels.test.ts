import { describe, expect, it, vi } from 'vitest';
import type { Channel, Cloud, Session } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

async function join(cloud: Cloud, session: Session, name: string): Promise<Channel> {
  const channel = session.channelJoin(name)!;
  await cloud.until(() => channel.state === 'joined', { what: `${session.account} in ${name}` });
  return channel;
}

/** The special-channel messages a Channel got, parsed. */
function feed(channel: Channel): Array<Record<string, unknown>> {
  const events: Array<Record<string, unknown>> = [];
  channel.onMessageChannelReceive = (account: string, uid: number, msg: string) => {
    const event = JSON.parse(msg) as Record<string, unknown>;
    expect([account, uid]).toEqual([event.account, event.uid]);
    events.push(event);
  };
  return events;
}

describe('_agora_user_online', () => {
  it('gives its members every login and logout of the app, as channel messages with a JSON msg', async () => {
    const { cloud, sessions } = await loggedIn(['monitor']);
    const events = feed(await join(cloud, sessions.monitor!, '_agora_user_online'));
    const t0 = cloud.now();
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    await cloud.until(() => alice.getStatus() === 2);
    const tLogin = cloud.now();
    alice.onLogout = () => {};
    alice.logout();
    await cloud.flush();
    expect(events).toEqual([
      { type: 'login', account: 'alice', uid: 2, ts: tLogin },
      { type: 'logout', account: 'alice', uid: 2, ts: cloud.now(), reason: 'logout' },
    ]);
    expect(tLogin).toBeGreaterThanOrEqual(t0);
  });

  it('reports a kick as a logout then a login, and a lost connection as a logout', async () => {
    const { cloud, sessions } = await loggedIn(['monitor', 'alice']);
    const events = feed(await join(cloud, sessions.monitor!, '_agora_user_online'));
    const second = cloud.Signal('app').login('alice', '_no_need_token');
    await cloud.until(() => second.getStatus() === 2);
    const link = cloud.net.openLinks().find((l) => l.label === 'alice')!;
    cloud.server.disconnected(link);
    link.end();
    await cloud.flush();
    expect(events.map((e) => `${e.type} ${e.account} ${e.reason ?? ''}`.trim())).toEqual(['logout alice kicked', 'login alice', 'logout alice disconnected']);
  });

  it('only reports the users of its own app', async () => {
    const { cloud, sessions } = await loggedIn(['monitor']);
    const events = feed(await join(cloud, sessions.monitor!, '_agora_user_online'));
    cloud.Signal('other-app').login('alice', '_no_need_token');
    await cloud.flush();
    expect(events).toEqual([]);
  });

  it('takes no messages from its members', async () => {
    const { cloud, sessions } = await loggedIn(['monitor']);
    const ch = await join(cloud, sessions.monitor!, '_agora_user_online');
    ch.onMessageChannelReceive = vi.fn();
    const cb = vi.fn();
    ch.messageChannelSend('hello', cb);
    await cloud.flush();
    expect(cb).toHaveBeenCalledWith();
    expect(ch.onMessageChannelReceive).not.toHaveBeenCalled();
    expect(cloud.log.last({ kind: 'server', name: 'refused' })?.args).toEqual(['channel_sendmsg', 'special channel is read-only']);
  });
});

describe('_agora_channel_event', () => {
  it('gives its members every channel join and leave of the app', async () => {
    const { cloud, sessions } = await loggedIn(['monitor', 'alice', 'bob']);
    const events = feed(await join(cloud, sessions.monitor!, '_agora_channel_event'));
    const room = await join(cloud, sessions.alice!, 'room');
    await join(cloud, sessions.bob!, 'room');
    room.channelLeave();
    await cloud.flush();
    sessions.bob!.onLogout = () => {};
    sessions.bob!.logout();
    await cloud.flush();
    expect(events.map(({ ts, ...e }) => (expect(typeof ts).toBe('number'), e))).toEqual([
      { type: 'join', channel: 'room', account: 'alice', uid: 2 },
      { type: 'join', channel: 'room', account: 'bob', uid: 3 },
      { type: 'leave', channel: 'room', account: 'alice', uid: 2, reason: 'leave' },
      { type: 'leave', channel: 'room', account: 'bob', uid: 3, reason: 'logout' },
    ]);
  });

  it('does not report joins and leaves of the special channels themselves', async () => {
    const { cloud, sessions } = await loggedIn(['monitor', 'other']);
    const events = feed(await join(cloud, sessions.monitor!, '_agora_channel_event'));
    await join(cloud, sessions.other!, '_agora_user_online');
    expect(events).toEqual([]);
  });

  it('still tells its members of each other joining (a special channel is a channel too)', async () => {
    const { cloud, sessions } = await loggedIn(['monitor', 'backup']);
    const ch = await join(cloud, sessions.monitor!, '_agora_channel_event');
    ch.onChannelUserJoined = vi.fn();
    await join(cloud, sessions.backup!, '_agora_channel_event');
    expect(ch.onChannelUserJoined).toHaveBeenCalledWith('backup', 2);
  });
});
