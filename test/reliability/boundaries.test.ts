// A fixed-seed slice of every fuzzed boundary (see boundaries/boundary.ts); the long runs are
// `npm run fuzz:boundaries -- --runs N`.
import { describe, expect, it } from 'vitest';
import { loadBoundaries } from './boundaries/boundary.js';

const boundaries = await loadBoundaries();

describe('every boundary holds against generated input', () => {
  it('there is at least one boundary to fuzz', () => {
    expect(boundaries.length).toBeGreaterThan(0);
  });
  for (const boundary of boundaries) {
    it(`${boundary.name}: ${boundary.invariant}`, async () => {
      const report = await boundary.check({ runs: boundary.testRuns, seed: 20261202 });
      expect(report.failure, report.failure).toBeUndefined();
      expect(report.cases).toBe(boundary.testRuns);
    }, 120_000);
  }
});
