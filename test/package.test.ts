import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm test` builds before running the suite; these check the built package as Node loads it.
const root = fileURLToPath(new URL('..', import.meta.url));
const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();

describe('the built package', () => {
  it('has been built (npm test runs tsup first)', () => {
    expect(existsSync(`${root}/dist/index.js`)).toBe(true);
  });

  it('loads as ESM through its exports map', () => {
    const out = node([
      '--input-type=module',
      '-e',
      "import { createCloud, codes, signalingToken } from 'agora-signaling-emulator'; console.log(typeof createCloud, codes.LOGOUT_E_KICKED, typeof signalingToken)",
    ]);
    expect(out).toBe('function 103 function');
  });

  it('loads as CommonJS through its exports map', () => {
    const out = node(['-e', "const m = require('agora-signaling-emulator'); console.log(typeof m.createCloud, m.codes.LOGIN_E_INVALID_USER)"]);
    expect(out).toBe('function 209');
  });

  it('has a ./vitest entry (ESM, types first) that registers the matchers on import', () => {
    const out = node([
      '--input-type=module',
      '-e',
      "import { cloudMatchers } from 'agora-signaling-emulator/vitest'; console.log(Object.keys(cloudMatchers).join(' '))",
    ]);
    expect(out).toBe('toHaveReceived toHaveReceivedTimes toHaveReceivedInOrder toHaveReceivedWithin toHaveLogged');
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
    expect(Object.keys(pkg.exports['./vitest'])).toEqual(['types', 'default']);
    expect(existsSync(`${root}/dist/vitest.d.ts`)).toBe(true);
    expect(readFileSync(`${root}/dist/vitest.d.ts`, 'utf8')).toContain("declare module 'vitest'");
    expect(pkg.peerDependenciesMeta.vitest.optional).toBe(true);
    // These act on load (the matchers register; the IIFE defines window.Signal): bundlers must keep them.
    expect(pkg.sideEffects).toEqual(['./dist/vitest.js', './dist/jest.js', './dist/jest.cjs', './dist/agora-signaling-emulator.global.js']);
  });

  it('has a ./jest entry (ESM and CommonJS, types first) that registers the matchers on the global expect', () => {
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
    expect(Object.keys(pkg.exports['./jest'])).toEqual(['import', 'require']);
    expect(Object.keys(pkg.exports['./jest'].require)).toEqual(['types', 'default']);
    const registered = "globalThis.expect = { extend: (m) => console.log(Object.keys(m).join(' ')) };";
    const names = 'toHaveReceived toHaveReceivedTimes toHaveReceivedInOrder toHaveReceivedWithin toHaveLogged';
    expect(node(['-e', `${registered} require('agora-signaling-emulator/jest')`])).toBe(names);
    expect(node(['--input-type=module', '-e', `${registered} await import('agora-signaling-emulator/jest')`])).toBe(names);
    expect(readFileSync(`${root}/dist/jest.d.ts`, 'utf8')).toContain("declare module 'expect'");
    expect(readFileSync(`${root}/dist/jest.d.cts`, 'utf8')).toContain('namespace jest');
  });

  it('the ./jest entry without a global expect says how to register the matchers', () => {
    const run = () => execFileSync(process.execPath, ['-e', "require('agora-signaling-emulator/jest')"], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    expect(run).toThrow(/there is no global expect.*expect\.extend\(cloudMatchers\)/s);
  });

  it('has a types-only ./sdk entry with the reference types of the SDK', () => {
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
    expect(pkg.exports['./sdk'].import.types).toBe('./dist/sdk.d.ts');
    expect(node(['-e', "console.log(Object.keys(require('agora-signaling-emulator/sdk')).length)"])).toBe('0');
    expect(readFileSync(`${root}/dist/sdk.d.ts`, 'utf8')).toMatch(/export type \{[^}]*\bSignalFactory\b/);
  });

  it('gives jest users the matchers and the log tools from the CommonJS build', () => {
    const out = node(['-e', "const m = require('agora-signaling-emulator'); console.log(typeof m.cloudMatchers.toHaveReceived, typeof m.checkDeterminism, typeof m.toHtml)"]);
    expect(out).toBe('function function function');
  });

  it('has the IIFE build for script tags at ./global (and unpkg), which defines SignalingEmulator', () => {
    const file = node(['-e', "console.log(require.resolve('agora-signaling-emulator/global'))"]);
    expect(file).toBe(`${root}dist/agora-signaling-emulator.global.js`);
    expect(readFileSync(file, 'utf8')).toMatch(/^"use strict";\nvar SignalingEmulator = /);
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
    expect(pkg.unpkg).toBe('./dist/agora-signaling-emulator.global.js');
  });

  it('exposes package.json', () => {
    const out = node(['-e', "console.log(require('agora-signaling-emulator/package.json').name)"]);
    expect(out).toBe('agora-signaling-emulator');
  });
});
