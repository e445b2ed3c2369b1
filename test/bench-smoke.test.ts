import { describe, expect, it } from 'vitest';
import { benchmarks } from '../bench/benchmarks.js';

// Benchmarks are not timed tests: this only runs each once at a tiny size so they cannot rot.
describe('benchmarks (smoke, tiny size)', () => {
  for (const bench of benchmarks) {
    it(`${bench.name} runs and yields a figure in ${bench.unit}`, async () => {
      const figure = await bench.run(0.001);
      expect(Number.isFinite(figure)).toBe(true);
      expect(figure).toBeGreaterThan(0);
    });
  }
});
