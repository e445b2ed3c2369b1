import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// `npm test` builds first; these run the built CLI as a user's shell would.
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');
const fixture = (name: string) => join(root, 'fixtures', `${name}.json`);
const dir = mkdtempSync(join(tmpdir(), 'cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A copy of a fixture in the temp folder, changed by `edit`. */
function copy(name: string, edit?: (t: Record<string, any>) => void): string {
  const file = join(dir, `${name}-${Math.abs(hash(String(edit)))}.json`);
  copyFileSync(fixture(name), file);
  if (edit) {
    const t = JSON.parse(readFileSync(file, 'utf8'));
    edit(t);
    writeFileSync(file, JSON.stringify(t, null, 2));
  }
  return file;
}

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}

describe('agora-signaling-emulator (the built CLI)', () => {
  it('--help lists the commands and the exit codes', () => {
    const r = run('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('agora-signaling-emulator replay <files or folders…> [--update] [--quiet] [--seed <n>] [--html <out>]');
    expect(r.out).toContain('Exit codes: 0 all passed, 1 a transcript');
    expect(r.out).toContain('agora-signaling-emulator serve [--port <n>] [--host <address>] [--allow-host <name>] [--seed <n>]');
  });

  it('each command has its own --help', () => {
    expect(run('replay', '--help').out).toMatch(/^Usage: agora-signaling-emulator replay/);
    expect(run('help', 'validate').out).toMatch(/^Usage: agora-signaling-emulator validate/);
  });

  it('replay of the fixtures folder prints each timeline under a header, and a summary; exit 0', () => {
    const r = run('replay', 'fixtures');
    expect(r.code).toBe(0);
    expect(r.out).toContain('── fixtures/second-login-kicks-the-first-with-103.json: a second login of the same account kicks the first session: onLogout(103)');
    expect(r.out).toMatch(/\+1\.160s\s+alice\s+callback\s+onLogout\s+103/);
    expect(r.out).toMatch(/\n(\d+) passed, 0 failed\n$/);
  });

  it('a tampered transcript fails with its first divergence; exit 1', () => {
    const file = copy('second-login-kicks-the-first-with-103', (t) => {
      t.expect.log[5].args = [102];
    });
    const r = run('replay', '--quiet', file, fixture('login-succeeds-with-the-server-uid'));
    expect(r.code).toBe(1);
    expect(r.out).toContain(`FAIL  ${file}`);
    expect(r.out).toContain('first divergence at expect.log[5] (5 entries matched before it):');
    expect(r.out).toContain('args[0]: expected 102, got 103');
    expect(r.out).toMatch(/\n1 passed, 1 failed\n$/);
  });

  it.each([
    ['bad JSON', '{ "version": 1, ', /: line 1, column 17: not valid JSON: expected a property name in double quotes, found the end of the text/],
    ['an unknown step', JSON.stringify({ version: 1, steps: [{ sleep: 5 }], expect: { match: 'exact', log: [] } }), /: steps\[0\]: unknown step: expected one of call \(with client\), set, cloud, handle, advance, until, check, on; got the fields sleep/],
    ['a wrong type', JSON.stringify({ version: 1, steps: [], expect: { match: 'exact', log: {} } }), /: expect\.log: expected an array of entries, got \{\}/],
    ['a missing field', JSON.stringify({ version: 1, expect: { match: 'exact', log: [] } }), /: steps: missing: a transcript needs "steps": \[\.\.\.\] \(it may be empty\)/],
    ['an unknown cloud verb', JSON.stringify({ version: 1, steps: [{ cloud: 'explode' }], expect: { match: 'exact', log: [] } }), /: steps\[0\]\.cloud: "explode" is not a verb of this cloud \(this version has: createApp/],
  ])('%s gives its precise error and exit 2, and nothing runs', (_what, text, message) => {
    const file = join(dir, `invalid-${hash(text)}.json`);
    writeFileSync(file, text);
    for (const command of ['replay', 'validate']) {
      const r = run(command, file);
      expect(r.code).toBe(2);
      expect(r.out).toContain(`INVALID  ${file}`);
      expect(r.out).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${message.source}`));
      expect(r.out).not.toContain('──');
    }
  });

  it('validate accepts the fixtures; exit 0', () => {
    const r = run('validate', 'fixtures');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\n(\d+) valid, 0 invalid\n$/);
  });

  it('--update rewrites the expected log of a transcript that differs, then it passes', () => {
    const file = copy('peer-message-reaches-the-peer', (t) => {
      t.expect.log = [];
    });
    const r = run('replay', '--update', '--quiet', file);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`UPDATED  ${file}  (expect.log rewritten: 7 entries)`);
    expect(readFileSync(file, 'utf8')).toContain('{ "t": 240, "client": "bob", "kind": "callback", "name": "onMessageInstantReceive", "args": ["alice", 0, "hello bob"], "session": 1 }');
    expect(run('replay', '--quiet', file).code).toBe(0);
  });

  it('--seed replays with another seed', () => {
    const r = run('replay', '--quiet', '--seed', '42', fixture('login-succeeds-with-the-server-uid'));
    expect(r.code).toBe(0);
  });

  it('--html draws each replay as an HTML sequence diagram, one file per transcript in a folder', () => {
    const out = join(dir, 'pictures');
    const r = run('replay', '--quiet', '--html', out, fixture('second-login-kicks-the-first-with-103'), fixture('login-succeeds-with-the-server-uid'));
    expect(r.code).toBe(0);
    const html = readFileSync(join(out, 'second-login-kicks-the-first-with-103.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<title>a second login of the same account kicks the first session: onLogout(103)</title>');
    expect(readFileSync(join(out, 'login-succeeds-with-the-server-uid.html'), 'utf8')).toContain('onLoginSuccess');
    expect(run('replay', '--html', join(dir, 'one.html'), 'fixtures').code).toBe(2);
  });

  it('bad usage is exit 2 with a hint', () => {
    expect(run('replay').code).toBe(2);
    expect(run('replay', '--fast', 'fixtures').err).toContain('replay has no option --fast');
    expect(run('frobnicate').err).toContain('no command "frobnicate"');
    expect(run('replay', join(dir, 'nothing-here.json')).code).toBe(2);
  });
});
