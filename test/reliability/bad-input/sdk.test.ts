// The SDK's bad-input table (sdk-rows.ts): each row states what the app sees; the in-process SDK
// must record exactly that, and the real SDK 1.4.0 over the wire must record the same, row by row.
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, runOverWire, type Recorded } from '../../parity/harness.js';
import { byActor, groupScenario, groups, rowRecords, type Group } from './sdk-rows.js';

function table(recording: Map<string, Recorded[]>, group: Group): Map<string, string[]> {
  const recorded = recording.get('table') ?? [];
  return new Map(group.rows.map((row) => [row.what, rowRecords(recorded, row)]));
}

describe('bad inputs to the SDK: what the app sees, in-process and with the real SDK 1.4.0', () => {
  for (const group of groups) {
    describe(group.name, () => {
      let inProcess: Map<string, string[]> | undefined;
      let real: Map<string, string[]> | undefined;
      // One run of the whole group each way (the wire run really waits: rows share a login).
      beforeAll(async () => {
        inProcess = table(await runInProcess(groupScenario(group)), group);
        real = table(await runOverWire(groupScenario(group)), group);
      }, 30_000);
      for (const row of group.rows) {
        it(`${row.what}: ${row.sees}`, () => {
          const expected = byActor(row.records);
          expect({ inProcess: byActor(inProcess!.get(row.what)!), real: byActor(real!.get(row.what)!) }).toEqual({ inProcess: expected, real: expected });
        });
      }
    });
  }
});

export const sdkRows = groups.reduce((n, g) => n + g.rows.length, 0);
