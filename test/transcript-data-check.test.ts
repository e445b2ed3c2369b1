/**
 * The first check of a transcript built in code: what is not JSON data is reported with its
 * path, in document order, without running a getter or a proxy's `get` (a long transcript's
 * walk keeps one frame per level, so these pin what it reports, in what order). A hole in an
 * array holds nothing and is no issue.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateTranscript } from 'agora-signaling-emulator';

class Point {
  x = 1;
}

const notCode = 'is a getter; a transcript holds data, not code';
const notData = '(a transcript holds text, numbers, true/false, null, lists and objects)';

/** A transcript with one of each thing that is not data, in steps and expected entries. */
function hostile(): { transcript: unknown; ran: string[] } {
  const ran: string[] = [];
  const step0: Record<string, unknown> = { client: 'alice', call: 'login' };
  Object.defineProperty(step0, 'note', { get: () => ran.push('getter'), enumerable: true });
  const args: unknown[] = ['a', Number.NaN, () => 1];
  Object.defineProperty(args, 3, { get: () => ran.push('element getter'), enumerable: true });
  const hidden: Record<string, unknown> = { advance: 10 };
  Object.defineProperty(hidden, 'note', { value: new Point(), enumerable: false });
  const withSymbol: Record<string | symbol, unknown> = { advance: 5, [Symbol('s')]: () => 1 };
  const setter: Record<string, unknown> = { kind: 'call' };
  Object.defineProperty(setter, 'name', { set: () => ran.push('setter'), enumerable: true });
  const proxy = new Proxy(
    {},
    {
      ownKeys: () => {
        throw new RangeError('no keys');
      },
      get: () => {
        throw new RangeError('no get');
      },
    },
  );
  // eslint-disable-next-line no-sparse-arrays
  const log = [setter, , { t: Number.NEGATIVE_INFINITY }];
  const steps = [step0, { client: 'alice', call: 'channelJoin', args }, hidden, withSymbol, { client: 'alice', call: 'x', args: [Number.POSITIVE_INFINITY, 10n, proxy] }];
  return { transcript: { version: 1, steps, expect: { match: 'exact', log } }, ran };
}

describe('the data check of a transcript built in code', () => {
  it('names every value that is not data, in document order, and runs no getter', () => {
    const { transcript, ran } = hostile();
    expect(validateTranscript(transcript)).toEqual([
      { path: 'steps[0].note', message: notCode },
      { path: 'steps[1].args[3]', message: notCode },
      { path: 'steps[1].args[1]', message: 'NaN is not a JSON number (use a finite number)' },
      { path: 'steps[1].args[2]', message: `a function is not JSON data ${notData}` },
      { path: 'steps[2].note', message: 'an object that is not plain data is not JSON data (a transcript holds plain objects and lists only)' },
      { path: 'steps[4].args[0]', message: 'Infinity is not a JSON number (use a finite number)' },
      { path: 'steps[4].args[1]', message: `10n is not JSON data ${notData}` },
      { path: 'steps[4].args[2]', message: 'cannot be read (RangeError: no get); a transcript holds plain data' },
      { path: 'expect.log[0].name', message: notCode },
      { path: 'expect.log[2].t', message: '-Infinity is not a JSON number (use a finite number)' },
    ]);
    expect(ran).toEqual([]);
  });

  it('reports 50 values and counts the rest in a last issue', () => {
    const many = { version: 1, steps: Array.from({ length: 30 }, (_, i) => ({ advance: Number.NaN, note: [() => i] })), expect: { match: 'exact', log: [] } };
    const issues = validateTranscript(many);
    expect(issues.slice(0, 3)).toEqual([
      { path: '(root)', message: '… and 10 more values that are not JSON data' },
      { path: 'steps[0].advance', message: 'NaN is not a JSON number (use a finite number)' },
      { path: 'steps[0].note[0]', message: `a function is not JSON data ${notData}` },
    ]);
    expect(issues.filter((i) => i.message.includes('JSON') && i.path !== '(root)')).toHaveLength(50);
  });

  it('a hole in steps, args or expect.log holds nothing: no issue', () => {
    // eslint-disable-next-line no-sparse-arrays
    const t = { version: 1, steps: [{ client: 'a', call: 'login', args: ['a', , 'x'] }, , { advance: 1 }], expect: { match: 'exact', log: [, { kind: 'call' }, , { args: [1, , 2] }] } };
    expect(validateTranscript(t)).toEqual([]);
  });

  it("an object with a Symbol.toStringTag getter, its own or its prototype's, is reported as not plain data and the getter is not run", () => {
    const ran: string[] = [];
    const own = { advance: 1 };
    Object.defineProperty(own, Symbol.toStringTag, { get: () => ran.push('own tag') });
    const proto = Object.create(null) as object;
    Object.defineProperty(proto, Symbol.toStringTag, { get: () => ran.push('prototype tag') });
    const inherited = Object.assign(Object.create(proto) as Record<string, unknown>, { advance: 1 });
    const issues = validateTranscript({ version: 1, steps: [own, inherited], expect: { match: 'exact', log: [] } });
    const notPlain = 'an object that is not plain data is not JSON data (a transcript holds plain objects and lists only)';
    expect(issues.filter((i) => i.message === notPlain).map((i) => i.path)).toEqual(['steps[0]', 'steps[1]']);
    expect(ran).toEqual([]);
  });

  it('runs no Symbol.toStringTag getter wherever a generated transcript holds one', () => {
    // Where: a step, an argument, an expected entry or a value inside one; whose: the object's or its prototype's.
    const place = fc.record({ at: fc.constantFrom('step', 'arg', 'entry', 'entry-arg'), inherited: fc.boolean(), plain: fc.jsonValue({ maxDepth: 2 }) });
    fc.assert(
      fc.property(fc.array(place, { minLength: 1, maxLength: 4 }), (places) => {
        const ran: number[] = [];
        const tagged = (i: number, fields: Record<string, unknown>, inherited: boolean) => {
          const holder = inherited ? (Object.create(null) as object) : fields;
          Object.defineProperty(holder, Symbol.toStringTag, { get: () => ran.push(i) });
          return inherited ? Object.assign(Object.create(holder) as Record<string, unknown>, fields) : fields;
        };
        const steps: unknown[] = [{ client: 'alice', call: 'login', args: ['alice', '_no_need_token'] }];
        const log: unknown[] = [];
        places.forEach((p, i) => {
          if (p.at === 'step') steps.push(tagged(i, { advance: 1 }, p.inherited));
          else if (p.at === 'arg') steps.push({ client: 'alice', call: 'logout', args: [tagged(i, { x: p.plain }, p.inherited)] });
          else if (p.at === 'entry') log.push(tagged(i, { kind: 'call' }, p.inherited));
          else log.push({ kind: 'call', args: [p.plain, tagged(i, { y: 1 }, p.inherited)] });
        });
        const issues = validateTranscript({ version: 1, steps, expect: { match: 'exact', log } });
        expect(issues.length).toBeGreaterThanOrEqual(places.length);
        expect(ran).toEqual([]);
      }),
      { numRuns: 200, seed: 20_261_202 },
    );
  });
});
