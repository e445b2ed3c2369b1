import { describe, expect, it } from 'vitest';
import { createCloud, EmulatorError, type Channel, type CloudOptions } from 'agora-signaling-emulator';

/**
 * A channel message reaches its members as one fan-out: the network adds the members to it in
 * bulk, and a synchronous flush runs its deliveries in one loop. These tests hold that path to
 * what one delivery after the other would do, faults in the middle of it included.
 */

/**
 * `n` members m0… in channel 'hall' (join notifications off), logged in and joined ten at a
 * time (so that a small loop limit is reached by a fan-out, not by the setup).
 */
function hall(n: number, options: CloudOptions = {}) {
  const cloud = createCloud({ seed: 3, ...options });
  cloud.setChannelLimits({ userMessagesPerSecond: 1e6, channelMessagesPerSecond: 1e6 });
  const settle = () => cloud.advanceSync(4 * (options.latency ?? 0));
  const signal = cloud.Signal('app');
  const channels: Channel[] = [];
  const got: string[] = [];
  const sessions = [];
  for (let i = 0; i < n; i++) {
    const session = signal.login(`m${i}`, '_no_need_token');
    sessions.push(session);
    if (i % 10 === 9 || i === n - 1) settle();
  }
  for (let i = 0; i < n; i++) {
    const channel = sessions[i]!.channelJoin('hall')!;
    channel.onMessageChannelReceive = (_account: string, _uid: number, msg: string) => got.push(`m${i}: ${msg}`);
    channels.push(channel);
    if (i === 0) {
      settle();
      channel.channelSetAttr('_userNotification', '0');
    }
    if (i % 10 === 9 || i === n - 1) settle();
  }
  expect(channels.every((c) => c.state === 'joined')).toBe(true);
  return { cloud, sessions, channels, got };
}

describe('a channel message to many members', () => {
  it('reaches every member in the order they joined, and logs the same with flushSync as with an awaited flush', async () => {
    const runs = [];
    for (const sync of [true, false]) {
      const { cloud, channels, got } = hall(300, { latency: 10 });
      const mark = cloud.log.mark();
      channels[5]!.messageChannelSend('one');
      channels[9]!.messageChannelSend('two');
      if (sync) cloud.advanceSync(50);
      else await cloud.advance(50);
      runs.push({ got: [...got], log: cloud.log.since(mark).entries.map((e) => [e.t, e.client, e.name, e.args]) });
      cloud.dispose();
    }
    expect(runs[0]!.got).toEqual([...Array.from({ length: 300 }, (_, i) => `m${i}: one`), ...Array.from({ length: 300 }, (_, i) => `m${i}: two`)]);
    expect(runs[0]!.log.length).toBeGreaterThan(600);
    expect(runs[0]).toEqual(runs[1]);
  });

  it("an awaited flush lets a member's promise chain (up to four awaits) run before the next member's delivery; flushSync runs it afterwards", async () => {
    for (const sync of [false, true]) {
      const { cloud, channels } = hall(3);
      const order: string[] = [];
      channels[0]!.onMessageChannelReceive = async () => {
        order.push('m0');
        for (let i = 1; i <= 4; i++) {
          await null;
          order.push(`m0 after ${i} await${i > 1 ? 's' : ''}`);
        }
      };
      channels[1]!.onMessageChannelReceive = () => order.push('m1');
      channels[2]!.onMessageChannelReceive = () => order.push('m2');
      channels[2]!.messageChannelSend('go');
      if (sync) cloud.flushSync();
      else await cloud.flush();
      await cloud.flush(); // and the microtasks left over
      const chain = ['m0 after 1 await', 'm0 after 2 awaits', 'm0 after 3 awaits', 'm0 after 4 awaits'];
      expect(order).toEqual(sync ? ['m0', 'm1', 'm2', ...chain] : ['m0', ...chain, 'm1', 'm2']);
      cloud.dispose();
    }
  });

  it('members with a rule of their own, or down, leave the fan-out and the others still get theirs in order', () => {
    const { cloud, channels, got } = hall(40);
    cloud.net.latency(30, { account: 'm7' });
    cloud.net.disconnect('m12', { for: 1_000 });
    channels[0]!.messageChannelSend('hi');
    cloud.advanceSync(20);
    const now = got.map((g) => g.split(':')[0]);
    expect(now).not.toContain('m7');
    expect(now).not.toContain('m12');
    expect(now).toHaveLength(38);
    cloud.advanceSync(20);
    expect(got.at(-1)).toBe('m7: hi');
    cloud.dispose();
  });

  it('a callback that disposes the cloud stops the rest of the fan-out', () => {
    const { cloud, channels, got } = hall(50);
    channels[3]!.onMessageChannelReceive = () => {
      got.push('m3 disposes');
      cloud.dispose();
    };
    channels[0]!.messageChannelSend('last words');
    cloud.flushSync();
    expect(got).toEqual(['m0: last words', 'm1: last words', 'm2: last words', 'm3 disposes']);
  });

  it('a hold made by a callback takes the deliveries still to come to that account, and its release sends them on', () => {
    const { cloud, channels, got } = hall(20);
    let hold: ReturnType<typeof cloud.net.hold> | undefined;
    channels[2]!.onMessageChannelReceive = () => {
      hold ??= cloud.net.hold({ account: 'm15', direction: 'down' });
    };
    channels[0]!.messageChannelSend('a');
    channels[0]!.messageChannelSend('b');
    cloud.flushSync();
    expect(got.filter((g) => g.startsWith('m15:'))).toEqual([]);
    expect(got.filter((g) => g.startsWith('m16:'))).toEqual(['m16: a', 'm16: b']);
    // (The first 'hold' entry is the hold being made.)
    expect(cloud.log.filter({ kind: 'fault', name: 'hold', client: 'm15' }).slice(1).map((e) => e.args)).toEqual([
      ['down', 'channel2 channel_msg', 'held in flight'],
      ['down', 'channel2 channel_msg', 'held in flight'],
    ]);
    hold!.release();
    cloud.flushSync();
    expect(got.filter((g) => g.startsWith('m15:'))).toEqual(['m15: a', 'm15: b']);
    cloud.dispose();
  });

  it('a hold installed between sends takes that member out of every fan-out in flight, and inspect lists them', () => {
    const { cloud, channels, got } = hall(30, { latency: 5 });
    for (const m of ['x', 'y', 'z']) channels[1]!.messageChannelSend(m);
    cloud.advanceSync(5); // the requests reach the server: three fan-outs in flight
    expect(cloud.net.inspect().inFlight.filter((f) => f.account === 'm20')).toHaveLength(3);
    const hold = cloud.net.hold({ account: 'm20' });
    expect(cloud.net.inspect().inFlight.filter((f) => f.account === 'm20')).toHaveLength(0);
    cloud.advanceSync(10);
    expect(got.filter((g) => g.startsWith('m21:'))).toEqual(['m21: x', 'm21: y', 'm21: z']);
    expect(got.filter((g) => g.startsWith('m20:'))).toEqual([]);
    hold.release();
    cloud.advanceSync(10);
    expect(got.filter((g) => g.startsWith('m20:'))).toEqual(['m20: x', 'm20: y', 'm20: z']);
    cloud.dispose();
  });

  it('a disconnect made by a callback loses the deliveries still to come to that account, each logged', () => {
    const { cloud, channels, got } = hall(20);
    channels[4]!.onMessageChannelReceive = () => cloud.net.disconnect('m11', { for: 100 });
    channels[0]!.messageChannelSend('gone');
    cloud.flushSync();
    expect(got).not.toContain('m11: gone');
    expect(got).toContain('m12: gone');
    expect(cloud.log.filter({ kind: 'fault', client: 'm11' }).map((e) => e.args)).toContainEqual(['down', 'channel2 channel_msg', 'lost in flight']);
    cloud.dispose();
  });

  it('the loop limit still stops a synchronous flush in the middle of a fan-out, naming the delivery', () => {
    const { cloud, channels } = hall(400, { loopLimit: 150 });
    channels[0]!.messageChannelSend('too many');
    expect(() => cloud.flushSync()).toThrow(EmulatorError);
    expect(() => cloud.flushSync()).toThrow(EmulatorError); // 150 more
    expect(() => cloud.flushSync()).not.toThrow(); // the last 100 fit
    cloud.dispose();
    const again = hall(400, { loopLimit: 150 });
    again.channels[0]!.messageChannelSend('too many');
    expect(() => again.cloud.flushSync()).toThrow(/Aborting after 150 tasks .*channel2 channel_msg → m\d+/);
    again.cloud.dispose();
  });
});
