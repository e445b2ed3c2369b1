import { afterEach, describe, expect, it, vi } from 'vitest';
import { Channel, createCloud, type Cloud, type Session } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

async function join(cloud: Cloud, session: Session, name: string): Promise<Channel> {
  const channel = session.channelJoin(name)!;
  await cloud.until(() => channel.state === 'joined', { what: `${session.account} in ${name}` });
  return channel;
}

describe('channelJoin', () => {
  afterEach(() => vi.restoreAllMocks());

  it('returns a Channel at once, joining, with the 1.4.0 fields and its callbacks set to ""', async () => {
    const { sessions } = await loggedIn(['alice']);
    const channel = sessions.alice!.channelJoin('room')!;
    expect(channel).toBeInstanceOf(Channel);
    expect(Object.keys(channel)).toEqual([
      'onChannelJoined',
      'onChannelJoinFailed',
      'onChannelLeaved',
      'onChannelUserList',
      'onChannelUserJoined',
      'onChannelUserLeaved',
      'onChannelAttrUpdated',
      'onMessageChannelReceive',
      'name',
      'state',
      'm_channel_msgid',
      'messageChannelSend',
      'channelLeave',
      'channelSetAttr',
      'channelDelAttr',
      'channelClearAttr',
    ]);
    expect(channel).toMatchObject({ name: 'room', state: 'joining', m_channel_msgid: 0, onChannelJoined: '', onMessageChannelReceive: '' });
  });

  it('gives onChannelJoined, then onChannelUserList, then one onChannelAttrUpdated(k, v, "update") per existing attribute', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const first = await join(cloud, sessions.alice!, 'room');
    first.channelSetAttr('color', 'red');
    first.channelSetAttr('size', '3');
    await cloud.flush();

    const seen: unknown[][] = [];
    const channel = sessions.bob!.channelJoin('room')!;
    channel.onChannelJoined = (...a: unknown[]) => seen.push(['joined', channel.state, ...a]);
    channel.onChannelUserList = (list: unknown) => seen.push(['list', list]);
    channel.onChannelAttrUpdated = (k: string, v: string, t: string) => seen.push(['attr', k, v, t]);
    await cloud.flush();
    expect(seen).toEqual([
      ['joined', 'joined'],
      ['list', [['alice', 1], ['bob', 2]]],
      ['attr', 'color', 'red', 'update'],
      ['attr', 'size', '3', 'update'],
    ]);
  });

  it('stops giving the existing attributes at the first onChannelAttrUpdated that throws (1.4.0 wraps the loop in one try)', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const first = await join(cloud, sessions.alice!, 'room');
    first.channelSetAttr('a', '1');
    first.channelSetAttr('b', '2');
    await cloud.flush();
    const channel = sessions.bob!.channelJoin('room')!;
    const got: string[] = [];
    channel.onChannelAttrUpdated = (k: string) => {
      got.push(k);
      throw new Error('app bug');
    };
    await cloud.flush();
    expect(got).toEqual(['a']);
    expect(errors).toHaveBeenCalledTimes(1);
  });

  it('lists the latest 200 members, oldest first, the joiner last', async () => {
    const accounts = Array.from({ length: 201 }, (_, i) => `u${i}`);
    const { cloud, sessions } = await loggedIn(accounts);
    for (const a of accounts.slice(0, 200)) sessions[a]!.channelJoin('big');
    await cloud.flush();
    const last = sessions.u200!.channelJoin('big')!;
    const list = vi.fn();
    last.onChannelUserList = list;
    await cloud.flush();
    const users = list.mock.calls[0]![0] as Array<[string, number]>;
    expect(users).toHaveLength(200);
    expect(users[0]).toEqual(['u1', 2]);
    expect(users[199]).toEqual(['u200', 201]);
    expect(cloud.channels('app')[0]!.members).toHaveLength(201);
  });

  it('returns undefined unless logged in, and does not exist before the WebSocket opens', async () => {
    const cloud = createCloud({ latency: 10 });
    const session = cloud.Signal('app').login('alice', '_no_need_token');
    expect(session.channelJoin).toBeUndefined();
    await cloud.advance(20); // the socket is open, login_ret not yet back
    expect(session.getStatus()).toBe(1);
    expect(session.channelJoin('room')).toBeUndefined();
    await cloud.advance(20);
    expect(session.channelJoin('room')).toBeInstanceOf(Channel);
    session.onLogout = () => {};
    session.logout();
    await cloud.advance(100);
    expect(session.channelJoin('room')).toBeUndefined();
  });

  it('stringifies a name that is not a string, as 1.4.0 does', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const numbered = await join(cloud, sessions.alice!, 42 as unknown as string);
    expect(numbered.name).toBe('42');
    const object = await join(cloud, sessions.alice!, { room: 1 } as unknown as string);
    expect(object.name).toBe('{"room":1}');
    expect(cloud.channels('app').map((c) => c.name)).toEqual(['42', '{"room":1}']);
  });

  it('accepts names of up to 128 characters and fails longer ones with onChannelJoinFailed(reason string)', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const ok = sessions.alice!.channelJoin('é'.repeat(128))!;
    ok.onChannelJoined = vi.fn();
    await cloud.flush();
    expect(ok.onChannelJoined).toHaveBeenCalled();
    const long = sessions.alice!.channelJoin('x'.repeat(129))!;
    const failed = vi.fn();
    long.onChannelJoinFailed = failed;
    await cloud.flush();
    expect(failed).toHaveBeenCalledWith('invalid channel name');
    expect(long.state).toBe('joining');
    expect(cloud.log.last({ kind: 'server', name: 'refused' })?.args).toEqual(['channel_join', 'invalid channel name']);
  });

  it('counts a channel name in characters, not UTF-16 units: 128 emoji are a name, 129 are not', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const ok = sessions.alice!.channelJoin('😀'.repeat(128))!;
    ok.onChannelJoined = vi.fn();
    const long = sessions.bob!.channelJoin('😀'.repeat(129))!;
    long.onChannelJoinFailed = vi.fn();
    await cloud.flush();
    expect(ok.onChannelJoined).toHaveBeenCalled();
    expect(long.onChannelJoinFailed).toHaveBeenCalledWith('invalid channel name');
  });

  it('into a full channel fails with onChannelJoinFailed("channel full"), and the log says so', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob', 'carol']);
    cloud.setChannelLimits({ maxMembers: 2 });
    await join(cloud, sessions.alice!, 'room');
    await join(cloud, sessions.bob!, 'room');
    const channel = sessions.carol!.channelJoin('room')!;
    channel.onChannelJoinFailed = vi.fn();
    await cloud.flush();
    expect(channel.onChannelJoinFailed).toHaveBeenCalledWith('channel full');
    expect(cloud.log.first({ kind: 'server', name: 'channel full' })?.args).toEqual(['room', 2]);
    expect(cloud.channels('app')[0]!.members.map((m) => m.account)).toEqual(['alice', 'bob']);
  });

  it('holds 10 000 members by default', () => {
    const cloud = createCloud();
    expect(cloud.setChannelLimits({})).toEqual({ maxMembers: 10_000, userMessagesPerSecond: 60, channelMessagesPerSecond: 200, userListSize: 200 });
    expect(() => cloud.setChannelLimits({ maxMembers: 0 })).toThrow(/maxMembers must be a whole number of at least 1, got 0/);
    expect(() => cloud.setChannelLimits({ members: 3 } as never)).toThrow(/unknown limit 'members'/);
  });

  it('a second channelJoin while in a channel makes the new Channel the current one: it gets both join replies (quirk)', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const c1 = sessions.alice!.channelJoin('one')!;
    const c2 = sessions.alice!.channelJoin('two')!;
    c1.onChannelJoined = vi.fn();
    c2.onChannelJoined = vi.fn();
    await cloud.flush();
    expect(c1.onChannelJoined).not.toHaveBeenCalled();
    expect(c2.onChannelJoined).toHaveBeenCalledTimes(2);
    expect([c1.state, c2.state]).toEqual(['joining', 'joined']);
    // The server has alice in both.
    expect(cloud.channels('app').map((c) => [c.name, c.members.length])).toEqual([
      ['one', 1],
      ['two', 1],
    ]);

    // Leaving the first channel: the server takes alice out of 'one', the SDK marks 'two'.
    c2.onChannelLeaved = vi.fn();
    c1.channelLeave();
    await cloud.flush();
    expect([c1.state, c2.state]).toEqual(['joining', 'leaved']);
    expect(c2.onChannelLeaved).toHaveBeenCalledWith(0);
    expect(cloud.channels('app').find((c) => c.name === 'one')!.members).toEqual([]);
  });

  it('of a channel the session is already in gives the same reply again and tells nobody', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const watcher = await join(cloud, sessions.bob!, 'room');
    watcher.onChannelUserJoined = vi.fn();
    await join(cloud, sessions.alice!, 'room');
    const again = sessions.alice!.channelJoin('room')!;
    again.onChannelUserList = vi.fn();
    await cloud.flush();
    expect(again.state).toBe('joined');
    expect(again.onChannelUserList).toHaveBeenCalledWith([
      ['bob', 2],
      ['alice', 1],
    ]);
    expect(watcher.onChannelUserJoined).toHaveBeenCalledTimes(1);
    expect(cloud.log.first({ kind: 'server', name: 'already in channel' })?.args).toEqual(['room']);
  });

  it("gives each onChannelUserList a list of its own, as JSON would: the app changing one changes neither a later list, the cloud, nor the log's entry", async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob', 'carol']);
    const lists: Array<Array<[string, number]>> = [];
    const keep = (list: Array<[string, number]>) => {
      lists.push(list);
      list[0]![0] = 'mallory';
      list.reverse();
      list.push(['eve', 99]);
    };
    const a = sessions.alice!.channelJoin('room')!;
    a.onChannelUserList = keep;
    await cloud.flush();
    const b = sessions.bob!.channelJoin('room')!;
    b.onChannelUserList = keep;
    await cloud.flush();
    const again = sessions.alice!.channelJoin('room')!;
    again.onChannelUserList = keep;
    await cloud.flush();
    const c = sessions.carol!.channelJoin('room')!;
    c.onChannelUserList = keep;
    await cloud.flush();
    expect(new Set(lists).size).toBe(4);
    expect(new Set(lists.map((l) => l[1])).size).toBe(lists.length);
    expect(cloud.channels('app')[0]!.members.map((m) => [m.account, m.uid])).toEqual([
      ['alice', 1],
      ['bob', 2],
      ['carol', 3],
    ]);
    expect(cloud.log.filter({ name: 'onChannelUserList' }).map((e) => e.args)).toEqual([
      [[['alice', 1]]],
      [[['alice', 1], ['bob', 2]]],
      [[['alice', 1], ['bob', 2]]],
      [[['alice', 1], ['bob', 2], ['carol', 3]]],
    ]);
    expect(cloud.log.filter({ name: 'onChannelUserList' }).every((e) => !lists.includes(e.args[0] as Array<[string, number]>))).toBe(true);
  });

  it("gives a duplicated join reply's second onChannelUserList a list of its own (the real SDK parses each message)", async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    await join(cloud, sessions.alice!, 'room');
    cloud.net.duplicate(1, { account: 'bob', kind: 'call2-ret' });
    const lists: unknown[][] = [];
    const channel = sessions.bob!.channelJoin('room')!;
    channel.onChannelUserList = (list: unknown[]) => lists.push(list);
    await cloud.flush();
    expect(lists).toEqual([
      [['alice', 1], ['bob', 2]],
      [['alice', 1], ['bob', 2]],
    ]);
    expect(lists[0]).not.toBe(lists[1]);
    expect(lists[0]![0]).not.toBe(lists[1]![0]);
  });

  it('gives a raw channel_join call2 a reply that reads as the parsed JSON would: result, list, attrs, a list of its own at each read', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const alice = await join(cloud, sessions.alice!, 'room');
    alice.channelSetAttr('topic', 'x');
    await cloud.flush();
    const replies: Array<Record<string, unknown>> = [];
    const bob = sessions.bob!;
    bob.call2('channel_join', { line: bob.line, name: 'room' }, (_err, data) => replies.push(data as Record<string, unknown>));
    bob.call2('channel_join', { line: bob.line, name: 'room' }, (_err, data) => replies.push(data as Record<string, unknown>));
    await cloud.flush();
    const [first, second] = replies as [Record<string, unknown>, Record<string, unknown>];
    const parsed = { result: 'ok', list: [['alice', 1], ['bob', 2]], attrs: { topic: 'x' } };
    for (const reply of [first, second]) {
      expect(Object.getPrototypeOf(reply)).toBe(Object.prototype);
      expect(Object.keys(reply)).toEqual(['result', 'list', 'attrs']);
      expect(Reflect.ownKeys(reply)).toEqual(['result', 'list', 'attrs']);
      expect(JSON.parse(JSON.stringify(reply))).toEqual(parsed);
      expect({ ...reply }).toEqual(parsed);
      expect(reply.list).toEqual(parsed.list);
      expect(reply.list).not.toBe(reply.list);
    }
    (first.list as unknown[][])[0]![0] = 'changed';
    expect(first.list).toEqual(parsed.list);
    expect(first.attrs).not.toBe(second.attrs);
  });

  it('records the list as delivered also for a log read as it goes (subscribe) and with a capacity', async () => {
    for (const options of [{}, { log: { capacity: 100 } }]) {
      const { cloud, sessions } = await loggedIn(['alice', 'bob'], options);
      const seen: unknown[] = [];
      cloud.log.subscribe((e) => {
        if (e.name === 'onChannelUserList') seen.push(structuredClone(e.args));
      });
      await join(cloud, sessions.alice!, 'room');
      const channel = sessions.bob!.channelJoin('room')!;
      channel.onChannelUserList = (list: unknown[]) => list.pop();
      await cloud.flush();
      const logged = [[[['alice', 1]]], [[['alice', 1], ['bob', 2]]]];
      expect(seen).toEqual(logged);
      expect(cloud.log.filter({ name: 'onChannelUserList' }).map((e) => e.args)).toEqual(logged);
    }
  });

  it('logs calls and callbacks against the channel object', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    await join(cloud, sessions.alice!, 'room');
    expect(cloud.log.filter({ object: 'channel:room' }).map((e) => `${e.kind} ${e.name}`)).toEqual([
      'call channelJoin',
      'callback onChannelJoined',
      'callback onChannelUserList',
    ]);
  });
});

describe('channelLeave', () => {
  it('with cb: state leaved, cb() with no arguments, and no onChannelLeaved', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const channel = await join(cloud, sessions.alice!, 'room');
    channel.onChannelLeaved = vi.fn();
    const cb = vi.fn();
    channel.channelLeave(cb);
    expect(channel.state).toBe('joined');
    await cloud.flush();
    expect(channel.state).toBe('leaved');
    expect(cb).toHaveBeenCalledWith();
    expect(channel.onChannelLeaved).not.toHaveBeenCalled();
  });

  it('without cb: state leaved and onChannelLeaved(0)', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const channel = await join(cloud, sessions.alice!, 'room');
    channel.onChannelLeaved = vi.fn();
    channel.channelLeave();
    await cloud.flush();
    expect(channel.state).toBe('leaved');
    expect(channel.onChannelLeaved).toHaveBeenCalledWith(0);
    expect(cloud.channels('app')[0]!.members).toEqual([]);
  });

  it('of a channel one is not in still ends leaved (1.4.0 acts on any reply); the server refuses and logs it', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const channel = await join(cloud, sessions.alice!, 'room');
    channel.channelLeave();
    await cloud.flush();
    channel.onChannelLeaved = vi.fn();
    channel.channelLeave();
    await cloud.flush();
    expect(channel.onChannelLeaved).toHaveBeenCalledWith(0);
    expect(cloud.log.last({ kind: 'server', name: 'refused' })?.args).toEqual(['channel_leave', 'not in channel']);
  });
});
