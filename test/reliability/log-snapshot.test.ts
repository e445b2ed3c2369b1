import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logSnapshot } from './snapshot/log-snapshot.js';

describe('the log snapshot (npm run log-snapshot)', () => {
  it('is the same on every run, covers every fixture with three seeds, and awaited and synchronous drives agree', async () => {
    const first = await logSnapshot('fixtures');
    const second = await logSnapshot('fixtures');
    const fixtures = readdirSync('fixtures').filter((f) => f.endsWith('.json')).length;
    expect(first.runs).toBe(fixtures * 3 + 8);
    expect(first.syncDiffers).toEqual([]);
    expect(first.lines.filter((l) => l.endsWith('pass=false'))).toEqual([]);
    expect(first.lines.length).toBeGreaterThan(5000);
    expect(second.lines).toEqual(first.lines);
  }, 60_000);
});
