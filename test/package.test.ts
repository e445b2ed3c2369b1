import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

  it('exposes package.json', () => {
    const out = node(['-e', "console.log(require('agora-signaling-emulator/package.json').name)"]);
    expect(out).toBe('agora-signaling-emulator');
  });
});
