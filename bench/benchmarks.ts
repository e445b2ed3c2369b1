import { createCloud } from 'agora-signaling-emulator';
import { heapUsed, type Benchmark } from './harness.js';

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const now = () => process.hrtime.bigint();

/** 4. createCloud + a login + dispose, per cycle. */
export const cloudCycle: Benchmark = {
  name: '4. createCloud + login + dispose',
  unit: 'µs per cycle',
  target: '< 50 µs',
  meets: (us) => us < 50,
  run(scale) {
    const cycles = Math.max(10, Math.round(20_000 * scale));
    const start = now();
    for (let i = 0; i < cycles; i++) {
      const cloud = createCloud({ seed: i });
      const session = cloud.Signal('app').login('alice', '_no_need_token');
      cloud.flushSync();
      if (session.state !== 2) throw new Error('login did not complete');
      cloud.dispose();
    }
    return (seconds(start) * 1e6) / cycles;
  },
};

/** 2. 100 000 clients logged in: time in all, and heap per client. */
function manyClients(scale: number): { seconds: number; bytesPerClient: number } {
  const clients = Math.max(10, Math.round(100_000 * scale));
  const before = heapUsed();
  const start = now();
  const cloud = createCloud({ seed: 2 });
  const signal = cloud.Signal('app');
  const sessions = [];
  for (let i = 0; i < clients; i++) sessions.push(signal.login(`user${i}`, '_no_need_token'));
  cloud.flushSync();
  const elapsed = seconds(start);
  const after = heapUsed();
  if (sessions.some((s) => s.state !== 2)) throw new Error('not every login completed');
  cloud.dispose();
  return { seconds: elapsed, bytesPerClient: (after - before) / clients };
}

export const manyClientsTime: Benchmark = {
  name: '2. 100 000 clients logged in',
  unit: 's in all',
  target: '< 1 s',
  meets: (s) => s < 1,
  runs: 3,
  run: (scale) => manyClients(scale).seconds,
};

export const manyClientsHeap: Benchmark = {
  name: '2. 100 000 clients logged in: heap',
  unit: 'bytes per client',
  target: '≤ 2 KiB',
  meets: (b) => b <= 2048,
  runs: 3,
  run: (scale) => manyClients(scale).bytesPerClient,
};

/**
 * A channel of `members` members (all in-process), `messages` channel messages from one of
 * them: members × messages deliveries of onMessageChannelReceive. Returns deliveries/s of the
 * sending phase (joins excluded).
 */
export function fanOut(members: number, messages: number, cloudOptions: Record<string, unknown> = {}): number {
  const cloud = createCloud({ seed: 1, ...cloudOptions });
  cloud.setChannelLimits({ userMessagesPerSecond: 1e9, channelMessagesPerSecond: 1e9 });
  const signal = cloud.Signal('app');
  const sessions = Array.from({ length: members }, (_, i) => signal.login(`m${i}`, '_no_need_token'));
  cloud.flushSync();
  let received = 0;
  const join = (s: (typeof sessions)[number]) => {
    const channel = s.channelJoin('hall')!;
    channel.onMessageChannelReceive = () => received++;
    return channel;
  };
  // A big room turns join/leave notifications off (else every join reaches every member).
  const first = join(sessions[0]!);
  cloud.flushSync();
  first.channelSetAttr('_userNotification', '0');
  cloud.flushSync();
  const channels = [first, ...sessions.slice(1).map(join)];
  cloud.flushSync();
  const start = now();
  for (let i = 0; i < messages; i++) channels[0]!.messageChannelSend(`message ${i}`);
  cloud.flushSync();
  const elapsed = seconds(start);
  if (received !== members * messages) throw new Error(`expected ${members * messages} deliveries, got ${received}`);
  cloud.dispose();
  return received / elapsed;
}

export const fanOutFullLog: Benchmark = {
  name: '1. fan-out 10 000 × 100, full log',
  unit: 'deliveries/s',
  target: '≥ 5 M/s',
  meets: (r) => r >= 5e6,
  runs: 3,
  run: (scale) => fanOut(Math.max(2, Math.round(10_000 * scale)), Math.max(1, Math.round(100 * Math.sqrt(scale)))),
};

export const benchmarks: Benchmark[] = [fanOutFullLog, manyClientsTime, manyClientsHeap, cloudCycle];
