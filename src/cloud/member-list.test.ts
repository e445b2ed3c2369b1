import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChannelMember } from './channel-registry.js';
import type { ServerSession } from './state.js';
import { MemberList } from './member-list.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_101);

const member = (account: string, uid: number): ChannelMember => ({ session: {} as ServerSession, account, uid, joinedAt: uid });

// A join, a leave (of an account present or not), or a query of the latest `max`.
const op = fc.oneof(
  fc.record({ op: fc.constant('set' as const), account: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ op: fc.constant('delete' as const), account: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ op: fc.constant('latest' as const), max: fc.integer({ min: -2, max: 15 }) }),
);

describe('MemberList', () => {
  it("keeps a Map's order under any joins and leaves (a second set replaces in place), and its latest `max` are the Map's last `max`", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const list = new MemberList();
        const map = new Map<string, ChannelMember>();
        let uid = 0;
        for (const o of ops) {
          if (o.op === 'set') {
            const m = member(`a${o.account}`, ++uid);
            list.set(m.account, m);
            map.set(m.account, m);
          } else if (o.op === 'delete') {
            expect(list.delete(`a${o.account}`)).toBe(map.delete(`a${o.account}`));
          } else {
            const expected = o.max <= 0 ? [] : [...map.values()].slice(-o.max).map((m) => m.uid);
            expect(list.latest(o.max, (m) => m.uid)).toEqual(expected);
          }
          expect(list.size).toBe(map.size);
          expect(list.map((m) => m)).toEqual([...map.values()]);
          for (let a = 0; a <= 12; a++) {
            expect(list.has(`a${a}`)).toBe(map.has(`a${a}`));
            expect(list.get(`a${a}`)).toBe(map.get(`a${a}`));
          }
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
