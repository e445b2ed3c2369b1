// Every fuzzed boundary (test/reliability/boundaries/*.boundary.ts), each with its fixed-seed
// slice: the cases `testRuns` says, seed 1. `npm run fuzz:boundaries -- --runs N` runs them long.
import { describe, expect, it } from 'vitest';
import { loadBoundaries } from './boundaries/boundary.js';

const boundaries = await loadBoundaries();

describe('fuzzed boundaries (fixed seed)', () => {
  it('there are some', () => {
    expect(boundaries.length).toBeGreaterThan(0);
  });

  for (const boundary of boundaries) {
    it(`${boundary.name}: ${boundary.invariant}`, async () => {
      const report = await boundary.check({ runs: boundary.testRuns, seed: 1 });
      expect(report.failure).toBeUndefined();
      expect(report.cases).toBeGreaterThanOrEqual(boundary.testRuns);
    }, 120_000);
  }
});
