// The dashboard's network controls act on the connections the wire server serves: latency on
// every frame, one account's network down for a while, an outage of the whole server. The real
// SDK 1.4.0 (in Node) shows what an app sees.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCloud, type Cloud, type Session, type WireServer } from 'agora-signaling-emulator';
import { guardUncaught, installGlobals, loadSdk, quietUrlLogs, stopRealSession, type RealSignalFactory } from '../parity/real-sdk.js';
import { connect, type RawClient } from '../wire/raw-client.js';

let RealSignal: RealSignalFactory;
let restore: Array<() => void> = [];
let guard: ReturnType<typeof guardUncaught>;
let cloud: Cloud;
let server: WireServer;
const realSessions: Session[] = [];
const clients: RawClient[] = [];

beforeAll(() => {
  restore = [installGlobals(), quietUrlLogs()];
  guard = guardUncaught();
  RealSignal = loadSdk();
});
afterAll(() => {
  guard.remove();
  for (const r of restore) r();
});
afterEach(async () => {
  for (const s of realSessions.splice(0)) stopRealSession(s);
  for (const c of clients.splice(0)) c.ws.terminate();
  await server.close();
  cloud.dispose();
  expect(guard.errors).toEqual([]);
});

async function start(): Promise<void> {
  cloud = createCloud({ clock: 'global' });
  server = await cloud.listen({ dashboard: true });
}

function realLogin(account: string): Session {
  const signal = RealSignal('app');
  signal.setup_debugging('ap_url', server.url);
  const session = signal.login(account, '_no_need_token');
  realSessions.push(session);
  return session;
}

async function raw(account: string): Promise<RawClient> {
  const client = await connect(server.url);
  clients.push(client);
  await client.login(account);
  return client;
}

const control = async (body: Record<string, unknown>) =>
  (await fetch(`${server.dashboardUrl}_dashboard/control`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json();

const waitFor = (check: () => void, timeout = 3000) => vi.waitFor(check, { timeout, interval: 10 });
const faults = () => cloud.log.filter({ kind: 'fault' }).map((e) => [e.client, e.name, ...e.args]);

describe('wire latency', () => {
  it('holds every frame both ways for the latency, and keeps them in order', async () => {
    await start();
    const alice = await raw('alice');
    const bob = await raw('bob');
    expect(await control({ verb: 'latency', ms: 150 })).toEqual({ ok: true, done: 'latency 150 ms each way' });
    const sent = Date.now();
    const replies = ['one', 'two', 'three'].map((content) => alice.call2('user_sendmsg', { peer: 'bob', t: 'instant', content }));
    expect(await Promise.all(replies)).toEqual([
      ['', '{"result":"ok"}'],
      ['', '{"result":"ok"}'],
      ['', '{"result":"ok"}'],
    ]);
    // A round trip: up and down, each at least the latency (timers never fire early by more than a ms).
    expect(Date.now() - sent).toBeGreaterThanOrEqual(2 * 150 - 5);
    const isMsg = ([e, p]: [string, unknown]) => e === 'notify' && (p as unknown[])[0] === 'recvmsg';
    await bob.next((f) => isMsg(f) && JSON.stringify(f[1]).includes('three'), 'the third message');
    const got = (bob.frames as Array<[string, unknown]>).filter(isMsg).map(([, p]) => JSON.parse(String((p as unknown[])[1]))[1].split(' ').at(-1));
    expect(got).toEqual(['one', 'two', 'three']);
    expect(await control({ verb: 'latency', ms: 0 })).toEqual({ ok: true, done: 'latency removed' });
    expect(faults()).toEqual([
      ['', 'latency', 150, 'wire'],
      ['', 'latency', 0, 'wire'],
    ]);
  });
});

describe('a wire disconnect', () => {
  it("drops the account's connection; 1.4.0 retries, is refused while the network is down, and is back in after", async () => {
    await start();
    const alice = realLogin('alice');
    const logins: number[] = [];
    alice.onLoginSuccess = (uid: number) => logins.push(uid);
    await waitFor(() => expect(alice.getStatus()).toBe(2));
    expect(await control({ verb: 'disconnect', account: 'alice', seconds: 1 })).toEqual({ ok: true, done: 'disconnected alice for 1 s' });
    await waitFor(() => expect(alice.getStatus()).toBe(3)); // reconnecting
    expect(cloud.inspect().apps[0]!.online).toEqual([]);
    await waitFor(() => expect(logins).toEqual([1, 1]), 5000); // onLoginSuccess again, same uid
    const names = faults().map(([client, name]) => `${client} ${name}`);
    expect(names[0]).toBe('alice disconnect');
    expect(names).toContain('alice connection failed'); // a retry inside the second
    expect(names.at(-1)).toBe('alice reconnect');
  });

  it('can be ended early, and refuses a second disconnect of the same account', async () => {
    await start();
    await raw('alice');
    await control({ verb: 'disconnect', account: 'alice', seconds: 60 });
    expect((await control({ verb: 'disconnect', account: 'alice', seconds: 5 })).error).toMatch(/^Cannot disconnect 'alice': it is already disconnected \(until /);
    const refused = await connect(server.url);
    clients.push(refused);
    refused.send('login', { vid: 'app', account: 'alice', uid: 0, token: '_no_need_token', device: 'websdk', ip: '' });
    expect(await refused.closed).toBe(1006); // failed as a broken network fails it
    expect(await control({ verb: 'reconnect', account: 'alice' })).toEqual({ ok: true, done: 'reconnected alice' });
    const back = await raw('alice');
    expect((back.frames as Array<[string, unknown]>).some(([e]) => e === 'login_ret')).toBe(true);
    expect(cloud.inspect().apps[0]!.online.map((u) => u.account)).toEqual(['alice']);
  });
});

describe('a wire outage', () => {
  it('drops every connection and refuses WebSockets and LBS lookups with 503 until it is over', async () => {
    await start();
    const alice = await raw('alice');
    const bob = await raw('bob');
    expect(await control({ verb: 'outage', seconds: 30 })).toEqual({ ok: true, done: 'outage for 30 s' });
    expect(await alice.closed).toBe(1006);
    expect(await bob.closed).toBe(1006);
    await expect(connect(server.url)).rejects.toThrow(/Unexpected server response: 503/);
    expect((await fetch(`${server.lbsUrl}/getaddr?vid=app`)).status).toBe(503);
    // The dashboard itself stays up.
    const state = await (await fetch(`${server.dashboardUrl}_dashboard/state`)).json();
    expect(state.wire.outageUntil).toBeGreaterThan(state.realNow);
    expect(state.apps[0].online).toEqual([]);

    expect(await control({ verb: 'endOutage' })).toEqual({ ok: true, done: 'outage ended' });
    await raw('alice');
    const seen = faults().map(([client, name, what]) => [client, name, what]);
    expect(seen[0]).toEqual(['', 'outage', 'started']);
    // The two sockets close in whatever order the network reports them.
    expect(seen.slice(1, 3)).toEqual(expect.arrayContaining([['alice', 'connection lost', 1006], ['bob', 'connection lost', 1006]]));
    expect(seen.slice(3)).toEqual([
      ['', 'connection failed', 'outage'],
      ['', 'lbs unavailable', 'app'],
      ['', 'outage', 'ended'],
    ]);
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
    expect(faults().filter(([, name]) => name === 'outage').map(([, , what]) => what)).toEqual(['started', 'ended']);
  });
});
