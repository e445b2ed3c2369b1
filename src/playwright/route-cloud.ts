import { request as httpRequest } from 'node:http';
import type { BrowserContext, Route } from '@playwright/test';
import { invariant } from '../errors.js';
import type { WireServer } from '../wire/listen.js';
import { AGORA_HTTP, AGORA_LBS, AGORA_WEBSOCKET, localLbsUrl } from './agora-urls.js';
import { PAGE_SHIM } from './page-shim.js';
import { bridgeSocket } from './socket-bridge.js';
import { WireRecord } from './wire-record.js';

/** Where a routed context sends the SDK's traffic. */
export interface CloudRouteTarget {
  /** The served cloud (`await cloud.listen()`). */
  readonly server: Pick<WireServer, 'url' | 'lbsUrl'>;
  /** Keeps the frames of the routed sockets (for a failed test's report). */
  readonly record?: WireRecord;
}

/**
 * Where a routed context keeps its routing (on the context itself, so nothing is kept here), so
 * that routing it twice (the fixture's two ways in) is harmless. `Symbol.for`: the ESM and CJS
 * builds see the same key.
 */
const ROUTED = Symbol.for('agora-signaling-emulator.routed');

interface Routing {
  server: CloudRouteTarget['server'];
  done: Promise<void>;
}

/**
 * Routes everything the Signaling SDK (1.3.0 or 1.4.0) sends to Agora from `context` to the
 * served cloud, in every page of the context, with the app and the SDK unchanged:
 *
 * - the LBS lookups (`https://lbs-N-sig.agora.io/getaddr`, `lbs100-N-…`) go to the server's LBS,
 *   which answers `[[ip, port]]`, the entry both SDKs read;
 * - the WebSockets to `*.agora.io` (`wss://127-0-0-1-sig-web.agora.io:PORT/`…) are carried to
 *   the server from Node, failures shown as the browser shows them;
 * - any other request to `agora.io` (1.4.0's login report) is answered `204`, so nothing leaves
 *   the machine and nothing fails in the console.
 *
 * The Playwright fixture (`agora-signaling-emulator/playwright`) does this for every context of
 * a test; call it yourself with `playwright-core` or for a context made outside the fixture.
 *
 * @example
 * const cloud = createCloud({ clock: 'global' });
 * const server = await cloud.listen();
 * const context = await browser.newContext();
 * await routeCloud(context, { server });
 * const page = await context.newPage();
 * await page.goto('http://localhost:5173/');   // the app, as it is
 */
export function routeCloud(context: BrowserContext, target: CloudRouteTarget): Promise<void> {
  invariant(
    target && typeof target === 'object' && target.server && typeof target.server.url === 'string' && typeof target.server.lbsUrl === 'string',
    'Failed to route the context: expected { server } with the served cloud (const server = await cloud.listen())',
  );
  const earlier = (context as unknown as { [ROUTED]?: Routing })[ROUTED];
  if (earlier) {
    invariant(earlier.server.url === target.server.url, `Failed to route the context to ${target.server.url}: it is routed to ${earlier.server.url} already (one cloud per context)`);
    return earlier.done;
  }
  const done = install(context, target);
  Object.defineProperty(context, ROUTED, { value: { server: target.server, done } satisfies Routing, configurable: true });
  return done;
}

async function install(context: BrowserContext, { server, record }: CloudRouteTarget): Promise<void> {
  // Routes added later are tried first: the LBS before the catch-all.
  await context.route(AGORA_HTTP, (route) =>
    route.fulfill({ status: 204, headers: { 'Access-Control-Allow-Origin': '*' } }),
  );
  await context.route(AGORA_LBS, (route) => forwardLbs(route, server.lbsUrl));
  await context.routeWebSocket(AGORA_WEBSOCKET, (ws) => bridgeSocket(ws, server.url, record));
  // After routeWebSocket, whose own script replaces window.WebSocket: this one wraps it.
  await context.addInitScript({ content: PAGE_SHIM });
  for (const page of context.pages()) await page.evaluate(PAGE_SHIM).catch(() => undefined);
}

/**
 * Asks the local LBS, saying which host the SDK asked (`X-Forwarded-Host`), so it answers the
 * `[ip, port]` form both SDKs read; the request itself carries the server's loopback `Host`.
 */
async function forwardLbs(route: Route, lbsUrl: string): Promise<void> {
  const request = route.request();
  const url = new URL(request.url());
  try {
    const { status, body, type } = await get(localLbsUrl(request.url(), lbsUrl), { 'X-Forwarded-Host': url.host });
    await route.fulfill({ status, body, headers: { 'Content-Type': type, 'Access-Control-Allow-Origin': '*' } });
  } catch {
    // The cloud is gone (the test is ending): the lookup fails as an unreachable host does.
    await route.abort('connectionrefused').catch(() => undefined);
  }
}

function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 502, body, type: String(res.headers['content-type'] ?? 'text/plain') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
