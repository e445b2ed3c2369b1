import { describe, expect, it } from 'vitest';
import { codes, createCloud } from 'agora-signaling-emulator';

describe('a second login of the same account', () => {
  it('kicks the first session with onLogout(103) and logs the second in', async () => {
    const cloud = createCloud();
    const signal = cloud.Signal('app');
    const first = signal.login('alice', '_no_need_token');
    const logouts: number[] = [];
    first.onLogout = (code) => logouts.push(code);
    await cloud.flush();
    const second = signal.login('alice', '_no_need_token');
    await cloud.flush();
    expect(logouts).toEqual([codes.LOGOUT_E_KICKED]);
    expect(first.getStatus()).toBe(0);
    expect(second.getStatus()).toBe(2);
    expect(cloud.inspect().apps[0]!.online).toHaveLength(1);
    expect(cloud.log.first({ kind: 'server', name: 'kick', client: 'alice' })).toBeDefined();
  });

  it('tells the log which session is which', async () => {
    const cloud = createCloud();
    const signal = cloud.Signal('app');
    signal.login('alice', '_no_need_token');
    await cloud.flush();
    signal.login('alice', '_no_need_token');
    await cloud.flush();
    expect(cloud.log.first({ name: 'onLogout' })?.session).toBe(1);
    expect(cloud.log.last({ name: 'onLoginSuccess' })?.session).toBe(2);
  });

  it('in another app is a different account', async () => {
    const cloud = createCloud();
    const a = cloud.Signal('app-a').login('alice', '_no_need_token');
    const b = cloud.Signal('app-b').login('alice', '_no_need_token');
    await cloud.flush();
    expect([a.getStatus(), b.getStatus()]).toEqual([2, 2]);
  });
});
