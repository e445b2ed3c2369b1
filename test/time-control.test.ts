import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCloud, EmulatorError } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

describe('until', () => {
  it('takes a log match and resolves with the first new matching entry', async () => {
    const { cloud } = await loggedIn(['alice', 'bob'], { latency: 50 });
    cloud.net.disconnect('bob', { for: 2_000 });
    const entry = await cloud.until({ client: 'bob', name: 'onLoginSuccess' });
    expect(entry).toMatchObject({ kind: 'callback', client: 'bob', name: 'onLoginSuccess' });
    expect(entry.t).toBe(cloud.now());
  });

  it('does not count entries that were in the log before, and says so when it fails', async () => {
    const { cloud } = await loggedIn(['alice'], { seed: 77 });
    const error = await cloud.until({ client: 'alice', name: 'onLoginSuccess' }, { within: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmulatorError);
    const message = (error as Error).message;
    expect(message).toMatch(/Failed to reach a log entry matching \{"client":"alice","name":"onLoginSuccess"\} within 5000 ms of virtual time/);
    expect(message).toMatch(/1 matching entry was already in the log before until\(\) was called/);
    expect(message).toMatch(/seed: 77/);
    expect(message).toMatch(/onLoginSuccess/); // the tail of the log
  });

  it('sees every new entry even when the log keeps only a few', async () => {
    const { cloud } = await loggedIn(['alice', 'bob'], { log: { capacity: 2 } });
    cloud.net.disconnect('bob', { for: 2_000 });
    const entry = await cloud.until({ client: 'bob', name: 'onLoginSuccess' });
    expect(entry.name).toBe('onLoginSuccess');
    await expect(createCloud({ log: { level: 'off' } }).until({ name: 'onLogout' })).rejects.toThrow(/log records nothing/);
  });

  it('refuses something that is neither a predicate nor a match', async () => {
    const cloud = createCloud();
    await expect(cloud.until('onLogout' as never)).rejects.toThrow(/expected a predicate function or a log match/);
    await expect(cloud.until(() => true, { within: -1 })).rejects.toThrow(/within must be a non-negative number/);
  });
});

describe('settle', () => {
  it('runs until nothing but periodic work (pings, polls) is pending', async () => {
    const cloud = createCloud({ latency: 40 });
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    const at = await cloud.settle();
    expect(bob.getStatus()).toBe(2);
    expect(at - cloud.startTime).toBeLessThan(1_000); // it did not wait for the 10 s ping
    expect(await cloud.settle()).toBe(at); // settled already: time does not move
  });

  it('plays a whole reconnect sequence out', async () => {
    const { cloud, sessions } = await loggedIn(['bob']);
    sessions.bob!.onLogout = vi.fn();
    cloud.net.disconnect('bob');
    await cloud.settle();
    expect(sessions.bob!.onLogout).toHaveBeenCalledWith(102);
  });

  it('fails with the pending work, the seed and the log when it cannot settle in time', async () => {
    const { cloud } = await loggedIn(['bob'], { seed: 5 });
    cloud.net.disconnect('bob', { for: 120_000 });
    const error = await cloud.settle({ within: 30_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmulatorError);
    expect((error as Error).message).toMatch(/Failed to settle within 30000 ms of virtual time: work is still pending:\n {2}reconnect bob \(due in \d+ ms\)/);
    expect((error as Error).message).toMatch(/seed: 5/);
  });
});

describe('autoAdvance', () => {
  it('moves time to the next task whenever the app is idle, so awaiting a callback is enough', async () => {
    const cloud = createCloud({ autoAdvance: true, latency: 30 });
    const bob = cloud.Signal('app').login('bob', '_no_need_token', 3);
    await new Promise((resolve) => (bob.onLoginSuccess = resolve));
    cloud.net.disconnect('bob');
    const code = await new Promise((resolve) => (bob.onLogout = resolve));
    expect(code).toBe(102);
    // 200 + 400 + 800 ms of back-off and three refused round trips after the login.
    expect(cloud.now() - cloud.startTime).toBe(120 + 200 + 60 + 400 + 60 + 800 + 60);
  });

  it('leaves time still when only periodic work is left', async () => {
    const cloud = createCloud({ autoAdvance: true });
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    await new Promise((resolve) => (bob.onLoginSuccess = resolve));
    const t = cloud.now();
    for (let i = 0; i < 1_000; i++) await Promise.resolve();
    expect(cloud.now()).toBe(t);
    await cloud.advance(30_000); // explicit moves still work
    expect(cloud.now()).toBe(t + 30_000);
  });

  it('gives the same times on every run', async () => {
    const times = async () => {
      const cloud = createCloud({ autoAdvance: true, seed: 9 });
      cloud.net.latency([5, 500]);
      const signal = cloud.Signal('app');
      const alice = signal.login('alice', '_no_need_token');
      const bob = signal.login('bob', '_no_need_token');
      await new Promise((r) => (bob.onLoginSuccess = r));
      if (alice.getStatus() !== 2) await new Promise((r) => (alice.onLoginSuccess = r));
      const got = new Promise((r) => (bob.onMessageInstantReceive = r));
      alice.messageInstantSend('bob', 'hi');
      await got;
      return cloud.log.entries.map((e) => `${e.t} ${e.client} ${e.name}`);
    };
    expect(await times()).toEqual(await times());
  });

  it('stops with an error on the console when an app keeps the cloud busy forever', async () => {
    let reported: (e: unknown) => void = () => {};
    const report = new Promise((resolve) => (reported = resolve));
    const error = vi.spyOn(console, 'error').mockImplementation((e: unknown) => reported(e));
    try {
      const cloud = createCloud({ autoAdvance: true, latency: 10 });
      const alice = cloud.Signal('app').login('alice', '_no_need_token');
      await new Promise((resolve) => (alice.onLoginSuccess = resolve));
      alice.onMessageInstantReceive = () => alice.messageInstantSend('alice', 'again'); // an endless echo
      alice.messageInstantSend('alice', 'start');
      expect(String(await report)).toMatch(/autoAdvance stopped after 100000 jumps in a row .* endless loop/);
      const t = cloud.now();
      for (let i = 0; i < 1_000; i++) await Promise.resolve();
      expect(cloud.now()).toBe(t);
    } finally {
      error.mockRestore();
    }
  });

  it('needs the virtual clock', () => {
    expect(() => createCloud({ clock: 'global', autoAdvance: true })).toThrow(/autoAdvance needs clock: 'virtual'/);
  });
});

describe("clock: 'global' under vi.useFakeTimers()", () => {
  afterEach(() => vi.useRealTimers());

  it("moves the cloud's faults and the app's own timers together with advanceTimersByTimeAsync", async () => {
    vi.useFakeTimers();
    const cloud = createCloud({ clock: 'global', latency: 10 });
    // The app under test: on a logout it waits 1 s with its own setTimeout, then logs in again.
    const signal = cloud.Signal('app');
    const events: string[] = [];
    const start = Date.now();
    const app = { session: signal.login('bob', '_no_need_token') };
    const wire = (s: typeof app.session) => {
      s.onLoginSuccess = () => events.push(`login at ${Date.now() - start}`);
      s.onLogout = (code: number) => {
        events.push(`logout ${code} at ${Date.now() - start}`);
        setTimeout(() => {
          app.session = signal.login('bob', '_no_need_token');
          wire(app.session);
        }, 1_000);
      };
    };
    wire(app.session);
    await vi.advanceTimersByTimeAsync(100);
    cloud.net.disconnect('bob', { how: 'error', for: 500 });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(events).toEqual(['login at 40', 'logout 102 at 100', 'login at 1140']);
    expect(app.session.getStatus()).toBe(2);
    cloud.dispose();
  });

  it('until and settle tick the installed fake clock, app timers included', async () => {
    vi.useFakeTimers();
    const cloud = createCloud({ clock: 'global', latency: 10 });
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    let appTimerFired = false;
    setTimeout(() => (appTimerFired = true), 3_000);
    await cloud.until({ client: 'bob', name: 'onLoginSuccess' });
    cloud.net.disconnect('bob', { for: 4_000 });
    await cloud.until({ client: 'bob', name: 'onLoginSuccess' });
    expect(appTimerFired).toBe(true);
    expect(bob.getStatus()).toBe(2);
    await cloud.settle();
    cloud.dispose();
  });
});

describe("clock: 'global' in real time", () => {
  it('runs a short disconnect and the SDK reconnect on the real clock', async () => {
    const cloud = createCloud({ clock: 'global' });
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    await cloud.until({ client: 'bob', name: 'onLoginSuccess' }, { within: 2_000 });
    cloud.net.disconnect('bob', { for: 100 });
    const entry = await cloud.until({ client: 'bob', name: 'onLoginSuccess' }, { within: 5_000 });
    expect(entry.session).toBe(1);
    expect(bob.getStatus()).toBe(2);
    const error = await cloud.until(() => false, { within: 20 }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/within 20 ms of real time/);
    cloud.dispose();
  });
});
