import { describe, expect, it, vi } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

describe('logout() in its three 1.4.0 cases', () => {
  it('logged in with onLogout set: onLogout(101), state 0, the server lets the user go', async () => {
    const cloud = createCloud();
    const session = cloud.Signal('app').login('alice', '_no_need_token');
    await cloud.flush();
    const onLogout = vi.fn();
    session.onLogout = onLogout;
    session.logout();
    expect(onLogout).not.toHaveBeenCalled(); // asynchronous, like every callback but one
    await cloud.flush();
    expect(onLogout).toHaveBeenCalledWith(101);
    expect(session.getStatus()).toBe(0);
    expect(cloud.inspect().apps[0]!.online).toEqual([]);
  });

  it('logged in with no onLogout set: does nothing at all', async () => {
    const cloud = createCloud();
    const session = cloud.Signal('app').login('alice', '_no_need_token');
    await cloud.flush();
    session.logout();
    await cloud.advance(1000);
    expect(session.getStatus()).toBe(2);
    expect(cloud.inspect().apps[0]!.online.map((u) => u.account)).toEqual(['alice']);
  });

  it('while logging in: state 0 at once and no callback ever', async () => {
    const cloud = createCloud({ latency: 50 });
    const session = cloud.Signal('app').login('alice', '_no_need_token');
    session.onLoginSuccess = vi.fn();
    session.onLoginFailed = vi.fn();
    session.onLogout = vi.fn();
    session.logout();
    expect(session.getStatus()).toBe(0);
    await cloud.advance(1000);
    expect(cloud.log.callbacks('alice')).toEqual([]);
  });

  it('while logging in after the socket opened: state 0, but the login already sent still completes (quirk of 1.4.0)', async () => {
    const cloud = createCloud({ latency: 50 });
    const session = cloud.Signal('app').login('alice', '_no_need_token');
    session.onLoginSuccess = vi.fn();
    await cloud.advance(120); // socket open at 100, login on its way
    session.logout();
    expect(session.getStatus()).toBe(0);
    await cloud.advance(1000);
    expect(session.onLoginSuccess).toHaveBeenCalledTimes(1);
    expect(session.getStatus()).toBe(2);
  });

  it('a second logout after the first does nothing', async () => {
    const cloud = createCloud();
    const session = cloud.Signal('app').login('alice', '_no_need_token');
    await cloud.flush();
    session.onLogout = vi.fn();
    session.logout();
    session.logout();
    await cloud.flush();
    expect(session.onLogout).toHaveBeenCalledTimes(1);
  });
});
