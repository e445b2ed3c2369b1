// Regression (issue 20): after an SDK call, `flushSync()`, then plain `await`s, the next
// `flushSync()` threw "the cloud is already running tasks (… while an async flush/advance is
// pending)" though the test never started an async flush: the cloud's own automatic flush was
// between two of its microtask turns. The automatic flush now gives way to `flushSync` and
// `advanceSync` between two tasks; inside an SDK callback, or while the test's own flush is
// pending, they still refuse.
import { describe, expect, it } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

describe('flushSync after plain awaits', () => {
  for (const latency of [0, 20]) {
    it(`is not refused whatever the number of awaits in between (latency ${latency})`, async () => {
      for (let awaits = 0; awaits < 12; awaits++) {
        const cloud = createCloud({ latency });
        const alice = cloud.Signal('app').login('alice', '_no_need_token');
        cloud.advanceSync(100);
        alice.messageInstantSend('alice', 'to myself');
        cloud.flushSync();
        for (let i = 0; i < awaits; i++) await null;
        expect(() => cloud.flushSync(), `${awaits} awaits`).not.toThrow();
        expect(() => cloud.advanceSync(100), `${awaits} awaits`).not.toThrow();
        expect(cloud.log.filter({ client: 'alice', name: 'onMessageInstantReceive' })).toHaveLength(1);
        cloud.dispose();
      }
    });
  }

  it('runs what the automatic flush had left, and the automatic flush goes on with the rest', async () => {
    const cloud = createCloud();
    const signal = cloud.Signal('app');
    const alice = signal.login('alice', '_no_need_token');
    cloud.flushSync();
    const got: string[] = [];
    alice.onMessageInstantReceive = (_f, _u, text) => got.push(text);
    for (let i = 0; i < 5; i++) alice.messageInstantSend('alice', `m${i}`);
    await null;
    await null; // the automatic flush has begun, and waits between two tasks
    cloud.flushSync();
    expect(got).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    await cloud.flush();
    expect(got).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    cloud.dispose();
  });

  it('is still refused inside an SDK callback and while the test awaits its own flush', async () => {
    const cloud = createCloud();
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    const inside: unknown[] = [];
    alice.onLoginSuccess = () => {
      try {
        cloud.flushSync();
      } catch (error) {
        inside.push(error);
      }
    };
    await cloud.flush();
    expect(String(inside[0])).toMatch(/already running tasks/);
    alice.messageInstantSend('alice', 'x');
    alice.messageInstantSend('alice', 'y');
    const pending = cloud.flush();
    await null;
    await null;
    await null;
    expect(() => cloud.flushSync()).toThrow(/already running tasks/);
    await pending;
    cloud.dispose();
  });
});
