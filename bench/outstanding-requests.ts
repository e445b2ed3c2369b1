import { createCloud } from 'agora-signaling-emulator';
import { cpuNow, cpuSecondsSince, type Benchmark } from './harness.js';

/** CPU seconds per message of `count` peer messages sent at once to a user who is offline. */
function perMessage(count: number): number {
  const cloud = createCloud({ seed: 5 });
  const alice = cloud.Signal('app').login('alice', '_no_need_token');
  cloud.flushSync();
  let replies = 0;
  const start = cpuNow();
  for (let i = 0; i < count; i++) alice.messageInstantSend('bob', `m${i}`, () => replies++);
  cloud.flushSync();
  const seconds = cpuSecondsSince(start);
  if (replies !== count) throw new Error(`expected ${count} replies, got ${replies}`);
  cloud.dispose();
  return seconds / count;
}

/**
 * 10. Outstanding requests on one link (issue 16, item 10): 160 000 messages in flight to an
 * offline user against 20 000, cost per message. A scan of the outstanding requests per
 * reply makes the ratio grow with the count (about 8× here); a constant-time lookup keeps it
 * near 1.
 */
export const outstandingRequests: Benchmark = {
  name: '10. 160 000 messages to an offline user against 20 000',
  unit: '× the cost per message',
  target: '≤ 1.5×',
  meets: (r) => r <= 1.5,
  runs: 3,
  run: (scale) => {
    const small = perMessage(Math.max(20, Math.round(20_000 * scale)));
    const big = perMessage(Math.max(160, Math.round(160_000 * scale)));
    return { value: big / small, note: `${(small * 1e6).toFixed(1)} µs at 20 000, ${(big * 1e6).toFixed(1)} µs at 160 000` };
  },
};
