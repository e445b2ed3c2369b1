// assertFaultTolerance turns a failure into a test failure with the whole report, for any test
// runner (it throws; it imports none), after writing the failing run's transcript to a file the
// report names.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmulatorError, type Cloud, type FaultRun } from 'agora-signaling-emulator';
import { assertFaultTolerance, FaultToleranceError, replayFile } from 'agora-signaling-emulator/node';
import { describe, expect, it } from 'vitest';

/** Bob must be logged in once the faults stop and time settles: a kick or a server close breaks that. */
function bobStaysLoggedIn(cloud: Cloud, run: FaultRun): void {
  const bob = cloud.Signal('app').login('bob', '_no_need_token');
  bob.onLogout = () => {};
  run.eventually(() => {
    if (bob.getStatus() !== 2) throw new Error(`bob ended logged out (state ${bob.getStatus()})`);
  });
  cloud.advanceSync(5_000);
}

describe('assertFaultTolerance', () => {
  it('throws the report, naming the transcript it wrote, which replays the failing run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fault-transcripts-'));
    const error: unknown = await assertFaultTolerance(bobStaysLoggedIn, { faults: ['closeSession', 'latency'], name: 'bob stays logged in', transcriptDir: dir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FaultToleranceError);
    const e = error as FaultToleranceError;
    const file = join(dir, `bob-stays-logged-in-seed-${e.report.failure!.seed}.json`);
    expect(e.transcriptFile).toBe(file);
    expect(readdirSync(dir)).toEqual([`bob-stays-logged-in-seed-${e.report.failure!.seed}.json`]);
    expect(e.message).toContain(`bob stays logged in: a failure under seed ${e.report.failure!.seed}, shrunk to 1 fault`);
    expect(e.message).toContain("the server closes bob's session (onLogout 102, no reconnect)");
    expect(e.message).toContain('Error: bob ended logged out (state 0)');
    expect(e.message).toContain(`transcript:    npx agora-signaling-emulator replay ${file}`);
    const replayed = await replayFile(file);
    expect(replayed.pass).toBe(true);
    expect(replayed.log.some((x) => x.kind === 'fault' && x.name === 'closeSession')).toBe(true);
  });

  it('returns the report when every run passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fault-transcripts-'));
    const report = await assertFaultTolerance(bobStaysLoggedIn, { faults: ['latency', 'hold'], runs: 30, transcriptDir: dir });
    expect(report).toMatchObject({ ok: true, runs: 30 });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a transcriptDir that is not a folder path', async () => {
    await expect(assertFaultTolerance(bobStaysLoggedIn, { transcriptDir: '' })).rejects.toThrow(EmulatorError);
  });

  it("fails a test of node's own runner with the report (no Vitest, no Jest)", () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    expect(existsSync(join(root, 'dist/node.js')), 'npm test builds dist/ first').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'node-test-'));
    const file = join(dir, 'bob.test.mjs');
    writeFileSync(
      file,
      `import { test } from 'node:test';
import { assertFaultTolerance } from ${JSON.stringify(join(root, 'dist/node.js'))};
test('bob stays logged in', () =>
  assertFaultTolerance((cloud, run) => {
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    run.eventually(() => { if (bob.getStatus() !== 2) throw new Error('bob ended logged out'); });
    cloud.advanceSync(5000);
  }, { faults: ['kick'], transcriptDir: ${JSON.stringify(join(dir, 'out'))}, name: 'bob' }));
`,
    );
    let out = '';
    let status = 0;
    try {
      out = execFileSync(process.execPath, ['--test', '--test-reporter=tap', file], { cwd: dir, encoding: 'utf8' });
    } catch (e) {
      status = (e as { status: number }).status;
      out = String((e as { stdout: string }).stdout);
    }
    expect(status).toBe(1);
    expect(out).toMatch(/not ok 1 - bob stays logged in/);
    expect(out).toContain('FaultToleranceError');
    expect(out).toContain('the server kicks bob (onLogout 103)');
    expect(readdirSync(join(dir, 'out'))).toHaveLength(1);
  });

  it('fails a Jest test with the report (the CommonJS build, no Vitest)', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    expect(existsSync(join(root, 'dist/node.cjs')), 'npm test builds dist/ first').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'jest-'));
    writeFileSync(join(dir, 'jest.config.json'), JSON.stringify({ testEnvironment: 'node' }));
    writeFileSync(
      join(dir, 'bob.test.js'),
      `const { assertFaultTolerance } = require(${JSON.stringify(join(root, 'dist/node.cjs'))});
test('bob stays logged in', () =>
  assertFaultTolerance((cloud, run) => {
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    run.eventually(() => { if (bob.getStatus() !== 2) throw new Error('bob ended logged out'); });
    cloud.advanceSync(5000);
  }, { faults: ['closeSession'], transcriptDir: ${JSON.stringify(join(dir, 'out'))}, name: 'bob' }));
`,
    );
    let out = '';
    let status = 0;
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/jest/bin/jest.js'), '--config', join(dir, 'jest.config.json'), '--rootDir', dir, '--ci', '--colors=false'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
      out = `${(e as { stdout: string }).stdout}${(e as { stderr: string }).stderr}`;
    }
    expect(status).toBe(1);
    expect(out).toContain('✕ bob stays logged in');
    expect(out).toContain('FaultToleranceError');
    expect(out).toContain("the server closes bob's session (onLogout 102, no reconnect)");
    expect(readdirSync(join(dir, 'out'))).toHaveLength(1);
  });
});
