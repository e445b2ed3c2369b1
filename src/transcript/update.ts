/**
 * `update` mode: rewrites a transcript's expected log from the log a run produced, keeping
 * the loose patterns (`{"$any": true}`, `{"$match": …}`, …) an author wrote where they still
 * match, so an update does not undo deliberate looseness.
 */
import { describeArg, readOptions } from '../arguments.js';
import { invariant } from '../errors.js';
import type { LogEntry } from '../log/entry.js';
import { assertTranscript } from './validate.js';
import { ENTRY_FIELD_ORDER, plainEntry } from './entries.js';
import { isPlainObject, matchValue, operatorOf, type ObjectNames } from './patterns.js';
import type { ExpectedEntry, Transcript } from './types.js';

/**
 * A copy of `transcript` whose `expect` is the whole of `log` (`match: "exact"`). Where the
 * old expectation was exact and its entry at the same position still matches field by field,
 * a field written as a pattern is kept as it was.
 *
 * @example
 * const result = await replay(transcript);
 * writeFileSync(file, formatTranscript(updateExpectation(transcript, result.log, { epoch: result.cloud.startTime })));
 */
export function updateExpectation(transcript: Transcript, log: readonly LogEntry[], given: { epoch: number; names?: ObjectNames }): Transcript {
  const what = 'Failed to update the expectation';
  assertTranscript(transcript);
  invariant(Array.isArray(log), () => `${what}: expected the log's entries (cloud.log.entries), got ${describeArg(log)}`);
  const options = readOptions(given, ['epoch', 'names'], what, '{ epoch: cloud.startTime }') as { epoch: number; names?: ObjectNames };
  invariant(typeof options.epoch === 'number' && Number.isFinite(options.epoch), () => `${what}: epoch must be the cloud's start time (cloud.startTime), got ${describeArg(options.epoch)}`);
  invariant(options.names === undefined || typeof options.names === 'function', () => `${what}: names must be a function (object) => names, got ${describeArg(options.names)}`);
  const old = transcript.expect;
  const entries = log.map((e, i) => {
    const fresh = plainEntry(e, options.epoch, options.names) as unknown as Record<string, unknown>;
    const previous = old.match === 'exact' ? (old.log[i] as Record<string, unknown> | undefined) : undefined;
    if (!previous) return fresh as ExpectedEntry;
    const actualFields: Record<string, unknown> = { ...e, t: e.t - options.epoch };
    for (const field of ENTRY_FIELD_ORDER) {
      const pattern = previous[field];
      if (pattern === undefined || !hasOperator(pattern)) continue;
      if (field === 'args' && Array.isArray(pattern) && Array.isArray(fresh.args) && pattern.length === e.args.length) {
        fresh.args = pattern.map((p, k) => (hasOperator(p) && !matchValue(p, e.args[k], 'args', options.names) ? p : (fresh.args as unknown[])[k]));
      } else if (!matchValue(pattern, actualFields[field], field, options.names)) {
        fresh[field] = pattern;
      }
    }
    return fresh as ExpectedEntry;
  });
  const expect = { match: 'exact' as const, ...(old.ignore ? { ignore: old.ignore } : {}), log: entries };
  return { ...transcript, expect };
}

function hasOperator(value: unknown): boolean {
  if (operatorOf(value)) return true;
  if (Array.isArray(value)) return value.some(hasOperator);
  if (isPlainObject(value)) return Object.values(value).some(hasOperator);
  return false;
}
