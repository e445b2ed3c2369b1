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
