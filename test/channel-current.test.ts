import { describe, expect, it, vi } from 'vitest';
import type { Channel, Cloud, Session } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

async function join(cloud: Cloud, session: Session, name: string): Promise<Channel> {
  const channel = session.channelJoin(name)!;
  await cloud.until(() => channel.state === 'joined', { what: `${session.account} in ${name}` });
  return channel;
}

describe('the one current channel of a 1.4.0 session', () => {
  it('takes the events of every channel the session is in, whatever their name', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const bobInA = await join(cloud, sessions.bob!, 'a');
    await join(cloud, sessions.alice!, 'a');
    const aliceInB = await join(cloud, sessions.alice!, 'b');
    aliceInB.onMessageChannelReceive = vi.fn();
    bobInA.messageChannelSend('for channel a');
    await cloud.flush();
    expect(aliceInB.onMessageChannelReceive).toHaveBeenCalledWith('bob', 2, 'for channel a');
  });

  it('drops an event whose msgid is not above the last one it took, even from another channel, and the log says so', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob', 'carol']);
    // Channel 'busy' gets many events; 'quiet' few: their msgids differ.
    const bobInBusy = await join(cloud, sessions.bob!, 'busy');
    for (let i = 0; i < 5; i++) bobInBusy.messageChannelSend(`warm-up ${i}`);
    const carolInQuiet = await join(cloud, sessions.carol!, 'quiet');
    await join(cloud, sessions.alice!, 'quiet');
    const current = await join(cloud, sessions.alice!, 'busy'); // alice's current Channel
    const got = vi.fn();
    current.onMessageChannelReceive = got;

    bobInBusy.messageChannelSend('busy news'); // msgid 8 of 'busy'
    await cloud.flush();
    carolInQuiet.messageChannelSend('quiet news'); // msgid 3 of 'quiet': not above 8
    await cloud.flush();

    expect(got.mock.calls.map((c) => c[2])).toEqual(['busy news']);
    const dropped = cloud.log.last({ kind: 'fault', name: 'channel event dropped' });
    expect(dropped?.client).toBe('alice');
    expect(dropped?.args.slice(0, 2)).toEqual(['quiet', 3]);
  });

  it('after channelLeave of every channel, events stop: the server sends none to non-members', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const bob = await join(cloud, sessions.bob!, 'room');
    const alice = await join(cloud, sessions.alice!, 'room');
    alice.channelLeave();
    await cloud.flush();
    alice.onMessageChannelReceive = vi.fn();
    bob.messageChannelSend('anyone?');
    await cloud.flush();
    expect(alice.onMessageChannelReceive).not.toHaveBeenCalled();
  });
});
