import type { FaultReport } from './report.js';

/**
 * What `assertFaultTolerance` throws when exploration finds a failure: its message is the whole
 * report (seed, schedule in words, the failed check, the timeline, how to run it again), so a
 * test runner (Vitest, Jest, node:test) shows it as the test's failure.
 */
export class FaultToleranceError extends Error {
  override name = 'FaultToleranceError';
  /** The report, for code that wants the figures. */
  readonly report: FaultReport;
  /** Where the failing run's transcript was written, if it was. */
  readonly transcriptFile: string | undefined;

  constructor(message: string, report: FaultReport, transcriptFile?: string) {
    super(message);
    this.report = report;
    this.transcriptFile = transcriptFile;
  }
}
