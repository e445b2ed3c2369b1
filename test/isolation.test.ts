import { describe, expect, it, vi } from 'vitest';
import { createCloud, EmulatorError } from 'agora-signaling-emulator';

describe('isolation', () => {
  it('two clouds share nothing: the same account logs in on both', async () => {
    const one = createCloud();
    const two = createCloud();
    const a = one.Signal('app').login('alice', '_no_need_token');
    const b = two.Signal('app').login('alice', '_no_need_token');
    await one.flush();
    await two.flush();
    expect([a.getStatus(), b.getStatus()]).toEqual([2, 2]);
    expect(one.log.entries.every((e) => e.client === 'alice')).toBe(true);
    expect(two.log.count({ kind: 'server', name: 'kick' })).toBe(0);
  });

  it('a message never crosses clouds or apps', async () => {
    const one = createCloud();
    const two = createCloud();
    const sender = one.Signal('app').login('alice', '_no_need_token');
    const otherCloud = two.Signal('app').login('bob', '_no_need_token');
    const otherApp = one.Signal('app-2').login('bob', '_no_need_token');
    otherCloud.onMessageInstantReceive = vi.fn();
    otherApp.onMessageInstantReceive = vi.fn();
    await one.flush();
    await two.flush();
    sender.messageInstantSend('bob', 'hi');
    await one.advance(1000);
    await two.advance(1000);
    expect(otherCloud.onMessageInstantReceive).not.toHaveBeenCalled();
    expect(otherApp.onMessageInstantReceive).not.toHaveBeenCalled();
    expect(one.inspect().apps.find((a) => a.appId === 'app')!.storedMessages).toEqual([
      { to: 'bob', from: 'alice', type: 'instant', expiresAt: one.startTime + 3600_000, expiresIn: one.startTime + 3600_000 - one.now() },
    ]);
  });

  it('install() sets the global Signal and puts the old value back', () => {
    const cloud = createCloud();
    const target: { Signal?: unknown } = { Signal: 'before' };
    const uninstall = cloud.install(target);
    expect(target.Signal).toBe(cloud.Signal);
    uninstall();
    expect(target.Signal).toBe('before');
    const bare: { Signal?: unknown } = {};
    cloud.install(bare)();
    expect('Signal' in bare).toBe(false);
  });

  it('misuse throws an EmulatorError that says how to fix it', () => {
    expect(() => createCloud({ sead: 1 } as never)).toThrow(/unknown option 'sead'/);
    const cloud = createCloud();
    expect(() => cloud.token('nope', 'alice')).toThrow(EmulatorError);
    expect(() => cloud.token('nope', 'alice')).toThrow(/createApp/);
    cloud.createApp({ appId: 'a' });
    expect(() => cloud.createApp({ appId: 'a' })).toThrow(/already exists/);
    expect(() => cloud.advanceSync(-1)).toThrow(/non-negative/);
  });

  it('a disposed cloud runs nothing more', async () => {
    const cloud = createCloud({ latency: 10 });
    const session = cloud.Signal('app').login('alice', '_no_need_token');
    session.onLoginSuccess = vi.fn();
    cloud.dispose();
    expect(cloud.inspect().pendingTasks).toBe(0);
    await expect(cloud.advance(100)).rejects.toThrow(/disposed/);
    expect(() => cloud.net.disconnect('alice')).toThrow('Failed to disconnect (cloud.net.disconnect): the cloud has been disposed');
    expect(() => cloud.net.latency(10)).toThrow(/cloud\.net\.latency.*disposed/);
    expect(session.onLoginSuccess).not.toHaveBeenCalled();
  });
});
