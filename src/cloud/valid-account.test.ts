import { describe, expect, it } from 'vitest';
import { validAccount } from './server.js';

describe('validAccount', () => {
  it('refuses a name with whitespace or a control character anywhere, and accepts any other character', () => {
    const invalid = /[\s\p{Cc}]/u;
    const wrong: number[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const name = `a${String.fromCharCode(c)}b`;
      if (validAccount(name) === invalid.test(name)) wrong.push(c);
    }
    expect(wrong).toEqual([]);
    expect(validAccount('user_1-@.x')).toBe(true);
    expect(validAccount('')).toBe(false);
  });

  it('counts code points, not UTF-16 units, against the 128 limit', () => {
    expect(validAccount('a'.repeat(128))).toBe(true);
    expect(validAccount('a'.repeat(129))).toBe(false);
    expect(validAccount('😀'.repeat(128))).toBe(true);
    expect(validAccount('😀'.repeat(129))).toBe(false);
  });
});
