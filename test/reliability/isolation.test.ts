// Two clouds in one process never see each other: driven in lockstep, each records exactly the
// log it records alone; served over the wire at the same time, their clients live in separate
// worlds even with the same accounts and app ids.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';
import { sequenceArb, type Sequence } from './fuzz/ops.js';
import { FuzzWorld } from './fuzz/world.js';
import { connect } from '../wire/raw-client.js';

function alone(seq: Sequence): string {
  const world = new FuzzWorld(seq);
  try {
    world.run();
    return JSON.stringify(world.transcript().expect!.log);
  } finally {
    world.dispose();
  }
}

describe('two clouds in one process', () => {
  it('driven in lockstep (same accounts, same app, operations interleaved), each gets the log it gets alone', () => {
    // Pairs of random sequences from the fuzz, run alone and then interleaved step by step.
    const pairs = fc.sample(fc.tuple(sequenceArb(30), sequenceArb(30)), { numRuns: 20, seed: 4242 });
    for (const [a, b] of pairs) {
      const soloA = alone(a);
      const soloB = alone(b);
      const wa = new FuzzWorld(a);
      const wb = new FuzzWorld(b);
      try {
        for (let i = 0; i < Math.max(a.ops.length, b.ops.length); i++) {
          if (i < a.ops.length) wa.runStep(i);
          if (i < b.ops.length) wb.runStep(i);
        }
        wa.end();
        wb.end();
        wa.close();
        wb.close();
        expect(JSON.stringify(wa.transcript().expect!.log)).toBe(soloA);
        expect(JSON.stringify(wb.transcript().expect!.log)).toBe(soloB);
        expect(wa.violations).toEqual([]);
        expect(wb.violations).toEqual([]);
      } finally {
        wa.dispose();
        wb.dispose();
      }
    }
  });

  it('served over the wire at once, their clients never meet: no kick, no message, no presence across clouds', async () => {
    const one = createCloud({ clock: 'global' });
    const two = createCloud({ clock: 'global' });
    const s1 = await one.listen();
    const s2 = await two.listen();
    try {
      const alice1 = await connect(s1.url);
      const alice2 = await connect(s2.url);
      expect((await alice1.login('alice'))[0]).toBe('');
      expect((await alice2.login('alice'))[0]).toBe(''); // the same account, another cloud: no kick
      const bob2 = await connect(s2.url);
      await bob2.login('bob');
      expect(await alice1.call2('user_query_user_status', { account: 'bob' })).toEqual(['', '{"result":"ok","status":0}']);
      await alice1.call2('user_sendmsg', { peer: 'bob', flag: 'v1:E:3600', t: 'instant', content: 'across clouds?' });
      expect(await bob2.call2('user_query_user_status', { account: 'alice' })).toEqual(['', '{"result":"ok","status":1}']);
      expect(bob2.frames.some((f) => JSON.stringify(f).includes('across clouds?'))).toBe(false);
      expect(one.log.count({ name: 'kick' }) + two.log.count({ name: 'kick' })).toBe(0);
      expect(one.inspect().apps[0]!.storedMessages).toEqual([{ to: 'bob', from: 'alice', type: 'instant', expiresAt: expect.any(Number), expiresIn: expect.any(Number) }]);
      expect(two.inspect().apps[0]!.storedMessages).toEqual([]);
    } finally {
      await s1.close();
      await s2.close();
      one.dispose();
      two.dispose();
    }
  });
});
