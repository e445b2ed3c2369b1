// The awaited drive (flush, advance, until, settle, the automatic flush) gives the app's promise
// chains four microtask turns between two tasks, as a browser runs them between two WebSocket
// messages; it skips the turns when they would run nothing but itself. These tests hold the
// skipping drive against the drive that takes every turn (`time.everyTurn`, the drive as it
// was): what the app sees and what the log says must be the same, step for step.
// A long run on demand: DRIVE_RUNS=2000 DRIVE_SEED=$RANDOM npx vitest run test/time/awaited-drive.test.ts
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCloud, type Cloud } from 'agora-signaling-emulator';

/** What a member does when a channel message reaches it. */
type Handler =
  | { kind: 'unset' }
  | { kind: 'count' }
  | { kind: 'then'; depth: number } // a .then chain of `depth` steps, each one noted
  | { kind: 'async'; awaits: number; reply: boolean } // an async function; may send once, after its awaits
  | { kind: 'resolve'; depth: number }; // resolves a promise the test awaits, whose chain is noted

interface Scenario {
  latency: number;
  handlers: Handler[];
  messages: number;
  /** A chain the test starts before it awaits, noted at each step. */
  testChain: number;
  drive: 'flush' | 'advance' | 'until';
}

/** Runs a scenario; returns what the app noted and the cloud's timeline, and the turns the drive took. */
async function run(s: Scenario, everyTurn: boolean): Promise<{ seen: string[]; timeline: string; turns: number }> {
  const cloud: Cloud = createCloud({ latency: s.latency });
  cloud.time.everyTurn = everyTurn;
  cloud.setChannelLimits({ userMessagesPerSecond: 1e9, channelMessagesPerSecond: 1e9 });
  const signal = cloud.Signal('app');
  const sessions = s.handlers.map((_, i) => signal.login(`m${i}`, '_no_need_token'));
  cloud.advanceSync(10 * s.latency + 1);
  const channels = sessions.map((session) => session.channelJoin('hall')!);
  cloud.advanceSync(10 * s.latency + 1);
  const seen: string[] = [];
  const waits: Array<Promise<string>> = [];
  s.handlers.forEach((h, i) => {
    const channel = channels[i]!;
    const name = `m${i}`;
    let replied = false;
    if (h.kind === 'count') channel.onMessageChannelReceive = () => void seen.length;
    if (h.kind === 'then') {
      channel.onMessageChannelReceive = (_a, _u, text) => {
        let p = Promise.resolve(0);
        for (let d = 1; d <= h.depth; d++) p = p.then(() => (seen.push(`${name} then ${d} ${text}`), d));
      };
    }
    if (h.kind === 'async') {
      channel.onMessageChannelReceive = (_a, _u, text) => {
        void (async () => {
          for (let d = 1; d <= h.awaits; d++) {
            await null;
            seen.push(`${name} await ${d} ${text}`);
          }
          if (h.reply && !replied) {
            replied = true;
            channel.messageChannelSend(`reply from ${name}`);
          }
        })();
      };
    }
    if (h.kind === 'resolve') {
      waits.push(
        new Promise<string>((resolve) => (channel.onMessageChannelReceive = (_a, _u, text) => resolve(text))).then((text) => {
          let p = Promise.resolve();
          for (let d = 1; d <= h.depth; d++) p = p.then(() => void seen.push(`${name} resolved ${d} ${text}`));
          return text;
        }),
      );
    }
  });
  for (let i = 0; i < s.messages; i++) channels[i % channels.length]!.messageChannelSend(`message ${i}`);
  void (async () => {
    for (let d = 1; d <= s.testChain; d++) {
      await null;
      seen.push(`test chain ${d}`);
    }
  })();
  const turns0 = cloud.time.turnsTaken;
  if (s.drive === 'flush') await cloud.flush();
  else if (s.drive === 'advance') await cloud.advance(5 * s.latency + 1);
  else await cloud.until(() => seen.length > 3, { within: 5 * s.latency + 1 }).catch(() => undefined);
  seen.push('test resumed');
  await cloud.advance(10 * s.latency + 1);
  seen.push(`waits: ${(await Promise.race([Promise.all(waits), Promise.resolve('pending')])).toString()}`);
  const turns = cloud.time.turnsTaken - turns0;
  const timeline = cloud.timeline();
  cloud.dispose();
  return { seen, timeline, turns };
}

const handler: fc.Arbitrary<Handler> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Handler>({ kind: 'unset' }) },
  { weight: 10, arbitrary: fc.constant<Handler>({ kind: 'count' }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 9 }).map<Handler>((depth) => ({ kind: 'then', depth })) },
  { weight: 1, arbitrary: fc.record({ awaits: fc.integer({ min: 0, max: 9 }), reply: fc.boolean() }).map<Handler>((a) => ({ kind: 'async', ...a })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 9 }).map<Handler>((depth) => ({ kind: 'resolve', depth })) },
);

const scenario: fc.Arbitrary<Scenario> = fc.record({
  latency: fc.constantFrom(0, 20),
  handlers: fc.array(handler, { minLength: 30, maxLength: 150, size: 'max' }),
  messages: fc.integer({ min: 1, max: 3 }),
  testChain: fc.integer({ min: 0, max: 12 }),
  drive: fc.constantFrom('flush', 'advance', 'until'),
});

describe('the awaited drive', () => {
  it("runs the app's promise chains between deliveries exactly as when it takes every turn (fixed-seed slice)", async () => {
    let skipped = 0;
    const runs = Number(process.env.DRIVE_RUNS ?? 60);
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const skipping = await run(s, false);
        const reference = await run(s, true);
        expect(skipping.seen).toEqual(reference.seen);
        expect(skipping.timeline).toEqual(reference.timeline);
        if (skipping.turns < reference.turns) skipped++;
      }),
      { seed: Number(process.env.DRIVE_SEED ?? 20), numRuns: runs },
    );
    // The slice exercises the skipping, not only the drive that takes every turn.
    expect(skipped).toBeGreaterThan(runs / 4);
  });

  it('skips the turns when the app queues nothing: a fan-out to members that only count takes a few turns', async () => {
    const s: Scenario = { latency: 0, handlers: Array.from({ length: 300 }, () => ({ kind: 'count' }) as const), messages: 2, testChain: 0, drive: 'flush' };
    const skipping = await run(s, false);
    const reference = await run(s, true);
    expect(skipping.seen).toEqual(reference.seen);
    expect(reference.turns).toBeGreaterThanOrEqual(4 * 600);
    expect(skipping.turns).toBeLessThan(4 * 100);
  });

  it('still gives each delivery its turns when the app chains on every one, in order', async () => {
    const s: Scenario = { latency: 20, handlers: Array.from({ length: 100 }, () => ({ kind: 'then', depth: 3 }) as const), messages: 1, testChain: 0, drive: 'advance' };
    const { seen } = await run(s, false);
    // Each member's chain completes before the next member's delivery.
    expect(seen.slice(0, 6)).toEqual(['m0 then 1 message 0', 'm0 then 2 message 0', 'm0 then 3 message 0', 'm1 then 1 message 0', 'm1 then 2 message 0', 'm1 then 3 message 0']);
    expect(seen.filter((e) => e.includes('then 3'))).toHaveLength(100);
  });
});
