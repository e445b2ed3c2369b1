/**
 * `{"$match": …}` runs in time linear in the string, and answers as JavaScript's `RegExp#test`
 * on every pattern it takes. Generated patterns (from the grammar it takes, and raw strings of
 * regular-expression characters) and generated strings; `MATCH_FUZZ_RUNS=200000 npx vitest run
 * test/transcript-match.test.ts` is the long run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileLinearRegex, MAX_STATES, PatternError } from '../src/transcript/linear-regex.js';
import { validateTranscript } from 'agora-signaling-emulator';

const RUNS = Number(process.env.MATCH_FUZZ_RUNS ?? 400);
const SEED = 20261202;

/**
 * Patterns from the grammar the matcher takes, over a small alphabet so that they match often.
 * Nesting stays shallow and strings short: the reference, JavaScript's backtracking engine, takes
 * exponential time on nested quantifiers.
 */
const { pattern } = fc.letrec<{ pattern: string; seq: string; item: string; atom: string }>((tie) => ({
  pattern: fc.oneof({ maxDepth: 2, depthIdentifier: 'pattern' }, tie('seq'), fc.tuple(tie('seq'), tie('seq')).map(([a, b]) => `${a}|${b}`)),
  seq: fc.array(tie('item'), { maxLength: 4, depthIdentifier: 'pattern' }).map((items) => items.join('')),
  item: fc.tuple(tie('atom'), fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,}', '{0,2}', '*?', '+?', '{1,3}?')).map(([a, q]) => (/^[$^]$|^\\[bB]$/.test(a) ? a : a + q)),
  atom: fc.oneof(
    { maxDepth: 2, depthIdentifier: 'pattern' },
    fc.constantFrom('a', 'b', '.', ' ', '\\.', '\\d', '\\w', '\\s', '\\W', '[ab]', '[^a]', '[a-c]', '[]', '[^]', '[\\d_]', '\\x61', '\\u0062', '^', '$', '\\b', '\\B', '\\n'),
    tie('pattern').map((p) => `(${p})`),
    tie('pattern').map((p) => `(?:${p})`),
  ),
}));
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '1', '_', ' ', '.', '\n', 'é'), maxLength: 8 });

describe('$match', () => {
  it('answers as RegExp#test on every pattern of the grammar it takes', () => {
    fc.assert(
      fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 6 }), (source, texts) => {
        let linear;
        try {
          linear = compileLinearRegex(source);
        } catch (error) {
          // Only size may refuse a pattern of this grammar.
          expect((error as Error).message).toContain(`${MAX_STATES} states`);
          return;
        }
        const reference = new RegExp(source);
        for (const t of texts) expect(linear.test(t), `/${source}/ on ${JSON.stringify(t)}`).toBe(reference.test(t));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('on raw strings of pattern characters: takes nothing JavaScript refuses, and agrees on what both take', () => {
    const raw = fc.string({ unit: fc.constantFrom(...'ab.^$|()[]{}*+?\\-,0123dDwWsSbBxuck<>=!:'.split('')), maxLength: 14 });
    let both = 0;
    fc.assert(
      fc.property(raw, fc.array(text, { minLength: 1, maxLength: 4 }), (source, texts) => {
        let reference: RegExp | undefined;
        try {
          reference = new RegExp(source);
        } catch {
          /* JavaScript refuses it */
        }
        let linear;
        try {
          linear = compileLinearRegex(source);
        } catch (error) {
          expect(error).toBeInstanceOf(PatternError);
          return;
        }
        expect(reference, `/${source}/ is refused by JavaScript but taken here`).toBeDefined();
        both++;
        for (const t of texts) expect(linear.test(t), `/${source}/ on ${JSON.stringify(t)}`).toBe(reference!.test(t));
      }),
      { numRuns: RUNS * 5, seed: SEED },
    );
    // The property is not vacuous: a share of the raw strings are patterns both take.
    expect(both).toBeGreaterThan(RUNS / 4);
  });

  it('reads a string once: (a+)+$, which backtracks for ages, answers at once on 100 000 characters', () => {
    // JavaScript's own engine takes about 2^n steps on n "a"s followed by "!"; here n + 1 reads.
    const evil = compileLinearRegex('(a+)+$');
    expect(evil.test(`${'a'.repeat(100_000)}!`)).toBe(false);
    expect(evil.test('a'.repeat(100_000))).toBe(true);
    expect(compileLinearRegex('(x+x+)+y').test('x'.repeat(50_000))).toBe(false);
  });

  it('refuses what needs backtracking, and a lone brace, saying what to write', () => {
    const refusal = (source: string) => {
      try {
        compileLinearRegex(source);
      } catch (error) {
        return (error as Error).message;
      }
      return 'taken';
    };
    expect(refusal('(a)\\1')).toMatch(/backreference.*needs backtracking/);
    expect(refusal('a(?=b)')).toMatch(/lookaround/);
    expect(refusal('(?<!a)b')).toMatch(/lookaround/);
    expect(refusal('a{')).toMatch(/write \\\{/);
    expect(refusal('a}')).toMatch(/lone "}".*write \\}/);
    expect(refusal('\\q')).toMatch(/the escape \\q.*not one of/);
    expect(refusal('a{101}')).toMatch(/count above 100/);
    expect(refusal('((a{100}){100})')).toMatch(/too large/);
  });

  it('a transcript with a pattern it does not take is refused by validation, naming the field', () => {
    const issues = validateTranscript({
      version: 1,
      steps: [{ client: 'alice', call: 'login', args: ['alice', '_no_need_token'] }],
      expect: { match: 'subsequence', log: [{ kind: 'call', name: 'login', args: [{ $match: '(a)\\1' }] }] },
    });
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([expect.stringMatching(/^expect\.log\[0\]\.args\[0\]\.\$match: a pattern \$match does not take .*backreference/)]);
  });
});
