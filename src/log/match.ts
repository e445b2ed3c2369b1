import { describeArg, errorName, isRegExp, readOptions, readStrings } from '../arguments.js';
import { bounds } from '../bounds.js';
import { EmulatorError } from '../errors.js';
import type { LogEntry, LogKind } from './entry.js';
import { formatValue, isAsymmetric } from './format.js';

/** A text field matches a string exactly, any string of a list, or a RegExp. */
export type TextMatch = string | RegExp | readonly string[];

/**
 * Which entries a query selects: every given field must match.
 *
 * @example
 * cloud.log.filter({ client: 'bob', name: 'onMessageInstantReceive', args: ['alice', 0, /hello/] });
 * cloud.log.count({ kind: ['fault', 'server'], from: cloud.startTime + 1000 });
 */
export interface LogMatch {
  kind?: LogKind | readonly LogKind[];
  /** The account (`''` for entries of the cloud itself). */
  client?: TextMatch;
  /** The SDK method or callback name, fault, or server decision. */
  name?: TextMatch;
  /** The SDK object beyond the session: `channel:NAME`, `call:CHANNEL/PEER`. */
  object?: TextMatch;
  /** Which login of the account (1 for its first Session). */
  session?: number;
  /**
   * The arguments. An array matches when the entry's arguments start with these, each matched
   * partially and deeply: an object matches when the given keys match (at any depth), an array
   * element by element, a RegExp matches a string, and asymmetric matchers
   * (`expect.any(Number)`, `expect.stringContaining('hi')`) work as in `toMatchObject`.
   * A function is called with the arguments and decides.
   */
  args?: readonly unknown[] | ((args: readonly unknown[]) => boolean);
  /** Virtual time (Unix ms) at or after this. */
  from?: number;
  /** Virtual time (Unix ms) at or before this. */
  to?: number;
  /** `true`: the app's callback threw; `false`: it did not; a string or RegExp matches the error text. */
  error?: boolean | string | RegExp;
  /** `true`: the callback was not set by the app when it fired. */
  unhandled?: boolean;
  /** Any further condition on the whole entry. */
  where?: (entry: LogEntry) => boolean;
}

/** A {@link LogMatch}, or a predicate over entries. */
export type LogQuery = LogMatch | ((entry: LogEntry) => boolean);

/** Whether `entry` is selected by `query`. */
export function matches(entry: LogEntry, query: LogQuery): boolean {
  if (typeof query === 'function') return query(entry);
  const m = query;
  if (m.kind !== undefined && !(typeof m.kind === 'string' ? entry.kind === m.kind : m.kind.includes(entry.kind))) return false;
  if (m.client !== undefined && !matchText(m.client, entry.client)) return false;
  if (m.name !== undefined && !matchText(m.name, entry.name)) return false;
  if (m.object !== undefined && !matchText(m.object, entry.object)) return false;
  if (m.session !== undefined && entry.session !== m.session) return false;
  if (m.from !== undefined && entry.t < m.from) return false;
  if (m.to !== undefined && entry.t > m.to) return false;
  if (m.unhandled !== undefined && (entry.unhandled === true) !== m.unhandled) return false;
  if (m.error !== undefined) {
    if (typeof m.error === 'boolean') {
      if ((entry.error !== undefined) !== m.error) return false;
    } else if (entry.error === undefined || !matchText(m.error, entry.error)) return false;
  }
  if (m.args !== undefined && !matchArgs(m.args, entry.args)) return false;
  if (m.where !== undefined && !m.where(entry)) return false;
  return true;
}

/** Whether `actual` arguments are matched by `expected` (a prefix, matched partially and deeply, or a predicate). */
export function matchArgs(expected: LogMatch['args'], actual: readonly unknown[]): boolean {
  if (expected === undefined) return true;
  if (typeof expected === 'function') return expected(actual);
  if (expected.length > actual.length) return false;
  for (let i = 0; i < expected.length; i++) if (!matchValue(expected[i], actual[i])) return false;
  return true;
}

/**
 * Partial deep match, as `toMatchObject`: objects by the expected keys only, arrays element by
 * element (same length), RegExps against strings, asymmetric matchers by their own test.
 */
export function matchValue(expected: unknown, actual: unknown, depth = 0): boolean {
  if (Object.is(expected, actual)) return true;
  if (depth > 64) return false;
  if (isAsymmetric(expected)) return expected.asymmetricMatch(actual);
  if (expected instanceof RegExp) {
    if (actual instanceof RegExp) return String(expected) === String(actual);
    if (typeof actual !== 'string') return false;
    expected.lastIndex = 0;
    return expected.test(actual);
  }
  if (typeof expected !== 'object' || expected === null || typeof actual !== 'object' || actual === null) return false;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return false;
    for (let i = 0; i < expected.length; i++) if (!matchValue(expected[i], actual[i], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(actual)) return false;
  for (const key of Object.keys(expected)) {
    if (!matchValue((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/** Strict deep equality of plain data (functions are equal to functions: they cannot be compared across runs). */
export function deepEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a === 'function' && typeof b === 'function') return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (depth > 64) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof RegExp || b instanceof RegExp) return String(a) === String(b);
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1)) return false;
  }
  return true;
}

/** The fields a {@link LogMatch} may have. */
export const LOG_MATCH_FIELDS = ['kind', 'client', 'name', 'object', 'session', 'args', 'from', 'to', 'error', 'unhandled', 'where'] as const;
const LOG_KINDS: readonly string[] = Object.freeze(['call', 'callback', 'fault', 'server']);

/**
 * Checks a log query before it is used (`cloud.log.filter(q)`, `first`, `last`, `count`,
 * `until`): a predicate function, or a {@link LogMatch} whose fields are known (a typo such as
 * `cleint` is an error listing the valid ones), of the right types, and plain data (a getter is
 * refused, never called). Returns a copy to match with.
 *
 * @example
 * const q = readLogQuery({ client: 'bob', name: /^onLogin/ }, 'Failed to filter the log');
 */
export function readLogQuery(query: unknown, what: string): LogQuery {
  if (typeof query === 'function') return query as (entry: LogEntry) => boolean;
  return readLogMatch(query, what);
}

/** {@link readLogQuery} for a {@link LogMatch} only (no predicate function). */
export function readLogMatch(query: unknown, what: string): LogMatch {
  if (query === null || typeof query !== 'object' || Array.isArray(query)) {
    throw new EmulatorError(`${what}: expected a log match like { client: 'bob', name: 'onLogout' } or a predicate (entry) => boolean, got ${describeArg(query)}`);
  }
  const o = readOptions(query, LOG_MATCH_FIELDS, what, "{ client: 'bob', name: 'onLogout' }", 'field');
  const out: LogMatch = {};
  const bad = (field: string, wanted: string, value: unknown): never => {
    throw new EmulatorError(`${what}: ${field} must be ${wanted}, got ${describeArg(value)}`);
  };
  if (o.kind !== undefined) {
    const kinds = readStrings(o.kind, what, 'kind');
    for (const k of kinds) if (!LOG_KINDS.includes(k)) bad('kind', `one of ${LOG_KINDS.map((x) => `'${x}'`).join(', ')} (or a list of them)`, k);
    out.kind = typeof o.kind === 'string' ? (o.kind as LogKind) : (kinds as LogKind[]);
  }
  for (const field of ['client', 'name', 'object'] as const) {
    const v = o[field];
    if (v === undefined) continue;
    out[field] = isRegExp(v) ? v : typeof v === 'string' ? v : Array.isArray(v) ? readStrings(v, what, field) : bad(field, 'a string, a RegExp or a list of strings', v);
  }
  if (o.session !== undefined) out.session = typeof o.session === 'number' && Number.isInteger(o.session) ? o.session : bad('session', 'a whole number (1 for the first login)', o.session);
  for (const field of ['from', 'to'] as const) {
    const v = o[field];
    if (v !== undefined) out[field] = typeof v === 'number' && !Number.isNaN(v) ? v : bad(field, 'virtual Unix ms (e.g. cloud.startTime + 1000)', v);
  }
  if (o.error !== undefined) {
    const v = o.error;
    out.error = typeof v === 'boolean' || typeof v === 'string' || isRegExp(v) ? v : bad('error', 'true, false, a string or a RegExp', v);
  }
  if (o.unhandled !== undefined) out.unhandled = typeof o.unhandled === 'boolean' ? o.unhandled : bad('unhandled', 'true or false', o.unhandled);
  if (o.where !== undefined) out.where = typeof o.where === 'function' ? (o.where as (e: LogEntry) => boolean) : bad('where', 'a function (entry) => boolean', o.where);
  if (o.args !== undefined) {
    const v = o.args;
    if (typeof v === 'function') out.args = v as (args: readonly unknown[]) => boolean;
    else if (Array.isArray(v)) {
      checkPattern(v, what, 'args', 0);
      out.args = [...v];
    } else bad('args', 'a list of values to match the arguments with, or a function (args) => boolean', v);
  }
  return out;
}

/**
 * A pattern of `args` (values, RegExps, asymmetric matchers, nested lists and objects): its own
 * properties must be data (a getter would run while matching), at most {@link bounds.maxDepth} deep.
 */
function checkPattern(value: unknown, what: string, path: string, depth: number): void {
  if (typeof value !== 'object' || value === null || isRegExp(value)) return;
  if (depth >= bounds.maxDepth) throw new EmulatorError(`${what}: ${path} is nested more than ${bounds.maxDepth} levels deep`);
  let keys: Array<string | symbol>;
  try {
    keys = Reflect.ownKeys(value);
  } catch (error) {
    throw new EmulatorError(`${what}: ${path} cannot be read (${errorName(error)}); match with plain values`);
  }
  for (const key of keys) {
    if (typeof key !== 'string') continue;
    let d: PropertyDescriptor | undefined;
    try {
      d = Object.getOwnPropertyDescriptor(value, key);
    } catch (error) {
      throw new EmulatorError(`${what}: ${path}.${key} cannot be read (${errorName(error)}); match with plain values`);
    }
    if (d === undefined) continue;
    if (!('value' in d)) throw new EmulatorError(`${what}: ${path}.${key} is a getter; match with plain values`);
    if (Array.isArray(value) && key === 'length') continue;
    checkPattern(d.value, what, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, depth + 1);
  }
}

/**
 * Whether `entry` is selected by `query` (checked with {@link readLogQuery}); what a predicate
 * or matcher of the query throws comes back as an {@link EmulatorError} (its `cause` the original)
 * instead of being thrown, so that it can be raised where the test can catch it.
 */
export function matchesSafely(entry: LogEntry, query: LogQuery, what: string): boolean | EmulatorError {
  try {
    return matches(entry, query);
  } catch (error) {
    if (error instanceof EmulatorError) return error;
    return new EmulatorError(`${what}: the log query threw ${errorName(error)} (from a predicate, or a matcher in args)`, { cause: error });
  }
}

/** A query as short text for messages: `{ kind: "server", name: "kick" }`. */
export function describeQuery(query: LogQuery): string {
  if (typeof query === 'function') return query.name ? `<predicate ${query.name}>` : '<predicate>';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (typeof value === 'function') parts.push(`${key}: <predicate>`);
    else if (key === 'args' && Array.isArray(value)) parts.push(`args: [${value.map((v) => formatValue(v)).join(', ')}]`);
    else parts.push(`${key}: ${formatValue(value)}`);
  }
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}

function matchText(m: TextMatch, value: string | undefined): boolean {
  if (typeof m === 'string') return value === m;
  if (value === undefined) return false;
  if (m instanceof RegExp) {
    m.lastIndex = 0;
    return m.test(value);
  }
  return (m as readonly string[]).includes(value);
}
