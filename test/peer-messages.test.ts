import { describe, expect, it, vi } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

describe('peer messages', () => {
  it('reach the peer as onMessageInstantReceive(account, uid, msg) and the sender gets cb(false)', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const received = vi.fn();
    sessions.bob!.onMessageInstantReceive = received;
    const cb = vi.fn();
    sessions.alice!.messageInstantSend('bob', 'hello', cb);
    await cloud.flush();
    expect(received).toHaveBeenCalledWith('alice', sessions.alice!.uid, 'hello');
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
    expect(sessions.alice!.onMessageInstantReceive).toHaveBeenCalledWith('alice', sessions.alice!.uid, 'note to self');
  });

  it('sent before login are dropped and the log says why', async () => {
    const cloud = createCloud();
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    const cb = vi.fn();
    alice.messageInstantSend('bob', 'too early', cb);
    await cloud.flush();
    expect(cb).not.toHaveBeenCalled();
    expect(cloud.log.first({ kind: 'fault', name: 'request dropped' })?.args).toEqual(['user_sendmsg', 'not connected']);
  });
});
