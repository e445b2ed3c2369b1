import { describe, expect, it, vi } from 'vitest';
import { loggedIn } from './helpers.js';

describe('invoke', () => {
  it('user_query_user_status answers status 1 online, 0 offline', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const cb = vi.fn();
    sessions.alice!.invoke('io.agora.signal.user_query_user_status', { account: 'bob' }, cb);
    sessions.alice!.invoke('io.agora.signal.user_query_user_status', { account: 'nobody' }, cb);
    await cloud.flush();
    expect(cb.mock.calls[0]![0]).toBe('');
    expect(cb.mock.calls[0]![1]).toMatchObject({ result: 'ok', status: 1 });
    expect(cb.mock.calls[1]![1]).toMatchObject({ status: 0 });
  });

  it('user attributes are set by their owner and read by anyone, one or all', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const cb = vi.fn();
    sessions.alice!.invoke('io.agora.signal.user_set_attr', { name: 'mood', value: 'sunny' }, cb);
    sessions.alice!.invoke('io.agora.signal.user_set_attr', { name: 'city', value: 'Oslo' }, cb);
    sessions.bob!.invoke('io.agora.signal.user_get_attr', { account: 'alice', name: 'mood' }, cb);
    sessions.bob!.invoke('io.agora.signal.user_get_attr', { account: 'alice', name: 'none' }, cb);
    sessions.bob!.invoke('io.agora.signal.user_get_attr_all', { account: 'alice' }, cb);
    await cloud.flush();
    expect(cb.mock.calls.map((c) => c[0])).toEqual(['', '', '', '', '']);
    expect(cb.mock.calls[2]![1]).toMatchObject({ value: 'sunny' });
    expect(cb.mock.calls[3]![1]).toMatchObject({ value: null });
    expect(cb.mock.calls[4]![1]).toMatchObject({ value: { mood: 'sunny', city: 'Oslo' } });
  });

  it('writes args.line into the caller\'s object, as 1.4.0 does', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const args: Record<string, unknown> = { account: 'alice' };
    sessions.alice!.invoke('io.agora.signal.user_query_user_status', args, () => {});
    expect(args.line).toBe(sessions.alice!.line);
    await cloud.flush();
  });

  it('ignores a name without the io.agora.signal. prefix: the callback is never called', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const cb = vi.fn();
    sessions.alice!.invoke('user_query_user_status', { account: 'alice' }, cb);
    await cloud.advance(10_000);
    expect(cb).not.toHaveBeenCalled();
    expect(cloud.log.first({ kind: 'call', name: 'invoke' })).toBeDefined();
  });

  it('an unknown function fails with the server reason as err', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const cb = vi.fn();
    sessions.alice!.invoke('io.agora.signal.no_such_thing', {}, cb);
    await cloud.flush();
    expect(cb.mock.calls[0]![0]).toBe('unknown function');
  });

  it('bad arguments fail with a reason', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const cb = vi.fn();
    sessions.alice!.invoke('io.agora.signal.user_get_attr', { account: 7 }, cb);
    await cloud.flush();
    expect(cb.mock.calls[0]![0]).toBe('invalid arguments');
  });
});
