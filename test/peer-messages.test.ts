import { describe, expect, it, vi } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

describe('peer messages', () => {
  it('reach the peer as onMessageInstantReceive(account, 0, msg) and the sender gets cb(false)', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const received = vi.fn();
    sessions.bob!.onMessageInstantReceive = received;
    const cb = vi.fn();
    sessions.alice!.messageInstantSend('bob', 'hello', cb);
    await cloud.flush();
    // Quirk of 1.4.0: the uid argument is always 0.
    expect(received).toHaveBeenCalledWith('alice', 0, 'hello');
    expect(cb).toHaveBeenCalledWith(false);
  });

  it('keep their order', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob'], { latency: 30 });
    const got: string[] = [];
    sessions.bob!.onMessageInstantReceive = (_a, _u, m) => got.push(m);
    for (let i = 0; i < 20; i++) sessions.alice!.messageInstantSend('bob', `m${i}`);
    await cloud.advance(100);
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
  });

  it('to an offline peer are kept and delivered at its next login, after onLoginSuccess', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const cb = vi.fn();
    sessions.alice!.messageInstantSend('bob', 'while you were out', cb);
    await cloud.advance(60_000);
    expect(cb).toHaveBeenCalledWith(false);
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    const order: string[] = [];
    bob.onLoginSuccess = () => order.push('login');
    bob.onMessageInstantReceive = (from, _uid, msg) => order.push(`${from}: ${msg}`);
    await cloud.flush();
    expect(order).toEqual(['login', 'alice: while you were out']);
  });

  it('to an offline peer are discarded after the 3600 s of the SDK flag, and the log says so', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    sessions.alice!.messageInstantSend('bob', 'too late');
    await cloud.advance(3600_000 + 1);
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    bob.onMessageInstantReceive = vi.fn();
    await cloud.flush();
    expect(bob.onMessageInstantReceive).not.toHaveBeenCalled();
    expect(cloud.log.first({ kind: 'server', name: 'stored message expired', client: 'bob' })?.args).toEqual(['alice', 'instant']);
  });

  it('larger than 8 KB are refused: cb(true), nothing delivered', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    sessions.bob!.onMessageInstantReceive = vi.fn();
    const cb = vi.fn();
    sessions.alice!.messageInstantSend('bob', 'x'.repeat(8 * 1024 + 1), cb);
    await cloud.flush();
    expect(cb).toHaveBeenCalledWith(true);
    expect(sessions.bob!.onMessageInstantReceive).not.toHaveBeenCalled();
    expect(cloud.log.first({ kind: 'server', name: 'refused' })?.args).toEqual(['user_sendmsg', 'message too long']);
  });

  it('of exactly 8 KB (counted in UTF-8 bytes) go through', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const cb = vi.fn();
    sessions.alice!.messageInstantSend('bob', 'é'.repeat(4096), cb);
    sessions.alice!.messageInstantSend('bob', `${'é'.repeat(4096)}x`, cb);
    await cloud.flush();
    expect(cb.mock.calls).toEqual([[false], [true]]);
  });

  it('to oneself are delivered too', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    sessions.alice!.onMessageInstantReceive = vi.fn();
    sessions.alice!.messageInstantSend('alice', 'note to self');
    await cloud.flush();
    expect(sessions.alice!.onMessageInstantReceive).toHaveBeenCalledWith('alice', 0, 'note to self');
  });

  it('sent before login_ret go out behind the login on the same socket (1.4.0 checks no state)', async () => {
    const cloud = createCloud({ latency: 10, apps: [{ appId: 'secure', certificate: 'cert' }] });
    const good = cloud.Signal('app').login('alice', '_no_need_token');
    const bad = cloud.Signal('secure').login('mallory', 'forged');
    bad.onLoginFailed = () => {};
    await cloud.advance(20); // both sockets open; the logins are on their way
    const cb = vi.fn();
    good.messageInstantSend('bob', 'early', cb);
    bad.messageInstantSend('bob', 'early', cb);
    await cloud.advance(100);
    expect(cb.mock.calls).toEqual([[false], [true]]); // mallory's login was refused, so her message too
  });

  it('sent after logout are dropped on the closed socket: no cb, and the log says why', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const alice = sessions.alice!;
    alice.onLogout = () => {};
    alice.logout();
    await cloud.flush();
    const cb = vi.fn();
    alice.messageInstantSend('bob', 'too late', cb);
    await cloud.flush();
    expect(cb).not.toHaveBeenCalled();
    expect(cloud.log.first({ kind: 'fault', name: 'request dropped' })?.args).toEqual(['user_sendmsg', 'socket closed']);
  });

  it('a cb that throws escapes as an uncaught error, as 1.4.0 leaves cb unguarded', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const uncaught = new Promise<unknown>((resolve) => {
      const listeners = process.listeners('uncaughtException');
      process.removeAllListeners('uncaughtException');
      process.once('uncaughtException', (error) => {
        for (const l of listeners) process.on('uncaughtException', l);
        resolve(error);
      });
    });
    sessions.alice!.messageInstantSend('bob', 'hi', () => {
      throw new Error('bug in cb');
    });
    await cloud.flush();
    expect(String(await uncaught)).toBe('Error: bug in cb');
    expect(cloud.log.last({ name: 'messageInstantSend:cb' })?.error).toBe('Error: bug in cb');
  });
});
