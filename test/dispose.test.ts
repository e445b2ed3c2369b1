import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createCloud, type Cloud } from 'agora-signaling-emulator';

/** A full collection (vitest runs with --expose-gc; elsewhere the flag is turned on here). */
function collect(): void {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  gc();
}

/** A cloud with everything running: sessions and their timers, a channel, messages in flight, a hold, a phone, an invite waiting. */
function busyCloud(options: Parameters<typeof createCloud>[0] = {}): Cloud {
  const cloud = createCloud({ latency: 50, ...options });
  const signal = cloud.Signal('app');
  const alice = signal.login('alice', '_no_need_token');
  const bob = signal.login('bob', '_no_need_token');
  if (cloud.time.mode === 'virtual') cloud.advanceSync(500);
  alice.channelJoin?.('room');
  bob.channelJoin?.('room');
  alice.messageInstantSend?.('bob', 'in flight');
  alice.channelInviteUser2?.('room', 'carol', '');
  cloud.phone('+15551234', { answer: 'accept', after: 1_000 });
  cloud.net.hold({ account: 'bob', direction: 'down' });
  cloud.log.subscribe(() => {});
  return cloud;
}

/** A busy cloud, disposed; only a weak reference to it leaves this function. */
function disposedCloud(clock: 'virtual' | 'global'): WeakRef<Cloud> {
  const cloud = busyCloud({ clock });
  expect(cloud.time.scheduler.pending().length).toBeGreaterThan(0);
  cloud.dispose();
  expect(cloud.time.scheduler.pending()).toEqual([]);
  return new WeakRef(cloud);
}

describe('a disposed cloud lets go of everything', () => {
  it('leaves no timer and no reference behind: the cloud is garbage once the test drops it', async () => {
    const refs = (['virtual', 'global'] as const).map(disposedCloud);
    await new Promise((resolve) => setTimeout(resolve, 10));
    collect();
    expect(refs.map((r) => r.deref() === undefined)).toEqual([true, true]);
  });

  it('is not kept alive by work it had queued (a test that makes many clouds in one synchronous loop)', () => {
    collect();
    const before = process.memoryUsage().heapUsed;
    const clouds = 300;
    for (let i = 0; i < clouds; i++) {
      const cloud = createCloud({ seed: i });
      const alice = cloud.Signal('app').login('alice', '_no_need_token');
      cloud.flushSync();
      alice.messageInstantSend('alice', 'to myself'); // queues the cloud's auto-flush
      cloud.dispose();
    }
    collect(); // still in the same synchronous run: the queued flushes have not run
    const perCloud = (process.memoryUsage().heapUsed - before) / clouds;
    // A cloud with a logged-in client is over 20 KB; what stays is the engine's own bookkeeping.
    expect(perCloud).toBeLessThan(8_000);
  });
});

describe('a disposed cloud and its automatic flush', () => {
  it('is not kept alive by its automatic flush, waiting between two tasks when the cloud is disposed', async () => {
    // Measured by the heap, in the same macrotask: a WeakRef keeps its target until the
    // microtasks have drained.
    collect();
    const before = process.memoryUsage().heapUsed;
    const clouds: Cloud[] = [];
    let received = 0;
    for (let i = 0; i < 300; i++) {
      const cloud = createCloud({ seed: i });
      const alice = cloud.Signal('app').login('alice', '_no_need_token');
      cloud.flushSync();
      alice.onMessageInstantReceive = () => received++;
      for (let m = 0; m < 5; m++) alice.messageInstantSend('alice', `m${m}`);
      clouds.push(cloud);
    }
    for (let turn = 0; turn < 1_000 && received === 0; turn++) await null;
    // The automatic flushes have begun, and wait between two deliveries.
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(300 * 5);
    for (const cloud of clouds) cloud.dispose();
    clouds.length = 0;
    collect(); // still in the same macrotask: the flushes' next turns have not run
    const perCloud = (process.memoryUsage().heapUsed - before) / 300;
    // A cloud with a logged-in client is over 20 KB; what stays is the engine's own bookkeeping.
    expect(perCloud).toBeLessThan(8_000);
  });

  it('resolves a flush or advance the test queued before the dispose, and rejects an until', async () => {
    const cloud = createCloud({ latency: 20 });
    cloud.Signal('app').login('alice', '_no_need_token');
    const flush = cloud.flush();
    const advance = cloud.advance(1_000);
    const until = cloud.until(() => false, { within: 1_000 });
    cloud.dispose();
    await expect(flush).resolves.toBeUndefined();
    await expect(advance).resolves.toBeUndefined();
    await expect(until).rejects.toThrow(/Failed to until: the cloud was disposed before it ran|went idle first/);
  });
});
