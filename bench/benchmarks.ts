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

export const benchmarks: Benchmark[] = [manyClientsTime, manyClientsHeap, cloudCycle];
