// Generators of JSON text for fuzzing the boundaries that read client JSON (wire frames,
// dashboard controls): every JSON type, values whose names reach for prototypes or conversions,
// nesting far past any limit, huge strings and long arrays. Built as text, so a value nested
// 30 000 deep costs nothing to make.
import fc from 'fast-check';

/** Values whose keys a careless reader would trip on: conversions, prototypes, constructors. */
export const SPECIAL_JSON = [
  '{"toString":1}',
  '{"valueOf":1,"toString":1}',
  '{"toJSON":1}',
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":null}',
  '{"length":1e999}',
  '{"then":1}',
  '[{"toString":1}]',
  '1e999',
  '-1e999',
  '-0',
  '1.7976931348623157e308',
  '9007199254740993',
  '""',
  '"__proto__"',
  '"constructor"',
  '"hasOwnProperty"',
  '"\\u0000"',
  '"\\ud800"',
  '" "',
  '"a b"',
  '[]',
  '{}',
  'null',
  'true',
  'false',
] as const;

/** Nested arrays or objects, `depth` deep (far past the frame limit of 32 at the high end). */
export const deepJson = fc.tuple(fc.integer({ min: 1, max: 30_000 }), fc.boolean()).map(([depth, objects]) =>
  objects ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}1${']'.repeat(depth)}`,
);

/** A string of up to `max` characters (huge ones near the frame limit). */
export const hugeString = (max: number): fc.Arbitrary<string> =>
  fc.tuple(fc.integer({ min: 200, max }), fc.constantFrom('x', 'é', '🎉', ' ', '\\"')).map(([n, c]) => `"${c.repeat(Math.max(1, Math.floor(n / c.length)))}"`);

/** An array of up to `max` values (past the 4 096 values a frame may hold at the high end). */
export const longArray = fc.integer({ min: 100, max: 20_000 }).map((n) => `[${new Array(n).fill('0').join(',')}]`);

/**
 * Text of any code points (lone surrogates and control characters included). Made from numbers:
 * fast-check's own full-Unicode string units keep a 58 MiB table of every code point, which
 * would swamp the heap figures the boundaries measure.
 */
export const anyText = (maxLength: number): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0x80, max: 0xffff }), fc.integer({ min: 0x10000, max: 0x10ffff })), { maxLength })
    .map((codes) => String.fromCodePoint(...codes));

/** Any JSON value, as text: the common, the odd and the extreme. */
export const anyJsonText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_JSON) },
  { weight: 2, arbitrary: anyText(40).map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: deepJson },
  { weight: 1, arbitrary: hugeString(60_000) },
  { weight: 1, arbitrary: longArray },
);

/** An object with keys from `keys` (and some others), each value any JSON, as text. */
export function objectText(keys: readonly string[]): fc.Arbitrary<string> {
  const key = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'prototype') }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) });
  return fc.array(fc.tuple(key, anyJsonText), { maxLength: 6 }).map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`);
}
