import { describe, expect, it, vi } from 'vitest';
import type { Channel, Cloud, Session } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

async function join(cloud: Cloud, session: Session, name: string): Promise<Channel> {
  const channel = session.channelJoin(name)!;
  await cloud.until(() => channel.state === 'joined', { what: `${session.account} in ${name}` });
  return channel;
}

describe('channel messages', () => {
  it('reach every member, the sender included, as onMessageChannelReceive(account, uid, msg); the sender gets cb() with no arguments first', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob', 'carol']);
    const alice = await join(cloud, sessions.alice!, 'room');
    const bob = await join(cloud, sessions.bob!, 'room');
    const order: string[] = [];
    alice.onMessageChannelReceive = (account: string, uid: number, msg: string) => order.push(`alice got ${account}/${uid}: ${msg}`);
    bob.onMessageChannelReceive = (account: string, uid: number, msg: string) => order.push(`bob got ${account}/${uid}: ${msg}`);
    const outsider = vi.fn();
    sessions.carol!.onMessageInstantReceive = outsider;
    alice.messageChannelSend('hello room', (...args: unknown[]) => order.push(`cb(${args.length} args)`));
    await cloud.flush();
    expect(order).toEqual(['cb(0 args)', 'alice got alice/1: hello room', 'bob got alice/1: hello room']);
    expect(outsider).not.toHaveBeenCalled();
  });

  it('keep their order, and msgids count up per channel', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob'], { latency: 30 });
    const alice = await join(cloud, sessions.alice!, 'room');
    const bob = await join(cloud, sessions.bob!, 'room');
    const got: string[] = [];
    bob.onMessageChannelReceive = (_a: string, _u: number, m: string) => got.push(m);
    for (let i = 0; i < 20; i++) alice.messageChannelSend(`m${i}`);
    await cloud.advance(200);
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(bob.m_channel_msgid).toBe(cloud.channels('app')[0]!.msgid);
  });

  it('of up to 8 KB (UTF-8 bytes) go through; longer ones are refused: cb() all the same, nothing delivered, the log says why', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const alice = await join(cloud, sessions.alice!, 'room');
    const got = vi.fn();
    alice.onMessageChannelReceive = got;
    const cb = vi.fn();
    alice.messageChannelSend('é'.repeat(4096), cb);
    alice.messageChannelSend(`${'é'.repeat(4096)}x`, cb);
    await cloud.flush();
    expect(cb.mock.calls).toEqual([[], []]);
    expect(got).toHaveBeenCalledTimes(1);
    expect(cloud.log.last({ kind: 'server', name: 'refused' })?.args).toEqual(['channel_sendmsg', 'message too long']);
  });

  it('from a session that is not a member are refused and logged', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const alice = await join(cloud, sessions.alice!, 'room');
    alice.onMessageChannelReceive = vi.fn();
    const bob = await join(cloud, sessions.bob!, 'room');
    bob.channelLeave(() => {});
    await cloud.flush();
    const cb = vi.fn();
    bob.messageChannelSend('after leaving', cb);
    await cloud.flush();
    expect(cb).toHaveBeenCalledWith();
    expect(alice.onMessageChannelReceive).not.toHaveBeenCalled();
    expect(cloud.log.last({ kind: 'server', name: 'refused' })?.args).toEqual(['channel_sendmsg', 'not in channel']);
  });

  it('a cb that throws escapes as an uncaught error (1.4.0 leaves cb unguarded)', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const alice = await join(cloud, sessions.alice!, 'room');
    const uncaught = new Promise<unknown>((resolve) => {
      const listeners = process.listeners('uncaughtException');
      process.removeAllListeners('uncaughtException');
      process.once('uncaughtException', (error) => {
        for (const l of listeners) process.on('uncaughtException', l);
        resolve(error);
      });
    });
    alice.messageChannelSend('hi', () => {
      throw new Error('bug in cb');
    });
    await cloud.flush();
    expect(String(await uncaught)).toBe('Error: bug in cb');
    expect(cloud.log.last({ name: 'messageChannelSend:cb' })?.error).toBe('Error: bug in cb');
  });
});

describe('channel message rates', () => {
  it('a user may send 60 per second: the 61st within the second is refused and logged, and a second later it goes', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const alice = await join(cloud, sessions.alice!, 'room');
    const got = vi.fn();
    alice.onMessageChannelReceive = got;
    const cb = vi.fn();
    for (let i = 0; i < 61; i++) alice.messageChannelSend(`m${i}`, cb);
    await cloud.flush();
    expect(cb).toHaveBeenCalledTimes(61); // cb() every time: the app cannot tell
    expect(got).toHaveBeenCalledTimes(60);
    expect(cloud.log.filter({ kind: 'server', name: 'rate limited' }).map((e) => e.args)).toEqual([['room', '60 messages/s per user']]);
    await cloud.advance(1000);
    alice.messageChannelSend('later');
    await cloud.flush();
    expect(got).toHaveBeenLastCalledWith('alice', 1, 'later');
  });

  it('the per-user rate counts the messages of all the user\'s channels', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const one = await join(cloud, sessions.alice!, 'one');
    const two = await join(cloud, sessions.alice!, 'two');
    for (let i = 0; i < 30; i++) one.messageChannelSend(`a${i}`);
    for (let i = 0; i < 31; i++) two.messageChannelSend(`b${i}`);
    await cloud.flush();
    expect(cloud.log.filter({ kind: 'server', name: 'rate limited' }).map((e) => e.args)).toEqual([['two', '60 messages/s per user']]);
  });

  it('a channel takes 200 per second from all its members', async () => {
    const accounts = ['a', 'b', 'c', 'd'];
    const { cloud, sessions } = await loggedIn(accounts);
    const channels = [];
    for (const a of accounts) channels.push(await join(cloud, sessions[a]!, 'room'));
    const got = vi.fn();
    channels[0]!.onMessageChannelReceive = got;
    for (const ch of channels) for (let i = 0; i < 55; i++) ch.messageChannelSend(`${ch.name}${i}`);
    await cloud.flush();
    expect(got).toHaveBeenCalledTimes(200);
    expect(cloud.log.filter({ kind: 'server', name: 'rate limited' }).map((e) => e.args[1])).toEqual(Array(20).fill('200 messages/s per channel'));
  });

  it('_sendmsg_limit lowers the channel\'s rate', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const alice = await join(cloud, sessions.alice!, 'room');
    const bob = await join(cloud, sessions.bob!, 'room');
    alice.channelSetAttr('_sendmsg_limit', '3');
    await cloud.flush();
    const got = vi.fn();
    bob.onMessageChannelReceive = got;
    alice.messageChannelSend('1');
    bob.messageChannelSend('2');
    alice.messageChannelSend('3');
    bob.messageChannelSend('4');
    await cloud.advance(500);
    bob.messageChannelSend('5');
    await cloud.advance(600);
    bob.messageChannelSend('6');
    await cloud.flush();
    expect(got.mock.calls.map((c) => c[2])).toEqual(['1', '2', '3', '6']);
    expect(cloud.log.filter({ kind: 'server', name: 'rate limited' }).map((e) => [e.client, e.args[1]])).toEqual([
      ['bob', '_sendmsg_limit 3/s'],
      ['bob', '_sendmsg_limit 3/s'],
    ]);
  });

  it('setChannelLimits lowers the service rates for a test', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    cloud.setChannelLimits({ userMessagesPerSecond: 2 });
    const alice = await join(cloud, sessions.alice!, 'room');
    const got = vi.fn();
    alice.onMessageChannelReceive = got;
    for (let i = 0; i < 3; i++) alice.messageChannelSend(`m${i}`);
    await cloud.flush();
    expect(got).toHaveBeenCalledTimes(2);
  });
});
