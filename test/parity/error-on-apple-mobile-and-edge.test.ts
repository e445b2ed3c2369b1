// A WebSocket error while logged in: 1.4.0 logs out (onLogout(102)), except on an iPad, iPhone,
// iPod or (EdgeHTML) Edge user agent, where its onerror first turns state 2 into 3, so it
// reconnects (onLoginSuccess again). The emulator logged out on every user agent. The same
// steps run with the in-process SDK and with the real SDK 1.4.0 over the wire, per user agent.
import { afterEach, describe, expect, it } from 'vitest';
import { createCloud, type Cloud, type Session, type Signal } from 'agora-signaling-emulator';
import { sleep } from './harness.js';
import { guardUncaught, installGlobals, loadSdk, quietUrlLogs, stopRealSession } from './real-sdk.js';

const DESKTOP = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const EDGE = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0 Safari/537.36 Edge/18.17763';

let cleanup: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** Sets `navigator.userAgent` for the test (restored after it). */
function userAgent(ua: string): void {
  const g = globalThis as Record<string, unknown>;
  const saved = Object.getOwnPropertyDescriptor(g, 'navigator');
  Object.defineProperty(g, 'navigator', { value: { userAgent: ua }, writable: true, configurable: true });
  cleanup.push(() => {
    if (saved) Object.defineProperty(g, 'navigator', saved);
    else delete g.navigator;
  });
}

/** alice logs in; her connection fails with an error (for 100 ms); what she sees. */
async function errorWhileLoggedIn(cloud: Cloud, signal: Signal, settle: (ms: number) => Promise<void>): Promise<unknown[]> {
  const alice: Session = signal.login('alice', '_no_need_token');
  cleanup.push(() => stopRealSession(alice));
  const seen: unknown[] = [];
  alice.onLoginSuccess = (uid: number) => seen.push(['onLoginSuccess', uid, alice.getStatus()]);
  alice.onLogout = (code: number) => seen.push(['onLogout', code, alice.getStatus()]);
  for (let waited = 0; alice.getStatus() !== 2; waited += 5) {
    if (waited > 3000) throw new Error('alice never logged in');
    await settle(5);
  }
  cloud.net.disconnect('alice', { how: 'error', for: 100 });
  await settle(1500);
  seen.push(['at the end', alice.getStatus()]);
  return seen;
}

async function inProcess(ua: string): Promise<unknown[]> {
  userAgent(ua);
  const cloud = createCloud({ latency: 5 });
  cleanup.push(() => cloud.dispose());
  return errorWhileLoggedIn(cloud, cloud.Signal('app'), (ms) => cloud.advance(ms));
}

async function realSdk(ua: string): Promise<unknown[]> {
  const cloud = createCloud({ clock: 'global' });
  const server = await cloud.listen();
  cleanup.push(
    () => cloud.dispose(),
    () => server.close(),
  );
  cleanup.push(installGlobals(), quietUrlLogs());
  userAgent(ua);
  const guard = guardUncaught();
  cleanup.push(() => guard.remove());
  const signal = loadSdk()('app');
  signal.setup_debugging('ap_url', server.url);
  const seen = await errorWhileLoggedIn(cloud, signal, sleep);
  expect(guard.errors).toEqual([]);
  return seen;
}

describe('a WebSocket error while logged in, by user agent, as in 1.4.0', () => {
  it('on a desktop browser: onLogout(102), state 2 inside it', async () => {
    const expected = [['onLoginSuccess', 1, 2], ['onLogout', 102, 2], ['at the end', 0]];
    expect(await inProcess(DESKTOP)).toEqual(expected);
    expect(await realSdk(DESKTOP)).toEqual(expected);
  });

  for (const [name, ua] of [['an iPhone', IPHONE], ['EdgeHTML Edge', EDGE]] as const) {
    it(`on ${name}: a reconnect, and onLoginSuccess again`, async () => {
      const expected = [['onLoginSuccess', 1, 2], ['onLoginSuccess', 1, 2], ['at the end', 2]];
      expect(await inProcess(ua)).toEqual(expected);
      expect(await realSdk(ua)).toEqual(expected);
    });
  }
});
