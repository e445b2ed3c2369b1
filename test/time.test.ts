import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCloud, EmulatorError } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

describe('virtual time', () => {
  afterEach(() => vi.useRealTimers());

  it('starts at a fixed epoch and moves only when the test moves it', async () => {
    const cloud = createCloud();
    expect(cloud.now()).toBe(Date.UTC(2024, 0, 1));
    await cloud.flush();
    expect(cloud.now()).toBe(Date.UTC(2024, 0, 1));
    await cloud.advance(20_000);
    expect(cloud.now()).toBe(Date.UTC(2024, 0, 1) + 20_000);
    expect(createCloud({ startTime: 5 }).now()).toBe(5);
  });

  it('deliveries due now run by themselves: awaiting a callback needs no flush', async () => {
    const cloud = createCloud();
    const session = cloud.Signal('app').login('alice', '_no_need_token');
    await expect(new Promise((resolve) => (session.onLoginSuccess = resolve))).resolves.toBeTypeOf('number');
  });

  it('latency holds a delivery until advance() reaches it', async () => {
    const cloud = createCloud({ latency: 100 });
    const session = cloud.Signal('app').login('alice', '_no_need_token');
    // The WebSocket opens after a round trip, then the login goes up and login_ret comes down.
    await cloud.advance(399);
    expect(session.getStatus()).toBe(1);
    await cloud.advance(1);
    expect(session.getStatus()).toBe(2);
    expect(cloud.log.last({ name: 'onLoginSuccess' })!.t - cloud.startTime).toBe(400);
  });

  it('advanceSync and flushSync do the same without yielding', () => {
    const cloud = createCloud({ latency: 5 });
    const session = cloud.Signal('app').login('alice', '_no_need_token');
    cloud.advanceSync(20);
    expect(session.getStatus()).toBe(2);
    cloud.flushSync();
  });

  it('until() resolves at the virtual time the condition held', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob'], { latency: 250 });
    let got = false;
    sessions.bob!.onMessageInstantReceive = () => (got = true);
    const sentAt = cloud.now();
    sessions.alice!.messageInstantSend('bob', 'hi');
    const at = await cloud.until(() => got, { within: 5000 });
    expect(at - sentAt).toBe(500); // up to the server, then down to bob
  });

  it('until() fails with the seed and the tail of the log when the condition never holds', async () => {
    const { cloud } = await loggedIn(['alice'], { seed: 42 });
    const error = await cloud.until(() => false, { within: 1000, what: 'a miracle' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmulatorError);
    expect((error as Error).message).toMatch(/Failed to reach a miracle within 1000 ms/);
    expect((error as Error).message).toMatch(/seed: 42/);
    expect((error as Error).message).toMatch(/onLoginSuccess/);
  });

  it('an endless zero-latency loop fails loudly at the loop limit', async () => {
    const { cloud, sessions } = await loggedIn(['alice'], { loopLimit: 1000 });
    sessions.alice!.onMessageInstantReceive = () => sessions.alice!.messageInstantSend('alice', 'again');
    sessions.alice!.messageInstantSend('alice', 'start');
    expect(() => cloud.flushSync()).toThrow(/endless loop/);
  });

  it('calling flushSync from inside a callback is refused with a clear error', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    let error: unknown;
    sessions.alice!.onMessageInstantReceive = () => {
      try {
        cloud.flushSync();
      } catch (e) {
        error = e;
      }
    };
    sessions.alice!.messageInstantSend('alice', 'x');
    await cloud.flush();
    expect(String(error)).toMatch(/already running tasks/);
  });

  it("clock: 'global' follows vi.useFakeTimers(), together with the app's own timers", async () => {
    vi.useFakeTimers();
    const cloud = createCloud({ clock: 'global', latency: 1000 });
    const session = cloud.Signal('app').login('alice', '_no_need_token');
    const seen: string[] = [];
    session.onLoginSuccess = () => seen.push(`login at ${Date.now() - start}`);
    const start = Date.now();
    setTimeout(() => seen.push('app timer at 1500'), 1500);
    await vi.advanceTimersByTimeAsync(5000);
    expect(seen).toEqual(['app timer at 1500', 'login at 4000']);
    expect(session.getStatus()).toBe(2);
    await expect(cloud.advance(10)).rejects.toThrow(/advanceTimersByTimeAsync/);
    cloud.dispose();
  });

  it("clock: 'global' without fake timers runs in real time", async () => {
    const cloud = createCloud({ clock: 'global' });
    const session = cloud.Signal('app').login('alice', '_no_need_token');
    await new Promise((resolve) => (session.onLoginSuccess = resolve));
    expect(session.getStatus()).toBe(2);
    cloud.dispose();
  });
});
