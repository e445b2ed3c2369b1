import { createCloud } from 'agora-signaling-emulator';
import { fanOut, fanOutDone, fanOutRoom, members, messages, sendFromFirst, type FanOutResult } from './fan-out.js';
import { cpuNow, cpuSecondsSince, type Benchmark, type Figure } from './harness.js';

/**
 * The awaited drive (`await cloud.flush()`, `advance`, `until` and the automatic flush): the
 * path most tests take. Measured against `flushSync` in the same run, so that the ratio does
 * not depend on how loaded the machine is.
 */

/** {@link fanOut} with the messages delivered by `await cloud.flush()`. */
async function fanOutAwaitedOnce(members: number, messages: number): Promise<FanOutResult> {
  const room = fanOutRoom(members);
  const start = sendFromFirst(room, messages);
  await room.cloud.flush();
  return fanOutDone(room, messages, start);
}

/** 1. 10 000 members, 100 messages, delivered by `await cloud.flush()`, with the full log. */
export const fanOutAwaited: Benchmark = {
  name: '1. fan-out 10 000 × 100, await flush(), full log',
  unit: 'deliveries/s',
  target: '≥ 10 M/s',
  meets: (r) => r >= 10e6,
  runs: 5,
  run: async (scale) => {
    const r = await fanOutAwaitedOnce(members(scale), messages(scale));
    return r.deliveries / r.seconds;
  },
};

/** 1. The awaited fan-out's time over `flushSync`'s, the two measured back to back. */
export const fanOutAwaitedRatio: Benchmark = {
  name: '1. fan-out 10 000 × 100, await flush() ÷ flushSync',
  unit: '× the time',
  target: '≤ 1.5×',
  meets: (r) => r <= 1.5,
  runs: 5,
  run: async (scale): Promise<Figure> => {
    const sync = fanOut(members(scale), messages(scale));
    const awaited = await fanOutAwaitedOnce(members(scale), messages(scale));
    const rate = (r: FanOutResult) => `${(r.deliveries / r.seconds / 1e6).toFixed(2)} M/s`;
    return { value: awaited.seconds / sync.seconds, note: `flushSync ${rate(sync)}, await flush() ${rate(awaited)}` };
  },
};

/**
 * 4. A small test as users write it: a new cloud with 20 ms links, three users log in and join a
 * channel, ten channel messages, a call (invite, accept), the log read, dispose.
 */
export async function smallTest(): Promise<void> {
  const cloud = createCloud({ latency: 20 });
  const signal = cloud.Signal('app');
  const users = ['alice', 'bob', 'carol'].map((name) => signal.login(name, '_no_need_token'));
  await cloud.until(() => users.every((u) => u.getStatus() === 2));
  const channels = users.map((u) => u.channelJoin('room')!);
  await cloud.until(() => channels.every((c) => c.state === 'joined'));
  let received = 0;
  for (const c of channels) c.onMessageChannelReceive = () => received++;
  for (let i = 0; i < 10; i++) channels[i % 3]!.messageChannelSend(`message ${i}`);
  await cloud.advance(100);
  let accepted = false;
  users[1]!.onInviteReceived = (call) => call.channelInviteAccept('');
  const call = users[0]!.channelInviteUser2('call-1', 'bob', '');
  call.onInviteAcceptedByPeer = () => (accepted = true);
  await cloud.until(() => accepted);
  const entries = cloud.log.entries.length;
  cloud.dispose();
  if (received !== 30 || entries === 0) throw new Error(`small test: ${received} messages received, ${entries} log entries`);
}

/** 4. {@link smallTest}, per test. */
export const smallTestCost: Benchmark = {
  name: '4. small test (3 users, latency 20, join, 10 messages, a call, log, dispose)',
  unit: 'CPU µs per test',
  target: '≤ 50 µs',
  meets: (us) => us <= 50,
  async run(scale) {
    const tests = Math.max(10, Math.round(5_000 * scale));
    const start = cpuNow();
    for (let i = 0; i < tests; i++) await smallTest();
    return (cpuSecondsSince(start) * 1e6) / tests;
  },
};
