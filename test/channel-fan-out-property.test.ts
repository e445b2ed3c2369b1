/**
 * A channel event goes to its members as one fan-out while only the default latency applies,
 * and fan-outs in flight one after the other share their array of links while the members stay
 * the same. Generated runs (sends in flight at once, members leaving and coming back, holds,
 * disconnects and reconnects, latency rules of one account, time moving in small steps) must look exactly as
 * they look when every delivery goes on its own: the same deliveries in the same order, the
 * same log.
 *
 * The reference run installs, before anything else, a latency rule that matches nobody: any
 * rule makes the network send each delivery on its own. The fan-out run installs the same rule
 * and removes it at once, so both logs hold the same rule's entries; those are left out of the
 * comparison. `FANOUT_FUZZ_RUNS=5000 npx vitest run test/channel-fan-out-property.test.ts`
 * runs longer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCloud, type Channel, type Hold, type RuleHandle, type Session } from 'agora-signaling-emulator';

const RUNS = Number(process.env.FANOUT_FUZZ_RUNS ?? 200);
const SEED = Number(process.env.FANOUT_FUZZ_SEED ?? 20_261_202);
const MEMBERS = 8;
const LATENCY = 10;

type Op =
  | { op: 'send'; from: number }
  | { op: 'advance'; ms: number }
  | { op: 'leave'; who: number }
  | { op: 'join'; who: number }
  | { op: 'hold'; who: number }
  | { op: 'release' }
  | { op: 'disconnect'; who: number; ms: number }
  | { op: 'slow'; who: number; ms: number }
  | { op: 'unslow' };

const who = fc.nat(MEMBERS - 1);
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('send' as const), from: who }), weight: 6 },
  { arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3 * LATENCY }) }), weight: 4 },
  fc.record({ op: fc.constant('leave' as const), who }),
  fc.record({ op: fc.constant('join' as const), who }),
  fc.record({ op: fc.constant('hold' as const), who }),
  fc.record({ op: fc.constant('release' as const) }),
  fc.record({ op: fc.constant('disconnect' as const), who, ms: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('slow' as const), who, ms: fc.integer({ min: 0, max: 3 * LATENCY }) }),
  fc.record({ op: fc.constant('unslow' as const) }),
);

/** Runs `ops` in a hall of {@link MEMBERS}; what the members received, and the log. */
function run(ops: readonly Op[], fanOut: boolean) {
  const cloud = createCloud({ seed: 5, latency: LATENCY });
  const nobody = cloud.net.latency(LATENCY, { account: 'nobody' });
  if (fanOut) nobody.remove();
  cloud.setChannelLimits({ userMessagesPerSecond: 1e6, channelMessagesPerSecond: 1e6 });
  const signal = cloud.Signal('app');
  const got: string[] = [];
  const sessions: Session[] = [];
  const channels: Array<Channel | undefined> = [];
  const join = (i: number) => {
    const channel = sessions[i]!.channelJoin('hall');
    if (channel === undefined) return;
    channel.onMessageChannelReceive = (account: string, _uid: number, msg: string) => got.push(`m${i} ← ${account}: ${msg}`);
    channel.onChannelUserJoined = (account: string) => got.push(`m${i}: ${account} joined`);
    channel.onChannelUserLeaved = (account: string) => got.push(`m${i}: ${account} left`);
    channels[i] = channel;
  };
  for (let i = 0; i < MEMBERS; i++) sessions.push(signal.login(`m${i}`, '_no_need_token'));
  cloud.advanceSync(4 * LATENCY);
  for (let i = 0; i < MEMBERS; i++) join(i);
  cloud.advanceSync(4 * LATENCY);
  const holds: Hold[] = [];
  const slows: RuleHandle[] = [];
  let sent = 0;
  for (const o of ops) {
    switch (o.op) {
      case 'send':
        channels[o.from]?.messageChannelSend(`#${sent++}`);
        break;
      case 'advance':
        cloud.advanceSync(o.ms);
        break;
      case 'leave':
        channels[o.who]?.channelLeave();
        channels[o.who] = undefined;
        break;
      case 'join':
        if (channels[o.who] === undefined && sessions[o.who]!.getStatus() === 2) join(o.who);
        break;
      case 'hold':
        holds.push(cloud.net.hold({ account: `m${o.who}`, direction: 'down' }));
        break;
      case 'release':
        holds.shift()?.release();
        break;
      case 'disconnect':
        // (inspect also lists the deliveries in flight, from the fan-outs' index of links.)
        if (cloud.net.inspect().disconnected.includes(`m${o.who}`)) cloud.net.reconnect(`m${o.who}`);
        else cloud.net.disconnect(`m${o.who}`, { for: o.ms });
        break;
      case 'slow':
        slows.push(cloud.net.latency(o.ms, { account: `m${o.who}`, direction: 'down' }));
        break;
      case 'unslow':
        slows.shift()?.remove();
        break;
    }
  }
  for (const h of holds) h.release();
  cloud.advanceSync(10_000);
  const log = cloud.log.entries
    .filter((e) => !(e.kind === 'fault' && e.client === 'nobody'))
    .map((e) => JSON.stringify([e.t, e.kind, e.client, e.name, e.args, e.session, e.object, e.error]));
  cloud.dispose();
  return { got, log };
}

describe('a channel event as one fan-out', () => {
  it('delivers and logs exactly as one delivery after the other, under generated sends, membership changes and faults', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const alone = run(ops, false);
        const fanned = run(ops, true);
        expect(fanned.got).toEqual(alone.got);
        expect(fanned.log).toEqual(alone.log);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, Math.max(20_000, RUNS * 20));

  it('the generated runs do send messages to many members with several fan-outs in flight', () => {
    // The property above would hold trivially if nothing was delivered: one fixed run shows it is not.
    const ops: Op[] = [{ op: 'send', from: 0 }, { op: 'send', from: 1 }, { op: 'leave', who: 3 }, { op: 'send', from: 2 }, { op: 'hold', who: 5 }, { op: 'advance', ms: 30 }];
    const { got } = run(ops, true);
    expect(got.filter((g) => g.includes('← m0: #0'))).toHaveLength(MEMBERS);
    expect(got.filter((g) => g.includes('← m2: #2'))).toHaveLength(MEMBERS - 1);
    expect(got.filter((g) => g.startsWith('m5 ← '))).toHaveLength(3);
  });
});
