// The wire server under stress, small sizes (`npm run stress` runs 1 000 connections and
// larger floods): it neither crashes nor lets one connection affect another, and its heap
// comes back to its baseline once the clients have left. Loopback only.
import { describe, expect, it } from 'vitest';
import { LOG_ENTRY_BOUND, runStress, WIRE_HEAP_SLACK } from './wire/stress.js';

const CONNECTIONS = Number(process.env.STRESS_CONNECTIONS ?? 200);

describe('the wire server under stress', () => {
  it(`holds ${CONNECTIONS} connections while others send malformed and oversize frames, unknown events, floods, drop sockets and read slowly; memory returns to its baseline`, async () => {
    const report = await runStress({ connections: CONNECTIONS, rounds: 2, flood: 300 });
    expect(report.problems).toEqual([]);
    expect(report.connectionsHeld).toBeGreaterThanOrEqual(CONNECTIONS + 2);
    expect(report.refusedChannelMessages).toBeGreaterThanOrEqual(3 * (300 - 60));
    expect(report.malformedFrames + report.unknownEvents + report.oversizeFrames).toBeGreaterThan(0);
    expect(report.droppedMidRequest + report.droppedMidFrame).toBeGreaterThan(0);
    for (const heap of report.heapAfterRounds) expect(heap - report.heapBaseline).toBeLessThan(WIRE_HEAP_SLACK);
  }, 60_000);

  it('serve, in a process of its own with its defaults, holds the same and a flood of 10 000 malformed frames: its heap stays within the log bound', async () => {
    const report = await runStress({ connections: 50, rounds: 1, flood: 200, target: 'serve', malformed: 10_000 });
    expect(report.problems).toEqual([]);
    const flood = report.flood!;
    expect(flood.frames).toBe(10_000);
    expect(flood.logCapacity).toBe(10_000);
    expect(flood.logEntries).toBe(10_000);
    expect(flood.bound).toBeGreaterThanOrEqual(flood.logCapacity * LOG_ENTRY_BOUND);
    expect(flood.heapAfter - flood.heapBefore).toBeLessThan(flood.bound);
    expect(flood.heapDuring - flood.heapBefore).toBeLessThan(flood.bound);
  }, 90_000);
});
