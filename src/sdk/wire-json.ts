import { isPlainObject } from '../arguments.js';

/**
 * The request arguments as the 1.4.0 SDK puts them on the wire: it sends every call2 as
 * `JSON.stringify([name, id, args])`. So an app value JSON cannot carry is dropped (`undefined`,
 * a function), turned into null (NaN, Infinity) or into its JSON (a Date becomes its ISO text),
 * and one JSON cannot encode at all (a cycle, a BigInt) throws a TypeError out of the SDK call,
 * after the request took its id. The in-process SDK hands objects over without a wire; this
 * gives the server what the wire would. Plain arguments (the common case) are passed as they
 * are, without a copy.
 */
export function asSentOnTheWire<T>(args: T): T {
  return isPlain(args, 0) ? args : (JSON.parse(JSON.stringify(args) ?? 'null') as T);
}

/** Strings, finite numbers, booleans, null, and arrays or plain objects of them (not too deep to check). */
function isPlain(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (depth > 8) return false;
      if (Array.isArray(value)) return value.every((v) => isPlain(v, depth + 1));
      if (!isPlainObject(value)) return false;
      for (const key in value) {
        if (!isPlain((value as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}
