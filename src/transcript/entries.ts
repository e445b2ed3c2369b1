/**
 * Log entries as transcripts write them: `t` relative to the cloud's start, arguments in their
 * JSON form, fields in one fixed order (so recorded files diff well).
 */
import type { LogEntry } from '../log/entry.js';
import { inline } from './inline-json.js';
import { matches, matchValue, toPlain, type Mismatch, type ObjectNames } from './patterns.js';
import type { EntryField, ExpectedEntry } from './types.js';

/** A log entry in its transcript form. */
export interface PlainEntry {
  t: number;
  client: string;
  kind: LogEntry['kind'];
  name: string;
  object?: string;
  args: unknown[];
  session?: number;
  error?: string;
  unhandled?: true;
}

/** The order fields are written in. */
export const ENTRY_FIELD_ORDER: readonly EntryField[] = ['t', 'client', 'kind', 'name', 'object', 'args', 'session', 'error', 'unhandled'];

/** The transcript form of a log entry (`epoch`: the cloud's start time). */
export function plainEntry(e: LogEntry, epoch: number, names?: ObjectNames): PlainEntry {
  const out: PlainEntry = { t: e.t - epoch, client: e.client, kind: e.kind, name: e.name, args: e.args.map((a) => toPlain(a, names)) };
  if (e.object !== undefined) out.object = e.object;
  // Re-create in the written order (object sits before args).
  const ordered: Record<string, unknown> = {};
  for (const f of ENTRY_FIELD_ORDER) {
    const v = f === 'session' ? e.session : f === 'error' ? e.error : f === 'unhandled' ? e.unhandled : (out as unknown as Record<string, unknown>)[f];
    if (v !== undefined) ordered[f] = v;
  }
  return ordered as unknown as PlainEntry;
}

/**
 * Every field where an actual entry differs from an expected one (empty: it matches). Fields
 * the expected entry leaves out, and fields in `ignore`, are not compared.
 */
export function entryMismatches(expected: ExpectedEntry, actual: LogEntry, epoch: number, names?: ObjectNames, ignore: readonly EntryField[] = []): Mismatch[] {
  const out: Mismatch[] = [];
  const check = (field: EntryField, pattern: unknown, value: unknown): void => {
    if (pattern === undefined || ignore.includes(field)) return;
    const m = matchValue(pattern, value, field, names);
    if (m) out.push(m);
  };
  check('t', expected.t, actual.t - epoch);
  check('client', expected.client, actual.client);
  check('kind', expected.kind, actual.kind);
  check('name', expected.name, actual.name);
  check('object', expected.object, actual.object);
  check('args', expected.args, actual.args);
  check('session', expected.session, actual.session);
  check('error', expected.error, actual.error);
  if (expected.unhandled !== undefined && !ignore.includes('unhandled') && expected.unhandled !== (actual.unhandled === true)) {
    out.push({ path: 'unhandled', expected: String(expected.unhandled), actual: String(actual.unhandled === true) });
  }
  return out;
}

/**
 * Whether an actual entry matches an expected one: `entryMismatches(…).length === 0`, without
 * making the mismatches (asked of every entry of a long log, where almost all match).
 */
export function entryMatches(expected: ExpectedEntry, actual: LogEntry, epoch: number, names?: ObjectNames, ignore: readonly EntryField[] = []): boolean {
  const none = ignore.length === 0;
  return (
    (expected.t === undefined || (!none && ignore.includes('t')) || matches(expected.t, actual.t - epoch, names)) &&
    (expected.client === undefined || (!none && ignore.includes('client')) || matches(expected.client, actual.client, names)) &&
    (expected.kind === undefined || (!none && ignore.includes('kind')) || matches(expected.kind, actual.kind, names)) &&
    (expected.name === undefined || (!none && ignore.includes('name')) || matches(expected.name, actual.name, names)) &&
    (expected.object === undefined || (!none && ignore.includes('object')) || matches(expected.object, actual.object, names)) &&
    (expected.args === undefined || (!none && ignore.includes('args')) || matches(expected.args, actual.args, names)) &&
    (expected.session === undefined || (!none && ignore.includes('session')) || matches(expected.session, actual.session, names)) &&
    (expected.error === undefined || (!none && ignore.includes('error')) || matches(expected.error, actual.error, names)) &&
    (expected.unhandled === undefined || (!none && ignore.includes('unhandled')) || expected.unhandled === (actual.unhandled === true))
  );
}

/** One line of JSON for an entry or pattern (for diffs and messages). */
export function entryLine(entry: ExpectedEntry | PlainEntry): string {
  const text = inline(entry);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
