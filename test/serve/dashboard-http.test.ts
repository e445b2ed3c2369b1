// The dashboard's HTTP side, without a browser: the page, the state, the event stream and the
// controls, on the wire server's own port.
import { afterEach, describe, expect, it } from 'vitest';
import { createCloud, type Cloud, type WireServer } from 'agora-signaling-emulator';
import { connect, type RawClient } from '../wire/raw-client.js';

let cloud: Cloud;
let server: WireServer;
const clients: RawClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await server.close();
  cloud.dispose();
});

async function start(options: { dashboard?: boolean } = { dashboard: true }): Promise<void> {
  cloud = createCloud({ clock: 'global' });
  server = await cloud.listen(options);
}

async function online(account: string): Promise<RawClient> {
  const client = await connect(server.url);
  clients.push(client);
  await client.login(account, { vid: 'app' });
  return client;
}

const post = (body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  fetch(`${server.dashboardUrl ?? server.lbsUrl + '/'}_dashboard/control`, { method: 'POST', headers, body: JSON.stringify(body) });

describe('cloud.listen({ dashboard: true })', () => {
  it('without the option, the port answers as before: no page, dashboardUrl undefined', async () => {
    await start({});
    expect(server.dashboardUrl).toBeUndefined();
    const res = await fetch(`${server.lbsUrl}/`);
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/^agora-signaling-emulator: this port speaks the Signaling 1\.4\.0 WebSocket protocol/);
    expect((await fetch(`${server.lbsUrl}/_dashboard/state`)).status).toBe(404);
  });

  it('serves a self-contained page at dashboardUrl: inline script and style, nothing fetched from elsewhere', async () => {
    await start();
    expect(server.dashboardUrl).toBe(`http://127.0.0.1:${server.port}/`);
    const res = await fetch(server.dashboardUrl!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<title>Signaling emulator · dashboard</title>');
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).toContain(server.url);
  });

  it('keeps the LBS and the WebSocket protocol on the same port', async () => {
    await start();
    const lbs = await fetch(`${server.lbsUrl}/getaddr?vid=app`);
    expect(await lbs.json()).toEqual({ web: [server.url] });
    await online('alice');
    expect(cloud.inspect().apps[0]!.online.map((u) => u.account)).toEqual(['alice']);
  });

  it('/_dashboard/state has the online users, channels with members and attributes, invites and the controls', async () => {
    await start();
    const alice = await online('alice');
    const bob = await online('bob');
    await alice.call2('channel_join', { name: 'lobby' });
    await bob.call2('channel_join', { name: 'lobby' });
    await alice.call2('channel_set_attr', { channel: 'lobby', name: 'topic', value: 'lunch' });
    await alice.call2('voip_invite', { channelName: 'room-1', peer: 'bob', extra: '{"_timeout":30}' });
    const state = await (await fetch(`${server.dashboardUrl}_dashboard/state`)).json();
    expect(state).toMatchObject({
      seed: 1,
      clock: 'global',
      wire: { url: server.url, connections: 2 },
      net: { latency: 0, rules: [], disconnected: [], outage: false, outageEndable: false },
      apps: [
        {
          appId: 'app',
          online: [{ account: 'alice', uid: 1 }, { account: 'bob', uid: 2 }],
          channels: [{ name: 'lobby', members: [{ account: 'alice' }, { account: 'bob' }], attrs: { topic: 'lunch' }, destroyAt: null }],
          invites: [{ caller: 'alice', callee: 'bob', channel: 'room-1', state: 'ringing', deadlineReason: 'timeout' }],
        },
      ],
    });
    const { deadline } = state.apps[0].invites[0];
    expect(deadline).toBeGreaterThan(state.now); // _timeout: 30 s from the invite
    expect(deadline).toBeLessThanOrEqual(state.now + 30_000);
    expect(state.controls).toEqual(['kick', 'closeSession', 'expireToken', 'disconnect', 'reconnect', 'latency', 'outage', 'endOutage']);
  });

  it('streams the recent log, then each entry and each wire request as it happens (Server-Sent Events)', async () => {
    await start();
    await online('alice');
    const res = await fetch(`${server.dashboardUrl}_dashboard/events`);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const until = async (needle: string): Promise<void> => {
      for (let i = 0; i < 100 && !text.includes(needle); i++) text += (await reader.read()).value ?? '';
      expect(text).toContain(needle);
    };
    await until('event: hello');
    await until('\n\n');
    const hello = JSON.parse(/event: hello\ndata: (.*)\n/.exec(text)![1]!);
    expect(hello.entries.filter((e: { kind: string }) => e.kind === 'wire').map((e: { name: string }) => e.name)).toEqual(['→ login', '← login_ret']);
    expect(hello.state.apps[0].online[0].account).toBe('alice');

    const bob = await online('bob');
    await bob.call2('user_sendmsg', { peer: 'zed', t: 'instant', content: 'hi', flag: 'v1:E:3600' });
    await until('"name":"message stored"');
    expect(text).toContain('"kind":"wire","name":"→ user_sendmsg"');
    await until('event: state');
    await reader.cancel();
  });

  it('a control kicks a user: onLogout(103) on the wire, the log says so', async () => {
    await start();
    const alice = await online('alice');
    const res = await post({ verb: 'kick', account: 'alice' });
    expect(await res.json()).toEqual({ ok: true, done: 'kicked alice' });
    await alice.next(([e]) => e === 'notify' || e === 'kick', 'the kick');
    expect(await alice.closed).toBe(1000);
    expect(cloud.log.filter({ client: 'alice', kind: ['server', 'fault'] }).map((e) => e.name)).toEqual(expect.arrayContaining(['kick', 'session ended']));
    expect(cloud.inspect().apps[0]!.online).toEqual([]);
  });

  it('a control that cannot be done answers 400 with what is wrong', async () => {
    await start();
    await online('alice');
    const kick = await post({ verb: 'kick', account: 'zed' });
    expect(kick.status).toBe(400);
    expect((await kick.json()).error).toMatch(/^Cannot kick 'zed': no session of 'zed' is logged in.*\(online: alice\)/);
    const unknown = await post({ verb: 'explode' });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toMatch(/^Failed to run a control: no control 'explode' here \(available: kick, .*disconnect/);
    const seconds = await post({ verb: 'outage', seconds: 0 });
    expect((await seconds.json()).error).toBe('Failed to start an outage: seconds must be more than 0 and at most 3600, got 0');
    const notJson = await fetch(`${server.dashboardUrl}_dashboard/control`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('takes controls only as JSON from its own page: a form post or another origin is refused', async () => {
    await start();
    await online('alice');
    const form = await fetch(`${server.dashboardUrl}_dashboard/control`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'verb=kick&account=alice',
    });
    expect(form.status).toBe(403);
    const foreign = await post({ verb: 'kick', account: 'alice' }, { 'Content-Type': 'application/json', Origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    const preflight = await fetch(`${server.dashboardUrl}_dashboard/control`, { method: 'OPTIONS', headers: { Origin: 'http://evil.example' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(cloud.inspect().apps[0]!.online.map((u) => u.account)).toEqual(['alice']);
  });

  it('closing the server ends open event streams, so close() does not wait for them', async () => {
    await start();
    const res = await fetch(`${server.dashboardUrl}_dashboard/events`);
    const reader = res.body!.getReader();
    await reader.read();
    await server.close();
    let done = false;
    for (let i = 0; i < 20 && !done; i++) done = (await reader.read()).done;
    expect(done).toBe(true);
  });
});
