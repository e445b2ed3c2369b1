/**
 * A transcript read from JSON text (`parseTranscript`, `loadTranscript`, `replayFile`, the CLI)
 * is checked by `checkParsedData`, which reads no descriptors since JSON.parse makes plain data
 * only. It must report exactly what `checkData` reports on the same value: numbers too large
 * for a double, nesting too deep, too many values, in the same order with the same paths.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bounds } from '../src/bounds.js';
import { checkData, checkParsedData } from '../src/transcript/data.js';
import { parseTranscript } from '../src/transcript/parse.js';
import { TranscriptError, validateTranscript, type TranscriptIssue } from '../src/transcript/validate.js';

const RUNS = Number(process.env.PARSED_CHECK_RUNS ?? 1000);
const SEED = 20261202;

const key = fc.constantFrom('a', 'b', 'args', 'client', '__proto__', 'constructor', 'length', '$literal', 'note');
const { json } = fc.letrec<{ json: string }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('1', '-0', '1e999', '-1e999', '1.5e308', '"x"', '""', 'true', 'null', '[]', '{}'),
    fc.array(tie('json'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc.array(fc.tuple(key, tie('json')), { maxLength: 4 }).map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
    // Nesting around the limit, as arrays or objects.
    fc.tuple(fc.integer({ min: bounds.maxDepth - 4, max: bounds.maxDepth + 4 }), fc.boolean(), fc.constantFrom('1', '1e999')).map(([depth, objects, inner]) =>
      objects ? `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}` : `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`,
    ),
  ),
}));
/** Transcript-shaped text with generated values where steps, arguments and entries go. */
const transcriptText = fc
  .record({
    steps: fc.array(fc.oneof(json, json.map((a) => `{"client":"a","call":"login","args":[${a}]}`), fc.constant('{"advance":1e999}')), { maxLength: 6 }),
    log: fc.array(fc.oneof(json, json.map((a) => `{"kind":"call","name":"x","args":[${a},1e999]}`)), { maxLength: 6 }),
    extra: fc.option(json, { nil: undefined }),
  })
  .map(({ steps, log, extra }) => `{"version":1,${extra !== undefined ? `"apps":${extra},` : ''}"steps":[${steps.join(',')}],"expect":{"match":"exact","log":[${log.join(',')}]}}`);

function issuesOfParse(text: string): readonly TranscriptIssue[] {
  try {
    parseTranscript(text);
    return [];
  } catch (error) {
    if (!(error instanceof TranscriptError)) throw error;
    return error.issues;
  }
}

describe('the data check of a transcript parsed from JSON text', () => {
  it('reports what checkData reports, in the same order (any JSON value, any limit on the number of values)', () => {
    fc.assert(
      fc.property(fc.oneof(json, transcriptText), fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }), (text, limit) => {
        const value: unknown = JSON.parse(text);
        expect(checkParsedData(value, limit)).toEqual(checkData(JSON.parse(text), limit));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('parseTranscript reports what validateTranscript reports on the parsed value', () => {
    fc.assert(
      fc.property(transcriptText, (text) => {
        expect(issuesOfParse(text)).toEqual(validateTranscript(JSON.parse(text)));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('counts values as checkData does: an array its items and its length, an object its keys', () => {
    // 4 + 1 for the array, then 1 for the object: 6 values; the limit 5 stops at the object.
    const text = '[1, 2, 1e999, {"a": 1}]';
    for (const limit of [4, 5, 6]) {
      const parsed = checkParsedData(JSON.parse(text), limit);
      expect(parsed).toEqual(checkData(JSON.parse(text), limit));
      expect(parsed.fatal).toBe(limit < 6);
    }
    expect(checkParsedData(JSON.parse(text), 5).issues).toEqual([
      { path: '[2]', message: 'Infinity is not a JSON number (use a finite number)' },
      { path: '(root)', message: 'holds more than 5 values; a transcript is a scenario, not a data set' },
    ]);
    expect(checkParsedData(JSON.parse(text), 4).issues).toEqual([{ path: '(root)', message: 'holds more than 4 values; a transcript is a scenario, not a data set' }]);
  });
});
