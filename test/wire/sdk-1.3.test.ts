// The wire server with a client that speaks as the 1.3.0 SDK does (the version the official web
// tutorial ships; it is not on the npm registry, so this client follows what docs/browser.md
// lists of its wire behaviour): it finds the server through a routed LBS lookup and 1.3.0's URL
// rule, logs in without `set_flag` and without the ping 1.4.0 sends at once, and reads only
// text frames, one event each (it has no handler for `multi` and reads no binary frame).
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCloud, type Cloud, type WireServer } from 'agora-signaling-emulator';

let cloud: Cloud;
let server: WireServer;
const clients: WebSocket[] = [];

beforeEach(async () => {
  cloud = createCloud({ clock: 'global' });
  server = await cloud.listen();
});
afterEach(async () => {
  for (const ws of clients.splice(0)) ws.terminate();
  await server.close();
  cloud.dispose();
});

/** A 1.3.0-shaped client: every frame it gets, and whether any was binary. */
interface Client13 {
  url: string;
  frames: Array<[string, unknown]>;
  binary: number;
  send(event: string, payload: unknown): void;
  next(event: string, test?: (payload: unknown) => boolean): Promise<unknown>;
  closed: Promise<[number, string]>;
}

/** 1.3.0's login: the LBS lookup (routed from lbs-1-sig.agora.io), its URL rule, the socket, `login`. */
async function login13(account: string): Promise<Client13> {
  const answer = await new Promise<{ web: Array<[string, number]> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: '/getaddr?vid=tutorial', headers: { 'X-Forwarded-Host': 'lbs-1-sig.agora.io' } }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.on('error', reject);
    req.end();
  });
  const [ip, port] = answer.web[0]!;
  // 1.3.0: 'wss://' + ip with dashes + '-sig-web.agora.io:' + (port + 1) + '/'.
  const url = `wss://${ip.replace(/\./g, '-')}-sig-web.agora.io:${port + 1}/`;
  // What routing does with it (the Playwright fixture, a proxy): the server at that port.
  const routed = /^wss:\/\/(\d+)-(\d+)-(\d+)-(\d+)-sig-web\.agora\.io:(\d+)\/$/.exec(url)!;
  const ws = new WebSocket(`ws://${routed.slice(1, 5).join('.')}:${routed[5]}/`);
  clients.push(ws);
  const client: Client13 = {
    url,
    frames: [],
    binary: 0,
    send: (event, payload) => ws.send(JSON.stringify([event, payload])),
    next: (event, test = () => true) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event} within 3 s; got ${JSON.stringify(client.frames)}`)), 3000);
        const check = () => {
          const hit = client.frames.find(([e, p]) => e === event && test(p));
          if (!hit) return false;
          clearTimeout(timer);
          resolve(hit[1]);
          return true;
        };
        if (!check()) ws.on('message', () => void check());
      }),
    closed: new Promise((resolve) => ws.on('close', (code, reason) => resolve([code, String(reason)]))),
  };
  ws.on('message', (data, isBinary) => {
    if (isBinary) client.binary++;
    client.frames.push(JSON.parse(String(data)) as [string, unknown]);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  client.send('login', { vid: 'tutorial', account, uid: 0, token: '_no_need_token', device: 'websdk', ip: '' });
  const [err, json] = (await client.next('login_ret')) as [string, string];
  expect(err).toBe('');
  expect(JSON.parse(json)).toMatchObject({ result: 'ok', line: expect.any(String) });
  return client;
}

let callId = 0;
function call2(client: Client13, name: string, args: Record<string, unknown>): Promise<unknown> {
  const id = ++callId;
  client.send('call2', [name, id, { line: '', ...args }]);
  return client.next('call2-ret', (p) => (p as unknown[])[0] === id);
}

describe('a client speaking as the 1.3.0 SDK', () => {
  it('finds the server through a routed LBS lookup and logs in, with no set_flag and no first ping', async () => {
    const alice = await login13('alice');
    expect(alice.url).toBe(`wss://127-0-0-1-sig-web.agora.io:${server.port}/`);
    expect(cloud.inspect().apps.map((a) => [a.appId, a.online.map((u) => u.account)])).toEqual([['tutorial', ['alice']]]);
  });

  it('chats peer to peer and in a channel, in text frames of one event each', async () => {
    const alice = await login13('alice');
    const bob = await login13('bob');
    expect(await call2(alice, 'user_sendmsg', { peer: 'bob', flag: 'v1:E:3600', t: 'instant', content: 'hello bob' })).toEqual([expect.any(Number), '', expect.any(String)]);
    const [, recv] = (await bob.next('notify', (p) => (p as string[])[0] === 'recvmsg')) as [string, string];
    expect(JSON.parse(recv)[1]).toMatch(/^msg-v2 alice .* instant .*hello bob$/);

    await call2(alice, 'channel_join', { name: 'lobby' });
    await call2(bob, 'channel_join', { name: 'lobby' });
    await call2(bob, 'channel_sendmsg', { name: 'lobby', msg: 'hi all' });
    const event = (await alice.next('notify', (p) => (p as string[])[0] === 'channel2' && String((p as string[])[3]).includes('channel_msg'))) as [string, string, number, string];
    expect(event[1]).toBe('lobby');
    expect(event[3]).toContain('"msg":"hi all"');

    for (const c of [alice, bob]) {
      expect(c.binary).toBe(0);
      expect(c.frames.map(([e]) => e)).not.toContain('multi');
    }
  });

  it('is sent kick, then the close of its socket (1.3.0 itself handles neither: its app is told nothing)', async () => {
    const alice = await login13('alice');
    cloud.kick('alice');
    expect(await alice.closed).toEqual([1000, 'kick']);
    expect(alice.frames.map(([e]) => e).at(-1)).toBe('kick');
    expect(cloud.log.filter({ client: 'alice', name: 'session ended' }).map((e) => e.args)).toEqual([['kicked']]);
  });
});
