// Regression (issue 17, item 5): validation reported one problem per run, although the docs
// promise every problem at once: the fields were checked first, and the cloud verbs only when
// the fields were right (on a cloud, at replay). Every check is now one pass over the
// transcript, in document order, and the CLI and replay report the same list.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTranscript, replay, validateTranscript } from 'agora-signaling-emulator';
import { runCli } from '../../../src/cli/run-cli.js';

const broken = {
  version: 1,
  steps: [
    { client: 'alice', call: 'login' },
    { advance: -1 },
    { cloud: 'kik', args: ['alice'] },
    { client: 'bob', call: 'messageInstantSend', args: [] },
    { advance: 10, whatever: 1 },
    { client: 'alice', set: { onLogut: true } },
    { cloud: 'net.latency', args: [20], as: 'slow' },
    { handle: 'slow', call: 'release' },
  ],
  expect: { match: 'exact', log: [{ kind: 'bad' }] },
};

const expected = [
  'steps[1].advance: expected a number of ms ≥ 0, got -1',
  'steps[2].cloud: "kik" is not a verb of this cloud',
  'steps[3].client: no step logs in a client named "bob" (clients: alice)',
  'steps[4].whatever: unknown field for an advance step (known: at, note, advance)',
  'steps[5].set.onLogut: not a callback of the 1.4.0 SDK',
  'steps[7].call: handle "slow" is a network rule, which has no method "release" (it has: remove)',
  'expect.log[0].kind: expected one of call, callback, fault, server, got "bad"',
];

describe('an invalid transcript', () => {
  it('has every problem reported at once, in document order', () => {
    const issues = validateTranscript(broken).map((i) => `${i.path}: ${i.message}`);
    expect(issues).toHaveLength(expected.length);
    issues.forEach((issue, k) => expect(issue.startsWith(expected[k]!), `${issue}\n  should start with\n${expected[k]}`).toBe(true));
  });

  it('checkTranscript and replay report the same list (no verb is left for a later run)', async () => {
    const lines = (message: string) => message.split('\n').map((l) => l.replace(/^broken\.json: /, ''));
    let checked = '';
    try {
      checkTranscript(broken, 'broken.json');
    } catch (error) {
      checked = (error as Error).message;
    }
    const replayed = await replay(broken, { file: 'broken.json' }).then(
      () => '',
      (error: Error) => error.message,
    );
    expect(lines(checked)).toHaveLength(expected.length);
    expect(replayed).toBe(checked);
  });

  it('the CLI validate prints them all', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'every-')), 'broken.json');
    writeFileSync(file, JSON.stringify(broken));
    const out: string[] = [];
    const code = await runCli(['validate', file], { out: (t) => out.push(t), err: (t) => out.push(t) });
    expect(code).toBe(2);
    const text = out.join('\n');
    for (const line of expected) expect(text).toContain(`${file}: ${line}`);
  });
});
