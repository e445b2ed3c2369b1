import { describe, expect, it } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

// The cloud keeps one record per account name and app (the server's account, its session
// online, the log's session numbers). What each part of it shows stays in the order it was made.
describe('accounts', () => {
  it('lists the users online in the order they logged in, a second login of an account last', async () => {
    const cloud = createCloud();
    const signal = cloud.Signal('app');
    for (const account of ['alice', 'bob', 'carol']) signal.login(account, '_no_need_token');
    await cloud.flush();
    signal.login('alice', '_no_need_token');
    await cloud.flush();
    const online = cloud.inspect().apps[0]!.online;
    expect(online.map((u) => [u.account, u.uid])).toEqual([
      ['bob', 2],
      ['carol', 3],
      ['alice', 1],
    ]);
    expect(() => cloud.kick('dave')).toThrow("no session of 'dave' is logged in (online: bob, carol, alice)");
  });

  it("gives an account its uid when the server first needs it, not when an SDK Session first names it", async () => {
    const cloud = createCloud();
    const signal = cloud.Signal('app');
    // amy's Session never reaches the server: logged out before its socket opened.
    signal.login('amy', '_no_need_token').logout();
    const alice = signal.login('alice', '_no_need_token');
    await cloud.flush();
    alice.messageInstantSend('zed', 'to zed');
    alice.messageInstantSend('amy', 'to amy');
    await cloud.flush();
    expect(cloud.inspect().apps[0]!.storedMessages.map((m) => m.to)).toEqual(['zed', 'amy']);
    const amy = signal.login('amy', '_no_need_token');
    await cloud.flush();
    expect([alice.uid, amy.uid]).toEqual([1, 3]);
    expect(cloud.log.filter({ client: 'amy', name: 'login' }).map((e) => e.session)).toEqual([1, 2]);
  });

  it('keeps an account apart in each app, and numbers its Sessions across apps', async () => {
    const cloud = createCloud();
    const one = cloud.Signal('one');
    const two = cloud.Signal('two');
    one.login('bob', '_no_need_token');
    const aliceOne = one.login('alice', '_no_need_token');
    const aliceTwo = two.login('alice', '_no_need_token');
    await cloud.flush();
    expect([aliceOne.uid, aliceTwo.uid]).toEqual([2, 1]);
    expect(cloud.inspect().apps.map((a) => a.online.map((u) => u.account))).toEqual([['bob', 'alice'], ['alice']]);
    expect(cloud.log.filter({ client: 'alice', name: 'onLoginSuccess' }).map((e) => e.session)).toEqual([1, 2]);
    expect(() => cloud.kick('alice')).toThrow("it is logged in to several apps (one, two)");
    // A new login of alice to app two replaces only her session there.
    two.login('alice', '_no_need_token');
    await cloud.flush();
    expect(aliceOne.getStatus()).toBe(2);
    expect(aliceTwo.getStatus()).toBe(0);
    expect(cloud.log.filter({ client: 'alice', name: 'login' }).map((e) => e.session)).toEqual([1, 2, 3]);
  });
});
