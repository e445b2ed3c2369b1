// `serve` with real browsers: the sample app on the real SDK 1.4.0 (examples/browser/real-sdk.html,
// the same app.js as the in-page example) in two tabs talking through the served cloud, and the
// dashboard driving faults that the pages show.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../../src/cli/serve.js';
import { launch, type Browser } from './chromium.js';

let browser: Browser;
let served: Served | undefined;

beforeAll(async () => {
  browser = await launch();
}, 30_000);
afterEach(async () => {
  for (const page of browser.context.pages()) await page.close();
  await served?.stop();
  served = undefined;
});
afterAll(async () => {
  await browser?.close();
});

/** The sample app on the real SDK, pointed at the served cloud, logged in as `account`. */
async function appAs(account: string): Promise<Page> {
  const page = await browser.page();
  await page.goto(`${browser.origin}/examples/browser/real-sdk.html?cloud=${encodeURIComponent(served!.server.url)}&account=${account}`);
  await page.click('#login-form button');
  await expect.poll(() => page.textContent('#status')).toMatch(new RegExp(`^logged in as ${account} \\(uid \\d+\\)$`));
  return page;
}

/** Fills a form of the app and submits it, in the front tab (Chromium lets a background tab's clicks wait). */
async function send(page: Page, form: string, fields: Record<string, string>): Promise<void> {
  await page.bringToFront();
  for (const [id, value] of Object.entries(fields)) await page.fill(`#${id}`, value);
  await page.click(`#${form} button`);
}

const lines = (page: Page, list: string) => page.locator(`#${list} li`).allTextContents();

describe('two browser tabs on the real SDK 1.4.0, served by `serve`', () => {
  it('chat with each other, peer to peer and in a channel, and call each other', async () => {
    served = await serve({ port: 0 });
    const alice = await appAs('alice');
    const bob = await appAs('bob');

    await send(alice, 'message-form', { peer: 'bob', message: 'hello bob' });
    await expect.poll(() => lines(bob, 'messages')).toEqual(['alice: hello bob']);
    await send(bob, 'message-form', { peer: 'alice', message: 'hi alice' });
    await expect.poll(() => lines(alice, 'messages')).toEqual(['me → bob: hello bob', 'bob: hi alice']);

    await send(alice, 'channel-form', { 'channel-name': 'lobby' });
    await expect.poll(() => alice.textContent('#channel-state')).toBe('in lobby');
    await send(bob, 'channel-form', { 'channel-name': 'lobby' });
    await expect.poll(() => lines(bob, 'members')).toEqual(['alice', 'bob']);
    await expect.poll(() => lines(alice, 'members')).toEqual(['alice', 'bob']);
    await send(alice, 'channel-message-form', { 'channel-message': 'hi all' });
    await expect.poll(() => lines(bob, 'channel-messages')).toEqual(['alice: hi all']);
    await expect.poll(() => lines(alice, 'channel-messages')).toEqual(['me: hi all']);

    await send(alice, 'call-form', { callee: 'bob' });
    await expect.poll(() => lines(bob, 'calls')).toEqual(['alice is calling (call-alice-bob)']);
    await bob.bringToFront();
    await bob.click('#accept');
    await expect.poll(() => lines(alice, 'calls')).toEqual(['calling bob…', 'bob is ringing', 'bob answered: in call']);
    await alice.bringToFront();
    await alice.click('#hang-up');
    await expect.poll(() => lines(bob, 'calls')).toEqual(['alice is calling (call-alice-bob)', 'in call with alice', 'alice hung up']);
    expect(await lines(alice, 'calls')).toEqual(['calling bob…', 'bob is ringing', 'bob answered: in call', 'you hung up']);

    await browser.screenshot(alice, 'real-sdk-alice');
    await browser.screenshot(bob, 'real-sdk-bob');
    const { cloud } = served;
    expect(cloud.inspect().apps.map((a) => [a.appId, a.online.map((u) => u.account)])).toEqual([['browser-example', ['alice', 'bob']]]);
    expect(cloud.channels('browser-example').map((c) => [c.name, c.members.map((m) => m.account)])).toEqual([['lobby', ['alice', 'bob']]]);
    expect(browser.errorsOf(alice)).toEqual([]);
    expect(browser.errorsOf(bob)).toEqual([]);
  });
});

describe('the dashboard', () => {
  it('shows who is online and in which channel, kicks a user, and the app shows it', async () => {
    served = await serve({ port: 0 });
    const alice = await appAs('alice');
    const bob = await appAs('bob');
    await send(alice, 'channel-form', { 'channel-name': 'lobby' });
    await send(bob, 'channel-form', { 'channel-name': 'lobby' });
    await send(alice, 'message-form', { peer: 'bob', message: 'hello bob' });
    await expect.poll(() => lines(bob, 'messages')).toEqual(['alice: hello bob']);

    const dashboard = await browser.page();
    await dashboard.goto(served.server.dashboardUrl!);
    await expect.poll(() => dashboard.textContent('#live')).toBe('live');
    await expect.poll(() => dashboard.locator('#online tr.user').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.account))).toEqual(['alice', 'bob']);
    expect(await dashboard.locator('[data-channel="lobby"] .member').allTextContents()).toEqual(['alice', 'bob']);
    // An invite that rings: the dashboard lists it.
    await send(alice, 'call-form', { callee: 'bob' });
    await expect.poll(() => dashboard.locator('#invites tr td:first-child').allTextContents()).toEqual(['alice → bob']);
    expect(await dashboard.locator('#invites tr td:nth-child(3)').allTextContents()).toEqual(['ringing']);
    // The wire rows show the real SDK's traffic: bob's message arrived.
    await expect.poll(() => dashboard.locator('#entries tr[data-kind="wire"][data-client="bob"] td.name').allTextContents()).toContain('← message');
    await dashboard.setViewportSize({ width: 1280, height: 880 });
    await browser.screenshot(dashboard, 'dashboard');

    await dashboard.bringToFront();
    await dashboard.click('#online tr[data-account="alice"] button.kick');
    await expect.poll(() => alice.textContent('#status')).toBe('logged out (103: kicked: logged in elsewhere or by the server)');
    await expect.poll(() => dashboard.locator('#online tr.user').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.account))).toEqual(['bob']);
    await expect.poll(() => dashboard.locator('[data-channel="lobby"] .member').allTextContents()).toEqual(['bob']);
    await expect.poll(() => dashboard.locator('#invites tr').count()).toBe(0); // the caller is gone: so is the invite
    await expect.poll(() => lines(bob, 'calls')).toContain('call failed: {"reason":"peer_kicked","code":703}');
    await expect.poll(() => dashboard.textContent('#notice')).toBe('kicked alice');
    // The kick is the server's (or a fault, where the Cloud has cloud.kick), then the session ends.
    expect(await dashboard.locator('#entries tr[data-client="alice"]:not([data-kind="wire"]) td.name').allTextContents()).toEqual(
      expect.arrayContaining(['kick', 'session ended']),
    );
    await browser.screenshot(dashboard, 'dashboard-after-kick');
    await browser.screenshot(alice, 'real-sdk-alice-kicked');
    expect(served.cloud.log.filter({ client: 'alice', name: 'session ended' }).map((e) => e.args)).toEqual([['kicked']]);
    expect(browser.errorsOf(dashboard)).toEqual([]);
  });

  it('disconnects a user for a second: the real SDK reconnects by itself once the network is back', async () => {
    served = await serve({ port: 0 });
    const alice = await appAs('alice');
    const dashboard = await browser.page();
    await dashboard.goto(served.server.dashboardUrl!);
    await expect.poll(() => dashboard.locator('#online tr[data-account="alice"]').count()).toBe(1);

    await dashboard.bringToFront();
    await dashboard.fill('#disconnect-seconds', '1');
    await dashboard.click('#online tr[data-account="alice"] button.disconnect');
    await expect.poll(() => dashboard.locator('#online tr.down[data-account="alice"]').count()).toBe(1);
    await browser.screenshot(dashboard, 'dashboard-disconnected');
    // 1.4.0 retries after 200, 400, 800 ms…: refused while the network is down, then back in.
    await expect.poll(() => served!.cloud.log.count({ client: 'alice', name: 'reconnect' }), { timeout: 5_000 }).toBe(1);
    await expect.poll(() => dashboard.locator('#online tr.user:not(.down)[data-account="alice"]').count(), { timeout: 5_000 }).toBe(1);
    expect(await alice.textContent('#status')).toMatch(/^logged in as alice/);
    const faults = served.cloud.log.filter({ kind: 'fault', client: 'alice' }).map((e) => [e.name, ...e.args]);
    expect(faults[0]![0]).toBe('disconnect');
    expect(faults).toContainEqual(['connection lost', 1006, 'connection 1']);
    expect(faults).toContainEqual(['disconnect', 'up', 'login (wire)', 'refused']); // a retry came while the network was down
    expect(faults.at(-1)).toEqual(['reconnect']);
  });
});
