// Regression (issue 20, idle clients): each poll of a logged-in client added a slot to its
// connection's reply handlers, kept for ever (1.4.0 never deletes a pending reply, so a
// duplicated reply runs its callback again): about 790 bytes per client per hour of virtual
// time. A handler is now let go once it ran, unless the link has duplicated a message (the
// only way a reply comes twice), so idle memory is flat and the quirk is kept where it shows.
// Heap after forced collection (the test workers run with --expose-gc).
import { describe, expect, it } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

const heap = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
};

describe('idle clients', () => {
  it('2 000 clients logged in for an hour of virtual time keep their memory flat', () => {
    expect(typeof (globalThis as { gc?: unknown }).gc, 'run with --expose-gc').toBe('function');
    const clients = 2_000;
    const cloud = createCloud({ seed: 1, log: { level: 'off' } });
    const signal = cloud.Signal('app');
    const sessions = Array.from({ length: clients }, (_, i) => signal.login(`u${i}`, '_no_need_token'));
    cloud.advanceSync(10_000);
    const loggedIn = heap();
    cloud.advanceSync(3_600_000);
    const anHourLater = heap();
    expect(sessions.every((s) => s.getStatus() === 2)).toBe(true);
    // Before the fix: about 790 B per client. The slack is the collector's own bookkeeping.
    expect((anHourLater - loggedIn) / clients).toBeLessThan(100);
    cloud.dispose();
  });

  it('a duplicated reply still runs its callback twice, late in an idle hour as at once', () => {
    const cloud = createCloud({ seed: 1 });
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    cloud.advanceSync(3_600_000);
    cloud.net.duplicate(1, { account: 'alice', kind: 'call2-ret' });
    const results: unknown[] = [];
    alice.messageInstantSend('bob', 'hi', (err: unknown) => results.push(err));
    cloud.advanceSync(1_000);
    expect(results).toHaveLength(2);
    cloud.dispose();
  });
});
