/**
 * Reading what a caller hands the emulator's API, by allowlist, before anything uses it: an
 * options object's own data properties only (a getter is refused, never called), known names
 * only (a typo is an error listing the valid ones), numbers finite and within {@link bounds}.
 * Nothing here runs the caller's code (no getter, no `toString`, no proxy trap left unguarded),
 * so misuse ends in an {@link EmulatorError} and nothing else.
 */
import { bounds } from './bounds.js';
import { EmulatorError } from './errors.js';

/**
 * A short description of any value for an error message. Never throws and never runs the
 * value's code: strings are quoted, objects shown by their own data properties, two levels deep.
 *
 * @example
 * describeArg('7')            // '"7"'
 * describeArg({ within: -1 }) // '{ within: -1 }'
 */
export function describeArg(value: unknown, depth = 0): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}…` : value);
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value.toString()}n`;
    case 'symbol':
      return `Symbol(${value.description ?? ''})`;
    case 'function':
      return 'a function';
    default:
      break;
  }
  if (value === null) return 'null';
  try {
    if (Array.isArray(value)) {
      if (depth >= 2) return '[…]';
      const n = ownData(value, 'length');
      const length = typeof n === 'number' ? n : 0;
      const items: string[] = [];
      for (let i = 0; i < Math.min(length, 4); i++) items.push(describeArg(ownData(value, String(i)), depth + 1));
      return `[${items.join(', ')}${length > 4 ? ', …' : ''}]`;
    }
    if (!isPlainObject(value)) return 'an object that is not plain data';
    if (depth >= 2) return '{…}';
    const parts: string[] = [];
    for (const key of Reflect.ownKeys(value as object)) {
      if (typeof key !== 'string') continue;
      if (parts.length === 4) {
        parts.push('…');
        break;
      }
      const d = Object.getOwnPropertyDescriptor(value, key);
      parts.push(`${key}: ${d && 'value' in d ? describeArg(d.value, depth + 1) : '<getter>'}`);
    }
    return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
  } catch {
    return 'an object that cannot be read';
  }
}

/** An own data property's value, or undefined (a getter is not called). */
function ownData(object: object, key: string): unknown {
  const d = Object.getOwnPropertyDescriptor(object, key);
  return d && 'value' in d ? d.value : undefined;
}

/**
 * An own data property of any value, or undefined: for a getter, a missing property, something
 * that is not an object, or an object that cannot be read (a proxy whose traps throw).
 */
export function dataField(value: unknown, key: string): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  try {
    return ownData(value, key);
  } catch {
    return undefined;
  }
}

/**
 * The options a caller passed, as a plain record of their own data properties. `undefined` is
 * no options. Throws an {@link EmulatorError} (starting with `what`) for anything but an object,
 * for a name not in `known` (listing the known ones), and for a getter.
 *
 * @example
 * const o = readOptions(options, ['within', 'what'], 'Failed to run until', "{ within: 5000 }");
 */
export function readOptions<K extends string>(value: unknown, known: readonly K[] | 'any', what: string, example: string, noun = 'option'): Partial<Record<K, unknown>> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EmulatorError(`${what}: the options must be an object like ${example}, got ${describeArg(value)}`);
  }
  const out: Partial<Record<K, unknown>> = Object.create(null) as Partial<Record<K, unknown>>;
  let keys: Array<string | symbol>;
  try {
    keys = Reflect.ownKeys(value);
  } catch (error) {
    throw new EmulatorError(`${what}: the options cannot be read (${errorName(error)}); pass a plain object like ${example}`);
  }
  for (const key of keys) {
    if (typeof key !== 'string') continue;
    if (known !== 'any' && !(known as readonly string[]).includes(key)) {
      throw new EmulatorError(`${what}: unknown ${noun} '${key}' (known: ${known.join(', ')})`);
    }
    let d: PropertyDescriptor | undefined;
    try {
      d = Object.getOwnPropertyDescriptor(value, key);
    } catch (error) {
      throw new EmulatorError(`${what}: ${noun} '${key}' cannot be read (${errorName(error)}); pass a plain object like ${example}`);
    }
    if (d === undefined) continue;
    if (!('value' in d)) throw new EmulatorError(`${what}: ${noun} '${key}' is a getter; pass plain values, like ${example}`);
    if (d.value !== undefined) out[key as K] = d.value;
  }
  return out;
}

/**
 * A list of strings (or one string, as a list) read without running the caller's code.
 * Throws an {@link EmulatorError} naming the field otherwise.
 */
export function readStrings(value: unknown, what: string, field: string): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) throw new EmulatorError(`${what}: ${field} must be a string or a list of strings, got ${describeArg(value)}`);
  const out: string[] = [];
  try {
    const length = ownData(value, 'length') as number;
    for (let i = 0; i < length; i++) {
      const d = Object.getOwnPropertyDescriptor(value, String(i));
      const item = d && 'value' in d ? d.value : undefined;
      if (typeof item !== 'string') throw new EmulatorError(`${what}: ${field}[${i}] must be a string, got ${d && !('value' in d) ? 'a getter' : describeArg(item)}`);
      out.push(item);
    }
  } catch (error) {
    if (error instanceof EmulatorError) throw error;
    throw new EmulatorError(`${what}: ${field} cannot be read (${errorName(error)}); pass a list of strings`);
  }
  return out;
}

/**
 * The items of a list, read without running the caller's code (a getter is refused). Throws an
 * {@link EmulatorError} naming the field when it is not a list.
 */
export function readList(value: unknown, what: string, field: string): unknown[] {
  if (!Array.isArray(value)) throw new EmulatorError(`${what}: ${field} must be a list, got ${describeArg(value)}`);
  try {
    const length = ownData(value, 'length') as number;
    const out: unknown[] = [];
    for (let i = 0; i < length; i++) out.push(dataAt(value, String(i), what, `${field}[${i}]`));
    return out;
  } catch (error) {
    if (error instanceof EmulatorError) throw error;
    throw new EmulatorError(`${what}: ${field} cannot be read (${errorName(error)}); pass a plain list`);
  }
}

/**
 * A duration in ms: finite, at least 0, at most {@link bounds.maxDurationMs}.
 *
 * @example
 * const within = readDuration(options.within ?? 60_000, 'Failed to run until', 'within');
 */
export function readDuration(value: unknown, what: string, field: string, hint = ''): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new EmulatorError(`${what}: ${field} must be a non-negative number of milliseconds, got ${describeArg(value)}`);
  }
  if (value > bounds.maxDurationMs) {
    throw new EmulatorError(`${what}: ${field} is ${value} ms, more than the longest duration the emulator takes, ${bounds.maxDurationMs} ms (365 days)${hint ? `; ${hint}` : ''}`);
  }
  return value;
}

/** A whole number from `min` to `max`, or an {@link EmulatorError} naming the field and the bound. */
export function readWhole(value: unknown, what: string, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new EmulatorError(`${what}: ${field} must be a whole number of at least ${min}, got ${describeArg(value)}`);
  }
  if (value > max) throw new EmulatorError(`${what}: ${field} is ${value}, more than the largest allowed, ${max}`);
  return value;
}

/**
 * Checks that a value is data the emulator may keep or send (strings, finite numbers,
 * booleans, null, arrays and plain objects of them, at most {@link bounds.maxDepth} deep),
 * without running its code, and returns a copy of it. Throws an {@link EmulatorError} naming
 * the path of the first bad part.
 */
export function copyData(value: unknown, what: string, path: string, depth = 0): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value;
      break;
    case 'object': {
      if (value === null) return null;
      if (depth >= bounds.maxDepth) throw new EmulatorError(`${what}: ${path} is nested more than ${bounds.maxDepth} levels deep`);
      try {
        if (Array.isArray(value)) {
          const length = ownData(value, 'length') as number;
          const out: unknown[] = [];
          for (let i = 0; i < length; i++) out.push(copyData(dataAt(value, String(i), what, `${path}[${i}]`), what, `${path}[${i}]`, depth + 1));
          return out;
        }
        if (!isPlainObject(value)) break;
        const out: Record<string, unknown> = {};
        for (const key of Reflect.ownKeys(value)) {
          if (typeof key !== 'string') continue;
          // defineProperty: a key named "__proto__" stays a key, it does not set the prototype.
          Object.defineProperty(out, key, { value: copyData(dataAt(value, key, what, `${path}.${key}`), what, `${path}.${key}`, depth + 1), enumerable: true, writable: true, configurable: true });
        }
        return out;
      } catch (error) {
        if (error instanceof EmulatorError) throw error;
        throw new EmulatorError(`${what}: ${path} cannot be read (${errorName(error)}); pass plain data`);
      }
    }
    default:
      break;
  }
  throw new EmulatorError(`${what}: ${path} must be JSON data (text, a finite number, true/false, null, a list or a plain object), got ${describeArg(value)}`);
}

function dataAt(object: object, key: string, what: string, path: string): unknown {
  const d = Object.getOwnPropertyDescriptor(object, key);
  if (d === undefined) return undefined;
  if (!('value' in d)) throw new EmulatorError(`${what}: ${path} is a getter; pass plain data`);
  return d.value;
}

/** `value instanceof type`, asked without trusting the value (`instanceof` runs a proxy's trap). */
/**
 * An object literal, `JSON.parse`'s object or `Object.create(null)`, of any realm: under Jest a
 * test's objects and the library's can come from different realms (its vm context and Node's),
 * each with an `Object.prototype` of its own, so the check is on the shape of the chain.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto === null) return true;
  if (Object.getPrototypeOf(proto) !== null) return false;
  // Object.prototype.toString reads Symbol.toStringTag, which may be a getter: an object or
  // prototype with a tag of its own (Math, JSON, or code) is not plain data, and is not asked.
  if (Object.hasOwn(value, Symbol.toStringTag) || Object.hasOwn(proto, Symbol.toStringTag)) return false;
  return Object.prototype.toString.call(value) === '[object Object]';
}

export function isInstance<T>(value: unknown, type: abstract new (...args: never[]) => T): value is T {
  try {
    return value instanceof type;
  } catch {
    return false;
  }
}

/** Whether a value is a RegExp, asked without trusting it. */
export function isRegExp(value: unknown): value is RegExp {
  return isInstance(value, RegExp);
}

/** The name and message of something thrown, read without trusting it. */
export function errorName(error: unknown): string {
  if (error instanceof Error) {
    try {
      return `${String(error.name)}: ${String(error.message)}`;
    } catch {
      return 'an error';
    }
  }
  return describeArg(error);
}
