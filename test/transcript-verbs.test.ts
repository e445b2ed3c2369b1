// The verbs a transcript may use are a list (src/transcript/verbs.ts), not whatever the Cloud
// happens to have. These tests keep the list honest: every public method of the Cloud and of
// its network is either a verb or says what a transcript writes instead, and every verb on the
// list exists and replays.
import { describe, expect, it } from 'vitest';
import { createCloud, replay, validateTranscript } from 'agora-signaling-emulator';
import { listVerbs, NOT_VERBS } from '../src/transcript/verbs.js';

/** Public method names of an object's class (not `_`-prefixed or `#`-private, not internal helpers). */
function publicMethods(object: object, internal: readonly string[]): string[] {
  const names: string[] = [];
  for (let proto = Object.getPrototypeOf(object); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || key.startsWith('_') || internal.includes(key) || names.includes(key)) continue;
      if (typeof Object.getOwnPropertyDescriptor(proto, key)?.value === 'function') names.push(key);
    }
  }
  return names;
}

describe('the verbs of transcripts', () => {
  it('cover every public method of the Cloud and its network, or say why not', () => {
    const cloud = createCloud();
    // Private helpers of the classes (TypeScript's `private`, still on the prototype at run time).
    const cloudMethods = publicMethods(cloud, ['checkLive', 'checkAdvance', 'describe']);
    const netMethods = publicMethods(cloud.net, ['dispose', 'attach', 'admits', 'admitsLogin', 'wireLatency', 'connect', 'openLinks']).map((m) => `net.${m}`);
    const decided = new Set([...listVerbs(), ...Object.keys(NOT_VERBS)]);
    // The Signal factory is an own field, not a method: it is decided too.
    expect([...cloudMethods, ...netMethods].filter((m) => !decided.has(m))).toEqual([]);
    expect(decided.has('Signal')).toBe(true);
    cloud.dispose();
  });

  it('are each a method of the cloud, and each replays when given what it takes', async () => {
    const args: Record<string, unknown[]> = {
      createApp: [{ appId: 'other' }],
      kick: ['alice'],
      closeSession: ['alice'],
      expireToken: ['alice'],
      failNext: ['user_sendmsg', { reason: 'no' }],
      refuseLogin: ['bob', 'TokenErrorWrong'],
      outage: [10],
      phone: ['+15551234'],
      setChannelLimits: [{ maxMembers: 5 }],
      setStoredMessageLimits: [{ perAccount: 5 }],
      'net.latency': [10],
      'net.loss': [0.5],
      'net.duplicate': [1],
      'net.hold': [],
      'net.release': [],
      'net.disconnect': ['alice', { for: 10 }],
      'net.reconnect': ['carol'],
      'net.outage': [10],
      'net.clear': [],
    };
    expect(Object.keys(args).sort()).toEqual(listVerbs().sort());
    for (const verb of listVerbs()) {
      const steps = [{ client: 'alice', call: 'login' }, { advance: 10 }, ...(verb === 'net.reconnect' ? [{ cloud: 'net.disconnect', args: ['carol'] }] : []), { cloud: verb, args: args[verb] }, { advance: 100 }];
      const t = { version: 1, steps, expect: { match: 'subsequence', log: [] } };
      expect(validateTranscript(t), verb).toEqual([]);
      const result = await replay(t);
      expect(result.failure, verb).toBeUndefined();
    }
  });
});
