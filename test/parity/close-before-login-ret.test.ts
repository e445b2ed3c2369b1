// A socket that closes cleanly before login_ret: 1.4.0 counts closes in state 1 (`alive_conn`,
// starting at 2) and fires onLoginFailed(201) at the second. Through the LBS, as apps run, it
// opens two sockets and closes the one that opens second itself, so the socket in use closing
// is the second close: onLoginFailed(201), with state 1 inside. With `ap_url` there is one
// socket, and the session stays in state 1 for good. The emulator stayed in state 1 in both.
// Each mode is run with the in-process SDK and with the real SDK 1.4.0 over the wire.
import { afterEach, describe, expect, it } from 'vitest';
import { createCloud, type Cloud, type Session, type Signal, type WireServer } from 'agora-signaling-emulator';
import { sleep } from './harness.js';
import { guardUncaught, installGlobals, loadSdk, nodeXhr, quietUrlLogs, stopRealSession } from './real-sdk.js';

type Mode = 'lbs' | 'ap_url';

let cleanup: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** Logs alice in with login_ret held 300 ms, breaks her connection cleanly meanwhile, and returns what she saw. */
async function closeBeforeLoginRet(cloud: Cloud, signal: Signal, settle: (ms: number) => Promise<void>): Promise<unknown[]> {
  cloud.net.latency(300, { account: 'alice', direction: 'down', kind: 'login_ret' });
  const alice: Session = signal.login('alice', '_no_need_token');
  // A real session left in state 1 keeps its SDK's timers: state 0 stops them.
  cleanup.push(() => stopRealSession(alice));
  const seen: unknown[] = [];
  alice.onLoginFailed = (code: number) => seen.push(['onLoginFailed', code, alice.getStatus()]);
  alice.onLoginSuccess = (uid: number) => seen.push(['onLoginSuccess', uid]);
  for (let waited = 0; !cloud.inspect().apps.some((a) => a.online.length > 0); waited += 5) {
    if (waited > 3000) throw new Error('alice never reached the server');
    await settle(5);
  }
  cloud.net.disconnect('alice', { how: 'close' });
  await settle(1000);
  seen.push(['at the end', alice.getStatus()]);
  return seen;
}

async function inProcess(mode: Mode): Promise<unknown[]> {
  const cloud = createCloud({ latency: 20 });
  cleanup.push(() => cloud.dispose());
  const signal = cloud.Signal('app');
  if (mode === 'ap_url') signal.setup_debugging('ap_url', 'ws://in-process/');
  return closeBeforeLoginRet(cloud, signal, (ms) => cloud.advance(ms));
}

async function realSdk(mode: Mode): Promise<unknown[]> {
  const cloud = createCloud({ clock: 'global' });
  const server: WireServer = await cloud.listen();
  cleanup.push(
    () => cloud.dispose(),
    () => server.close(),
  );
  cleanup.push(installGlobals(nodeXhr((url) => url.replace(/^https:\/\/lbs-\d-sig\.agora\.io/, server.lbsUrl), [])), quietUrlLogs());
  const guard = guardUncaught();
  cleanup.push(() => guard.remove());
  const signal = loadSdk()('app');
  if (mode === 'ap_url') signal.setup_debugging('ap_url', server.url);
  const seen = await closeBeforeLoginRet(cloud, signal, sleep);
  expect(guard.errors).toEqual([]);
  return seen;
}

describe('a socket that closes cleanly before login_ret, as in 1.4.0', () => {
  it('through the LBS: onLoginFailed(201), with state 1 inside it', async () => {
    const expected = [['onLoginFailed', 201, 1], ['at the end', 0]];
    expect(await inProcess('lbs')).toEqual(expected);
    expect(await realSdk('lbs')).toEqual(expected);
  });

  it('with ap_url: nothing, and the session stays in state 1', async () => {
    const expected = [['at the end', 1]];
    expect(await inProcess('ap_url')).toEqual(expected);
    expect(await realSdk('ap_url')).toEqual(expected);
  });
});
