import { describe, expect, it } from 'vitest';
import { benchmarks } from '../bench/benchmarks.js';
import { figureOf } from '../bench/harness.js';

// Benchmarks are not timed tests: this only runs each once at a tiny size so they cannot rot.
describe('benchmarks (smoke, tiny size)', () => {
  it("the suite has a benchmark for each of the six measures of issue 10, fault exploration's, and the rows of issues 20 and 16", () => {
    const numbers = new Set(benchmarks.map((b) => b.name.split('.')[0]));
    expect([...numbers]).toEqual(expect.arrayContaining(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']));
    const names = benchmarks.map((b) => b.name);
    for (const row of ['first read of cloud.log.entries', 'fan-out 50 000', 'join a room of 1 000', 'join a room of 10 000', 'join a room of 50 000', 'idle clients', 'to an offline user']) {
      expect(names.some((n) => n.includes(row)), row).toBe(true);
    }
    for (const bench of benchmarks) expect(bench.target, bench.name).not.toBe('');
  });

  for (const bench of benchmarks) {
    it(`${bench.name} runs and yields a figure in ${bench.unit}`, async () => {
      const figure = figureOf(await bench.run(0.001));
      expect(Number.isFinite(figure.value)).toBe(true);
      expect(figure.value).toBeGreaterThan(0);
    });
  }
});
