/**
 * `assertFaultTolerance(scenario)`: fault exploration as a test assertion, for any test runner.
 * A failure throws a {@link FaultToleranceError} whose message is the report, after writing the
 * failing run's transcript to a file the report names. Node only (it writes a file).
 */
import { join } from 'node:path';
import { invariant } from '../errors.js';
import { formatValue } from '../log/format.js';
import { writeTranscript } from '../transcript/files.js';
import { checkFaultTolerance, reportText } from './check-fault-tolerance.js';
import { FaultToleranceError } from './fault-tolerance-error.js';
import type { FaultToleranceOptions } from './options.js';
import type { FaultReport } from './report.js';
import type { FaultScenario } from './run.js';

export interface AssertFaultToleranceOptions extends FaultToleranceOptions {
  /** The folder the failing run's transcript is written to (default `fault-transcripts`, under the working directory). */
  transcriptDir?: string;
}

/**
 * Explores fault schedules for the scenario (see `checkFaultTolerance`) and throws a
 * {@link FaultToleranceError} with the whole report when a run fails, once the failing run's
 * transcript is written (`<transcriptDir>/<name>-seed-<seed>.json`). Returns the report when
 * every run passed. No test runner is needed: Vitest and Jest show the error as the test's
 * failure.
 *
 * @example
 * import { assertFaultTolerance } from 'agora-signaling-emulator/node';
 *
 * it('the app is back in its room after any fault', () =>
 *   assertFaultTolerance(huddleTest, { runs: 500, cloud: { latency: 40 }, name: 'huddle' }), 60_000);
 */
export async function assertFaultTolerance(scenario: FaultScenario, options: AssertFaultToleranceOptions = {}): Promise<FaultReport> {
  invariant(options !== null && typeof options === 'object', `Failed to check fault tolerance: options must be an object like { runs: 100 }, got ${formatValue(options)}`);
  const { transcriptDir = 'fault-transcripts', ...rest } = options;
  invariant(typeof transcriptDir === 'string' && transcriptDir !== '', `Failed to check fault tolerance: transcriptDir must be a folder path, got ${formatValue(transcriptDir)}`);
  const report = await checkFaultTolerance(scenario, rest);
  if (report.ok) return report;
  const name = rest.name ?? 'fault exploration';
  const failure = report.failure!;
  let file: string | undefined;
  if (failure.transcript) {
    file = join(transcriptDir, `${slug(name)}-seed-${failure.seed}.json`);
    writeTranscript(file, failure.transcript);
  }
  throw new FaultToleranceError(reportText(report, name, file), report, file);
}

/** A file name from the scenario's name: lower case, words joined by dashes. */
function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'fault-exploration'
  );
}
