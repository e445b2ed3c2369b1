import { createCloud, type Cloud, type Session } from 'agora-signaling-emulator';
import { clockNow, heapUsed, secondsSince, type Benchmark } from './harness.js';

/** A fresh cloud (seed `seed`) with `clients` users of app `app` logged in, run to completion. */
export function logInClients(seed: number, clients: number): { cloud: Cloud; sessions: Session[] } {
  const cloud = createCloud({ seed });
  const signal = cloud.Signal('app');
  const sessions: Session[] = [];
  for (let i = 0; i < clients; i++) sessions.push(signal.login(`user${i}`, '_no_need_token'));
  cloud.flushSync();
  return { cloud, sessions };
}

/** 100 000 clients logged in: time in all, and heap per client (the cloud and the Sessions). */
function manyClients(scale: number): { seconds: number; bytesPerClient: number } {
  const clients = Math.max(10, Math.round(100_000 * scale));
  const before = heapUsed();
  const start = clockNow();
  const { cloud, sessions } = logInClients(2, clients);
  const seconds = secondsSince(start);
  const after = heapUsed();
  if (sessions.some((s) => s.state !== 2)) throw new Error('not every login completed');
  cloud.dispose();
  return { seconds, bytesPerClient: (after - before) / clients };
}

export const manyClientsTime: Benchmark = {
  name: '2. 100 000 clients logged in',
  unit: 's in all',
  target: '≤ 0.5 s',
  meets: (s) => s <= 0.5,
  runs: 3,
  run: (scale) => manyClients(scale).seconds,
};

export const manyClientsHeap: Benchmark = {
  name: '2. 100 000 clients logged in: heap',
  unit: 'bytes per client',
  target: '≤ 1 KiB',
  meets: (b) => b <= 1024,
  runs: 3,
  run: (scale) => manyClients(scale).bytesPerClient,
};
