/**
 * The comparison of a replay asks `matches` / `entryMatches` whether each entry matches, and
 * makes the mismatches (`matchValue` / `entryMismatches`) only for the diff: the two must answer
 * alike on every pattern and value, or a replay would pass where its diff names a difference
 * (or fail with an empty diff). Generated patterns (every match operator, nested) and values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryMatches, entryMismatches } from '../src/transcript/entries.js';
import { matches, matchValue, type ObjectNames } from '../src/transcript/patterns.js';
import type { LogEntry } from '../src/log/entry.js';
import type { EntryField, ExpectedEntry } from '../src/transcript/types.js';

const RUNS = Number(process.env.COMPARE_FUZZ_RUNS ?? 2000);
const SEED = 20261202;

const scalar = fc.oneof(fc.constantFrom('a', 'ab', 'b', '', '1', '{"a":1}', '[1,2]', 'xxxx', 'x'), fc.integer({ min: -2, max: 2 }), fc.constantFrom(true, false, null, 0, -0, Number.NaN));
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', '$x'), tie('value'), { maxKeys: 3 }), fc.constant(undefined), fc.constant(() => 1)),
}));
const { pattern } = fc.letrec<{ pattern: unknown }>((tie) => ({
  pattern: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('pattern'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b'), tie('pattern'), { maxKeys: 3 }),
    fc.constant({ $any: true }),
    fc.constantFrom('string', 'number', 'boolean', 'object', 'array', 'null', 'undefined', 'function').map(($type) => ({ $type })),
    fc.constantFrom('^a', 'b$', 'x+', '^$', '(').map(($match) => ({ $match })),
    tie('pattern').map(($json) => ({ $json })),
    fc.dictionary(fc.constantFrom('a', 'b'), tie('pattern'), { maxKeys: 2 }).map(($has) => ({ $has })),
    fc.tuple(fc.constantFrom('x', 'ab'), fc.nat(4)).map(($repeat) => ({ $repeat })),
    fc.constant({ $cb: true }),
    fc.constant({ $undefined: true }),
    fc.constant({ $object: 'session:alice' }),
    value.map(($literal) => ({ $literal })),
    fc.constant({ $unknown: 1 }),
  ),
}));
const names: ObjectNames = () => ['session:alice'];

describe('the comparison answers as the diff', () => {
  it('matches(p, v) is matchValue(p, v) === undefined', () => {
    fc.assert(
      fc.property(pattern, fc.oneof(value, pattern), (p, v) => {
        expect(matches(p, v, names)).toBe(matchValue(p, v, 'args', names) === undefined);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('entryMatches is entryMismatches(…).length === 0, with and without ignored fields', () => {
    const fields: EntryField[] = ['t', 'client', 'kind', 'name', 'object', 'args', 'session', 'error', 'unhandled'];
    const entry = fc.record(
      {
        t: fc.constantFrom(1000, 1100, 1200),
        client: fc.constantFrom('alice', 'bob'),
        kind: fc.constantFrom('call', 'callback'),
        name: fc.constantFrom('login', 'onLoginSuccess'),
        object: fc.constantFrom(undefined, 'channel:room'),
        args: fc.array(value, { maxLength: 3 }),
        session: fc.constantFrom(undefined, 1, 2),
        error: fc.constantFrom(undefined, 'boom'),
        unhandled: fc.constantFrom(undefined, true),
      },
      { requiredKeys: ['t', 'client', 'kind', 'name', 'args'] },
    );
    const expected = fc.record(
      {
        t: fc.oneof(fc.constantFrom(0, 100, 200), pattern),
        client: fc.oneof(fc.constantFrom('alice', 'bob'), pattern),
        kind: fc.constantFrom('call', 'callback'),
        name: fc.oneof(fc.constantFrom('login', 'onLoginSuccess'), pattern),
        object: fc.oneof(fc.constant('channel:room'), pattern),
        args: fc.oneof(fc.array(value, { maxLength: 3 }), fc.array(pattern, { maxLength: 3 })),
        session: fc.constantFrom(1, 2),
        error: fc.constantFrom('boom', 'other'),
        unhandled: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(expected, entry, fc.subarray(fields), (e, a, ignore) => {
        const actual = a as unknown as LogEntry;
        const want = entryMismatches(e as ExpectedEntry, actual, 1000, names, ignore).length === 0;
        expect(entryMatches(e as ExpectedEntry, actual, 1000, names, ignore)).toBe(want);
        expect(entryMatches(e as ExpectedEntry, actual, 1000, names)).toBe(entryMismatches(e as ExpectedEntry, actual, 1000, names).length === 0);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
