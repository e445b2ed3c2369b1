// The dashboard's controls are the Cloud's own verbs, and they reach the connections the wire
// server serves: a latency rule delays wire frames, a disconnected account cannot log in over
// the wire until it is reconnected, an outage drops and refuses every WebSocket. The real SDK
// 1.4.0 (in Node) shows what an app sees.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCloud, type Cloud, type Session, type WireServer } from 'agora-signaling-emulator';
import { useRealSdk } from '../parity/use-real-sdk.js';
import { connect, type RawClient } from '../wire/raw-client.js';

const realSdk = useRealSdk();
let cloud: Cloud;
let server: WireServer;
const clients: RawClient[] = [];

afterEach(async () => {
  realSdk.stopSessions();
  for (const c of clients.splice(0)) c.ws.terminate();
  await server.close();
  cloud.dispose();
  expect(realSdk.errors).toEqual([]);
});

async function start(): Promise<void> {
  cloud = createCloud({ clock: 'global' });
  server = await cloud.listen({ dashboard: true });
}

function realLogin(account: string): Session {
  return realSdk.login(server.url, account);
}

async function raw(account: string): Promise<RawClient> {
  const client = await connect(server.url);
  clients.push(client);
  await client.login(account);
  return client;
}

const control = async (body: Record<string, unknown>) =>
  (await fetch(`${server.dashboardUrl}_dashboard/control`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json();
const dashboardState = async () => (await fetch(`${server.dashboardUrl}_dashboard/state`)).json();

const waitFor = (check: () => void, timeout = 3000) => vi.waitFor(check, { timeout, interval: 10 });
const faults = () => cloud.log.filter({ kind: 'fault' }).map((e) => [e.client, e.name, ...e.args]);
const isMsg = ([e, p]: [string, unknown]) => e === 'notify' && (p as unknown[])[0] === 'recvmsg';

describe('latency', () => {
  it('a latency rule holds every wire frame both ways, and keeps them in order', async () => {
    await start();
    const alice = await raw('alice');
    const bob = await raw('bob');
    expect(await control({ verb: 'latency', ms: 150 })).toEqual({ ok: true, done: 'latency 150 ms each way' });
    expect((await dashboardState()).net).toMatchObject({ latency: 150, rules: ['latency'] });
    const sent = Date.now();
    const replies = ['one', 'two', 'three'].map((content) => alice.call2('user_sendmsg', { peer: 'bob', t: 'instant', content }));
    expect(await Promise.all(replies)).toEqual([
      ['', '{"result":"ok"}'],
      ['', '{"result":"ok"}'],
      ['', '{"result":"ok"}'],
    ]);
    // A round trip: up and down, each held for the latency (timers never fire early by more than a ms).
    expect(Date.now() - sent).toBeGreaterThanOrEqual(2 * 150 - 5);
    await bob.next((f) => isMsg(f) && JSON.stringify(f[1]).includes('three'), 'the third message');
    const got = (bob.frames as Array<[string, unknown]>).filter(isMsg).map(([, p]) => JSON.parse(String((p as unknown[])[1]))[1].split(' ').at(-1));
    expect(got).toEqual(['one', 'two', 'three']);
    expect(await control({ verb: 'latency', ms: 0 })).toEqual({ ok: true, done: 'latency removed' });
    expect(cloud.net.inspect().rules).toEqual([]);
    expect(faults()).toEqual([
      ['', 'latency', 'installed', { ms: 150 }],
      ['', 'latency', 'removed'],
    ]);
  });
});

describe('disconnect', () => {
  it("drops the account's WebSocket; 1.4.0 retries, is refused at its login while the network is down, and is back in after", async () => {
    await start();
    const alice = realLogin('alice');
    const logins: number[] = [];
    alice.onLoginSuccess = (uid: number) => logins.push(uid);
    await waitFor(() => expect(alice.getStatus()).toBe(2));
    expect(await control({ verb: 'disconnect', account: 'alice', seconds: 1 })).toEqual({ ok: true, done: 'disconnected alice for 1 s' });
    await waitFor(() => expect(alice.getStatus()).toBe(3)); // reconnecting
    expect((await dashboardState()).net.disconnected).toEqual(['alice']);
    await waitFor(() => expect(logins).toEqual([1, 1]), 5000); // onLoginSuccess again, same uid
    const seen = faults();
    expect(seen[0]?.slice(0, 2)).toEqual(['alice', 'disconnect']);
    expect(seen).toContainEqual(['alice', 'disconnect', 'up', 'login (wire)', 'refused']); // a retry inside the second
    expect(seen.at(-1)).toEqual(['alice', 'reconnect']);
  });

  it('Reconnect ends it early; a second disconnect of the same account is refused with why', async () => {
    await start();
    await raw('alice');
    await control({ verb: 'disconnect', account: 'alice', seconds: 60 });
    expect((await control({ verb: 'disconnect', account: 'alice', seconds: 5 })).error).toMatch(/^Cannot disconnect 'alice': it is already disconnected/);
    const refused = await connect(server.url);
    clients.push(refused);
    refused.send('login', { vid: 'app', account: 'alice', uid: 0, token: '_no_need_token', device: 'websdk', ip: '' });
    expect(await refused.closed).not.toBe(1000); // failed as a broken network fails it
    expect(refused.frames).toEqual([]);
    expect(await control({ verb: 'reconnect', account: 'alice' })).toEqual({ ok: true, done: 'reconnected alice' });
    await raw('alice');
    expect(cloud.inspect().apps[0]!.online.map((u) => u.account)).toEqual(['alice']);
  });
});

describe('outage', () => {
  it('drops every WebSocket and refuses new ones with 503 until it is ended', async () => {
    await start();
    const alice = await raw('alice');
    const bob = await raw('bob');
    expect(await control({ verb: 'outage', seconds: 30 })).toEqual({ ok: true, done: 'outage for 30 s' });
    expect(await alice.closed).toBe(1006);
    expect(await bob.closed).toBe(1006);
    await expect(connect(server.url)).rejects.toThrow(/Unexpected server response: 503/);
    // The dashboard itself stays up.
    const state = await dashboardState();
    expect(state.net).toMatchObject({ outage: true, outageEndable: true });
    expect(state.apps[0].online).toEqual([]);

    expect(await control({ verb: 'endOutage' })).toEqual({ ok: true, done: 'outage ended' });
    await raw('alice');
    const seen = faults();
    expect(seen[0]?.slice(0, 3)).toEqual(['', 'outage', 'started']);
    expect(seen).toContainEqual(['alice', 'connection lost', 1006, 'connection 1']);
    expect(seen).toContainEqual(['bob', 'connection lost', 1006, 'connection 2']);
    expect(seen).toContainEqual(['', 'outage', 'up', 'connect (wire)', 'refused']);
    expect(seen.at(-1)).toEqual(['', 'outage', 'ended']);
    expect((await control({ verb: 'endOutage' })).error).toBe('Cannot end the outage: there is none');
  });

  it('the real SDK reconnects by itself once a short outage is over', async () => {
    await start();
    const alice = realLogin('alice');
    const logins: number[] = [];
    alice.onLoginSuccess = (uid: number) => logins.push(uid);
    await waitFor(() => expect(alice.getStatus()).toBe(2));
    await control({ verb: 'outage', seconds: 1 });
    await waitFor(() => expect(alice.getStatus()).toBe(3));
    await waitFor(() => expect(logins).toEqual([1, 1]), 5000);
    expect(faults().filter(([, name, what]) => name === 'outage' && (what === 'started' || what === 'ended')).map(([, , what]) => what)).toEqual(['started', 'ended']);
  });
});

describe('the service verbs', () => {
  it('expire a token and close a session through the Cloud', async () => {
    cloud = createCloud({ clock: 'global', apps: [{ appId: 'secure', certificate: 'cert' }] });
    server = await cloud.listen({ dashboard: true });
    const alice = await connect(server.url);
    clients.push(alice);
    await alice.login('alice', { vid: 'secure', token: cloud.token('secure', 'alice') });
    expect(await control({ verb: 'expireToken', account: 'alice', effect: 'kick' })).toEqual({ ok: true, done: 'expired the token of alice (kick)' });
    expect(await alice.closed).toBe(1000);
    const bob = await raw('bob');
    expect(await control({ verb: 'closeSession', account: 'bob' })).toEqual({ ok: true, done: 'closed the session of bob' });
    await bob.next(([e]) => e === 'close', 'the close');
    expect(cloud.log.filter({ kind: 'fault', name: ['expireToken', 'closeSession'] }).map((e) => [e.client, e.name])).toEqual([
      ['alice', 'expireToken'],
      ['bob', 'closeSession'],
    ]);
  });
});
