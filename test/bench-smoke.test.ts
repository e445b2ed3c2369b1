import { describe, expect, it } from 'vitest';
import { benchmarks } from '../bench/benchmarks.js';
import { figureOf } from '../bench/harness.js';

// Benchmarks are not timed tests: this only runs each once at a tiny size so they cannot rot.
describe('benchmarks (smoke, tiny size)', () => {
  it("the suite has a benchmark for each of the six measures of issue 10, and fault exploration's", () => {
    expect([...new Set(benchmarks.map((b) => b.name.split('.')[0]))].sort()).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  });

  for (const bench of benchmarks) {
    it(`${bench.name} runs and yields a figure in ${bench.unit}`, async () => {
      const figure = figureOf(await bench.run(0.001));
      expect(Number.isFinite(figure.value)).toBe(true);
      expect(figure.value).toBeGreaterThan(0);
    });
  }
});
