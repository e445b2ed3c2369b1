/**
 * Compares a log with a transcript's expectation and, when they differ, names the first
 * divergence: the expected entry, the actual entry at that point, and the entries most like
 * the expected one with the fields that kept each from matching.
 */
import { describeArg, readOptions } from '../arguments.js';
import { invariant } from '../errors.js';
import type { LogEntry } from '../log/entry.js';
import { TranscriptError, validateTranscript } from './validate.js';
import { entryLine, entryMatches, entryMismatches, plainEntry, type PlainEntry } from './entries.js';
import type { Mismatch, ObjectNames } from './patterns.js';
import type { Expectation, ExpectedEntry } from './types.js';

/** A log entry that resembles the expected one, and why it did not match. */
export interface DiffCandidate {
  /** Position in the actual log. */
  index: number;
  entry: PlainEntry;
  /** The fields that differ (empty: it matches, but at the wrong place; see `note`). */
  mismatches: Mismatch[];
  note?: string;
}

/** The first divergence between the expected and the actual log. */
export interface LogDiff {
  /**
   * `mismatch`: the entry at that point differs; `missing`: the log ended (or, for a
   * subsequence, no later entry matches); `extra`: every expected entry matched, but the
   * log goes on (exact match only).
   */
  kind: 'mismatch' | 'missing' | 'extra';
  /** Index in `expect.log` of the first expected entry not matched (absent for `extra`). */
  expectedIndex?: number;
  expected?: ExpectedEntry;
  /** The actual entry at the point of divergence, if the log has one there. */
  actual?: { index: number; entry: PlainEntry };
  /** Up to 3 actual entries most like the expected one. */
  candidates: DiffCandidate[];
  /** How many expected entries matched before the divergence. */
  matched: number;
}

export interface CompareOptions {
  /** The cloud's start time: expected `t` values are relative to it. */
  epoch: number;
  names?: ObjectNames;
}

/**
 * Compares `actual` with `expectation`; `undefined` when they match.
 *
 * @example
 * const diff = compareLog(transcript.expect, cloud.log.entries, { epoch: cloud.startTime });
 * if (diff) console.log(formatDiff(diff));
 */
export function compareLog(expectation: Expectation, actual: readonly LogEntry[], options: CompareOptions): LogDiff | undefined {
  const what = 'Failed to compare the log';
  const issues = validateTranscript({ version: 1, steps: [], expect: expectation });
  if (issues.length > 0) throw new TranscriptError('expectation', issues);
  invariant(Array.isArray(actual), () => `${what}: expected the log's entries (cloud.log.entries), got ${describeArg(actual)}`);
  const o = readOptions(options, ['epoch', 'names'], what, '{ epoch: cloud.startTime }');
  invariant(typeof o.epoch === 'number' && Number.isFinite(o.epoch), () => `${what}: epoch must be the cloud's start time (cloud.startTime), got ${describeArg(o.epoch)}`);
  invariant(o.names === undefined || typeof o.names === 'function', () => `${what}: names must be a function (object) => names, got ${describeArg(o.names)}`);
  return compareChecked(expectation, actual, o as CompareOptions);
}

/** {@link compareLog} of an expectation already validated (a replayed transcript's). */
export function compareChecked(expectation: Expectation, actual: readonly LogEntry[], options: CompareOptions): LogDiff | undefined {
  const ignore = expectation.ignore ?? [];
  const mismatches = (e: ExpectedEntry, a: LogEntry) => entryMismatches(e, a, options.epoch, options.names, ignore);
  // Whether they match, without the mismatches: those are made only for the diff.
  const match = (e: ExpectedEntry, a: LogEntry) => entryMatches(e, a, options.epoch, options.names, ignore);
  const plain = (i: number): PlainEntry => plainEntry(actual[i]!, options.epoch, options.names);
  const expected = expectation.log;

  if (expectation.match === 'exact') {
    for (let i = 0; i < expected.length; i++) {
      if (i >= actual.length) {
        return { kind: 'missing', expectedIndex: i, expected: expected[i], candidates: candidates(expected[i]!, i, -1), matched: i };
      }
      if (!match(expected[i]!, actual[i]!)) {
        return { kind: 'mismatch', expectedIndex: i, expected: expected[i], actual: { index: i, entry: plain(i) }, candidates: candidates(expected[i]!, i, -1), matched: i };
      }
    }
    if (actual.length > expected.length) {
      const i = expected.length;
      return { kind: 'extra', actual: { index: i, entry: plain(i) }, candidates: [], matched: expected.length };
    }
    return undefined;
  }

  let from = 0;
  let previous = -1;
  for (let i = 0; i < expected.length; i++) {
    let found = -1;
    for (let j = from; j < actual.length; j++) {
      if (match(expected[i]!, actual[j]!)) {
        found = j;
        break;
      }
    }
    if (found < 0) {
      return {
        kind: 'missing',
        expectedIndex: i,
        expected: expected[i],
        ...(from < actual.length ? { actual: { index: from, entry: plain(from) } } : {}),
        candidates: candidates(expected[i]!, from, previous),
        matched: i,
      };
    }
    previous = found;
    from = found + 1;
  }
  return undefined;

  /** The entries most like `e`: fewest differing fields, weighted, then nearest to `point`. */
  function candidates(e: ExpectedEntry, point: number, previousMatch: number): DiffCandidate[] {
    const scored = actual.map((a, index) => {
      const m = mismatches(e, a);
      const weight = m.reduce((w, x) => w + (x.path === 'kind' || x.path === 'name' ? 10 : x.path === 'client' ? 5 : 1), 0);
      return { index, m, weight };
    });
    const best = scored
      .filter((s) => s.weight < 20)
      .sort((x, y) => x.weight - y.weight || Math.abs(x.index - point) - Math.abs(y.index - point) || x.index - y.index)
      .slice(0, 3);
    return best.map(({ index, m }) => {
      const c: DiffCandidate = { index, entry: plain(index), mismatches: m };
      if (m.length === 0) {
        if (expectation.match === 'subsequence' && index <= previousMatch) c.note = `matches, but comes before log #${previousMatch}, which matched expect.log[${expected.indexOf(e) - 1}]`;
        else if (index > point) c.note = `matches, but ${index - point} unexpected entr${index - point === 1 ? 'y comes' : 'ies come'} before it (log #${point}${index - point > 1 ? `–#${index - 1}` : ''})`;
        else if (index < point) c.note = `matches, but comes ${point - index} entr${point - index === 1 ? 'y' : 'ies'} early`;
      }
      return c;
    });
  }
}

/**
 * The diff as text: where the logs part, what was expected, what came, and the nearest
 * candidates with the fields that differed.
 */
export function formatDiff(diff: LogDiff): string {
  const lines: string[] = [];
  if (diff.kind === 'extra') {
    lines.push(`the log goes on after all ${diff.matched} expected entries; the first unexpected one:`);
    lines.push(`  actual    log #${diff.actual!.index}  ${entryLine(diff.actual!.entry)}`);
    return lines.join('\n');
  }
  const where = `expect.log[${diff.expectedIndex}]`;
  lines.push(
    diff.kind === 'mismatch'
      ? `first divergence at ${where} (${diff.matched} entr${diff.matched === 1 ? 'y' : 'ies'} matched before it):`
      : `${where} never came (${diff.matched} entr${diff.matched === 1 ? 'y' : 'ies'} matched before it):`,
  );
  lines.push(`  expected  ${entryLine(diff.expected!)}`);
  lines.push(diff.actual ? `  actual    log #${diff.actual.index}  ${entryLine(diff.actual.entry)}` : '  actual    (the log ends here)');
  if (diff.candidates.length > 0) {
    lines.push('  nearest candidates:');
    for (const c of diff.candidates) {
      const why = c.mismatches.length > 0 ? c.mismatches.map((m) => `${m.path}: expected ${m.expected}, got ${m.actual}`).join('; ') : (c.note ?? 'matches');
      lines.push(`    log #${c.index}  ${why}`);
      lines.push(`              ${entryLine(c.entry)}`);
    }
  } else {
    lines.push('  nearest candidates: none (no entry of that kind and name)');
  }
  return lines.join('\n');
}
