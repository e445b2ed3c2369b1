import { describe, expect, it, vi } from 'vitest';
import { codes, createCloud } from 'agora-signaling-emulator';

const TOKEN = '_no_need_token';

/** A cloud with `accounts` logged in; `bob` may log in with reconnect settings. */
async function setup(options: { latency?: number; reconnect?: [number?, number?] } = {}) {
  const cloud = createCloud({ latency: options.latency ?? 20 });
  const signal = cloud.Signal('app');
  const alice = signal.login('alice', TOKEN);
  const bob = options.reconnect ? signal.login('bob', TOKEN, ...options.reconnect) : signal.login('bob', TOKEN);
  const states: number[] = [];
  const logins: number[] = [];
  const logouts: number[] = [];
  const failures: number[] = [];
  bob.onLoginSuccess = (uid: number) => logins.push(uid);
  bob.onLogout = (code: number) => logouts.push(code);
  bob.onLoginFailed = (code: number) => failures.push(code);
  await cloud.until(() => alice.getStatus() === 2 && bob.getStatus() === 2);
  cloud.log.subscribe(() => {
    if (states.at(-1) !== bob.getStatus()) states.push(bob.getStatus());
  });
  return { cloud, signal, alice, bob, states, logins, logouts, failures };
}

describe('a dropped connection (disconnect with how: close)', () => {
  it('reconnects within the window: state 3, then 2, and onLoginSuccess fires again', async () => {
    const { cloud, bob, logins, logouts, states } = await setup();
    cloud.net.disconnect('bob', { for: 3_000 });
    await cloud.advance(1);
    expect(bob.getStatus()).toBe(3);
    const entry = await cloud.until({ client: 'bob', name: 'onLoginSuccess' }, { within: 10_000 });
    expect(bob.getStatus()).toBe(2);
    expect(logins).toHaveLength(2);
    expect(logins[1]).toBe(logins[0]); // the uid belongs to the account
    expect(logouts).toEqual([]);
    expect(states).toEqual([2, 3, 2]); // bob's state at each log entry since the disconnect
    expect(entry.t - cloud.startTime).toBeGreaterThan(3_000);
    // A reconnect is a new server session: a new login, a new line.
    expect(cloud.log.filter({ kind: 'server', client: 'bob', name: 'session ended' }).map((e) => e.args)).toEqual([['disconnected']]);
  });

  it('does not re-join channels, and the Channel made before hears nothing after it', async () => {
    const { cloud, alice, bob } = await setup();
    const aliceRoom = alice.channelJoin('room')!;
    const bobRoom = bob.channelJoin('room')!;
    await cloud.until(() => aliceRoom.state === 'joined' && bobRoom.state === 'joined');
    bobRoom.onMessageChannelReceive = vi.fn();
    cloud.net.disconnect('bob', { for: 1_000 });
    await cloud.until({ client: 'bob', name: 'onLoginSuccess' });
    expect(cloud.channels('app')[0]!.members.map((m) => m.account)).toEqual(['alice']);
    aliceRoom.messageChannelSend('anyone?');
    await cloud.settle();
    expect(bobRoom.onMessageChannelReceive).not.toHaveBeenCalled();
  });

  it('retries after 200, 400, 800, 1600, then every 2000 ms, each attempt refused and logged', async () => {
    const { cloud } = await setup({ latency: 0 });
    const t0 = cloud.now();
    cloud.net.disconnect('bob');
    await cloud.advance(10_000);
    const attempts = cloud.log.filter({ kind: 'fault', client: 'bob', name: 'disconnect', args: ['up', 'connect'] });
    expect(attempts.every((e) => e.args[2] === 'refused')).toBe(true);
    expect(attempts.map((e) => e.t - t0)).toEqual([200, 600, 1400, 3000, 5000, 7000, 9000]);
  });

  it('past reconnect_count gives up with onLogout(102)', async () => {
    const { cloud, bob, logouts } = await setup({ reconnect: [3] });
    cloud.net.disconnect('bob');
    await cloud.settle();
    expect(logouts).toEqual([codes.LOGOUT_E_NET]);
    expect(bob.getStatus()).toBe(0);
    expect(cloud.log.count({ kind: 'fault', client: 'bob', args: ['up', 'connect', 'refused'] })).toBe(3);
  });

  it('reconnect_count 0 means the default, 10', async () => {
    const { cloud, logouts } = await setup({ reconnect: [0] });
    cloud.net.disconnect('bob');
    await cloud.settle();
    expect(logouts).toEqual([102]);
    expect(cloud.log.count({ kind: 'fault', client: 'bob', args: ['up', 'connect', 'refused'] })).toBe(10);
  });

  it('reconnect_time does not stop the retries: every failed attempt restarts its window (quirk of 1.4.0)', async () => {
    // reconnect_time 1000 ms, yet the SDK keeps trying for ~19 s, until reconnect_count runs out.
    const { cloud, logouts } = await setup({ latency: 0, reconnect: [10, 1_000] });
    const t0 = cloud.now();
    cloud.net.disconnect('bob');
    const end = await cloud.until({ client: 'bob', name: 'onLogout' }, { within: 60_000 });
    expect(logouts).toEqual([102]);
    expect(end.t - t0).toBe(200 + 400 + 800 + 1600 + 6 * 2_000);
    expect(cloud.log.count({ kind: 'fault', client: 'bob', args: ['up', 'connect', 'refused'] })).toBe(10);
  });

  it('reconnect_time does not stop a reconnect that succeeds after it either', async () => {
    const { cloud, bob, logins } = await setup({ latency: 0, reconnect: [10, 500] });
    cloud.net.disconnect('bob', { for: 5_000 });
    await cloud.settle();
    expect(bob.getStatus()).toBe(2);
    expect(logins).toHaveLength(2);
  });

  it('with unanswered attempts, each one ends at the 6 s connect timeout', async () => {
    const { cloud, logouts } = await setup({ latency: 0, reconnect: [2] });
    const t0 = cloud.now();
    cloud.net.disconnect('bob', { attempts: 'unanswered' });
    const end = await cloud.until({ client: 'bob', name: 'onLogout' }, { within: 60_000 });
    expect(logouts).toEqual([102]);
    // attempt 1 at 200 ms, times out at 6200; attempt 2 at 6200 + 400, times out 6 s later.
    expect(end.t - t0).toBe(200 + 6_000 + 400 + 6_000);
    expect(cloud.log.filter({ kind: 'fault', client: 'bob', args: ['up', 'connect'] }).map((e) => e.args[2])).toEqual(['unanswered', 'unanswered']);
  });

  it('each Session of one Signal keeps the reconnect settings it logged in with', async () => {
    const cloud = createCloud({ latency: 0 });
    const signal = cloud.Signal('app');
    const first = signal.login('ann', TOKEN);
    const twice = signal.login('ben', TOKEN, 2);
    const after = signal.login('cat', TOKEN);
    const again = signal.login('dan', TOKEN, 2);
    await cloud.until(() => [first, twice, after, again].every((s) => s.getStatus() === 2));
    const logouts: string[] = [];
    for (const s of [first, twice, after, again]) s.onLogout = () => logouts.push(s.account);
    for (const account of ['ann', 'ben', 'cat', 'dan']) cloud.net.disconnect(account);
    // Two refused attempts (200 and 400 ms apart) end ben's and dan's; ann and cat try on.
    await cloud.advance(5_000);
    expect(logouts.sort()).toEqual(['ben', 'dan']);
    expect([first, twice, after, again].map((s) => s.getStatus())).toEqual([3, 0, 3, 0]);
    for (const account of ['ann', 'cat']) cloud.net.reconnect(account);
    await cloud.advance(5_000);
    expect([first, after].map((s) => s.getStatus())).toEqual([2, 2]);
  });

  it('logging out while reconnecting does nothing (quirk of 1.4.0), and the reconnect goes on', async () => {
    const { cloud, bob, logins } = await setup();
    cloud.net.disconnect('bob', { for: 1_000 });
    await cloud.advance(10);
    bob.logout();
    expect(bob.getStatus()).toBe(3);
    await cloud.settle();
    expect(bob.getStatus()).toBe(2);
    expect(logins).toHaveLength(2);
  });
});

describe('a message sent to a peer during its disconnect', () => {
  it('is kept by the server (the sender gets cb(false)) and delivered after the reconnect', async () => {
    const { cloud, alice, bob } = await setup();
    const got: string[] = [];
    bob.onMessageInstantReceive = (from: string, _uid: number, msg: string) => got.push(`${from}: ${msg}`);
    cloud.net.disconnect('bob', { for: 2_000 });
    await cloud.advance(100);
    const cb = vi.fn();
    alice.messageInstantSend('bob', 'are you there?', cb);
    await cloud.advance(100);
    expect(cb).toHaveBeenCalledWith(false); // the server took it (stored for the offline peer)
    expect(got).toEqual([]);
    await cloud.until(() => got.length > 0, { within: 10_000 });
    expect(got).toEqual(['alice: are you there?']);
    expect(cloud.log.first({ kind: 'server', client: 'bob', name: 'message stored' })).toBeDefined();
  });

  it('is stored even when sent at the very instant of the disconnect: the server learns of it at once', async () => {
    const { cloud, alice, bob } = await setup({ latency: 0 });
    const got: string[] = [];
    bob.onMessageInstantReceive = (_from: string, _uid: number, msg: string) => got.push(msg);
    cloud.net.disconnect('bob', { for: 1_000 });
    alice.messageInstantSend('bob', 'same instant');
    await cloud.settle();
    expect(got).toEqual(['same instant']);
    expect(cloud.log.count({ kind: 'fault', name: 'link closed' })).toBe(0);
  });

  it('is lost if it was on its way down when the link broke, and the log names the fault', async () => {
    const { cloud, alice } = await setup({ latency: 200 });
    alice.messageInstantSend('bob', 'in flight');
    await cloud.advance(300); // up at 200 ms; the push to bob is on its way
    cloud.net.disconnect('bob', { for: 1_000 });
    await cloud.settle();
    expect(cloud.log.first({ kind: 'fault', client: 'bob', name: 'disconnect', args: ['down', 'msg instant', 'lost in flight'] })).toBeDefined();
  });

  it('is delivered when a hold on the peer\'s link is released', async () => {
    const { cloud, alice, bob } = await setup();
    const got: string[] = [];
    bob.onMessageInstantReceive = (_from: string, _uid: number, msg: string) => got.push(msg);
    const hold = cloud.net.hold({ account: 'bob', direction: 'down' });
    alice.messageInstantSend('bob', 'later');
    await cloud.advance(30_000);
    expect(got).toEqual([]);
    hold.release();
    await cloud.flush();
    expect(got).toEqual(['later']);
  });
});

describe('a broken connection (disconnect with how: error)', () => {
  it('logs out with onLogout(102) and does not reconnect (quirk of 1.4.0)', async () => {
    const { cloud, bob, logouts, logins } = await setup();
    cloud.net.disconnect('bob', { how: 'error', for: 1_000 });
    await cloud.settle();
    expect(logouts).toEqual([102]);
    expect(logins).toHaveLength(1);
    expect(bob.getStatus()).toBe(0);
    expect(cloud.log.count({ kind: 'fault', client: 'bob', args: ['up', 'connect'] })).toBe(0);
  });
});

describe('a refused re-login', () => {
  it('leaves the session at state 0 with no callback when onLoginFailed is set', async () => {
    const { cloud, bob, logouts, failures } = await setup();
    cloud.expireToken('bob');
    cloud.net.disconnect('bob', { for: 1_000 });
    await cloud.settle();
    expect(bob.getStatus()).toBe(0);
    expect(failures).toEqual([]);
    expect(logouts).toEqual([]);
    expect(cloud.log.first({ kind: 'server', client: 'bob', name: 'login refused' })?.args).toEqual(['TokenErrorExpired']);
  });

  it('leaves the session stuck at state 3 when onLoginFailed is not set', async () => {
    const { cloud, bob } = await setup();
    bob.onLoginFailed = '';
    cloud.expireToken('bob');
    cloud.net.disconnect('bob', { for: 1_000 });
    await cloud.settle();
    expect(bob.getStatus()).toBe(3);
  });

  it('happens when a real token expired on the virtual clock while the session was up', async () => {
    const cloud = createCloud();
    cloud.createApp({ appId: 'secure', certificate: 'cert' });
    const bob = cloud.Signal('secure').login('bob', cloud.token('secure', 'bob', { expiresIn: 60 }));
    bob.onLoginFailed = vi.fn();
    await cloud.until(() => bob.getStatus() === 2);
    await cloud.advance(120_000); // the token expired; the session is unaffected
    expect(bob.getStatus()).toBe(2);
    cloud.net.disconnect('bob', { for: 1_000 });
    await cloud.settle();
    expect(bob.getStatus()).toBe(0);
    expect(bob.onLoginFailed).not.toHaveBeenCalled();
  });
});

describe('connection attempts while the network is down', () => {
  it('a first login fails with onLoginFailed(201) when refused, with no retry', async () => {
    const cloud = createCloud();
    cloud.net.disconnect('bob');
    const bob = cloud.Signal('app').login('bob', TOKEN);
    bob.onLoginFailed = vi.fn();
    await cloud.settle();
    expect(bob.onLoginFailed).toHaveBeenCalledWith(codes.LOGIN_E_NET);
    expect(cloud.now() - cloud.startTime).toBe(0);
  });

  it('a first login fails with onLoginFailed(201) after the 6 s timeout when unanswered', async () => {
    const cloud = createCloud();
    cloud.net.disconnect('bob', { attempts: 'unanswered' });
    const bob = cloud.Signal('app').login('bob', TOKEN);
    bob.onLoginFailed = vi.fn();
    const entry = await cloud.until({ client: 'bob', name: 'onLoginFailed' }, { within: 10_000 });
    expect(entry.args).toEqual([201]);
    expect(entry.t - cloud.startTime).toBe(6_000);
  });
});

describe('an outage of the whole cloud', () => {
  it('drops every session; the SDKs reconnect when it ends', async () => {
    const { cloud, alice, bob, logins } = await setup();
    const aliceLogins = vi.fn();
    alice.onLoginSuccess = aliceLogins;
    cloud.outage(5_000);
    await cloud.advance(10);
    expect([alice.getStatus(), bob.getStatus()]).toEqual([3, 3]);
    expect(cloud.inspect().apps[0]!.online).toEqual([]);
    await cloud.settle();
    expect([alice.getStatus(), bob.getStatus()]).toEqual([2, 2]);
    expect(aliceLogins).toHaveBeenCalledTimes(1);
    expect(logins).toHaveLength(2);
    expect(cloud.log.filter({ kind: 'fault', client: '', name: 'outage' }).map((e) => e.args[0])).toEqual(['started', 'ended']);
    expect(cloud.log.first({ kind: 'fault', client: 'bob', name: 'outage', args: ['up', 'connect'] })?.args).toEqual(['up', 'connect', 'refused']);
  });

  it('can be ended early, and only one runs at a time', async () => {
    const { cloud, bob } = await setup();
    const outage = cloud.outage();
    expect(() => cloud.outage(1_000)).toThrow(/already under way/);
    await cloud.advance(3_000);
    expect(outage.active).toBe(true);
    outage.end();
    expect(outage.active).toBe(false);
    await cloud.settle();
    expect(bob.getStatus()).toBe(2);
  });
});

describe('disconnect and reconnect', () => {
  it('are a pair: reconnect brings the network back before the SDK gives up', async () => {
    const { cloud, bob } = await setup();
    cloud.net.disconnect('bob');
    await cloud.advance(3_000);
    cloud.net.reconnect('bob');
    await cloud.settle();
    expect(bob.getStatus()).toBe(2);
    expect(cloud.log.filter({ kind: 'fault', client: 'bob', name: 'reconnect' })).toHaveLength(1);
  });

  it('refuse misuse with a message that says what to do', async () => {
    const { cloud } = await setup();
    expect(() => cloud.net.reconnect('bob')).toThrow("Cannot reconnect 'bob': its network is not disconnected (disconnected: none)");
    cloud.net.disconnect('bob');
    expect(() => cloud.net.disconnect('bob')).toThrow(/already disconnected .*cloud\.net\.reconnect\('bob'\)/);
    expect(() => cloud.net.disconnect('alice', { how: 'reset' as never })).toThrow(/'how' must be 'close' or 'error'/);
    expect(() => cloud.net.disconnect('alice', { after: 1 } as never)).toThrow(/unknown option 'after'/);
  });
});
