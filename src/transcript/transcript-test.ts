/**
 * `transcriptTest(file, run)`: a test whose run is checked against a fixture transcript, with
 * modes in the spirit of nockBack, chosen by `TRANSCRIPT_MODE`:
 *
 * - `replay` (default): runs the test and fails if its log differs from the fixture's
 *   expectation; then checks that the fixture's own steps still reproduce that log.
 * - `record`: runs the test with a recorder and writes the whole fixture (steps and log).
 * - `update`: runs the test and rewrites only the fixture's expected log (keeping its steps,
 *   name and loose patterns).
 */
import { basename } from 'node:path';
import { existsSync } from 'node:fs';
import { createCloud, DEFAULT_START_TIME, type Cloud, type CloudOptions } from '../create-cloud.js';
import { describeArg, readOptions } from '../arguments.js';
import { EmulatorError, invariant } from '../errors.js';
import type { LogEntry } from '../log/entry.js';
import { compareChecked, formatDiff } from './diff.js';
import { loadTranscript, writeTranscript } from './files.js';
import { record } from './record.js';
import { formatReplayFailure, replay, replayLoaded } from './replay.js';
import type { Transcript, TranscriptMode } from './types.js';
import { updateExpectation } from './update.js';

export interface TranscriptTestOptions {
  /** Options of the cloud the test runs on (virtual clock only). */
  cloud?: Omit<CloudOptions, 'clock'>;
  /** Overrides `TRANSCRIPT_MODE`. */
  mode?: TranscriptMode;
  /** The name a recording gets (default: the fixture's name, or the file name). */
  name?: string;
  description?: string;
}

export interface TranscriptTestResult {
  mode: TranscriptMode;
  file: string;
  /** The fixture as it is on disk after the test. */
  transcript: Transcript;
  /** The log of the test's run. */
  log: readonly LogEntry[];
}

const MODES: readonly TranscriptMode[] = ['replay', 'record', 'update'];

/**
 * Runs `run` on a fresh cloud and checks (or records, or updates) the fixture `file`.
 *
 * @example
 * it('a second login kicks the first', () =>
 *   transcriptTest('fixtures/kick-by-second-login.json', async (cloud) => {
 *     const signal = cloud.Signal('app');
 *     signal.login('alice', '_no_need_token').onLogout = () => {};
 *     await cloud.advance(100);
 *     signal.login('alice', '_no_need_token');
 *     await cloud.advance(100);
 *   }));
 * // TRANSCRIPT_MODE=record npx vitest run   writes the fixture; later runs replay it.
 */
export async function transcriptTest(file: string, run: (cloud: Cloud) => unknown, given: TranscriptTestOptions = {}): Promise<TranscriptTestResult> {
  const what = 'Failed to run a transcript test';
  invariant(typeof file === 'string' && file !== '', () => `${what}: expected the fixture's file name, got ${describeArg(file)}`);
  invariant(typeof run === 'function', () => `${what}: expected the test as a function (cloud) => …, got ${describeArg(run)}`);
  const options = readOptions(given, ['cloud', 'mode', 'name', 'description'], what, "{ mode: 'record', name: 'a second login kicks the first' }") as TranscriptTestOptions;
  invariant(options.mode === undefined || MODES.includes(options.mode), () => `${what}: mode must be one of ${MODES.join(', ')}, got ${describeArg(options.mode)}`);
  for (const key of ['name', 'description'] as const) {
    invariant(options[key] === undefined || typeof options[key] === 'string', () => `${what}: ${key} must be a string, got ${describeArg(options[key])}`);
  }
  const mode = options.mode ?? modeFromEnv();
  const cloudOptions = readOptions(options.cloud, 'any', `${what}: cloud`, '{ latency: 20 }') as Omit<CloudOptions, 'clock'>;
  invariant(!('clock' in cloudOptions), `${what}: transcripts run on the virtual clock; remove the clock option`);
  // The cloud options are checked (by allowlist, without running the caller's code) before
  // anything else reads them.
  createCloud(cloudOptions).dispose();

  if (mode === 'record') {
    const previous = existsSync(file) ? safeLoad(file) : undefined;
    const cloud = createCloud(cloudOptions);
    const recorder = record(cloud, { name: options.name ?? previous?.name ?? basename(file, '.json'), ...(options.description ?? previous?.description ? { description: options.description ?? previous?.description } : {}) });
    try {
      await run(cloud);
      await cloud.flush();
    } finally {
      recorder.stop();
      cloud.dispose();
    }
    const transcript = { $schema: previous?.$schema, ...recorder.transcript() };
    if (transcript.$schema === undefined) delete transcript.$schema;
    writeTranscript(file, transcript);
    await checkReplays(file, transcript, recorder.warnings);
    return { mode, file, transcript, log: cloud.log.entries };
  }

  invariant(existsSync(file), `Failed to ${mode} ${file}: there is no such fixture yet. Record it with TRANSCRIPT_MODE=record`);
  const fixture = loadTranscript(file);
  checkSameCloud(file, fixture, cloudOptions);
  const cloud = createCloud(cloudOptions);
  try {
    await run(cloud);
    await cloud.flush();
  } finally {
    cloud.dispose();
  }

  if (mode === 'update') {
    const updated = updateExpectation(fixture, cloud.log.entries, { epoch: cloud.startTime });
    // Written only when it will pass: the fixture's steps must reproduce the new log, or the
    // file would hold a log its own steps contradict.
    const check = await replay(updated, { file });
    if (!check.pass) {
      throw new EmulatorError(
        `${file}: not updated: the fixture's steps no longer reproduce the test's log, so a new expected log alone would not pass\n` +
          `${formatReplayFailure(check, file)}\n(run with TRANSCRIPT_MODE=record to re-record the steps and the log)`,
      );
    }
    writeTranscript(file, updated);
    return { mode, file, transcript: updated, log: cloud.log.entries };
  }

  const diff = compareChecked(fixture.expect, cloud.log.entries, { epoch: cloud.startTime });
  if (diff) {
    throw new EmulatorError(`${file}: the test's log differs from the fixture\n${formatDiff(diff)}\n${await howToAccept(file, fixture, cloud)}`);
  }
  // The fixture as loadTranscript read and validated it: the test's code never had it.
  await checkReplays(file, fixture, [], true);
  return { mode, file, transcript: fixture, log: cloud.log.entries };
}

/**
 * The mode that makes a changed test's fixture pass, if the change is intended: `update` when
 * the fixture's steps reproduce the test's new log (only the expected log must change), else
 * `record` (the steps changed too).
 */
async function howToAccept(file: string, fixture: Transcript, cloud: Cloud): Promise<string> {
  const updated = updateExpectation(fixture, cloud.log.entries, { epoch: cloud.startTime });
  const check = await replay(updated, { file });
  return check.pass
    ? '(if the change is intended, run with TRANSCRIPT_MODE=update to rewrite the expected log: the fixture\'s steps reproduce the new one)'
    : '(if the change is intended, run with TRANSCRIPT_MODE=record to re-record the fixture: its steps no longer reproduce the test\'s log, so TRANSCRIPT_MODE=update would not pass)';
}

function modeFromEnv(): TranscriptMode {
  const value = globalThis.process?.env?.TRANSCRIPT_MODE;
  if (value === undefined || value === '') return 'replay';
  invariant((MODES as readonly string[]).includes(value), `TRANSCRIPT_MODE must be one of ${MODES.join(', ')}, got "${value}"`);
  return value as TranscriptMode;
}

/** The fixture's steps must reproduce its expectation on their own (that is what the CLI replays). */
async function checkReplays(file: string, transcript: Transcript, warnings: readonly string[], loaded = false): Promise<void> {
  const result = await (loaded ? replayLoaded : replay)(transcript, { file });
  if (result.pass) return;
  const notes = warnings.length > 0 ? `\nrecording notes:\n${warnings.map((w) => `  - ${w}`).join('\n')}` : '';
  throw new EmulatorError(`${file}: the fixture's steps do not reproduce its expected log\n${formatReplayFailure(result, file)}${notes}\n(re-record with TRANSCRIPT_MODE=record)`);
}

function checkSameCloud(file: string, fixture: Transcript, options: Omit<CloudOptions, 'clock'>): void {
  const pairs: Array<[string, unknown, unknown]> = [
    ['seed', fixture.seed ?? 1, options.seed ?? 1],
    ['latency', fixture.latency ?? 0, options.latency ?? 0],
    ['startTime', fixture.startTime ?? DEFAULT_START_TIME, options.startTime ?? DEFAULT_START_TIME],
    ['apps', appsKey(fixture.apps), appsKey(options.apps)],
  ];
  for (const [what, recorded, now] of pairs) {
    invariant(recorded === now, () => `${file} was recorded with ${what} ${describeArg(recorded)}, but this test uses ${describeArg(now)}: re-record it with TRANSCRIPT_MODE=record`);
  }
}

function safeLoad(file: string): Transcript | undefined {
  try {
    return loadTranscript(file);
  } catch {
    return undefined;
  }
}

function appsKey(apps: ReadonlyArray<{ appId: string; certificate?: string }> = []): string {
  return JSON.stringify(apps.map((a) => [a.appId, a.certificate ?? null]));
}
