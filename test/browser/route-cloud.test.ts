// routeCloud in real Chromium: a page on any origin, with the unmodified real SDK 1.4.0 or with
// its own WebSockets, reaches the test's cloud through Agora's addresses; and a routed socket
// that fails looks, to the page and in its console, as a real one does.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCloud, type Cloud, type WireServer } from 'agora-signaling-emulator';
import { routeCloud } from 'agora-signaling-emulator/playwright';
import { chromiumBinary } from './chromium.js';

const SDK = readFileSync(createRequire(import.meta.url).resolve('agora-signaling-sdk/AgoraSigSDK.min.js'), 'utf8');
/** A public origin, served by the test: routing needs no local one. */
const ORIGIN = 'https://chat.example.test';

let browser: Browser;
let cloud: Cloud;
let server: WireServer;
let context: BrowserContext;
let requests: string[];

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumBinary(), args: ['--no-sandbox', '--disable-gpu'] });
}, 30_000);
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  cloud = createCloud({ clock: 'global' });
  server = await cloud.listen();
  context = await browser.newContext();
  requests = [];
  context.on('request', (r) => requests.push(r.url()));
  await context.route(`${ORIGIN}/sdk.js`, (route) => route.fulfill({ body: SDK, contentType: 'text/javascript' }));
  await routeCloud(context, { server });
});
afterEach(async () => {
  await context.close();
  await server.close();
  cloud.dispose();
});

/** A page of ORIGIN with this body; its console lines collected. */
async function pageWith(body: string): Promise<{ page: Page; console: Array<[string, string]> }> {
  await context.route(`${ORIGIN}/`, (route) => route.fulfill({ body: `<!doctype html><html><body>${body}</body></html>`, contentType: 'text/html' }));
  const page = await context.newPage();
  const lines: Array<[string, string]> = [];
  page.on('console', (m: ConsoleMessage) => lines.push([m.type(), m.text()]));
  page.on('pageerror', (e) => lines.push(['uncaught', e.message]));
  await page.goto(`${ORIGIN}/`);
  return { page, console: lines };
}

const online = () => cloud.inspect().apps.flatMap((a) => a.online.map((u) => `${a.appId}/${u.account}`));
const problems = (lines: Array<[string, string]>) => lines.filter(([type]) => type !== 'log' && type !== 'info' && type !== 'debug');

describe('the real SDK 1.4.0, unchanged, on a page routed to the cloud', () => {
  it("logs in through Agora's LBS host names and the wss:// address it builds from the answer", async () => {
    const { page, console } = await pageWith(`<script src="/sdk.js"></script><script>
      var session = Signal('demo').login('alice', '_no_need_token');
      session.onLoginSuccess = function (uid) { document.title = 'logged in ' + uid; };
    </script>`);
    await expect.poll(() => page.title()).toMatch(/^logged in \d+$/);
    expect(online()).toEqual(['demo/alice']);
    // 1.4.0 asks one host of each LBS pair at once, then opens two sockets and keeps the first.
    expect(cloud.log.count({ kind: 'server', name: 'lbs getaddr', args: ['demo'] })).toBe(2);
    expect(console.filter(([type]) => type === 'log').map(([, text]) => text)).toContain(`wss://127-0-0-1-sig-web.agora.io:${server.port}/`);
    expect(problems(console)).toEqual([]);
    // Nothing but the page itself and Agora's (routed) addresses was asked for: the login report included.
    await expect.poll(() => requests.some((url) => /^https:\/\/wsrp-sig\.agora\.io\//.test(url))).toBe(true);
    expect(requests.filter((url) => !url.startsWith(ORIGIN) && !/^https:\/\/[\w-]+\.agora\.io\//.test(url))).toEqual([]);
  });

  it("reaches it through the lbs100 hosts too (setup_debugging('env', 'lbs100'))", async () => {
    const { page, console } = await pageWith(`<script src="/sdk.js"></script><script>
      var signal = Signal('demo');
      signal.setup_debugging('env', 'lbs100');
      signal.login('bob', '_no_need_token').onLoginSuccess = function () { document.title = 'in'; };
    </script>`);
    await expect.poll(() => page.title()).toBe('in');
    expect(requests.filter((url) => url.includes('/getaddr')).every((url) => /^https:\/\/lbs100-\d-sig\.agora\.io\/getaddr\?vid=demo$/.test(url))).toBe(true);
    expect(problems(console)).toEqual([]);
  });
});

describe('routeCloud', () => {
  it('routes a context once: again to the same cloud does nothing, to another cloud is an error', async () => {
    await routeCloud(context, { server });
    const other = createCloud({ clock: 'global' });
    const otherServer = await other.listen();
    try {
      expect(() => routeCloud(context, { server: otherServer })).toThrow(`Failed to route the context to ${otherServer.url}: it is routed to ${server.url} already (one cloud per context)`);
    } finally {
      await otherServer.close();
      other.dispose();
    }
  });
});

/** A page whose own WebSocket logs in as `account` and records every event it sees. */
const RAW_SOCKET = (account: string) => `<script>
  window.events = [];
  var ws = new WebSocket('wss://127-0-0-1-sig-web.agora.io:443/');
  ws.onopen = function () {
    window.events.push('open');
    ws.send(JSON.stringify(['login', { vid: 'demo', account: '${account}', uid: 0, token: '_no_need_token', device: 'websdk', ip: '' }]));
  };
  ws.onmessage = function (e) { window.events.push('message ' + JSON.parse(e.data)[0]); };
  ws.onerror = function () { window.events.push('error ' + ws.readyState); };
  ws.onclose = function (e) { window.events.push('close ' + e.code + ' ' + JSON.stringify(e.reason) + ' ' + e.wasClean); };
</script>`;

const events = (page: Page) => page.evaluate(() => (window as unknown as { events: string[] }).events);
const closed = (page: Page) => expect.poll(async () => (await events(page)).some((e) => e.startsWith('close '))).toBe(true);

describe('a routed socket, as the page sees it', () => {
  it('passes a close the server sends on with its code and reason', async () => {
    const { page, console } = await pageWith(RAW_SOCKET('alice'));
    await expect.poll(() => events(page)).toContain('message login_ret');
    cloud.kick('alice');
    await closed(page);
    expect(await events(page)).toEqual(['open', 'message login_ret', 'message kick', 'close 1000 "kick" true']);
    expect(problems(console)).toEqual([]);
  });

  it('that drops fires close 1006, unclean, with no error and nothing in the console, as a dropped connection does', async () => {
    const { page, console } = await pageWith(RAW_SOCKET('alice'));
    await expect.poll(() => events(page)).toContain('message login_ret');
    cloud.net.disconnect('alice');
    await closed(page);
    expect(await events(page)).toEqual(['open', 'message login_ret', 'close 1006 "" false']);
    expect(problems(console)).toEqual([]);
  });

  it('that breaks with an error fires error then close 1006, and the console says the network failed', async () => {
    const { page, console } = await pageWith(RAW_SOCKET('alice'));
    await expect.poll(() => events(page)).toContain('message login_ret');
    cloud.net.disconnect('alice', { how: 'error' });
    await closed(page);
    expect(await events(page)).toEqual(['open', 'message login_ret', 'error 3', 'close 1006 "" false']);
    expect(problems(console)).toEqual([['error', "WebSocket connection to 'wss://127-0-0-1-sig-web.agora.io/' failed: net::ERR_INTERNET_DISCONNECTED"]]);
  });

  it('refused (an outage) never opens: error, close 1006, and the handshake failure in the console', async () => {
    cloud.outage();
    const { page, console } = await pageWith(RAW_SOCKET('alice'));
    await closed(page);
    expect(await events(page)).toEqual(['error 3', 'close 1006 "" false']);
    expect(problems(console)).toEqual([
      ['error', "WebSocket connection to 'wss://127-0-0-1-sig-web.agora.io/' failed: Error during WebSocket handshake: Unexpected response code: 503"],
    ]);
  });
});
