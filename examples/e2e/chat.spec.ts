// The chat-and-call app (examples/browser/app.js on the real SDK 1.4.0 from npm) end to end:
// two users in two pages, a kick from the test body, a network drop. The app is unchanged;
// the fixture routes the SDK's Agora traffic to the test's cloud.
import type { Browser, ConsoleMessage, Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

/** The app logged in as `account`, in a page of its own context (so each user has a browser of their own). */
async function userPage(browser: Browser, baseURL: string | undefined, account: string): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await logIn(page, account);
  return page;
}

async function logIn(page: Page, account: string): Promise<void> {
  await page.goto(`/?account=${account}`);
  await page.click('#login-form button');
  await expect(page.locator('#status')).toHaveText(new RegExp(`^logged in as ${account} \\(uid \\d+\\)$`));
}

/** Fills a form of the app and submits it. */
async function send(page: Page, form: string, fields: Record<string, string>): Promise<void> {
  for (const [id, value] of Object.entries(fields)) await page.fill(`#${id}`, value);
  await page.click(`#${form} button`);
}

const items = (page: Page, list: string) => page.locator(`#${list} li`);

/** The page's console lines at warning level and above, as `level: text`. */
function consoleProblems(page: Page): string[] {
  const lines: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' || m.type() === 'warning') lines.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => lines.push(`uncaught: ${e.message}`));
  return lines;
}

test.describe('two users of the chat app, each in a page', () => {
  test('chat peer to peer and in a channel, and call each other', async ({ page, browser, baseURL, cloud }) => {
    const aliceConsole = consoleProblems(page);
    await logIn(page, 'alice');
    const bob = await userPage(browser, baseURL, 'bob');
    const bobConsole = consoleProblems(bob);

    await send(page, 'message-form', { peer: 'bob', message: 'hello bob' });
    await expect(items(bob, 'messages')).toHaveText(['alice: hello bob']);
    await send(bob, 'message-form', { peer: 'alice', message: 'hi alice' });
    await expect(items(page, 'messages')).toHaveText(['me → bob: hello bob', 'bob: hi alice']);

    await send(page, 'channel-form', { 'channel-name': 'lobby' });
    await expect(page.locator('#channel-state')).toHaveText('in lobby');
    await send(bob, 'channel-form', { 'channel-name': 'lobby' });
    await expect(items(page, 'members')).toHaveText(['alice', 'bob']);
    await send(bob, 'channel-message-form', { 'channel-message': 'hi all' });
    await expect(items(page, 'channel-messages')).toHaveText(['bob: hi all']);

    await send(page, 'call-form', { callee: 'bob' });
    await expect(items(bob, 'calls')).toHaveText(['alice is calling (call-alice-bob)']);
    await bob.click('#accept');
    await expect(items(page, 'calls')).toHaveText(['calling bob…', 'bob is ringing', 'bob answered: in call']);
    await page.click('#hang-up');
    await expect(items(bob, 'calls').last()).toHaveText('alice hung up');

    // The cloud saw the same: who is online, who is in the lobby; the app found it through
    // Agora's LBS (each login asks two LBS hosts at once).
    expect(cloud.inspect().apps.map((a) => [a.appId, a.online.map((u) => u.account)])).toEqual([['browser-example', ['alice', 'bob']]]);
    expect(cloud.channels('browser-example').map((c) => [c.name, c.members.map((m) => m.account)])).toEqual([['lobby', ['alice', 'bob']]]);
    expect(cloud).toHaveLogged({ kind: 'server', name: 'lbs getaddr', args: ['browser-example'] });
    expect(aliceConsole).toEqual([]);
    expect(bobConsole).toEqual([]);
  });

  test('a user kicked from the test body is logged out, and the other sees them leave', async ({ page, browser, baseURL, cloud }) => {
    await logIn(page, 'alice');
    const bob = await userPage(browser, baseURL, 'bob');
    await send(page, 'channel-form', { 'channel-name': 'lobby' });
    await send(bob, 'channel-form', { 'channel-name': 'lobby' });
    await expect(items(page, 'members')).toHaveText(['alice', 'bob']);

    cloud.kick('bob');

    await expect(bob.locator('#status')).toHaveText('logged out (103: kicked: logged in elsewhere or by the server)');
    await expect(items(page, 'members')).toHaveText(['alice']);
    expect(cloud).toHaveLogged({ kind: 'server', name: 'session ended', client: 'bob', args: ['kicked'] });
    expect(cloud.inspect().apps[0]!.online.map((u) => u.account)).toEqual(['alice']);
  });

  test("a user's network drops: the SDK reconnects by itself, and messages reach them again", async ({ page, browser, baseURL, cloud }) => {
    await logIn(page, 'alice');
    const bob = await userPage(browser, baseURL, 'bob');
    const bobConsole = consoleProblems(bob);
    await send(page, 'channel-form', { 'channel-name': 'lobby' });
    await send(bob, 'channel-form', { 'channel-name': 'lobby' });
    await expect(items(page, 'members')).toHaveText(['alice', 'bob']);

    const drop = cloud.log.mark();
    cloud.net.disconnect('bob', { for: 1_000 });

    // The server ends bob's session at once (so he leaves the lobby); 1.4.0 retries after 200,
    // 400, 800 ms…, refused while the network is down, and is back in once it is up.
    await expect(items(page, 'members')).toHaveText(['alice']);
    await cloud.until(() => cloud.log.since(drop).count({ kind: 'fault', client: 'bob', name: 'reconnect' }) === 1, { within: 5_000 });
    await cloud.until(() => cloud.inspect().apps[0]!.online.some((u) => u.account === 'bob'), { within: 5_000 });
    await send(page, 'message-form', { peer: 'bob', message: 'are you back?' });
    await expect(items(bob, 'messages')).toHaveText(['alice: are you back?']);
    await expect(bob.locator('#status')).toHaveText(/^logged in as bob/);

    const faults = cloud.log.since(drop).filter({ kind: 'fault', client: 'bob' }).map((e) => e.name);
    expect(faults).toEqual(expect.arrayContaining(['disconnect', 'connection lost', 'reconnect']));
    expect(cloud).toHaveLogged({ kind: 'server', name: 'session ended', client: 'bob' });
    // What bob's console shows is what Chromium shows when the network is gone: the refused
    // retries fail as connections do; the drop itself prints nothing (as a real one does not).
    expect(bobConsole.length).toBeGreaterThan(0);
    for (const line of bobConsole) {
      expect(line).toMatch(/^error: WebSocket connection to 'wss:\/\/127-0-0-1-sig-web\.agora\.io:\d+\/' failed: Error in connection establishment: net::ERR_INTERNET_DISCONNECTED$/);
    }
  });
});
