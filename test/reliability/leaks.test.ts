// No leaks: whole clouds created, used and disposed 10 000 times leave the heap where it was
// (forced GC; the test workers run with --expose-gc). `npm run stress` runs 100 000.
import { describe, expect, it } from 'vitest';
import { CYCLE_HEAP_SLACK, runCycles } from './leaks/cycles.js';

const CYCLES = Number(process.env.LEAK_CYCLES ?? 10_000);

describe('create, use and dispose', () => {
  it(`${CYCLES} clouds, each logging two clients in, messaging, joining and disposed: no heap growth`, async () => {
    const report = await runCycles({ cycles: CYCLES, samples: 4 });
    expect(report.problems).toEqual([]);
    for (const heap of report.heapSamples) expect(heap - report.heapBaseline).toBeLessThan(CYCLE_HEAP_SLACK);
  }, 60_000);
});
