/**
 * Values in transcripts: the `$`-operators of expected entries (loose matching) and the JSON
 * form of actual values (how a log entry is written into a transcript).
 */
import { describeArg, isPlainObject } from '../arguments.js';
import { compileLinearRegex, type LinearRegex } from './linear-regex.js';
import { defaultObjectName, isSdkObject } from './sdk-objects.js';

/** The matcher of a `$match` pattern; `undefined` for one it does not take (validation names why), which matches nothing. */
function linearRegex(source: string): LinearRegex | undefined {
  try {
    return compileLinearRegex(source);
  } catch {
    return undefined;
  }
}

/** Operators a pattern (expected entry, `until`, reaction `args`) may use. */
export const MATCH_OPERATORS = ['$any', '$type', '$match', '$json', '$has', '$repeat', '$object', '$cb', '$undefined', '$literal'] as const;
/** Operators a step argument may use. */
export const VALUE_OPERATORS = ['$cb', '$token', '$arg', '$repeat', '$object', '$undefined', '$literal'] as const;
export const TYPE_NAMES = ['string', 'number', 'boolean', 'object', 'array', 'null', 'undefined', 'function'] as const;

/** `[operator, operand]` when `value` is an object with a single `$`-key, else undefined. */
export function operatorOf(value: unknown): [string, unknown] | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || !keys[0]!.startsWith('$')) return undefined;
  return [keys[0]!, (value as Record<string, unknown>)[keys[0]!]];
}

/** Where and how an actual value differs from a pattern. */
export interface Mismatch {
  /** Path inside the entry, e.g. `args[2]` or `args[1].status`. */
  path: string;
  expected: string;
  actual: string;
}

/** The names an SDK object answers to (its default name first). */
export type ObjectNames = (object: object) => readonly string[];

const defaultNames: ObjectNames = (o) => [defaultObjectName(o)];

/**
 * Compares an actual value with a pattern; returns the first difference, or undefined when
 * the value matches.
 *
 * @example
 * matchValue({ $match: '^emu_' }, 'emu_3', 'args[0]') // undefined: it matches
 */
export function matchValue(pattern: unknown, actual: unknown, path: string, names: ObjectNames = defaultNames): Mismatch | undefined {
  const fail = (expected: string): Mismatch => ({ path, expected, actual: describe(actual, names) });
  const op = operatorOf(pattern);
  if (op) {
    const [name, operand] = op;
    switch (name) {
      case '$any':
        return undefined;
      case '$type':
        return typeName(actual) === operand ? undefined : fail(`a value of type ${String(operand)}`);
      case '$match':
        return typeof actual === 'string' && linearRegex(String(operand))?.test(actual) ? undefined : fail(`a string matching /${String(operand)}/`);
      case '$json': {
        if (typeof actual !== 'string') return fail(`a JSON string matching ${describe(operand, names)}`);
        let parsed: unknown;
        try {
          parsed = JSON.parse(actual);
        } catch {
          return fail(`a JSON string matching ${describe(operand, names)}`);
        }
        const inner = matchValue(operand, parsed, `${path}<json>`, names);
        return inner;
      }
      case '$has': {
        if (!isPlainObject(actual)) return fail(`an object with ${describe(operand, names)}`);
        for (const [k, v] of Object.entries(operand as Record<string, unknown>)) {
          if (!Object.prototype.hasOwnProperty.call(actual, k)) return { path: `${path}.${k}`, expected: describe(v, names), actual: '(missing)' };
          const m = matchValue(v, (actual as Record<string, unknown>)[k], `${path}.${k}`, names);
          if (m) return m;
        }
        return undefined;
      }
      case '$repeat': {
        const [unit, count] = operand as [string, number];
        return actual === unit.repeat(count) ? undefined : fail(`${JSON.stringify(unit)} × ${count}`);
      }
      case '$object':
        return isSdkObject(actual) && names(actual).includes(String(operand)) ? undefined : fail(`the SDK object ${String(operand)}`);
      case '$cb':
        return typeof actual === 'function' ? undefined : fail('a function');
      case '$undefined':
        return actual === undefined ? undefined : fail('undefined');
      case '$literal':
        return deepEqualPlain(operand, actual) ? undefined : fail(describe(operand, names));
      default:
        return fail(`(unknown operator ${name})`);
    }
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual)) return fail(describe(pattern, names));
    for (let i = 0; i < Math.min(pattern.length, actual.length); i++) {
      const m = matchValue(pattern[i], actual[i], `${path}[${i}]`, names);
      if (m) return m;
    }
    if (pattern.length !== actual.length) {
      return { path, expected: `${pattern.length} item${pattern.length === 1 ? '' : 's'}`, actual: `${actual.length}: ${describe(actual, names)}` };
    }
    return undefined;
  }
  if (isPlainObject(pattern)) {
    if (!isPlainObject(actual)) return fail(describe(pattern, names));
    const pk = Object.keys(pattern);
    for (const k of pk) {
      if (!Object.prototype.hasOwnProperty.call(actual, k)) return { path: `${path}.${k}`, expected: describe(pattern[k], names), actual: '(missing)' };
      const m = matchValue(pattern[k], actual[k], `${path}.${k}`, names);
      if (m) return m;
    }
    const extra = Object.keys(actual).filter((k) => !pk.includes(k));
    if (extra.length > 0) return { path: `${path}.${extra[0]}`, expected: '(absent)', actual: describe(actual[extra[0]!], names) };
    return undefined;
  }
  return Object.is(pattern, actual) ? undefined : fail(describe(pattern, names));
}

/**
 * Whether an actual value matches a pattern: `matchValue(…) === undefined`, without making the
 * description of a difference (a long log's comparison asks this of every field of every entry,
 * and almost all match).
 */
export function matches(pattern: unknown, actual: unknown, names: ObjectNames = defaultNames): boolean {
  if (typeof pattern !== 'object' || pattern === null) return Object.is(pattern, actual);
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual)) return false;
    for (let i = 0; i < Math.min(pattern.length, actual.length); i++) if (!matches(pattern[i], actual[i], names)) return false;
    return pattern.length === actual.length;
  }
  const op = operatorOf(pattern);
  if (op) {
    const [name, operand] = op;
    switch (name) {
      case '$any':
        return true;
      case '$type':
        return typeName(actual) === operand;
      case '$match':
        return typeof actual === 'string' && linearRegex(String(operand))?.test(actual) === true;
      case '$json': {
        if (typeof actual !== 'string') return false;
        let parsed: unknown;
        try {
          parsed = JSON.parse(actual);
        } catch {
          return false;
        }
        return matches(operand, parsed, names);
      }
      case '$has': {
        if (!isPlainObject(actual)) return false;
        for (const [k, v] of Object.entries(operand as Record<string, unknown>)) {
          if (!Object.prototype.hasOwnProperty.call(actual, k) || !matches(v, (actual as Record<string, unknown>)[k], names)) return false;
        }
        return true;
      }
      case '$repeat': {
        const [unit, count] = operand as [string, number];
        return actual === unit.repeat(count);
      }
      case '$object':
        return isSdkObject(actual) && names(actual).includes(String(operand));
      case '$cb':
        return typeof actual === 'function';
      case '$undefined':
        return actual === undefined;
      case '$literal':
        return deepEqualPlain(operand, actual);
      default:
        return false;
    }
  }
  if (isPlainObject(pattern)) {
    if (!isPlainObject(actual)) return false;
    const pk = Object.keys(pattern);
    for (const k of pk) if (!Object.prototype.hasOwnProperty.call(actual, k) || !matches(pattern[k], actual[k], names)) return false;
    for (const k of Object.keys(actual)) if (!pk.includes(k)) return false;
    return true;
  }
  return Object.is(pattern, actual);
}

/** The JSON type name of a value, as `$type` uses it. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * The JSON form of an actual value: SDK objects become `{"$object": name}`, functions
 * `{"$cb": true}`, `undefined` `{"$undefined": true}`, a long string of one repeated character
 * `{"$repeat": [c, n]}`, and an object with `$`-keys is wrapped in `$literal`.
 */
export function toPlain(value: unknown, names: ObjectNames = defaultNames): unknown {
  if (value === undefined) return { $undefined: true };
  if (typeof value === 'function') return { $cb: true };
  if (typeof value === 'string') return compactString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => toPlain(v, names));
  if (isSdkObject(value)) return { $object: names(value)[0] };
  const out: Record<string, unknown> = {};
  let dollar = false;
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('$')) dollar = true;
    // defineProperty: a key named "__proto__" stays a key, it does not set the prototype.
    Object.defineProperty(out, k, { value: toPlain(v, names), enumerable: true, writable: true, configurable: true });
  }
  return dollar ? { $literal: value } : out;
}

/** A string of at least 64 copies of one character is written `{"$repeat": [c, n]}`. */
function compactString(s: string): unknown {
  if (s.length < 64) return s;
  const chars = [...s];
  const first = chars[0]!;
  return chars.every((c) => c === first) ? { $repeat: [first, chars.length] } : s;
}

/** A short, readable rendering of a value or pattern for messages. */
export function describe(value: unknown, names: ObjectNames = defaultNames): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return '<function>';
  if (isSdkObject(value)) return `<${names(value)[0]}>`;
  let text: string;
  try {
    text = JSON.stringify(value, (_k, v: unknown) => (isSdkObject(v) ? `<${names(v)[0]}>` : v)) ?? describeArg(value);
  } catch {
    text = describeArg(value);
  }
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}


function deepEqualPlain(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => deepEqualPlain((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Re-exported for the transcript modules, which take their value helpers from here. */
export { isPlainObject };
