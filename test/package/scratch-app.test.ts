// The package as a user gets it: `npm pack`, installed from the tarball into a scratch app (a
// copy of examples/chat-app) with `npm ci --offline`, then the app's strict type checks, its
// Vitest and Jest (CommonJS and ESM) tests, and the CLI run against it. No network: the
// package's own dependencies come from the npm cache `npm ci` filled; the runners and
// TypeScript are linked from this project's node_modules.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const modules = join(root, 'node_modules');
/** What the scratch app borrows from this project (its own devDependencies, pinned here). */
const TOOLS = ['vitest', 'jest', 'ts-jest', 'typescript', 'expect', '@types/jest', '@types/node', '@jest/globals'];

interface Run {
  code: number;
  out: string;
}

/** Runs a command to its end; never rejects (the test reads the code and the output). */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...process.env, ...env, NODE_OPTIONS: '', NO_COLOR: '1', FORCE_COLOR: '0' }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

/** Fails with the command's output when it did not succeed. */
function succeeded(r: Run, what: string): string {
  expect(r.code, `${what} failed:\n${r.out}`).toBe(0);
  return r.out;
}

let dir = '';
let app = '';
let tarball = '';
let timelines = '';
const steps: Record<string, Promise<Run>> = {};

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  }
  dir = mkdtempSync(join(tmpdir(), 'ase-package-'));
  // The build is npm test's; packing runs no scripts, so it packs what was just tested.
  const pack = succeeded(await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root), 'npm pack');
  const [{ filename }] = JSON.parse(pack.slice(pack.indexOf('['))) as Array<{ filename: string }>;
  tarball = join(dir, filename);

  app = join(dir, 'app');
  cpSync(join(root, 'examples/chat-app'), app, { recursive: true, filter: (src) => !src.includes('node_modules') });
  // Errors about the package's types must name them (Session), not by a bundle's alias.
  writeFileSync(join(app, 'test/types/naming.ts'), "import { createCloud } from 'agora-signaling-emulator';\nexport const wrong: number = createCloud().Signal('app').login('alice', 'token');\n");
  writeInstall(app, tarball);
  succeeded(await run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], app), 'npm ci --offline');
  for (const tool of TOOLS) {
    mkdirSync(join(app, 'node_modules', tool, '..'), { recursive: true });
    symlinkSync(join(modules, tool), join(app, 'node_modules', tool));
  }
  timelines = join(dir, 'timelines');
  mkdirSync(timelines);

  // Independent steps, started together.
  const node = process.execPath;
  const tsc = join(modules, 'typescript/bin/tsc');
  const jest = join(modules, 'jest/bin/jest.js');
  const env = { CHAT_APP_TIMELINES: timelines };
  steps.nodenext = run(node, [tsc, '-p', 'tsconfig.json'], app);
  steps.bundler = run(node, [tsc, '-p', 'tsconfig.bundler.json'], app);
  steps.vitest = run(node, [join(modules, 'vitest/vitest.mjs'), 'run'], app, env);
  steps.jestCjs = run(node, [jest, '--ci'], app, env);
  steps.jestEsm = run(node, ['--experimental-vm-modules', jest, '--ci', '--config', 'jest.esm.config.mjs'], app, env);
  steps.cli = run(node, [join(app, 'node_modules/.bin/agora-signaling-emulator'), 'replay', 'node_modules/agora-signaling-emulator/fixtures/'], app);
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * package.json and a lockfile for `npm ci`: the tarball, and the package's dependencies as this
 * project's lockfile pins them (so `--offline` finds them in the cache by their integrity).
 */
function writeInstall(at: string, tgz: string): void {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dependencies?: Record<string, string> }> };
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; bin: Record<string, string> };
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tgz)).digest('base64')}`;
  const packages: Record<string, unknown> = {
    '': { name: 'chat-app', dependencies: { 'agora-signaling-emulator': `file:${tgz}` } },
    'node_modules/agora-signaling-emulator': { version: pkg.version, resolved: `file:${tgz}`, integrity, dependencies: pkg.dependencies, bin: pkg.bin },
  };
  const todo = Object.keys(pkg.dependencies);
  while (todo.length > 0) {
    const key = `node_modules/${todo.pop()!}`;
    if (key in packages) continue;
    const entry = lock.packages[key];
    if (!entry) throw new Error(`${key} is not in package-lock.json`);
    packages[key] = entry;
    todo.push(...Object.keys(entry.dependencies ?? {}));
  }
  const manifest = JSON.parse(readFileSync(join(at, 'package.json'), 'utf8')) as Record<string, unknown>;
  delete manifest.devDependencies;
  manifest.dependencies = { 'agora-signaling-emulator': `file:${tgz}` };
  writeFileSync(join(at, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(at, 'package-lock.json'), JSON.stringify({ name: 'chat-app', lockfileVersion: 3, requires: true, packages }, null, 2));
}

// Each test waits for its step, which all started together in beforeAll: on a loaded machine a
// type check can take a minute.
describe('the packed package, installed from its tarball into a scratch app', { timeout: 240_000 }, () => {
  it('holds dist/ with one declaration file per module (no bundle chunks), and the fixtures', () => {
    const installed = join(app, 'node_modules/agora-signaling-emulator');
    for (const entry of ['index', 'node', 'jest', 'sdk']) {
      for (const ext of ['.js', '.cjs', '.d.ts', '.d.cts']) expect(existsSync(join(installed, `dist/${entry}${ext}`)), `dist/${entry}${ext}`).toBe(true);
    }
    expect(existsSync(join(installed, 'dist/vitest.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'dist/sdk/reference-types.d.ts'))).toBe(true);
    const chunks = readdirSync(join(installed, 'dist')).filter((f) => /\.d\.c?ts$/.test(f) && /-[A-Za-z0-9_]{8}\.d\.c?ts$/.test(f));
    expect(chunks).toEqual([]);
    const fixtures = readdirSync(join(installed, 'fixtures')).filter((f) => f.endsWith('.json'));
    expect(fixtures.sort()).toEqual(readdirSync(join(root, 'fixtures')).filter((f) => f.endsWith('.json')).sort());
  });

  it('has a prepack script that builds, so `npm pack` on a fresh clone gives dist/', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string>; files: string[] };
    expect(pkg.scripts.prepack).toBe('npm run build');
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'fixtures']));
  });

  it("type-checks the app and its tests, strict, lib ES2022 without DOM, NodeNext (require types): cloud.Signal fits the app's own SDK types", async () => {
    const r = await steps.nodenext!;
    // The one error is the deliberate one, and it names the package's type by its name.
    expect(r.out.trim()).toMatch(/^test\/types\/naming\.ts\(2,14\): error TS2322: Type 'Session' is not assignable to type 'number'\.$/);
  });

  it('type-checks the same with moduleResolution Bundler (import types)', async () => {
    const r = await steps.bundler!;
    expect(r.out.trim()).toMatch(/^test\/types\/naming\.ts\(2,14\): error TS2322: Type 'Session' is not assignable to type 'number'\.$/);
  });

  it("runs the app's Vitest tests", async () => {
    const out = succeeded(await steps.vitest!, 'vitest');
    expect(out).toMatch(/Tests\s+2 passed \(2\)/);
  });

  it("runs the app's Jest tests as CommonJS (ts-jest), matchers from agora-signaling-emulator/jest", async () => {
    const out = succeeded(await steps.jestCjs!, 'jest (CommonJS)');
    expect(out).toMatch(/Tests:\s+5 passed, 5 total/);
  });

  it("runs the app's Jest tests as ESM (--experimental-vm-modules)", async () => {
    const out = succeeded(await steps.jestEsm!, 'jest (ESM)');
    expect(out).toMatch(/Tests:\s+5 passed, 5 total/);
  });

  it("gives the same log under jest.useFakeTimers() as under vi.useFakeTimers() (clock: 'global')", async () => {
    await Promise.all([steps.vitest, steps.jestCjs, steps.jestEsm]);
    const read = (runner: string) => readFileSync(join(timelines, `${runner}.txt`), 'utf8');
    const vitest = read('vitest');
    expect(vitest).toMatch(/bob\s+callback\s+onMessageInstantReceive/);
    expect(read('jest-cjs')).toBe(vitest);
    expect(read('jest-esm')).toBe(vitest);
  });

  it('runs the CLI from node_modules/.bin: it replays the fixtures shipped in the package', async () => {
    const out = succeeded(await steps.cli!, 'agora-signaling-emulator replay');
    const count = readdirSync(join(root, 'fixtures')).filter((f) => f.endsWith('.json')).length;
    expect(out).toContain(`${count} passed, 0 failed`);
  });
});
