import { describe, expect, it } from 'vitest';
import { createCloud, type Cloud, type LogEntry } from 'agora-signaling-emulator';

/**
 * A channel of four, messages to everyone, a member whose handler throws, unset callbacks,
 * server notes (a refused message) and faults (a held message) in between. `watch` runs at the
 * start of the scenario and halfway through.
 */
async function roomScenario(cloud: Cloud, watch: (cloud: Cloud) => void = () => {}): Promise<LogEntry[]> {
  const signal = cloud.Signal('app');
  const names = ['ann', 'ben', 'cat', 'dan'];
  const sessions = names.map((n) => signal.login(n, '_no_need_token'));
  watch(cloud);
  await cloud.until(() => sessions.every((s) => s.getStatus() === 2));
  const channels = sessions.map((s) => s.channelJoin('room')!);
  channels[1]!.onMessageChannelReceive = (_account: string, _uid: number, msg: string) => {
    if (msg.includes('boom')) throw new Error(`ben cannot take ${msg}`);
  };
  channels[2]!.onMessageChannelReceive = () => {};
  const errors = console.error;
  console.error = () => {};
  try {
    await cloud.advance(100);
    channels[0]!.messageChannelSend('hello all');
    channels[3]!.messageChannelSend('x'.repeat(9000)); // refused: too long (a server note)
    await cloud.advance(100);
    watch(cloud);
    const hold = cloud.net.hold({ account: 'cat', direction: 'down' });
    channels[2]!.messageChannelSend('boom 1');
    channels[0]!.channelSetAttr('topic', 'weather');
    await cloud.advance(100);
    hold.release();
    channels[3]!.messageChannelSend('boom 2');
    await cloud.advance(100);
  } finally {
    console.error = errors;
  }
  return cloud.log.entries.map((e) => ({ ...e }));
}

describe('the log records the same entries however it is read', () => {
  it('whether entries are read at the end, midway, or watched by a subscriber as they come', async () => {
    const atTheEnd = await roomScenario(createCloud({ seed: 3 }));
    const readMidway = await roomScenario(createCloud({ seed: 3 }), (cloud) => void cloud.log.entries.length);
    const watched: LogEntry[] = [];
    const subscribed = await roomScenario(createCloud({ seed: 3 }), (cloud) => {
      if (watched.length === 0) cloud.log.subscribe((e) => watched.push(e));
    });
    const bounded = await roomScenario(createCloud({ seed: 3, log: { capacity: 100_000 } }));

    expect(atTheEnd.length).toBeGreaterThan(40);
    expect(readMidway).toEqual(atTheEnd);
    expect(subscribed).toEqual(atTheEnd);
    expect(bounded).toEqual(atTheEnd);
    expect(atTheEnd.map((e) => e.seq)).toEqual(atTheEnd.map((_, i) => i));
  });

  it("records what a member's channel callback threw on that member's entry, and marks unset callbacks", async () => {
    const entries = await roomScenario(createCloud({ seed: 3 }));
    const ben = entries.filter((e) => e.client === 'ben' && e.name === 'onMessageChannelReceive');
    expect(ben.map((e) => [e.args[2], e.error])).toEqual([
      ['hello all', undefined],
      ['boom 1', 'Error: ben cannot take boom 1'],
      ['boom 2', 'Error: ben cannot take boom 2'],
    ]);
    expect(ben.map((e) => e.object)).toEqual(['channel:room', 'channel:room', 'channel:room']);
    const dan = entries.filter((e) => e.client === 'dan' && e.name === 'onMessageChannelReceive');
    expect(dan.every((e) => e.unhandled === true)).toBe(true);
    expect(entries.filter((e) => e.client === 'cat' && e.name === 'onMessageChannelReceive').some((e) => 'unhandled' in e)).toBe(false);
  });

  it('keeps entries in seq order with faults and server notes between SDK entries', async () => {
    const entries = await roomScenario(createCloud({ seed: 3 }));
    const kinds = new Set(entries.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(['call', 'callback', 'fault', 'server']);
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.t).toBeGreaterThanOrEqual(entries[i - 1]!.t);
  });

  it('forgets unread entries on clear(), and numbers the next one on', async () => {
    const cloud = createCloud();
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    await cloud.flush();
    const total = cloud.log.total;
    cloud.log.clear();
    alice.logout();
    expect(cloud.log.entries.map((e) => [e.seq, e.name])).toEqual([[total, 'logout']]);
  });
});

describe('an unread record keeps its arguments however many there are', () => {
  /** Calls and callbacks of 0 to 4 arguments (logout, onLoginSuccess, login with 2, 3 and 4). */
  async function arities(cloud: Cloud, watch: (cloud: Cloud) => void = () => {}): Promise<LogEntry[]> {
    const signal = cloud.Signal('app');
    watch(cloud);
    const a = signal.login('ann', '_no_need_token');
    const b = signal.login('ben', '_no_need_token', 3);
    const c = signal.login('cat', '_no_need_token', 3, 4_000);
    const shared = { x: 1 };
    a.onLoginSuccess = () => a.invoke('io.agora.signal.user_query_user_status', { peer: 'ben', shared }, () => {});
    b.onLogout = () => {};
    await cloud.flush();
    b.logout();
    c.logout();
    await cloud.flush();
    return cloud.log.entries.filter((e) => e.kind === 'call' || e.kind === 'callback');
  }

  it('the same entries, with arrays of the same length, as when a subscriber reads them as they come', async () => {
    const unread = await arities(createCloud({ seed: 4 }));
    const watched: LogEntry[] = [];
    await arities(createCloud({ seed: 4 }), (cloud) => cloud.log.subscribe((e) => watched.push(e)));
    const subscribed = watched.filter((e) => e.kind === 'call' || e.kind === 'callback');
    expect([...new Set(unread.map((e) => e.args.length))].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(unread.find((e) => e.name === 'login' && e.client === 'cat')!.args).toEqual(['cat', '_no_need_token', 3, 4_000]);
    expect(unread.find((e) => e.name === 'login' && e.client === 'ben')!.args).toEqual(['ben', '_no_need_token', 3]);
    expect(unread.find((e) => e.name === 'logout' && e.client === 'cat')!.args).toEqual([]);
    expect(unread.find((e) => e.name === 'onLoginSuccess' && e.client === 'ann')!.args).toHaveLength(1);
    expect(unread.find((e) => e.name === 'invoke')!.args[1]).toEqual({ peer: 'ben', shared: { x: 1 }, line: expect.any(String) });
    expect(unread.map((e) => ({ ...e }))).toEqual(subscribed.map((e) => ({ ...e })));
  });
});
