import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

describe('callbacks', () => {
  afterEach(() => vi.restoreAllMocks());

  it('start as "" and are read when the event fires, not when the call was made', async () => {
    const cloud = createCloud();
    const session = cloud.Signal('app').login('alice', '_no_need_token');
    expect(session.onLoginSuccess).toBe('');
    expect(session.onLogout).toBe('');
    const late = vi.fn();
    session.onLoginSuccess = late; // assigned after login(), before delivery
    await cloud.flush();
    expect(late).toHaveBeenCalledTimes(1);
  });

  it('one that throws is reported with console.error and breaks nothing', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    sessions.bob!.onMessageInstantReceive = () => {
      throw new Error('app bug');
    };
    const cb = vi.fn();
    sessions.alice!.messageInstantSend('bob', 'one', cb);
    sessions.alice!.messageInstantSend('bob', 'two', cb);
    await cloud.flush();
    expect(errors).toHaveBeenCalledTimes(2);
    expect(cb).toHaveBeenCalledTimes(2);
    expect(cloud.log.filter({ name: 'onMessageInstantReceive' }).map((e) => e.error)).toEqual(['Error: app bug', 'Error: app bug']);
  });

  it('are logged even when not set, marked unhandled', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    sessions.alice!.messageInstantSend('bob', 'hi');
    await cloud.flush();
    expect(cloud.log.last({ name: 'onMessageInstantReceive' })?.unhandled).toBe(true);
  });

  it('the callbacks 1.4.0 never fires are not on the Session, and assigning them does nothing', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    for (const name of ['onError', 'onInvokeRet', 'onReconnecting', 'onReconnected'] as const) {
      expect(name in sessions.alice!).toBe(false);
      sessions.alice![name] = vi.fn();
    }
    await cloud.advance(60_000);
    expect(cloud.log.callbacks('alice')).toEqual(['onLoginSuccess']);
  });
});
