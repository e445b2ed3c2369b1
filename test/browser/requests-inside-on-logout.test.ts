// Requests an app makes inside onLogout(101): 1.4.0 sends them on the socket it closes right
// after the callback. In a browser their replies never reach the SDK (a WebSocket drops the
// messages it receives once it is CLOSING), which is what the in-process SDK does; the parity
// harness's Node WebSocket (`ws`) still delivers them. This runs the real SDK 1.4.0 in Chromium.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';
import { routeCloud } from 'agora-signaling-emulator/playwright';
import { chromiumBinary } from './chromium.js';

const SDK = readFileSync(createRequire(import.meta.url).resolve('agora-signaling-sdk/AgoraSigSDK.min.js'), 'utf8');
const ORIGIN = 'https://chat.example.test';

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumBinary(), args: ['--no-sandbox', '--disable-gpu'] });
}, 30_000);
afterAll(async () => {
  await browser?.close();
});

/** What the app records: inside onLogout(101) it joins, sends a peer message and invokes. */
const APP = `
  var seen = [];
  window.seen = seen;
  var bob = Signal('demo').login('bob', '_no_need_token');
  bob.onLoginSuccess = function () {
    var alice = Signal('demo').login('alice', '_no_need_token');
    alice.onLoginSuccess = function () { alice.logout(); };
    alice.onLogout = function (code) {
      seen.push('onLogout ' + code + ' ' + alice.getStatus());
      var room = alice.channelJoin('room');
      seen.push('channelJoin ' + (room && room.state));
      room.onChannelJoinFailed = function (reason) { seen.push('onChannelJoinFailed ' + reason); };
      alice.messageInstantSend('bob', 'from inside onLogout', function (isError) { seen.push('sent ' + isError); });
      alice.invoke('io.agora.signal.user_query_user_status', { account: 'bob' }, function (err) { seen.push('invoke ' + err); });
      // A request of bob's after alice's: its reply comes after anything alice's could cause.
      setTimeout(function () {
        bob.invoke('io.agora.signal.user_query_user_status', { account: 'alice' }, function (err, resp) { seen.push('bob: alice status ' + resp.status); });
      }, 300);
    };
  };
`;

describe('the real SDK 1.4.0 in Chromium: requests made inside onLogout(101)', () => {
  it('are sent, and their replies never reach the app (the socket is closing)', async () => {
    const cloud = createCloud({ clock: 'global' });
    const server = await cloud.listen();
    let context: BrowserContext | undefined;
    try {
      context = await browser.newContext();
      await context.route(`${ORIGIN}/sdk.js`, (route) => route.fulfill({ body: SDK, contentType: 'text/javascript' }));
      await context.route(`${ORIGIN}/`, (route) => route.fulfill({ body: `<!doctype html><html><body><script src="/sdk.js"></script><script>${APP}</script></body></html>`, contentType: 'text/html' }));
      await routeCloud(context, { server });
      const page = await context.newPage();
      await page.goto(`${ORIGIN}/`);
      await expect.poll(() => page.evaluate(() => (window as unknown as { seen: string[] }).seen.length), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
      await page.waitForTimeout(1000);
      const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
      expect(seen).toEqual(['onLogout 101 2', 'channelJoin joining', 'bob: alice status 0']);
      // The requests did reach the server, which refused them: alice had logged out.
      expect(cloud.log.count({ kind: 'server', client: 'alice', name: 'refused' })).toBeGreaterThanOrEqual(1);
    } finally {
      await context?.close();
      await server.close();
      cloud.dispose();
    }
  });
});
