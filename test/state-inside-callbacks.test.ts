// The state an app sees inside onLoginFailed and onLogout: 1.4.0's fire_login_failed and
// fire_logout call the app inside `try { … } finally { _(0) }`, so the state becomes 0 only
// after the callback returns, and what the app calls there acts in the state before.
// test/parity/state-inside-callbacks.test.ts runs the same scenarios against the real SDK.
import { describe, expect, it } from 'vitest';
import { createCloud, type Cloud, type Session } from 'agora-signaling-emulator';

/** A cloud with `alice` logged in; `inside` records what `alice.onLogout` sees. */
async function aliceLoggedIn(options: Parameters<typeof createCloud>[0] = {}): Promise<{ cloud: Cloud; alice: Session; seen: unknown[][] }> {
  const cloud = createCloud(options);
  const alice = cloud.Signal('app').login('alice', '_no_need_token', 2);
  const seen: unknown[][] = [];
  alice.onLogout = (code) => seen.push(['onLogout', code, alice.getStatus(), alice.state]);
  await cloud.until(() => alice.getStatus() === 2);
  return { cloud, alice, seen };
}

describe('state inside onLoginFailed and onLogout is the state before, as in 1.4.0', () => {
  it('state inside onLoginFailed(206) is 1, and 0 after it returns', async () => {
    const cloud = createCloud();
    cloud.refuseLogin('alice', 'TokenErrorWrong');
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    const seen: unknown[] = [];
    alice.onLoginFailed = (code) => seen.push(code, alice.getStatus());
    await cloud.until(() => seen.length > 0);
    expect(seen).toEqual([206, 1]);
    expect(alice.getStatus()).toBe(0);
  });

  it('state inside onLogout(101) after logout() is 2', async () => {
    const { cloud, alice, seen } = await aliceLoggedIn();
    alice.logout();
    await cloud.until(() => seen.length > 0);
    expect(seen).toEqual([['onLogout', 101, 2, 2]]);
    expect(alice.getStatus()).toBe(0);
  });

  it('state inside onLogout(103) after a kick is 2', async () => {
    const { cloud, alice, seen } = await aliceLoggedIn();
    cloud.kick('alice');
    await cloud.until(() => seen.length > 0);
    expect(seen).toEqual([['onLogout', 103, 2, 2]]);
    expect(alice.getStatus()).toBe(0);
  });

  it('state inside onLogout(102) when the server closes is 2', async () => {
    const { cloud, alice, seen } = await aliceLoggedIn();
    cloud.closeSession('alice');
    await cloud.until(() => seen.length > 0);
    expect(seen).toEqual([['onLogout', 102, 2, 2]]);
    expect(alice.getStatus()).toBe(0);
  });

  it('state inside onLogout(102) when the socket fails is 2', async () => {
    const { cloud, alice, seen } = await aliceLoggedIn();
    cloud.net.disconnect('alice', { how: 'error' });
    await cloud.until(() => seen.length > 0);
    expect(seen).toEqual([['onLogout', 102, 2, 2]]);
  });

  it('state inside onLogout(102) after the retries ran out is 3', async () => {
    const { cloud, alice, seen } = await aliceLoggedIn();
    cloud.net.disconnect('alice');
    await cloud.until(() => seen.length > 0, { within: 60_000 });
    expect(seen).toEqual([['onLogout', 102, 3, 3]]);
    expect(alice.getStatus()).toBe(0);
  });

  it('logout() inside onLogout(103) still acts as logged in: it sends user_logout', async () => {
    const { cloud, alice } = await aliceLoggedIn();
    alice.onLogout = () => alice.logout();
    cloud.kick('alice');
    await cloud.advance(1000);
    // The kicked socket is closed by then: the request is dropped, and the log says which (in
    // state 0, logout() would send nothing at all).
    expect(cloud.log.filter({ client: 'alice', kind: 'fault', name: 'request dropped', args: ['user_logout'] })).toHaveLength(1);
    expect(alice.getStatus()).toBe(0);
  });

  it('channelJoin() inside onLogout(103) returns a Channel (state 2), not undefined', async () => {
    const { cloud, alice } = await aliceLoggedIn();
    const joined: unknown[] = [];
    alice.onLogout = () => joined.push(alice.channelJoin('room')?.name);
    cloud.kick('alice');
    await cloud.advance(1000);
    expect(joined).toEqual(['room']);
  });

  it('channelJoin() inside onLogout(102) after the retries ran out returns undefined (state 3)', async () => {
    const { cloud, alice } = await aliceLoggedIn();
    const joined: unknown[] = [];
    alice.onLogout = () => joined.push(alice.getStatus(), alice.channelJoin('room'));
    cloud.net.disconnect('alice');
    await cloud.until(() => joined.length > 0, { within: 60_000 });
    expect(joined).toEqual([3, undefined]);
  });

  it('logout() inside onLoginFailed (state 1) sets state 0 and fires nothing more', async () => {
    const cloud = createCloud();
    cloud.refuseLogin('alice', 'TokenErrorWrong');
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    const seen: unknown[] = [];
    alice.onLogout = () => seen.push('onLogout');
    alice.onLoginFailed = (code) => {
      alice.logout();
      seen.push(code, alice.getStatus());
    };
    await cloud.advance(1000);
    expect(seen).toEqual([206, 0]);
  });
});
