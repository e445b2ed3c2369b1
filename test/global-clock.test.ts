import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

describe("clock: 'global' (what the wire runs on)", () => {
  afterEach(() => vi.useRealTimers());

  it('runs what is due now on a microtask: no timer has to fire', async () => {
    vi.useFakeTimers();
    const start = Date.now();
    const cloud = createCloud({ clock: 'global' });
    const session = cloud.Signal('app').login('alice', '_no_need_token');
    await new Promise((resolve) => (session.onLoginSuccess = resolve));
    expect(Date.now()).toBe(start);
    cloud.dispose();
  });

  it('keeps one global timer, however many tasks wait', async () => {
    vi.useFakeTimers();
    const cloud = createCloud({ clock: 'global', latency: 100 });
    const signal = cloud.Signal('app');
    const sessions = ['alice', 'bob', 'carol'].map((a) => signal.login(a, '_no_need_token'));
    expect(cloud.inspect().pendingTasks).toBeGreaterThan(3);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(400);
    expect(sessions.map((s) => s.getStatus())).toEqual([2, 2, 2]);
    expect(vi.getTimerCount()).toBe(1); // the next ping or connect-timeout check
    cloud.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('without fake timers, delivers in real time (latency included)', async () => {
    const cloud = createCloud({ clock: 'global', latency: 10 });
    const signal = cloud.Signal('app');
    const alice = signal.login('alice', '_no_need_token');
    const bob = signal.login('bob', '_no_need_token');
    const got: string[] = [];
    bob.onMessageInstantReceive = (_from, _uid, msg) => got.push(msg);
    await vi.waitFor(() => expect([alice.getStatus(), bob.getStatus()]).toEqual([2, 2]), { timeout: 2000, interval: 5 });
    alice.messageInstantSend('bob', 'one');
    alice.messageInstantSend('bob', 'two');
    await vi.waitFor(() => expect(got).toEqual(['one', 'two']), { timeout: 2000, interval: 5 });
    cloud.dispose();
  });

  it('without fake timers, a task scheduled while a run is going, after real time moved on, still runs at once', async () => {
    const cloud = createCloud({ clock: 'global' });
    const signal = cloud.Signal('app');
    const alice = signal.login('alice', '_no_need_token');
    const bob = signal.login('bob', '_no_need_token');
    await vi.waitFor(() => expect([alice.getStatus(), bob.getStatus()]).toEqual([2, 2]), { timeout: 2000, interval: 5 });
    const got: string[] = [];
    alice.onMessageInstantReceive = (_from, _uid, msg) => got.push(msg);
    bob.onMessageInstantReceive = (from, _uid, msg) => {
      // A slow app callback: real time moves on while the cloud is running tasks.
      const until = Date.now() + 3;
      while (Date.now() < until);
      bob.messageInstantSend(from, `re: ${msg}`);
    };
    alice.messageInstantSend('bob', 'hi');
    // Well before the next timer of the cloud (a connect timeout, 6 s after login).
    await vi.waitFor(() => expect(got).toEqual(['re: hi']), { timeout: 1000, interval: 5 });
    cloud.dispose();
  });
});
