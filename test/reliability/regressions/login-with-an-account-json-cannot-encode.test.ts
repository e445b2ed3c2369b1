// Regression: login() with an account JSON.stringify gives nothing for (undefined, a function)
// logged in as the account "undefined", and one it cannot encode (a BigInt) threw out of
// login(). 1.4.0 sends no account at all (the server refuses it: onLoginFailed(209)), and for a
// BigInt prints two console errors and returns an object with the five callbacks only. Found by
// the bad-input table (test/reliability/bad-input), checked against the real SDK.
import { describe, expect, it, vi } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

describe('login() with an account JSON cannot encode', () => {
  it('undefined or a function: no account is sent, and the login fails with 209', async () => {
    const cloud = createCloud();
    for (const account of [undefined, () => 'alice']) {
      const session = cloud.Signal('app').login(account, '_no_need_token');
      const failed = vi.fn();
      session.onLoginFailed = failed;
      await cloud.advance(100);
      expect(session.account).toBeUndefined();
      expect(failed).toHaveBeenCalledWith(209);
    }
    expect(cloud.inspect().apps.flatMap((a) => a.online)).toEqual([]);
    cloud.dispose();
  });

  it('a BigInt: two console errors, and an object with the five callbacks only', () => {
    const cloud = createCloud();
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const session = cloud.Signal('app').login(BigInt(7), '_no_need_token');
      expect(session).toEqual({ onLoginSuccess: '', onLoginFailed: '', onLogout: '', onInviteReceived: '', onMessageInstantReceive: '' });
      expect(printed.mock.calls.map((c) => String(c[0]))).toEqual(['Invalid account type, should be a string.', 'TypeError: Do not know how to serialize a BigInt']);
      expect(cloud.log.last({ name: 'login' })?.args).toEqual(['7n', '_no_need_token']);
    } finally {
      printed.mockRestore();
      cloud.dispose();
    }
  });
});
