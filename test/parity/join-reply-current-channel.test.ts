// The join reply reads the current Channel at each step, as in 1.4.0: `p.onChannelJoined()`,
// then `p.onChannelUserList(list)`, then `p.onChannelAttrUpdated(…)` per attribute, with `p`
// read anew each time. An app that joins another channel inside onChannelJoined gets the rest
// of the first reply on the new Channel. Compared with the real SDK over the wire.
import { describe, expect, it } from 'vitest';
import { expectParity, type Scenario, type World } from './harness.js';

/** bob in `first` with attributes k = v (and k2 = v2 if `n` is 2); alice logged in. */
async function roomWithAnAttribute(w: World, n = 1) {
  const bob = w.login('bob');
  await w.loggedIn(bob);
  const bobs = bob.channelJoin('first')!;
  await w.until(() => bobs.state === 'joined', 'bob joined');
  bobs.channelSetAttr('k', 'v', w.cb('bob', 'set k'));
  if (n === 2) bobs.channelSetAttr('k2', 'v2', w.cb('bob', 'set k'));
  await w.until(() => w.count('bob', 'set k') === n, 'the attributes');
  const alice = w.login('alice');
  await w.loggedIn(alice);
  return alice;
}

const scenarios: Record<string, Scenario> = {
  'a join inside onChannelJoined: the rest of the first reply goes to the new Channel': async (w) => {
    const alice = await roomWithAnAttribute(w);
    const first = w.join('alice', alice, 'first');
    first.onChannelJoined = () => {
      w.note('alice', 'first.onChannelJoined', first.state);
      const second = w.join('alice', alice, 'second');
      w.note('alice', 'joined second inside', second.state);
    };
    await w.until(() => w.count('alice', 'second.onChannelJoined') === 1, 'both replies');
    await w.settle();
    w.note('alice', 'states', first.state);
  },

  'a join inside onChannelAttrUpdated, of a Channel with none set: the next attribute throws a TypeError, printed': async (w) => {
    const alice = await roomWithAnAttribute(w, 2);
    const first = w.join('alice', alice, 'first');
    const printError = console.error;
    console.error = (error: unknown) => w.note('alice', 'console.error', String(error));
    try {
      first.onChannelAttrUpdated = (k: string, v: string, type: string) => {
        w.note('alice', 'first.onChannelAttrUpdated', k, v, type);
        const second = alice.channelJoin('second')!;
        second.onChannelJoined = () => w.note('alice', 'second.onChannelJoined');
      };
      await w.until(() => w.count('alice', 'second.onChannelJoined') === 1, 'both replies');
      await w.settle();
    } finally {
      console.error = printError;
    }
  },
};

describe('parity: the join reply reads the current Channel at each step, as in 1.4.0', () => {
  for (const [name, scenario] of Object.entries(scenarios)) {
    it(name, async () => {
      const recording = await expectParity(name, scenario);
      // Part of the first reply reached the second Channel.
      const names = recording.get('alice')!.map((r) => r.name);
      expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/^(second\.onChannelUserList|console\.error)$/)]));
    });
  }
});
