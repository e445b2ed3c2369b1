// A typo in a callback name or an option must fail loudly: with `.not`, an unknown name would
// otherwise pass for ever (no callback of that name ever comes).
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import 'agora-signaling-emulator/vitest';
import { EmulatorError, type CallbackName } from 'agora-signaling-emulator';
import { replayFile } from 'agora-signaling-emulator/node';
import { CALLBACK_NAMES } from '../src/sdk/callback-names.js';
import { sequenceArb } from './reliability/fuzz/ops.js';
import { FuzzWorld } from './reliability/fuzz/world.js';
import { kickScenario } from './helpers.js';

/** Runs `assertion` and returns what it threw (or undefined). */
function thrown(assertion: () => void): unknown {
  try {
    assertion();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('callback names in the matchers', () => {
  it("expect(cloud).not.toHaveReceived('alice', 'onMessageInstantRecieve') fails, naming the valid callbacks and the likely one", async () => {
    const cloud = await kickScenario();
    // @ts-expect-error a typo is a type error too
    const error = thrown(() => expect(cloud).not.toHaveReceived('alice', 'onMessageInstantRecieve'));
    expect(error).toBeInstanceOf(EmulatorError);
    const message = (error as Error).message;
    expect(message).toContain(`toHaveReceived: "onMessageInstantRecieve" is not a callback of the 1.4.0 SDK (did you mean 'onMessageInstantReceive'?)`);
    for (const name of CALLBACK_NAMES) expect(message).toContain(name);
  });

  it('every matcher that takes a callback name rejects an unknown one, with and without .not', async () => {
    const cloud = await kickScenario();
    const bad = 'onLoginSucces' as CallbackName;
    const uses: Array<[string, (e: ReturnType<typeof expect<unknown>>) => void]> = [
      ['toHaveReceived', (e) => e.toHaveReceived('alice', bad)],
      ['toHaveReceivedTimes', (e) => e.toHaveReceivedTimes('alice', bad, 0)],
      ['toHaveReceivedInOrder', (e) => e.toHaveReceivedInOrder('alice', ['onLoginSuccess', bad])],
      ['toHaveReceivedInOrder', (e) => e.toHaveReceivedInOrder('alice', [{ name: bad }])],
      ['toHaveReceivedWithin', (e) => e.toHaveReceivedWithin('alice', bad, 100)],
    ];
    for (const [matcher, use] of uses) {
      for (const e of [expect(cloud), expect(cloud).not]) {
        const error = thrown(() => use(e));
        expect(error, matcher).toBeInstanceOf(EmulatorError);
        expect((error as Error).message, matcher).toMatch(new RegExp(`^${matcher}: "onLoginSucces" is not a callback of the 1.4.0 SDK \\(did you mean 'onLoginSuccess'\\?\\)`));
      }
    }
  });

  it('a name nowhere near a valid one gets the list without a guess', async () => {
    const cloud = await kickScenario();
    const error = thrown(() => expect(cloud).toHaveReceived('alice', 'login' as CallbackName));
    expect((error as Error).message).toMatch(/^toHaveReceived: "login" is not a callback of the 1\.4\.0 SDK\. Valid names: onLoginSuccess, .*toHaveLogged\(\{ kind, name \}\)$/);
  });

  it('any string that is not a callback name is rejected (generated names)', async () => {
    const cloud = await kickScenario();
    const names = fc.oneof(
      fc.string(),
      // Near misses: a valid name with one character changed, dropped or added.
      fc.tuple(fc.constantFrom(...CALLBACK_NAMES), fc.nat(), fc.constantFrom('x', 'e', ':', ' ', ''), fc.boolean()).map(([n, i, c, drop]) => {
        const at = i % (n.length + 1);
        return n.slice(0, at) + c + n.slice(drop ? at + 1 : at);
      }),
    );
    fc.assert(
      fc.property(
        names.filter((n) => !CALLBACK_NAMES.includes(n)),
        fc.boolean(),
        (name, not) => {
          const e = not ? expect(cloud).not : expect(cloud);
          const error = thrown(() => e.toHaveReceived('alice', name as CallbackName));
          return error instanceof EmulatorError && error.message.includes('is not a callback of the 1.4.0 SDK');
        },
      ),
      { seed: 17, numRuns: 300 },
    );
  });

  it('every callback the SDK logs in the bundled fixtures is a valid name', async () => {
    const dir = fileURLToPath(new URL('../fixtures/', import.meta.url));
    const seen = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const result = await replayFile(`${dir}${file}`);
      for (const e of result.log) if (e.kind === 'callback') seen.add(e.name);
    }
    expect([...seen].filter((n) => !CALLBACK_NAMES.includes(n))).toEqual([]);
    expect(seen.size).toBeGreaterThan(20);
  });

  it('every callback the SDK logs under generated app sequences is a valid name', () => {
    fc.assert(
      fc.property(sequenceArb(30), (seq) => {
        const world = new FuzzWorld(seq);
        try {
          world.run();
          const unknown = world.cloud.log.entries.filter((e) => e.kind === 'callback' && !CALLBACK_NAMES.includes(e.name));
          return unknown.length === 0;
        } finally {
          world.cloud.dispose();
        }
      }),
      { seed: 23, numRuns: 40 },
    );
  });

  it('the `cb` callbacks are names too', async () => {
    const cloud = await kickScenario();
    expect(cloud).toHaveReceived('alice', 'messageInstantSend:cb', [false]);
    expect(cloud).not.toHaveReceived('alice', 'channelLeave:cb');
  });
});

describe('matcher options', () => {
  it('toHaveReceivedWithin rejects an unknown option, naming the known ones', async () => {
    const cloud = await kickScenario();
    // @ts-expect-error `afer` is not an option
    const error = thrown(() => expect(cloud).toHaveReceivedWithin('bob', 'onMessageInstantReceive', 100, { afer: { name: 'login' } }));
    expect(error).toBeInstanceOf(EmulatorError);
    expect((error as Error).message).toBe("toHaveReceivedWithin: unknown option 'afer' (did you mean 'after'?) (known: after, args)");
    expect(thrown(() => expect(cloud).toHaveReceivedWithin('bob', 'onMessageInstantReceive', 100, null as never))).toBeInstanceOf(EmulatorError);
  });

  it('toHaveReceivedInOrder rejects an unknown key in { name, args }', async () => {
    const cloud = await kickScenario();
    // @ts-expect-error `arg` is not a key
    const error = thrown(() => expect(cloud).toHaveReceivedInOrder('alice', [{ name: 'onLogout', arg: [103] }]));
    expect((error as Error).message).toBe(`toHaveReceivedInOrder: unknown key 'arg' in {"name":"onLogout","arg":[103]} (known: name, args)`);
  });

  it('toHaveLogged rejects an unknown query field, with and without .not', async () => {
    const cloud = await kickScenario();
    for (const e of [expect(cloud), expect(cloud).not]) {
      // @ts-expect-error `cleint` is not a field
      const error = thrown(() => e.toHaveLogged({ cleint: 'bob' }));
      expect(error).toBeInstanceOf(EmulatorError);
      expect((error as Error).message).toMatch(/^toHaveLogged: unknown query field 'cleint' \(did you mean 'client'\?\) \(known: kind, client, name, /);
    }
  });
});
