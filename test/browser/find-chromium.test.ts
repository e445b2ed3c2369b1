// Which Chromium the browser tests use (scripts/chromium.ts), and the error that says what to run.
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_CANDIDATES, ChromiumMissing, findChromium, INSTALL_COMMAND } from '../../scripts/chromium.js';

describe('finding the browser tests\' Chromium', () => {
  it('takes CHROMIUM_PATH first when it names an executable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ase-chromium-path-'));
    const fake = join(dir, 'chrome');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    expect(findChromium({ CHROMIUM_PATH: fake })).toBe(fake);
  });

  it('refuses a CHROMIUM_PATH that is not an executable, rather than use another browser', () => {
    expect(() => findChromium({ CHROMIUM_PATH: '/nonexistent/chrome' })).toThrow(ChromiumMissing);
    expect(() => findChromium({ CHROMIUM_PATH: '/nonexistent/chrome' })).toThrow(/CHROMIUM_PATH is \/nonexistent\/chrome, which is not an executable file/);
  });

  it('otherwise looks in the usual places, Debian\'s first', () => {
    expect(CHROMIUM_CANDIDATES[0]).toBe('/usr/bin/chromium');
    const found = findChromium({});
    expect(found === undefined || (CHROMIUM_CANDIDATES as readonly string[]).includes(found)).toBe(true);
  });

  it('names the one command to run when there is none', () => {
    expect(INSTALL_COMMAND).toBe('sudo apt-get install -y chromium');
  });
});
