// Regression: under a latency rule, wire frames overtook each other. The wire's delay line gave
// each frame its own setTimeout(due - Date.now()); Node measures a timer from the event loop's
// cached time, which lags Date.now() by however long the current turn has run, so a frame
// queued later in a long turn, with a shorter remaining delay, fired first. Seen: with
// login_ret held 200 ms, a peer message and an invoke reply reached the real SDK before it.
import { afterEach, describe, expect, it } from 'vitest';
import { createCloud, type Cloud, type Session, type WireServer } from 'agora-signaling-emulator';
import { DelayLine } from '../../../src/wire/delay-line.js';
import { useRealSdk } from '../../parity/use-real-sdk.js';
import { sleep } from '../../parity/harness.js';

/** Keeps the event loop busy for `ms` (its cached time stays where the turn began). */
function busy(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // spin
  }
}

describe('the delay line', () => {
  it('runs callbacks in the order given, even when a later one is queued late in a long turn', async () => {
    // Whether the loop's cached time lags in a given turn depends on what else the process
    // does: 10 rounds (the old delay line reordered in about one round in three).
    const orders: string[][] = [];
    for (let round = 0; round < 10; round++) {
      const line = new DelayLine();
      const order: string[] = [];
      line.run(() => order.push('first, 40 ms'), 40);
      busy(25); // the loop's cached time may now be 25 ms behind Date.now()
      line.run(() => order.push('second, no delay of its own'), 0);
      line.run(() => order.push('third, 2 ms'), 2);
      await sleep(80);
      orders.push(order);
    }
    expect(orders).toEqual(Array(10).fill(['first, 40 ms', 'second, no delay of its own', 'third, 2 ms']));
  });

  it('runs each callback no earlier than its due time', async () => {
    const line = new DelayLine();
    const start = Date.now();
    const at: number[] = [];
    line.run(() => at.push(Date.now() - start), 30);
    line.run(() => at.push(Date.now() - start), 60);
    await sleep(120);
    expect(at).toHaveLength(2);
    // A timer may fire up to a millisecond early by Date.now() (Node's timers use another clock).
    expect(at[0]).toBeGreaterThanOrEqual(29);
    expect(at[1]).toBeGreaterThanOrEqual(59);
  });

  it('forgets what waits when cleared, and a callback may queue more behind itself', async () => {
    const line = new DelayLine();
    const order: string[] = [];
    line.run(() => {
      order.push('a');
      line.run(() => order.push('c, queued by a'), 0);
    }, 10);
    line.run(() => order.push('b'), 0);
    await sleep(60);
    expect(order).toEqual(['a', 'b', 'c, queued by a']);
    line.run(() => order.push('never'), 20);
    line.clear();
    line.run(() => order.push('after clear'), 5);
    await sleep(60);
    expect(order).toEqual(['a', 'b', 'c, queued by a', 'after clear']);
  });
});

const realSdk = useRealSdk();
let cloud: Cloud | undefined;
let server: WireServer | undefined;

afterEach(async () => {
  realSdk.stopSessions();
  await server?.close();
  cloud?.dispose();
  expect(realSdk.errors).toEqual([]);
});

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within 3 s`);
    await sleep(1);
  }
}

describe('wire frames under a latency rule, seen by the real SDK 1.4.0', () => {
  it('with login_ret held 200 ms, a peer message and an invoke reply never reach the real SDK before login_ret', async () => {
    // 8 runs: the old delay line let them through first in about one run in three.
    for (let run = 1; run <= 8; run++) {
      cloud = createCloud({ clock: 'global' });
      server = await cloud.listen();
      cloud.net.latency(200, { account: 'alice', direction: 'down', kind: 'login_ret' });
      const bob = cloud.Signal('app').login('bob', '_no_need_token');
      const alice: Session = realSdk.login(server.url, 'alice');
      const seen: string[] = [];
      alice.onLoginSuccess = () => seen.push('onLoginSuccess');
      alice.onMessageInstantReceive = (_from: string, _uid: number, msg: string) => seen.push(`message ${msg}`);
      await until(() => bob.getStatus() === 2 && typeof alice.invoke === 'function', 'the socket to open');
      // login_ret is now on its way, held; the server knows alice is online.
      await until(() => cloud!.inspect().apps[0]!.online.some((u) => u.account === 'alice'), 'the server to log alice in');
      busy(30); // a long turn: the loop's cached time falls behind
      alice.invoke('io.agora.signal.user_query_user_status', { account: 'bob' }, () => seen.push('invoke reply'));
      bob.messageInstantSend('alice', 'hello');
      await until(() => seen.length === 3, 'every frame');
      expect({ run, seen: seen[0] }).toEqual({ run, seen: 'onLoginSuccess' });
      realSdk.stopSessions();
      await server.close();
      cloud.dispose();
      server = undefined;
      cloud = undefined;
    }
  });
});
