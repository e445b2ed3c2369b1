/**
 * `replay(transcript)`: runs a transcript on a fresh cloud and compares the log with what it
 * expects.
 */
import { createCloud, type Cloud } from '../create-cloud.js';
import type { LogEntry } from '../log/entry.js';
import { formatTimeline } from '../log/timeline.js';
import { compareLog, formatDiff, type LogDiff } from './diff.js';
import { plainEntry, type PlainEntry } from './entries.js';
import { operatorOf, isPlainObject } from './patterns.js';
import { ReplayFailure, ScriptedError, StepRunner } from './runner.js';
import type { Transcript } from './types.js';
import { TranscriptError, validateTranscript, type TranscriptIssue } from './validate.js';
import { resolveVerb } from './verbs.js';

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
export async function replay(transcript: Transcript | unknown, options: ReplayOptions = {}): Promise<ReplayResult> {
  const file = options.file ?? 'transcript';
  const issues = validateTranscript(transcript);
  if (issues.length > 0) throw new TranscriptError(file, issues);
  const t = transcript as Transcript;
  const cloud = createCloud({
    seed: options.seed ?? t.seed,
    ...(t.startTime !== undefined ? { startTime: t.startTime } : {}),
    latency: t.latency ?? 0,
    apps: t.apps ?? [],
  });
  const verbIssues = checkVerbs(cloud, t);
  if (verbIssues.length > 0) {
    cloud.dispose();
    throw new TranscriptError(file, verbIssues);
  }

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
  const diff = compareLog(t.expect, log, { epoch: cloud.startTime, names: runner.namesOf });
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
 * Checks a transcript without running it: its fields, and that every cloud verb it names
 * exists in this version. Throws a {@link TranscriptError} listing every issue.
 */
export function checkTranscript(transcript: unknown, file = 'transcript'): asserts transcript is Transcript {
  const issues = validateTranscript(transcript);
  if (issues.length > 0) throw new TranscriptError(file, issues);
  const cloud = createCloud({ apps: (transcript as Transcript).apps ?? [] });
  try {
    const verbIssues = checkVerbs(cloud, transcript as Transcript);
    if (verbIssues.length > 0) throw new TranscriptError(file, verbIssues);
  } finally {
    cloud.dispose();
  }
}

/** What went wrong in a failed replay, as text: the step that failed, and the log diff. */
export function formatReplayFailure(result: ReplayResult, file = result.name): string {
  const parts: string[] = [];
  if (result.failure) parts.push(`${file}: ${result.failure.path}: ${result.failure.message}`);
  if (result.diff) parts.push(`${file}: the log differs from expect.log\n${formatDiff(result.diff)}`);
  return parts.join('\n');
}

/** Every cloud verb of the transcript (steps, reactions, `$cb` actions), checked on this cloud. */
function checkVerbs(cloud: Cloud, t: Transcript): TranscriptIssue[] {
  const issues: TranscriptIssue[] = [];
  const visit = (step: unknown, path: string): void => {
    if (!isPlainObject(step)) return;
    if (typeof step.cloud === 'string') {
      const verb = resolveVerb(cloud, step.cloud);
      if ('error' in verb) issues.push({ path: `${path}.cloud`, message: verb.error });
    }
    if (Array.isArray(step.do)) step.do.forEach((a, i) => visit(a, `${path}.do[${i}]`));
    if (Array.isArray(step.args)) {
      step.args.forEach((a, i) => {
        const op = operatorOf(a);
        if (op && op[0] === '$cb' && isPlainObject(op[1]) && Array.isArray(op[1].do)) op[1].do.forEach((x, k) => visit(x, `${path}.args[${i}].$cb.do[${k}]`));
      });
    }
  };
  t.steps.forEach((s, i) => visit(s, `steps[${i}]`));
  return issues;
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
