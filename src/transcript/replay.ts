/**
 * `replay(transcript)`: runs a transcript on a fresh cloud and compares the log with what it
 * expects.
 */
import { describeArg, readOptions } from '../arguments.js';
import { createCloud, type Cloud } from '../create-cloud.js';
import { EmulatorError } from '../errors.js';
import type { LogEntry } from '../log/entry.js';
import { formatTimeline } from '../log/timeline.js';
import { compareChecked, formatDiff, type LogDiff } from './diff.js';
import { plainEntry, type PlainEntry } from './entries.js';
import { ReplayFailure, ScriptedError, StepRunner } from './runner.js';
import type { Transcript } from './types.js';
import { TranscriptError, validateTranscript } from './validate.js';

export interface ReplayOptions {
  /** The file the transcript came from, for messages (default `"transcript"`). */
  file?: string;
  /** Replays with this seed instead of the transcript's. */
  seed?: number;
  /** Dispose the cloud when done (default true; its log and `inspect()` stay readable). */
  dispose?: boolean;
}

export interface ReplayResult {
  /** The log matched the expectation and every step ran. */
  pass: boolean;
  /** The transcript's name (or the file name). */
  name: string;
  transcript: Transcript;
  /** The cloud it ran on (disposed unless `dispose: false`). */
  cloud: Cloud;
  /** The actual log. */
  log: readonly LogEntry[];
  /** The actual log in transcript form (`t` relative, arguments as JSON). */
  entries: PlainEntry[];
  /** The first divergence from the expected log, if any. */
  diff?: LogDiff;
  /** A step that could not run (an `until` that never held, a missing SDK object, …). */
  failure?: { path: string; message: string };
  /** The actual log as a timeline (time relative to the cloud's start). */
  timeline: string;
}

/**
 * Runs a transcript on a fresh cloud and compares the resulting log with its expectation.
 * An invalid transcript (or one naming a cloud verb this version does not have) throws a
 * {@link TranscriptError} and nothing runs.
 *
 * @example
 * const result = await replay(JSON.parse(readFileSync('fixtures/kick.json', 'utf8')));
 * if (!result.pass) console.log(formatReplayFailure(result));
 */
export async function replay(transcript: Transcript | unknown, given: ReplayOptions = {}): Promise<ReplayResult> {
  const options = readReplayOptions(given);
  const issues = validateTranscript(transcript);
  if (issues.length > 0) throw new TranscriptError(options.file ?? 'transcript', issues);
  return run(transcript as Transcript, options);
}

/**
 * `replay` of a transcript this library has just read from its file and validated
 * ({@link loadTranscript}), which nobody else has seen since: not validated a second time.
 * Only for a transcript no user code could have reached between the two.
 */
export async function replayLoaded(transcript: Transcript, given: ReplayOptions = {}): Promise<ReplayResult> {
  return run(transcript, readReplayOptions(given));
}

async function run(t: Transcript, options: ReplayOptions): Promise<ReplayResult> {
  const file = options.file ?? 'transcript';
  const cloud = createCloud({
    seed: options.seed ?? t.seed,
    ...(t.startTime !== undefined ? { startTime: t.startTime } : {}),
    latency: t.latency ?? 0,
    apps: t.apps ?? [],
  });

  const runner = new StepRunner(cloud, t);
  let failure: ReplayResult['failure'];
  const restore = quietScriptedErrors();
  try {
    await runner.run();
  } catch (error) {
    failure =
      error instanceof ReplayFailure
        ? { path: error.path, message: error.message.slice(error.path.length + 2) }
        : { path: '(replay)', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  } finally {
    restore();
    if (options.dispose !== false) cloud.dispose();
  }
  const log = cloud.log.entries;
  const diff = compareChecked(t.expect, log, { epoch: cloud.startTime, names: runner.namesOf });
  // The transcript form of the log and its timeline are made when first read: a replay that
  // passes is mostly not looked at, and for a long run they cost more than the comparison.
  let entries: PlainEntry[] | undefined;
  let timeline: string | undefined;
  const length = log.length;
  // As the log was when the replay ended (a cloud kept with `dispose: false` may go on).
  const ended = (): readonly LogEntry[] => (log.length === length ? log : log.slice(0, length));
  return {
    pass: !failure && !diff,
    name: t.name ?? file,
    transcript: t,
    cloud,
    log,
    get entries() {
      return (entries ??= ended().map((e) => plainEntry(e, cloud.startTime, runner.namesOf)));
    },
    ...(diff ? { diff } : {}),
    ...(failure ? { failure } : {}),
    get timeline() {
      return (timeline ??= formatTimeline(ended(), { epoch: cloud.startTime }));
    },
  };
}

/**
 * Checks a transcript without running it: its fields, its numbers, and every name it uses
 * (steps, cloud verbs, handle methods, SDK methods and callbacks) against this version. Throws
 * a {@link TranscriptError} listing every issue. The same check `replay` makes first.
 */
export function checkTranscript(transcript: unknown, file = 'transcript'): asserts transcript is Transcript {
  if (typeof file !== 'string') throw new EmulatorError(`Failed to check a transcript: file must be a string (used in messages), got ${describeArg(file)}`);
  const issues = validateTranscript(transcript);
  if (issues.length > 0) throw new TranscriptError(file, issues);
}

/** `replay`'s options by allowlist, each of its type. */
function readReplayOptions(given: unknown): ReplayOptions {
  const what = 'Failed to replay';
  const o = readOptions(given, ['file', 'seed', 'dispose'], what, "{ file: 'fixtures/kick.json', seed: 7 }");
  if (o.file !== undefined && typeof o.file !== 'string') throw new EmulatorError(`${what}: file must be a string (used in messages), got ${describeArg(o.file)}`);
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed)) throw new EmulatorError(`${what}: seed must be a safe integer, got ${describeArg(o.seed)}`);
  if (o.dispose !== undefined && typeof o.dispose !== 'boolean') throw new EmulatorError(`${what}: dispose must be true or false, got ${describeArg(o.dispose)}`);
  return o as ReplayOptions;
}

/** What went wrong in a failed replay, as text: the step that failed, and the log diff. */
export function formatReplayFailure(result: ReplayResult, file = result.name): string {
  const parts: string[] = [];
  if (result.failure) parts.push(`${file}: ${result.failure.path}: ${result.failure.message}`);
  if (result.diff) parts.push(`${file}: the log differs from expect.log\n${formatDiff(result.diff)}`);
  return parts.join('\n');
}

/**
 * 1.4.0 prints a callback's exception with console.error. Exceptions a transcript scripts
 * with `throw` are expected: keep them off the console while the replay runs.
 */
function quietScriptedErrors(): () => void {
  const original = console.error;
  console.error = (...args: unknown[]) => {
    if (args.length === 1 && args[0] instanceof ScriptedError) return;
    original.apply(console, args);
  };
  return () => {
    console.error = original;
  };
}
