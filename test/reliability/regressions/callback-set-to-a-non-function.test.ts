// Regression: a callback property set to a truthy value that is not a function ("yes", 42, {})
// was taken for "not set", where 1.4.0 calls it (`h.onX && h.onX(…)`), catches the TypeError and
// prints it: the app's console shows the bug. Found by the bad-input table
// (test/reliability/bad-input), checked against the real SDK.
import { describe, expect, it, vi } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

describe('a callback set to something that is not a function', () => {
  it('is called as 1.4.0 calls it: the TypeError is printed, the log entry keeps it, the SDK goes on', async () => {
    const cloud = createCloud();
    const signal = cloud.Signal('app');
    const alice = signal.login('alice', '_no_need_token');
    const bob = signal.login('bob', '_no_need_token');
    await cloud.until(() => alice.getStatus() === 2 && bob.getStatus() === 2);
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      bob.onMessageInstantReceive = 'yes' as never;
      alice.messageInstantSend('bob', 'one');
      await cloud.advance(100);
      bob.onMessageInstantReceive = 0 as never; // falsy: not set, nothing printed
      alice.messageInstantSend('bob', 'two');
      await cloud.advance(100);
      expect(printed.mock.calls.map((c) => String(c[0]))).toEqual(['TypeError: h.onMessageInstantReceive is not a function']);
      const [first, second] = cloud.log.filter({ client: 'bob', name: 'onMessageInstantReceive' });
      expect(first).toMatchObject({ error: 'TypeError: h.onMessageInstantReceive is not a function' });
      expect(first!.unhandled).toBeUndefined();
      expect(second).toMatchObject({ unhandled: true });
    } finally {
      printed.mockRestore();
      cloud.dispose();
    }
  });
});
