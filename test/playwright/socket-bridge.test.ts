// The bridge between a routed page socket and the wire server, without a browser: a stand-in
// for Playwright's WebSocketRoute records what the page would be told. Every way a server-side
// connection ends reaches the page as Chromium would report it (see page-shim.ts for how the
// marked closes turn into `error` + `close` 1006 in the page).
import type { WebSocketRoute } from '@playwright/test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCloud, type Cloud, type WireServer } from 'agora-signaling-emulator';
import { bridgeSocket } from '../../src/playwright/socket-bridge.js';
import { FAILURE_MARK, failureReason } from '../../src/playwright/page-shim.js';
import { WireRecord } from '../../src/playwright/wire-record.js';

/** What the page side of a routed socket was told. */
class FakeRoute {
  readonly sent: string[] = [];
  closedWith: { code?: number; reason?: string } | undefined;
  private onMessageHandler: ((message: string | Buffer) => void) | undefined;
  private onCloseHandler: ((code: number | undefined, reason: string | undefined) => void) | undefined;
  constructor(private readonly address = 'wss://127-0-0-1-sig-web.agora.io:8765/') {}
  url(): string {
    return this.address;
  }
  onMessage(handler: (message: string | Buffer) => void): void {
    this.onMessageHandler = handler;
  }
  onClose(handler: (code: number | undefined, reason: string | undefined) => void): void {
    this.onCloseHandler = handler;
  }
  async send(message: string | Buffer): Promise<void> {
    this.sent.push(String(message));
  }
  async close(options: { code?: number; reason?: string } = {}): Promise<void> {
    this.closedWith = options;
  }
  /** The page sends a frame. */
  pageSends(event: string, payload: unknown): void {
    this.onMessageHandler!(JSON.stringify([event, payload]));
  }
  /** The page closes its socket. */
  pageCloses(code?: number, reason?: string): void {
    this.onCloseHandler!(code, reason);
  }
  frames(): Array<[string, unknown]> {
    return this.sent.map((s) => JSON.parse(s) as [string, unknown]);
  }
  asRoute(): WebSocketRoute {
    return this as unknown as WebSocketRoute;
  }
}

let cloud: Cloud;
let server: WireServer;

beforeEach(async () => {
  cloud = createCloud({ clock: 'global' });
  server = await cloud.listen();
});
afterEach(async () => {
  await server.close();
  cloud.dispose();
});

const login = (route: FakeRoute, account: string) =>
  route.pageSends('login', { vid: 'app', account, uid: 0, token: '_no_need_token', device: 'websdk', ip: '' });

async function loggedIn(account: string, record?: WireRecord): Promise<FakeRoute> {
  const route = new FakeRoute();
  await bridgeSocket(route.asRoute(), server.url, record);
  login(route, account);
  await vi.waitFor(() => expect(route.frames().map(([e]) => e)).toContain('login_ret'));
  return route;
}

const marked = (route: FakeRoute) => route.closedWith?.reason?.startsWith(FAILURE_MARK) ?? false;

describe('a bridged socket', () => {
  it('opens when the server does, and carries frames both ways', async () => {
    const route = await loggedIn('alice');
    const [, [err, json]] = route.frames().find(([e]) => e === 'login_ret') as [string, [string, string]];
    expect(err).toBe('');
    expect(JSON.parse(json)).toMatchObject({ result: 'ok' });
    expect(cloud.inspect().apps[0]!.online.map((u) => u.account)).toEqual(['alice']);
  });

  it("passes the server's own close on as it is: code and reason (a kick, say)", async () => {
    const route = await loggedIn('alice');
    cloud.kick('alice');
    await vi.waitFor(() => expect(route.closedWith).toBeDefined());
    expect(marked(route)).toBe(false);
    expect(route.closedWith!.code).toBe(1000);
    expect(route.frames().map(([e]) => e)).toContain('kick');
  });

  it('shows a connection the network cuts as a plain drop: close 1006, no error, nothing printed', async () => {
    const route = await loggedIn('alice');
    cloud.net.disconnect('alice');
    await vi.waitFor(() => expect(route.closedWith).toBeDefined());
    expect(route.closedWith).toEqual({ code: 1006, reason: failureReason('') });
  });

  it('shows a connection broken with an error as a lost network (after the server had spoken on it)', async () => {
    const route = await loggedIn('alice');
    cloud.net.disconnect('alice', { how: 'error' });
    await vi.waitFor(() => expect(route.closedWith).toBeDefined());
    expect(route.closedWith).toEqual({ code: 1006, reason: failureReason('net::ERR_INTERNET_DISCONNECTED') });
  });

  it('shows a retry refused at its login (the account\'s network is down) as a failed connection', async () => {
    cloud.net.disconnect('alice');
    const route = new FakeRoute();
    await bridgeSocket(route.asRoute(), server.url);
    login(route, 'alice');
    await vi.waitFor(() => expect(route.closedWith).toBeDefined());
    expect(route.closedWith).toEqual({ code: 1006, reason: failureReason('Error in connection establishment: net::ERR_INTERNET_DISCONNECTED') });
  });

  it('fails a connection refused during an outage before the page socket ever opens (HTTP 503)', async () => {
    cloud.outage();
    const route = new FakeRoute();
    await bridgeSocket(route.asRoute(), server.url);
    await vi.waitFor(() => expect(route.closedWith).toBeDefined());
    expect(route.closedWith).toEqual({ code: 1006, reason: failureReason('Error during WebSocket handshake: Unexpected response code: 503') });
  });

  it('fails a connection to a cloud that is gone as refused', async () => {
    await server.close();
    const route = new FakeRoute();
    await bridgeSocket(route.asRoute(), server.url);
    await vi.waitFor(() => expect(route.closedWith).toBeDefined());
    expect(route.closedWith).toEqual({ code: 1006, reason: failureReason('Error in connection establishment: net::ERR_CONNECTION_REFUSED') });
  });

  it('warns, as Chromium does, when the page gives up on a connection still waiting (the SDK\'s 6 s timeout)', async () => {
    cloud.outage(undefined, { attempts: 'unanswered' });
    const route = new FakeRoute();
    const settled = bridgeSocket(route.asRoute(), server.url);
    await new Promise((resolve) => setTimeout(resolve, 50));
    route.pageCloses();
    await settled;
    await vi.waitFor(() => expect(route.closedWith).toBeDefined());
    expect(route.closedWith).toEqual({ code: 1006, reason: failureReason('WebSocket is closed before the connection is established.', 'warning') });
  });

  it("passes the page's own close to the server, which ends the session the ordinary way, and completes the page's handshake", async () => {
    const route = await loggedIn('alice');
    route.pageCloses(1000, 'bye');
    await vi.waitFor(() => expect(route.closedWith).toBeDefined());
    expect(route.closedWith).toEqual({ code: 1000, reason: 'bye' });
    await vi.waitFor(() => expect(server.connections).toBe(0));
    expect(cloud.log.filter({ kind: 'fault' })).toEqual([]);
  });

  it('records its frames for the report, bounded', async () => {
    const record = new WireRecord();
    const route = await loggedIn('alice', record);
    route.pageCloses();
    await vi.waitFor(() => expect(route.closedWith).toBeDefined());
    const text = record.text();
    expect(text).toMatch(/ws1 +open +wss:\/\/127-0-0-1-sig-web\.agora\.io:8765\//);
    expect(text).toMatch(/ws1 +→ +\["login",/);
    expect(text).toMatch(/ws1 +← +\["login_ret",/);
    expect(text).toMatch(/ws1 +close +by the page/);
  });
});

describe('the record of frames', () => {
  it('keeps the latest lines, cuts long ones, and says what it dropped', () => {
    let now = 0;
    const record = new WireRecord(() => now);
    const label = record.socket('wss://x.agora.io/');
    for (let i = 0; i < 2_100; i++) {
      now += 1;
      record.add(label, '→', i === 2_099 ? 'y'.repeat(1_000) : `frame ${i}`);
    }
    const lines = record.text().split('\n');
    expect(lines[0]).toBe('(101 earlier lines dropped)');
    expect(lines).toHaveLength(2_001);
    expect(lines[1]).toMatch(/frame 100$/);
    expect(lines.at(-1)).toMatch(/y{240}… \(1000 chars\)$/);
  });
});
