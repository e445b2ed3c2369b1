import { describe, expect, it, vi } from 'vitest';
import { codes, createCloud, EmulatorError } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

describe('cloud.kick', () => {
  it('logs the session out with onLogout(103), and the log records the kick', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    sessions.bob!.onLogout = vi.fn();
    cloud.kick('bob');
    const entry = await cloud.until({ client: 'bob', name: 'onLogout' });
    expect(entry.args).toEqual([codes.LOGOUT_E_KICKED]);
    expect(sessions.bob!.getStatus()).toBe(0);
    expect(cloud.log.first({ kind: 'fault', client: 'bob', name: 'kick' })).toBeDefined();
    expect(cloud.inspect().apps[0]!.online.map((u) => u.account)).toEqual(['alice']);
  });

  it('names who is online when the account is not', async () => {
    const { cloud } = await loggedIn(['alice', 'carol']);
    expect(() => cloud.kick('bob')).toThrow(EmulatorError);
    expect(() => cloud.kick('bob')).toThrow("Cannot kick 'bob': no session of 'bob' is logged in (online: alice, carol)");
  });

  it('asks which app when the account is logged in to several', async () => {
    const cloud = createCloud();
    cloud.Signal('app-a').login('alice', '_no_need_token');
    const b = cloud.Signal('app-b').login('alice', '_no_need_token');
    await cloud.settle();
    expect(() => cloud.kick('alice')).toThrow(/logged in to several apps \(app-a, app-b\); say which with \{ appId \}/);
    b.onLogout = vi.fn();
    cloud.kick('alice', { appId: 'app-b' });
    await cloud.flush();
    expect(b.onLogout).toHaveBeenCalledWith(103);
    expect(() => cloud.kick('alice', { appId: 'app-c' })).toThrow(/there is no app 'app-c' \(apps: app-a, app-b\)/);
  });
});

describe('cloud.closeSession', () => {
  it('closes the session from the server: onLogout(102), and no reconnect', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const bob = sessions.bob!;
    bob.onLogout = vi.fn();
    bob.onLoginSuccess = vi.fn();
    cloud.closeSession('bob');
    await cloud.settle();
    expect(bob.onLogout).toHaveBeenCalledWith(codes.LOGOUT_E_NET);
    expect(bob.onLoginSuccess).not.toHaveBeenCalled();
    expect(bob.getStatus()).toBe(0);
    expect(cloud.log.first({ kind: 'server', client: 'bob', name: 'session ended' })?.args).toEqual(['closed']);
  });
});

describe('cloud.expireToken', () => {
  it("by default leaves the live session alone and refuses its next login with TokenErrorExpired (204)", async () => {
    const { cloud, sessions } = await loggedIn(['bob']);
    const bob = sessions.bob!;
    bob.onLogout = vi.fn();
    cloud.expireToken('bob');
    await cloud.advance(60_000);
    expect(bob.getStatus()).toBe(2);
    expect(bob.onLogout).not.toHaveBeenCalled();
    // A new login with the same token is refused.
    const again = cloud.Signal('app').login('bob', '_no_need_token');
    again.onLoginFailed = vi.fn();
    await cloud.flush();
    expect(again.onLoginFailed).toHaveBeenCalledWith(codes.LOGIN_E_TOKENEXPIRED);
    // A new token works.
    const renewed = cloud.Signal('app').login('bob', 'renewed-token');
    await cloud.flush();
    expect(renewed.getStatus()).toBe(2);
    expect(cloud.log.first({ kind: 'fault', name: 'expireToken' })?.args).toEqual(['next-login']);
  });

  it("with effect 'kick' logs the session out now with onLogout(103)", async () => {
    const { cloud, sessions } = await loggedIn(['bob']);
    sessions.bob!.onLogout = vi.fn();
    cloud.expireToken('bob', { effect: 'kick' });
    await cloud.flush();
    expect(sessions.bob!.onLogout).toHaveBeenCalledWith(103);
  });

  it("with effect 'close' logs the session out now with onLogout(102)", async () => {
    const { cloud, sessions } = await loggedIn(['bob']);
    sessions.bob!.onLogout = vi.fn();
    cloud.expireToken('bob', { effect: 'close' });
    await cloud.flush();
    expect(sessions.bob!.onLogout).toHaveBeenCalledWith(102);
  });

  it('refuses an unknown effect and an account that is not online', async () => {
    const { cloud } = await loggedIn(['bob']);
    expect(() => cloud.expireToken('bob', { effect: 'later' as never })).toThrow(/effect must be 'next-login', 'kick' or 'close'/);
    expect(() => cloud.expireToken('zoe')).toThrow("Cannot expire the token of 'zoe': no session of 'zoe' is logged in (online: bob)");
  });
});

describe('cloud.failNext', () => {
  it('refuses the next request of that name with the reason: messageInstantSend gets cb(true)', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    sessions.bob!.onMessageInstantReceive = vi.fn();
    cloud.failNext('user_sendmsg', { account: 'alice', reason: 'peer offline' });
    const first = vi.fn();
    const second = vi.fn();
    sessions.alice!.messageInstantSend('bob', 'refused', first);
    sessions.alice!.messageInstantSend('bob', 'accepted', second);
    await cloud.flush();
    expect(first).toHaveBeenCalledWith(true);
    expect(second).toHaveBeenCalledWith(false);
    expect(sessions.bob!.onMessageInstantReceive).toHaveBeenCalledTimes(1);
    expect(cloud.log.last({ kind: 'fault', name: 'failNext' })?.args).toEqual(['user_sendmsg', 'peer offline']);
  });

  it('hands the reason to an invoke callback, `times` times, then lets requests through', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const handle = cloud.failNext('user_query_user_status', { reason: 'busy', times: 2 });
    const results: string[] = [];
    for (let i = 0; i < 3; i++) {
      sessions.alice!.invoke('io.agora.signal.user_query_user_status', { account: 'alice' }, (err: string) => results.push(err));
    }
    await cloud.flush();
    expect(results).toEqual(['busy', 'busy', '']);
    expect(handle.remaining).toBe(0);
  });

  it('only counts the requests of the account it names', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const handle = cloud.failNext('user_sendmsg', { account: 'bob', reason: 'nope' });
    const cb = vi.fn();
    sessions.alice!.messageInstantSend('bob', 'fine', cb);
    await cloud.flush();
    expect(cb).toHaveBeenCalledWith(false);
    expect(handle.remaining).toBe(1);
    handle.remove();
    sessions.bob!.messageInstantSend('alice', 'fine too', cb);
    await cloud.flush();
    expect(cb).toHaveBeenLastCalledWith(false);
  });

  it("on 'login' refuses the login; 1.4.0 maps the reason to a code", async () => {
    const cloud = createCloud();
    const signal = cloud.Signal('app');
    const cases: Array<[string, number]> = [
      ['TokenErrorExpired', 204],
      ['TokenErrorWrong', 206],
      ['wrong account name', 209],
      ['kick', 207],
      ['server busy', 201],
    ];
    for (const [reason, code] of cases) {
      cloud.failNext('login', { account: 'bob', reason });
      const bob = signal.login('bob', '_no_need_token');
      bob.onLoginFailed = vi.fn();
      await cloud.flush();
      expect(bob.onLoginFailed).toHaveBeenCalledWith(code);
    }
  });

  it('names the requests the server knows when given an unknown one', () => {
    const cloud = createCloud();
    expect(() => cloud.failNext('user_sendmesg', { reason: 'x' })).toThrow(/handles no request of that name \(known: login, user_logout, .*user_sendmsg/);
    expect(() => cloud.failNext('login', {} as never)).toThrow(/reason must be a non-empty string/);
    expect(() => cloud.failNext('login', { reason: 'x', times: 0 })).toThrow(/times must be a whole number of at least 1/);
  });
});

describe('cloud.refuseLogin', () => {
  it('refuses the next login of the account with the reason', async () => {
    const cloud = createCloud();
    cloud.refuseLogin('bob', 'TokenErrorWrong');
    const signal = cloud.Signal('app');
    const bob = signal.login('bob', '_no_need_token');
    const alice = signal.login('alice', '_no_need_token');
    bob.onLoginFailed = vi.fn();
    await cloud.flush();
    expect(bob.onLoginFailed).toHaveBeenCalledWith(codes.LOGIN_E_TOKENWRONG);
    expect(alice.getStatus()).toBe(2);
    const retry = signal.login('bob', '_no_need_token');
    await cloud.flush();
    expect(retry.getStatus()).toBe(2);
    expect(cloud.log.first({ kind: 'server', client: 'bob', name: 'login refused' })?.args).toEqual(['TokenErrorWrong']);
  });

  it('refuses a reconnecting session silently: state 0, no callback (quirk of 1.4.0)', async () => {
    const { cloud, sessions } = await loggedIn(['bob']);
    const bob = sessions.bob!;
    bob.onLoginFailed = vi.fn();
    bob.onLogout = vi.fn();
    cloud.refuseLogin('bob', 'server busy');
    cloud.net.disconnect('bob', { for: 500 });
    await cloud.settle();
    expect(bob.getStatus()).toBe(0);
    expect(bob.onLoginFailed).not.toHaveBeenCalled();
    expect(bob.onLogout).not.toHaveBeenCalled();
  });
});
