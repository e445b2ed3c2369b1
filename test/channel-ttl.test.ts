import { describe, expect, it, vi } from 'vitest';
import type { Channel, Cloud, Session } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

async function join(cloud: Cloud, session: Session, name: string): Promise<Channel> {
  const channel = session.channelJoin(name)!;
  await cloud.until(() => channel.state === 'joined', { what: `${session.account} in ${name}` });
  return channel;
}

const names = (cloud: Cloud): string[] => cloud.channels('app').map((c) => c.name);

describe('an empty channel', () => {
  it('goes away, attributes and all, 7200 s after its last member left', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const alice = await join(cloud, sessions.alice!, 'room');
    alice.channelSetAttr('topic', 'maths');
    alice.channelLeave();
    await cloud.flush();
    const left = cloud.now();
    expect(cloud.channels('app')[0]!.destroyAt).toBe(left + 7_200_000);
    await cloud.advance(7_200_000 - 1);
    expect(names(cloud)).toEqual(['room']);
    await cloud.advance(1);
    expect(names(cloud)).toEqual([]);
    expect(cloud.log.last({ kind: 'server', name: 'channel destroyed' })?.args).toEqual(['room', 'empty for the default _channel_ttl of 7200 s']);

    const again = sessions.alice!.channelJoin('room')!;
    again.onChannelAttrUpdated = vi.fn();
    await cloud.flush();
    expect(again.onChannelAttrUpdated).not.toHaveBeenCalled();
  });

  it('keeps its attributes when someone joins before the TTL is up', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const alice = await join(cloud, sessions.alice!, 'room');
    alice.channelSetAttr('topic', 'maths');
    alice.channelLeave();
    await cloud.advance(7_000_000);
    const bob = sessions.bob!.channelJoin('room')!;
    bob.onChannelAttrUpdated = vi.fn();
    await cloud.advance(1_000_000);
    expect(bob.onChannelAttrUpdated).toHaveBeenCalledWith('topic', 'maths', 'update');
    expect(names(cloud)).toEqual(['room']);
  });

  it('lives _channel_ttl seconds when the channel sets it, counted from when the last member left', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'admin']);
    const alice = await join(cloud, sessions.alice!, 'room');
    alice.channelSetAttr('_channel_ttl', '60');
    alice.channelLeave();
    await cloud.advance(30_000);
    expect(names(cloud)).toEqual(['room']);
    // Changing the TTL of an empty channel keeps counting from when it emptied.
    sessions.admin!.invoke('io.agora.signal.channel_set_attr', { channel: 'room', name: '_channel_ttl', value: '40' }, () => {});
    await cloud.advance(9_999);
    expect(names(cloud)).toEqual(['room']);
    await cloud.advance(1);
    expect(names(cloud)).toEqual([]);
    expect(cloud.log.last({ kind: 'server', name: 'channel destroyed' })?.args).toEqual(['room', 'empty for _channel_ttl 40 s']);
  });

  it('with _channel_ttl 0 goes as soon as its last member leaves', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const alice = await join(cloud, sessions.alice!, 'room');
    alice.channelSetAttr('_channel_ttl', '0');
    alice.channelLeave();
    await cloud.flush();
    expect(names(cloud)).toEqual([]);
  });

  it('created by an attribute and never joined lives the TTL too', async () => {
    const { cloud, sessions } = await loggedIn(['admin']);
    sessions.admin!.invoke('io.agora.signal.channel_set_attr', { channel: 'later', name: 'k', value: 'v' }, () => {});
    await cloud.advance(7_200_000);
    expect(names(cloud)).toEqual([]);
  });

  it('is never destroyed when it is a special channel', async () => {
    const { cloud, sessions } = await loggedIn(['monitor']);
    const ch = await join(cloud, sessions.monitor!, '_agora_user_online');
    ch.channelSetAttr('note', 'kept');
    ch.channelLeave();
    await cloud.advance(30 * 86_400_000);
    expect(cloud.channels('app')).toMatchObject([{ name: '_agora_user_online', special: true, destroyAt: undefined, attrs: { note: 'kept' } }]);
  });
});
