// Regression (issue 16, item 6): an app that echoes every peer message to itself, while the test
// only awaits callbacks (the README's first-test style), tripped the loop limit inside the
// cloud's automatic flush: nothing was thrown, printed, rejected or logged, and the deliveries
// just stopped. Now the error is printed at once with the log's tail, logged as a fault, and
// the test's next flush, advance, until or settle rejects with it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCloud, EmulatorError } from 'agora-signaling-emulator';

/** A logged-in app that sends every peer message it receives back to itself. */
async function echoingApp(loopLimit: number) {
  const cloud = createCloud({ loopLimit });
  const alice = cloud.Signal('app').login('alice', '_no_need_token');
  await new Promise((resolve) => (alice.onLoginSuccess = resolve));
  let received = 0;
  alice.onMessageInstantReceive = (_from, _uid, text) => {
    received++;
    alice.messageInstantSend('alice', text);
  };
  return { cloud, alice, received: () => received };
}

/** Lets the automatic flush run to its end (it runs on microtasks; a macrotask comes after). */
const macrotask = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('an error on the automatic flush (an app that echoes every peer message to itself)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is printed at once with the tail of the log, logged as a fault, and rejects the next flush', async () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { cloud, alice, received } = await echoingApp(1_000);
    alice.messageInstantSend('alice', 'echo');
    await macrotask();
    expect(received()).toBeGreaterThan(100);
    expect(printed).toHaveBeenCalledTimes(1);
    const message = String((printed.mock.calls[0]![0] as Error).message);
    expect(message).toMatch(/^The cloud's automatic flush stopped: Aborting after 1000 tasks at virtual time/);
    expect(message).toContain('seed: 1; last 15 log entries:');
    expect(message).toContain('onMessageInstantReceive');
    expect(cloud.log.filter({ kind: 'fault' }).map((e) => [e.name, String(e.args[0])])).toEqual([
      ['run stopped', expect.stringMatching(/^EmulatorError|^Aborting after 1000 tasks/)],
    ]);
    const next = await cloud.flush().catch((e: unknown) => e);
    expect(next).toBeInstanceOf(EmulatorError);
    expect((next as Error).message).toMatch(/^Aborting after 1000 tasks at virtual time \d+: this looks like an endless loop/);
    // Reported once: the flush after that one runs again.
    alice.onMessageInstantReceive = () => {};
    await expect(cloud.flush()).resolves.toBeUndefined();
    cloud.dispose();
  });

  it('rejects the next advance and until the same way', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    for (const next of ['advance', 'until'] as const) {
      const { cloud, alice } = await echoingApp(500);
      alice.messageInstantSend('alice', 'echo');
      await macrotask();
      const run = next === 'advance' ? cloud.advance(10) : cloud.until(() => true);
      await expect(run).rejects.toThrow(/Aborting after 500 tasks/);
      cloud.dispose();
    }
  });
});
