// The IIFE build in real Chromium: a script-tag app (examples/browser/index.html) runs on the
// page's own cloud, and the test scripts the other users and the faults through
// window.SignalingEmulator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, root, type Browser } from './chromium.js';

const BUNDLE = join(root, 'dist', 'agora-signaling-emulator.global.js');

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
}, 30_000);
afterAll(async () => {
  await browser?.close();
});

describe('the IIFE build', () => {
  it('carries no Node built-ins: no require(), no node: modules, no ws', () => {
    const code = readFileSync(BUNDLE, 'utf8');
    expect(code).not.toMatch(/\brequire\(/);
    expect(code).not.toMatch(/["']node:/);
    expect(code).not.toMatch(/["']ws["']/);
    expect(code).not.toContain('WebSocketServer');
    expect(code.startsWith('"use strict";\nvar SignalingEmulator = ')).toBe(true);
  });

  it('defines window.Signal and window.SignalingEmulator, and cloud.listen() says it needs Node', async () => {
    const page = await browser.page();
    await page.goto(`${browser.origin}/examples/browser/index.html`);
    const found = await page.evaluate(async () => {
      const emu = window.SignalingEmulator;
      const listen = await emu.cloud.listen().then(() => 'listened', (e: Error) => `${e.name}: ${e.message}`);
      return {
        signal: typeof window.Signal,
        same: window.Signal === emu.cloud.Signal,
        version: window.Signal('x').getSDKVersion(),
        exports: ['createCloud', 'codes', 'signalingToken', 'EmulatorError'].map((k) => typeof (emu as Record<string, unknown>)[k]),
        kicked: emu.codes.LOGOUT_E_KICKED,
        clock: emu.cloud.time.mode,
        seed: emu.cloud.seed,
        listen,
      };
    });
    expect(found).toMatchObject({ signal: 'function', same: true, version: '1.4.0', kicked: 103, clock: 'global', seed: 1 });
    expect(found.exports).toEqual(['function', 'object', 'function', 'function']);
    expect(found.listen).toMatch(/^EmulatorError: Failed to listen: cloud\.listen\(\) opens a TCP port, which needs Node/);
    await page.close();
  });

  it('reads data-seed, data-latency and data-clock from its script tag; a virtual clock moves when the test moves it', async () => {
    browser.serve('options.html', `<!doctype html><script src="/dist/agora-signaling-emulator.global.js" data-seed="7" data-latency="40" data-clock="virtual"></script>`);
    const page = await browser.page();
    await page.goto(`${browser.origin}/options.html`);
    const result = await page.evaluate(async () => {
      const { cloud } = window.SignalingEmulator;
      const session = window.Signal('app').login('alice', '_no_need_token');
      const before = session.getStatus();
      await cloud.advance(160); // two round trips of 40 ms: the socket opens, then the login
      return { seed: cloud.seed, clock: cloud.time.mode, before, after: session.getStatus(), t: cloud.now() - cloud.startTime };
    });
    expect(result).toEqual({ seed: 7, clock: 'virtual', before: 1, after: 2, t: 160 });
    await page.close();
  });

  it('a bad data- attribute stops the page with an error that names it', async () => {
    browser.serve('bad.html', `<!doctype html><script src="/dist/agora-signaling-emulator.global.js" data-latency="fast"></script>`);
    const page = await browser.page();
    const error = page.waitForEvent('pageerror');
    await page.goto(`${browser.origin}/bad.html`);
    expect((await error).message).toContain(`Failed to start agora-signaling-emulator: the script tag's data-latency="fast" is not a number of milliseconds`);
    expect(await page.evaluate(() => typeof window.Signal)).toBe('undefined');
    await page.close();
  });
});

describe('a script-tag app on the in-page cloud (examples/browser/index.html)', () => {
  it('logs in, chats with a scripted peer, joins a channel, calls, and shows a kick scripted by the test', async () => {
    const page = await browser.page();
    await page.goto(`${browser.origin}/examples/browser/index.html`);

    await page.fill('#account', 'alice');
    await page.click('#login-form button');
    await expect.poll(() => page.textContent('#status')).toBe('logged in as alice (uid 1)');

    // bob is the test's: a second user of the page's cloud, who answers whatever he is sent.
    await page.evaluate(() => {
      const bob = window.SignalingEmulator.cloud.Signal('browser-example').login('bob', '_no_need_token');
      bob.onMessageInstantReceive = (from: string, _uid: number, msg: string) => bob.messageInstantSend(from, `re: ${msg}`);
      bob.onLoginSuccess = () => {
        const lobby = bob.channelJoin('lobby')!;
        lobby.onChannelUserJoined = (account: string) => lobby.messageChannelSend(`welcome ${account}`);
      };
      // He answers every call, and hangs up when told to.
      bob.onInviteReceived = (call) => {
        call.channelInviteAccept();
        (window as unknown as { bobsCall: unknown }).bobsCall = call;
      };
      (window as unknown as { bob: unknown }).bob = bob;
    });

    await page.fill('#peer', 'bob');
    await page.fill('#message', 'hello bob');
    await page.click('#message-form button');
    await expect.poll(() => page.locator('#messages li').allTextContents()).toEqual(['me → bob: hello bob', 'bob: re: hello bob']);

    await page.fill('#channel-name', 'lobby');
    await page.click('#channel-form button');
    await expect.poll(() => page.locator('#members li').allTextContents()).toEqual(['bob', 'alice']);
    await expect.poll(() => page.locator('#channel-messages li').allTextContents()).toEqual(['bob: welcome alice']);

    await page.fill('#callee', 'bob');
    await page.click('#call-form button');
    await expect.poll(() => page.locator('#calls li').allTextContents()).toEqual(['calling bob…', 'bob is ringing', 'bob answered: in call']);
    await page.evaluate(() => (window as unknown as { bobsCall: { channelInviteEnd(extra: string): void } }).bobsCall.channelInviteEnd(''));
    await expect.poll(() => page.locator('#calls li').allTextContents()).toEqual(['calling bob…', 'bob is ringing', 'bob answered: in call', 'bob hung up']);
    await browser.screenshot(page, 'iife-app-chat');

    // The fault, scripted from the test: the service kicks alice.
    await page.evaluate(() => window.SignalingEmulator.cloud.kick('alice'));
    await expect.poll(() => page.textContent('#status')).toBe('logged out (103: kicked: logged in elsewhere or by the server)');
    await browser.screenshot(page, 'iife-app-kicked');

    const log = await page.evaluate(() => {
      const { cloud } = window.SignalingEmulator;
      return {
        logout: cloud.log.filter({ client: 'alice', name: 'onLogout' }).map((e) => e.args),
        kick: cloud.log.filter({ name: 'kick', client: 'alice' }).map((e) => e.kind),
        members: cloud.channels()[0]!.members.map((m) => m.account),
        timeline: cloud.timeline(),
      };
    });
    expect(log.logout).toEqual([[103]]);
    expect(log.kick).toEqual(['fault']);
    expect(log.members).toEqual(['bob']); // a kicked session leaves its channels
    expect(log.timeline).toMatch(/alice\s+callback\s+onMessageInstantReceive\s+"bob", 0, "re: hello bob"/);
    expect(browser.errorsOf(page)).toEqual([]);
    await page.close();
  });
});

declare global {
  interface Window {
    Signal: import('agora-signaling-emulator').SignalFactory;
    SignalingEmulator: typeof import('../../src/browser.js');
  }
}
