// Regression: DNS rebinding. The wire server answered any Host: a web page on a name its author
// controls, rebound to 127.0.0.1, read /_dashboard/state and pressed the controls (kick, outage)
// as its own origin. Nothing checked Host on the dashboard, the LBS or the WebSocket upgrade. Now
// they answer only loopback names, the bound address and the names the user allows; 421 otherwise.
import { request } from 'node:http';
import { connect as tcpConnect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloud, type Cloud, type ListenOptions, type WireServer } from 'agora-signaling-emulator';
import { connect } from '../../wire/raw-client.js';

let cloud: Cloud;
let server: WireServer;

async function start(options: ListenOptions = {}): Promise<void> {
  cloud = createCloud({ clock: 'global' });
  server = await cloud.listen({ dashboard: true, ...options });
}

afterEach(async () => {
  await server.close();
  cloud.dispose();
});

/** An HTTP request to the server with the given Host header (what a rebound page sends). */
function get(host: string, path: string, method = 'GET', body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers: { Host: host, ...(body ? { 'Content-Type': 'application/json' } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The first line of the answer to a WebSocket upgrade with the given Host. */
function upgrade(host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(server.port, '127.0.0.1', () => {
      socket.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    socket.once('data', (data) => {
      resolve(String(data).split('\r\n')[0]!);
      socket.destroy();
    });
    socket.on('error', reject);
  });
}

describe('DNS rebinding: the server answers only its own names', () => {
  it('a rebound name gets 421 on the dashboard, its state, its controls, the LBS and the WebSocket upgrade', async () => {
    await start();
    const alice = await connect(server.url);
    await alice.login('alice');
    const evil = `rebind.evil.example:${server.port}`;
    for (const path of ['/', '/_dashboard/state', '/_dashboard/events', '/getaddr?vid=app']) {
      const res = await get(evil, path);
      expect(res.status, path).toBe(421);
      expect(res.text).toContain('does not answer the name in Host (rebind.evil.example');
      expect(res.text).toContain('--allow-host');
    }
    expect((await get(evil, '/_dashboard/control', 'POST', JSON.stringify({ verb: 'kick', account: 'alice' }))).status).toBe(421);
    expect(await upgrade(evil)).toBe('HTTP/1.1 421 Misdirected Request');
    // Nothing was done, and the log says what was refused.
    expect(cloud.inspect().apps[0]!.online.map((u) => u.account)).toEqual(['alice']);
    expect(cloud.log.filter({ name: 'host refused' }).map((e) => e.args)).toContainEqual([evil, '/_dashboard/state']);
    alice.ws.terminate();
  });

  it('loopback names, with or without the port, in any case, are answered', async () => {
    await start();
    for (const host of [`127.0.0.1:${server.port}`, '127.0.0.1', `localhost:${server.port}`, 'LocalHost', 'localhost.', `[::1]:${server.port}`, '[::1]', 'app.localhost', '127.0.0.2']) {
      expect((await get(host, '/_dashboard/state')).status, host).toBe(200);
      expect(await upgrade(host), host).toBe('HTTP/1.1 101 Switching Protocols');
    }
  });

  it('names that only look like loopback are not', async () => {
    await start();
    for (const host of ['localhost.evil.example', '127.0.0.1.evil.example', 'evil-localhost', '127.0.0.1:80@evil.example', '127.0.0.1:x', '[::1', '0x7f000001']) {
      expect((await get(host, '/_dashboard/state')).status, host).toBe(421);
    }
    expect(await upgrade('')).toBe('HTTP/1.1 421 Misdirected Request');
  });

  it('allowHosts adds names: exact, or every name under a domain (a test that routes *.agora.io to the server)', async () => {
    await start({ allowHosts: ['my-laptop.lan', '*.agora.io'] });
    expect((await get('my-laptop.lan:8765', '/getaddr?vid=app')).status).toBe(200);
    expect((await get('lbs-1-sig.agora.io', '/getaddr?vid=app')).status).toBe(200);
    expect(await upgrade('1-2-3-4-sig-web.agora.io:8001')).toBe('HTTP/1.1 101 Switching Protocols');
    expect((await get('agora.io.evil.example', '/getaddr?vid=app')).status).toBe(421);
    expect((await get('other.lan', '/getaddr?vid=app')).status).toBe(421);
  });

  it("allowHosts: ['*'] answers any name", async () => {
    await start({ allowHosts: ['*'] });
    expect((await get('anything.example', '/_dashboard/state')).status).toBe(200);
  });

  it('bound to every interface, any IP address is answered (an address cannot be rebound), names still are not', async () => {
    await start({ host: '0.0.0.0' });
    expect((await get(`192.168.1.20:${server.port}`, '/_dashboard/state')).status).toBe(200);
    expect((await get(`[fe80::1]:${server.port}`, '/_dashboard/state')).status).toBe(200);
    expect((await get(`printer.lan:${server.port}`, '/_dashboard/state')).status).toBe(421);
  });

  it('bound to one address, that address is answered too', async () => {
    cloud = createCloud({ clock: 'global' });
    server = await cloud.listen({ host: '127.0.0.1', dashboard: true });
    expect((await get(`127.0.0.1:${server.port}`, '/')).status).toBe(200);
    expect((await get('10.1.2.3', '/')).status).toBe(421);
  });

  it('an allowHosts entry that is not a name is refused when listening, with what is allowed', async () => {
    cloud = createCloud({ clock: 'global' });
    server = await cloud.listen();
    await expect(cloud.listen({ allowHosts: ['http://x.lan/'] })).rejects.toThrow(
      `Failed to listen: allowHosts has "http://x.lan/", which is not a host name ('my-laptop.lan'), a pattern ('*.agora.io') or '*'`,
    );
    await expect(cloud.listen({ allowHosts: 'x.lan' as never })).rejects.toThrow(/allowHosts must be an array of names/);
  });
});
