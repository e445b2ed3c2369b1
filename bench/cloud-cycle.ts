import { createCloud } from 'agora-signaling-emulator';
import { clockNow, secondsSince, type Benchmark } from './harness.js';

/** 4. createCloud + a login + dispose, per cycle: the fixed cost of a test. */
export const cloudCycle: Benchmark = {
  name: '4. createCloud + login + dispose',
  unit: 'µs per cycle',
  target: '< 50 µs',
  meets: (us) => us < 50,
  run(scale) {
    const cycles = Math.max(10, Math.round(20_000 * scale));
    const start = clockNow();
    for (let i = 0; i < cycles; i++) {
      const cloud = createCloud({ seed: i });
      const session = cloud.Signal('app').login('alice', '_no_need_token');
      cloud.flushSync();
      if (session.state !== 2) throw new Error('login did not complete');
      cloud.dispose();
    }
    return (secondsSince(start) * 1e6) / cycles;
  },
};
