import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkTranscript, parseTranscript, TranscriptError, validateTranscript, type Transcript } from 'agora-signaling-emulator';
import { loadTranscript } from 'agora-signaling-emulator/node';
import { schemaErrors } from './support/json-schema-lite.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const schema = JSON.parse(readFileSync(`${root}transcript.schema.json`, 'utf8')) as Record<string, unknown>;
const fixtures = readdirSync(`${root}fixtures`).filter((f) => f.endsWith('.json'));

const minimal = (extra: Record<string, unknown> = {}) => ({ version: 1, steps: [], expect: { match: 'exact', log: [] }, ...extra });

/** The message a file gets, as `file: path: what`. */
function errorOf(text: string): string {
  try {
    parseTranscript(text, 'x.json');
  } catch (error) {
    expect(error).toBeInstanceOf(TranscriptError);
    return (error as Error).message;
  }
  throw new Error('expected the transcript to be rejected');
}

describe('an invalid transcript gets a precise error, file: path: what is wrong', () => {
  it('bad JSON names the line and column', () => {
    expect(errorOf('{\n  "version": 1,\n  "steps": [,]\n}')).toBe('x.json: line 3, column 13: not valid JSON: expected a value, found ","');
  });

  it('an unknown step lists the kinds of step there are', () => {
    const msg = errorOf(JSON.stringify(minimal({ steps: [{ advance: 1 }, { wait: 5 }] })));
    expect(msg).toBe('x.json: steps[1]: unknown step: expected one of call (with client), set, cloud, handle, advance, until, check, on; got the fields wait');
  });

  it('a wrong type names the field and what it got', () => {
    expect(errorOf(JSON.stringify(minimal({ steps: [{ advance: '5s' }] })))).toBe('x.json: steps[0].advance: expected a number of ms ≥ 0, got "5s"');
    expect(errorOf(JSON.stringify(minimal({ latency: -1 })))).toBe('x.json: latency: expected a number of ms ≥ 0, got -1');
  });

  it('a missing field says what belongs there', () => {
    expect(errorOf(JSON.stringify({ version: 1, steps: [] }))).toMatch(/^x\.json: expect: missing: a transcript needs "expect"/);
    expect(errorOf(JSON.stringify({ ...minimal(), expect: { log: [] } }))).toMatch(/^x\.json: expect\.match: missing: say "exact"/);
    expect(errorOf(JSON.stringify({ steps: [], expect: { match: 'exact', log: [] } }))).toBe('x.json: version: missing: every transcript says "version": 1');
  });

  it('a field of a step that is not one names the fields that are', () => {
    expect(errorOf(JSON.stringify(minimal({ steps: [{ client: 'alice', call: 'login', timeout: 5 }] })))).toBe(
      'x.json: steps[0].timeout: unknown field for a call step (known: at, note, client, object, call, args, as, app)',
    );
  });

  it('a client used before its login, or never logged in, is named', () => {
    const msg = errorOf(JSON.stringify(minimal({ steps: [{ client: 'bob', call: 'logout' }, { client: 'bob', call: 'login' }, { client: 'carol', call: 'logout' }] })));
    expect(msg.split('\n')).toEqual([
      'x.json: steps[0].client: "bob" logs in only later, at steps[1]: steps run in order, so move this step after the login',
      'x.json: steps[2].client: no step logs in a client named "carol" (clients: bob)',
    ]);
  });

  it('bad patterns and operators are caught before anything runs', () => {
    const msg = errorOf(
      JSON.stringify(
        minimal({
          steps: [{ client: 'a', call: 'login', args: ['a', { $tokn: {} }] }],
          expect: { match: 'exact', log: [{ kind: 'callbak', args: [{ $match: '(' }, { $type: 'int' }] }] },
        }),
      ),
    );
    expect(msg.split('\n')).toEqual([
      'x.json: steps[0].args[1]: unknown operator $tokn in an argument (known: $cb, $token, $arg, $repeat, $object, $undefined, $literal; wrap a literal object in {"$literal": …})',
      'x.json: expect.log[0].kind: expected one of call, callback, fault, server, got "callbak"',
      expect.stringMatching(/^x\.json: expect\.log\[0\]\.args\[0\]\.\$match: not a valid regular expression: /),
      'x.json: expect.log[0].args[1].$type: expected one of string, number, boolean, object, array, null, undefined, function, got "int"',
    ]);
  });

  it('every issue is reported, not only the first', () => {
    const issues = validateTranscript({ version: 2, seed: 1.5, steps: [{ advance: -1 }], expect: { match: 'all', log: [] } });
    expect(issues.map((i) => i.path)).toEqual(['version', 'seed', 'steps[0].advance', 'expect.match']);
  });

  it('a cloud verb this version does not have is an error before anything runs', () => {
    const t = minimal({ steps: [{ cloud: 'kik', args: ['alice'] }, { cloud: 'advance', args: [5] }] });
    expect(() => checkTranscript(t, 'x.json')).toThrow(/^x\.json: steps\[0\]\.cloud: "kik" is not a verb of this cloud \(this version has: createApp/);
    expect(() => checkTranscript(t, 'x.json')).toThrow(/steps\[1\]\.cloud: "advance" is not a verb for transcripts: use \{ "advance": ms \}/);
  });

  it("the cloud's internal state is not offered as verbs (invites, server, channel service)", () => {
    for (const name of ['invites.list', 'server.kick', 'channelService.join']) {
      const t = minimal({ steps: [{ cloud: name, args: [] }] });
      expect(() => checkTranscript(t, 'x.json')).toThrow(/is not a verb of this cloud \(this version has: createApp, kick, /);
    }
  });

  it('a missing file says so', () => {
    expect(() => loadTranscript(`${root}fixtures/no-such.json`)).toThrow(/no-such\.json: \(file\): no such file$/);
  });
});

describe('transcript.schema.json', () => {
  it('accepts every fixture', () => {
    for (const f of fixtures) {
      expect([f, schemaErrors(schema, loadTranscript(`${root}fixtures/${f}`))]).toEqual([f, []]);
    }
  });

  it.each([
    ['an unknown step', minimal({ steps: [{ wait: 5 }] })],
    ['a wrong type', minimal({ steps: [{ advance: '5s' }] })],
    ['a missing field', { version: 1, steps: [] }],
    ['another version', minimal({ version: 2 })],
    ['an unknown field', minimal({ steps: [{ client: 'a', call: 'login', timeout: 1 }] })],
    ['a set of something not a callback', minimal({ steps: [{ client: 'a', call: 'login' }, { client: 'a', set: { logout: true } }] })],
    ['a reaction that does nothing', minimal({ steps: [{ on: 'onLogout', client: 'a' }] })],
  ])('rejects %s, as the validator does', (_what, value) => {
    expect(validateTranscript(value)).not.toEqual([]);
    expect(schemaErrors(schema, value)).not.toEqual([]);
  });

  it('knows the same top-level fields and step fields as the validator', async () => {
    const { TOP_LEVEL_FIELDS, STEP_FIELDS } = await import('../src/transcript/validate.js');
    expect(Object.keys(schema.properties as object).sort()).toEqual([...TOP_LEVEL_FIELDS].sort());
    const defs = schema.$defs as Record<string, { properties: object }>;
    const byKind = { call: 'callStep', set: 'setStep', cloud: 'cloudStep', handle: 'handleStep', advance: 'advanceStep', until: 'untilStep', on: 'reactionStep' } as const;
    for (const [kind, def] of Object.entries(byKind)) {
      expect([kind, Object.keys(defs[def]!.properties).sort()]).toEqual([kind, [...STEP_FIELDS[kind as keyof typeof STEP_FIELDS]].sort()]);
    }
  });

  it('is shipped in the package and exported by name', () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { files: string[]; exports: Record<string, unknown> };
    expect(pkg.files).toContain('transcript.schema.json');
    expect(pkg.exports['./transcript.schema.json']).toBe('./transcript.schema.json');
  });
});

describe('the Transcript type', () => {
  it('describes a valid transcript', () => {
    const t: Transcript = {
      version: 1,
      steps: [{ client: 'alice', call: 'login' }, { on: 'onLogout', client: 'alice', do: [{ call: 'logout' }] }, { advance: 100 }],
      expect: { match: 'subsequence', log: [{ kind: 'callback', name: 'onLoginSuccess', args: [{ $type: 'number' }] }] },
    };
    expect(validateTranscript(t)).toEqual([]);
    // @ts-expect-error version 2 is not a version this release reads
    const wrong: Transcript = { ...t, version: 2 };
    expect(validateTranscript(wrong)).toHaveLength(1);
  });
});
