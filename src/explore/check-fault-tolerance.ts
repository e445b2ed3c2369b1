/**
 * `checkFaultTolerance(scenario)`: runs an app test many times, each run under a fault schedule
 * drawn from its seed, and reports the first schedule that breaks it, shrunk to a minimal one,
 * with its seed, the schedule in words, the failed check, the timeline, and a transcript that
 * replays it.
 */
import { invariant } from '../errors.js';
import { formatValue } from '../log/format.js';
import { replay } from '../transcript/replay.js';
import { formatDiff } from '../transcript/diff.js';
import { BASELINE_SEED, discover } from './discover.js';
import { describeFault } from './describe.js';
import { drawSchedule } from './draw.js';
import type { ScheduledFault } from './faults.js';
import { planOf, type FaultToleranceOptions, type Plan } from './options.js';
import { CHECKS, errorText, formatFailure, formatFigures, formatTally, Tally, timelineUpTo, type FaultFailure, type FaultReport } from './report.js';
import { runSchedule, type FaultScenario, type RunOutcome, type RunSetup } from './run.js';
import { shrink } from './shrink.js';
import { faultTranscript } from './transcript.js';

/**
 * Explores fault schedules for an app test. `scenario` is the test's own function: it drives
 * the app on the cloud it is given and throws when something is wrong. Each run gets a fresh
 * cloud seeded with its own seed and a schedule of faults drawn from it (disconnects, kicks,
 * expired tokens, outages, latency, holds, refused requests…), injected at virtual times and at
 * callbacks the apps handle. After the scenario, the faults stop, time settles, and the
 * `eventually` checks run.
 *
 * The first failing run is shrunk to a minimal schedule and reported: the seed, the schedule in
 * words, the check that failed, the timeline, and a transcript that replays it. The same
 * options give the same runs; `{ seed, runs: 1 }` reruns one. {@link FaultReport.message} is
 * the whole report; `assertFaultTolerance` (from `agora-signaling-emulator/node`) throws it
 * and writes the transcript.
 *
 * @example
 * const report = await checkFaultTolerance(async (cloud, run) => {
 *   const app = startMyApp(cloud.Signal('app'), 'bob');
 *   run.eventually(() => {
 *     if (app.session.getStatus() === 2) expect(app.inRoom).toBe(true);
 *   });
 *   cloud.advanceSync(10_000);
 * }, { runs: 200, cloud: { latency: 40 } });
 * expect(report.ok, report.message).toBe(true);
 */
export async function checkFaultTolerance(scenario: FaultScenario, options?: FaultToleranceOptions): Promise<FaultReport> {
  invariant(typeof scenario === 'function', `Failed to check fault tolerance: expected a scenario function (cloud, run) => void | Promise<void>, got ${formatValue(scenario)}`);
  const plan = planOf(options);
  const setup: RunSetup = {
    scenario,
    cloud: plan.cloud,
    everyStep: plan.everyStep,
    eventually: plan.eventually,
    settle: plan.settle,
    hangTimeout: plan.hangTimeout,
  };
  const started = performance.now();
  const baseline = await discover(setup, { accounts: plan.accounts, requests: plan.requests });
  const tally = new Tally();
  if (baseline.outcome.failure) {
    const failure = await describeFailure(setup, plan, baseline.outcome, baseline.outcome, 0, false);
    return finish(plan, { runs: 0, failedSeeds: [BASELINE_SEED], failure, tally, started, exploring: 0, firstSeed: BASELINE_SEED });
  }
  const failures: RunOutcome[] = [];
  let runs = 0;
  const exploreStart = performance.now();
  let lastProgress = exploreStart;
  for (let i = 0; i < plan.runs; i++) {
    const seed = plan.seed + i;
    const schedule = plan.schedule !== undefined ? structuredClone(plan.schedule as ScheduledFault[]) : drawSchedule(seed, plan, baseline);
    const outcome = await runSchedule(setup, seed, schedule);
    runs++;
    tally.add(outcome);
    if (outcome.failure) {
      failures.push(outcome);
      if (failures.length >= plan.maxFailures) break;
    }
    if (plan.progress && (runs & 15) === 0) {
      const now = performance.now();
      if (now - lastProgress >= plan.progress.every) {
        lastProgress = now;
        plan.progress.report(progressOf(runs, plan.runs, failures.length, now - exploreStart));
      }
    }
  }
  const exploring = performance.now() - exploreStart;
  if (plan.progress && exploring >= plan.progress.every) plan.progress.report(progressOf(runs, plan.runs, failures.length, exploring));
  let failure: FaultFailure | undefined;
  if (failures.length > 0) {
    const found = failures[0]!;
    const rerun = (schedule: ScheduledFault[]) => runSchedule(setup, found.seed, schedule);
    const shrunk = plan.shrinkBudget > 0 ? await shrink(found, rerun, plan.shrinkBudget) : { outcome: found, runs: 0, exhausted: false };
    failure = await describeFailure(setup, plan, shrunk.outcome, found, shrunk.runs, shrunk.exhausted);
  }
  return finish(plan, { runs, failedSeeds: failures.map((f) => f.seed), failure, tally, started, exploring, firstSeed: plan.seed });
}

/** The failure as reported: its text, its timeline, and (recorded again) its transcript. */
async function describeFailure(setup: RunSetup, plan: Plan, outcome: RunOutcome, found: RunOutcome, shrinkRuns: number, shrinkStopped: boolean): Promise<FaultFailure> {
  const f = outcome.failure!;
  const failure: FaultFailure = {
    seed: outcome.seed,
    check: f.check,
    error: f.error,
    errorText: errorText(f.error),
    schedule: outcome.schedule as ScheduledFault[],
    drawn: found.schedule as ScheduledFault[],
    shrinkRuns,
    shrinkStopped,
    at: f.t - outcome.cloud.startTime,
    timeline: timelineUpTo(outcome.cloud, f.logged),
  };
  if (!plan.transcript || f.check === 'hang') return failure;
  // Once more, with a recorder watching: the same run, written down as a transcript.
  const schedule = outcome.schedule as ScheduledFault[];
  const recorded = await runSchedule(setup, outcome.seed, schedule, { recordAs: `${plan.name}: seed ${outcome.seed}` });
  if (!recorded.recorder) return failure;
  const notes = (i: number): string => `fault ${i + 1}: ${describeFault(schedule[i]!)}`;
  const transcript = faultTranscript(recorded.recorder.transcript(), recorded.injector, recorded.cloud.startTime, notes);
  transcript.description = `Found by fault exploration (seed ${outcome.seed}): ${CHECKS[f.check]}: ${errorText(f.error, 1)}`;
  failure.transcript = transcript;
  failure.replay = await replays(transcript, recorded.recorder.warnings);
  return failure;
}

/** Whether the transcript replays to the same log (a recorder's warning says why not, when it knows). */
async function replays(transcript: FaultFailure['transcript'] & object, warnings: readonly string[]): Promise<FaultFailure['replay']> {
  try {
    const result = await replay(transcript);
    if (result.pass) return { reproduces: true };
    const why = result.failure ? `${result.failure.path}: ${result.failure.message}` : result.diff ? formatDiff(result.diff).split('\n').slice(0, 3).join(' ') : 'its log differs';
    return { reproduces: false, detail: warnings.length > 0 ? `${warnings[0]} (${why})` : why };
  } catch (error) {
    return { reproduces: false, detail: errorText(error, 2) };
  }
}

function progressOf(runs: number, total: number, failures: number, elapsed: number) {
  return { runs, total, failures, elapsed, runsPerSecond: elapsed > 0 ? (runs * 1000) / elapsed : 0 };
}

function finish(
  plan: Plan,
  r: { runs: number; failedSeeds: number[]; failure: FaultFailure | undefined; tally: Tally; started: number; exploring: number; firstSeed: number },
): FaultReport {
  const elapsed = performance.now() - r.started;
  const report: Omit<FaultReport, 'message'> = {
    ok: r.failure === undefined,
    runs: r.runs,
    seeds: { first: r.firstSeed, last: r.runs > 0 ? plan.seed + r.runs - 1 : r.firstSeed },
    failedSeeds: r.failedSeeds,
    ...(r.failure ? { failure: r.failure } : {}),
    tally: r.tally.list(),
    elapsed,
    runsPerSecond: r.exploring > 0 ? (r.runs * 1000) / r.exploring : 0,
  };
  return { ...report, message: reportText(report, plan.name) };
}

/**
 * The report as text (`report.message` is this without a transcript path); with
 * `transcriptPath`, the way to replay the transcript written there.
 *
 * @example
 * writeTranscript('out/huddle.json', report.failure!.transcript!);
 * console.log(reportText(report, 'huddle', 'out/huddle.json'));
 */
export function reportText(report: Omit<FaultReport, 'message'>, name: string, transcriptPath?: string): string {
  const figures = formatFigures(report);
  const faults = `Faults tried:\n${formatTally(report.tally)}`;
  if (!report.failure) return `${name}: no failure in ${figures}.\n${faults}`;
  const found = report.runs === 0 ? 'The scenario fails without any fault (the fault-free run, seed 1).' : `Explored ${figures}; failing seeds: ${report.failedSeeds.join(', ')}.`;
  return `${formatFailure(report.failure, name, transcriptPath)}\n\n${found}\n${faults}`;
}

