import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ServerSession } from './state.js';
import { ListedMember, MemberList, type MemberWindow } from './member-list.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_101);

const member = (account: string, uid: number): ListedMember => new ListedMember({} as ServerSession, account, uid, uid);

// A join, a leave (of an account present or not), or a query of the latest `max`.
const op = fc.oneof(
  fc.record({ op: fc.constant('set' as const), account: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ op: fc.constant('delete' as const), account: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ op: fc.constant('latest' as const), max: fc.integer({ min: -2, max: 15 }) }),
  fc.record({ op: fc.constant('window' as const), max: fc.integer({ min: -2, max: 15 }) }),
);

/** A member whose `account` and `uid` count their reads in `reads.n`. */
function counted(account: string, uid: number, reads: { n: number }): ListedMember {
  const m = new ListedMember({} as ServerSession, account, uid, uid);
  return Object.defineProperties(m, {
    account: {
      get() {
        reads.n++;
        return account;
      },
    },
    uid: {
      get() {
        reads.n++;
        return uid;
      },
    },
  });
}

describe('MemberList', () => {
  it("keeps a Map's order under any joins and leaves (a second set replaces in place), and its latest `max` are the Map's last `max`", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const list = new MemberList();
        const map = new Map<string, ListedMember>();
        let uid = 0;
        // Windows taken so far, with the list each had to give for ever after.
        const windows: Array<{ window: MemberWindow; expected: Array<[string, number]> }> = [];
        for (const o of ops) {
          if (o.op === 'set') {
            const m = member(`a${o.account}`, ++uid);
            list.set(m.account, m);
            map.set(m.account, m);
          } else if (o.op === 'delete') {
            expect(list.delete(`a${o.account}`)).toBe(map.delete(`a${o.account}`));
          } else if (o.op === 'latest') {
            const expected = o.max <= 0 ? [] : [...map.values()].slice(-o.max).map((m) => m.uid);
            expect(list.latest(o.max, (m) => m.uid)).toEqual(expected);
          } else {
            const expected = o.max <= 0 ? [] : [...map.values()].slice(-o.max).map((m): [string, number] => [m.account, m.uid]);
            windows.push({ window: list.window(o.max), expected });
          }
          for (const { window, expected } of windows) {
            const made = window.list();
            expect(made).toEqual(expected);
            expect(window.list()).not.toBe(made);
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

  it("reads the same members for a join and its window (a join reply's list) whatever the size of the room", () => {
    // Reads of members' account and uid, counted: a join and the window of its reply read
    // the same number in a room of 1 000 as in one of 50 000 (none of the room's other members).
    const readsFor = (size: number): number => {
      const reads = { n: 0 };
      const list = new MemberList();
      for (let i = 0; i < size; i++) list.set(`m${i}`, counted(`m${i}`, i + 1, reads));
      list.window(200).list();
      reads.n = 0;
      for (let i = size; i < size + 2_000; i++) {
        list.set(`m${i}`, counted(`m${i}`, i + 1, reads));
        expect(list.window(200).list()).toHaveLength(200);
        expect(list.has(`m${i - 100}`)).toBe(true);
        expect(list.get(`m${i}`)?.joinedAt).toBe(i + 1);
      }
      // A leave, then the next join's window reads the latest 200 once.
      list.delete(`m${size}`);
      list.set('late', counted('late', 0, reads));
      expect(list.window(200).list()[199]).toEqual(['late', 0]);
      return reads.n;
    };
    const small = readsFor(1_000);
    expect(small).toBeLessThan(2_000 * 2 + 2 * 200 + 10);
    expect(readsFor(50_000)).toBe(small);
  });

  it("answers the channel queries (num, isin, the latest `num` members) and a leave without reading the room's other members", () => {
    for (const size of [1_000, 50_000]) {
      const reads = { n: 0 };
      const list = new MemberList();
      for (let i = 0; i < size; i++) list.set(`m${i}`, counted(`m${i}`, i + 1, reads));
      reads.n = 0;
      expect(list.size).toBe(size);
      expect(list.has('m7')).toBe(true);
      expect(reads.n).toBe(0);
      expect(list.latest(200, (m) => [m.account, m.uid])).toHaveLength(200);
      expect(reads.n).toBe(400);
      expect(list.delete('m7')).toBe(true);
      expect(list.delete(`m${size - 1}`)).toBe(true);
      expect(reads.n).toBe(400);
      expect(list.latest(3, (m) => m.account)).toEqual([`m${size - 4}`, `m${size - 3}`, `m${size - 2}`]);
    }
  });
});
