/**
 * The first check of a transcript: that it is JSON data at all, read without running anything of
 * it. A transcript from a file always is, but one built in code may hold a getter, a proxy, a
 * function or a cycle; and a file may nest values deeper than any check should recurse. The walk
 * is iterative (no recursion, so no stack to overflow), reads own data properties only (a
 * getter is reported, never called), and stops descending at {@link bounds.maxDepth}.
 */
import { describeArg, errorName, isPlainObject } from '../arguments.js';
import { bounds } from '../bounds.js';
import type { TranscriptIssue } from './validate.js';

/** Most values (of any kind, nested ones included) one transcript may hold. */
export const MAX_VALUES = 10_000_000;

/** Most issues this check reports (the rest are counted in a last one). */
const MAX_ISSUES = 50;

export interface DataCheck {
  issues: TranscriptIssue[];
  /** Something could not be read safely: nothing else of the transcript may be checked. */
  fatal: boolean;
}

/**
 * An object or array being walked, one per level below the root (reused for the next container
 * at that level, so a long run's million values make no objects): where it sits, and the values
 * of it still to visit.
 */
interface Frame {
  /** Its key in its parent, and whether the parent is an array (the key an index). */
  key: string;
  index: boolean;
  /** Whether it is an array (its children's keys are indices). */
  isArray: boolean;
  /** The values still to visit and their keys, last first (a stack: the next one is on top). */
  values: unknown[];
  keys: string[];
}

/** Whether checking `value` can find nothing: a string, a boolean, nothing, or a finite number. */
const plainScalar = (value: unknown): boolean =>
  typeof value === 'string' || typeof value === 'boolean' || value === undefined || value === null || (typeof value === 'number' && Number.isFinite(value));

/**
 * The issues of a value that is not plain JSON data: a getter, an unreadable object (a proxy
 * that throws), a value JSON has no form for (a function, a symbol, a BigInt, NaN, Infinity, a
 * class instance), or nesting deeper than {@link bounds.maxDepth}. Deep nesting is reported once
 * per field, at the field (`steps[3].args[0]`), so the message names the step and the field.
 */
export function checkData(root: unknown, maxValues = MAX_VALUES): DataCheck {
  const issues: TranscriptIssue[] = [];
  let fatal = false;
  let stop = false;
  let extra = 0;
  const tooDeep = new Set<string>();
  const add = (path: string, message: string): void => {
    if (issues.length < MAX_ISSUES) issues.push({ path, message });
    else extra++;
  };
  /** frames[d]: the container at depth d on the way to the value being visited. */
  const frames: Frame[] = [];
  /**
   * Path segments from the root (`steps`, `[3]`, `.args`, …) of the value at `depth` under the
   * open containers: made only for an issue, since a transcript of a long run holds millions of
   * values and a path per value was most of its cost.
   */
  const segments = (depth: number, key: string, index: boolean): string[] => {
    const out: string[] = [];
    const segment = (k: string, i: boolean, d: number) => out.push(i ? `[${k}]` : d === 1 ? k : `.${k}`);
    for (let d = 1; d < depth; d++) segment(frames[d]!.key, frames[d]!.index, d);
    if (depth > 0) segment(key, index, depth);
    return out;
  };
  let seen = 0;
  /**
   * Checks one value at `depth` (its key in the container at depth - 1 being `key`); for an
   * object or array, queues those of its values that may hold an issue in frames[depth]. True
   * when there are some to visit.
   */
  const visit = (value: unknown, depth: number, key: string, index: boolean): boolean => {
    switch (typeof value) {
      case 'string':
      case 'boolean':
      case 'undefined':
        return false;
      case 'number':
        if (!Number.isFinite(value)) add(show(segments(depth, key, index)), `${value} is not a JSON number (use a finite number)`);
        return false;
      case 'object':
        break;
      default:
        add(show(segments(depth, key, index)), `${describeArg(value)} is not JSON data (a transcript holds text, numbers, true/false, null, lists and objects)`);
        return false;
    }
    if (value === null) return false;
    if (depth >= bounds.maxDepth) {
      const path = segments(depth, key, index);
      const field = show(path.slice(0, fieldDepth(path)));
      if (!tooDeep.has(field)) {
        tooDeep.add(field);
        add(field, `nested more than ${bounds.maxDepth} levels deep; a transcript holds values up to ${bounds.maxDepth} levels`);
      }
      return false;
    }
    let frame = frames[depth];
    if (frame === undefined) frames[depth] = frame = { key, index, isArray: false, values: [], keys: [] };
    frame.key = key;
    frame.index = index;
    // Empty already: the container before it at this level was walked to its end.
    try {
      const isArray = Array.isArray(value);
      frame.isArray = isArray;
      if (!isArray) {
        if (!isPlainObject(value)) {
          add(show(segments(depth, key, index)), `${describeArg(value)} is not JSON data (a transcript holds plain objects and lists only)`);
          return false;
        }
      }
      // An object's names come faster without its symbols (which are only counted): the
      // string keys and their order are Reflect.ownKeys's.
      const keys = isArray ? Reflect.ownKeys(value) : Object.getOwnPropertyNames(value);
      if ((seen += isArray ? keys.length : keys.length + Object.getOwnPropertySymbols(value).length) > maxValues) {
        add('(root)', `holds more than ${maxValues} values; a transcript is a scenario, not a data set`);
        fatal = true;
        stop = true;
        return false;
      }
      // Queued last first, so the walk (taking from the top) visits them in order. A value that
      // cannot hold an issue (most of them: text and finite numbers) is not queued at all.
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        if (typeof k !== 'string') continue;
        if (isArray && k === 'length') continue;
        const d = Object.getOwnPropertyDescriptor(value, k)!;
        if (!('value' in d)) {
          add(show(segments(depth + 1, k, isArray)), 'is a getter; a transcript holds data, not code');
          fatal = true;
          continue;
        }
        if (!plainScalar(d.value)) {
          frame.values.push(d.value);
          frame.keys.push(k);
        }
      }
    } catch (error) {
      add(show(segments(depth, key, index)), `cannot be read (${errorName(error)}); a transcript holds plain data`);
      fatal = true;
    }
    return frame.values.length > 0;
  };
  // Depth-first, in document order: the deepest open container's next value, then its values.
  let top = visit(root, 0, '', false) ? 0 : -1;
  while (top >= 0 && !stop) {
    const frame = frames[top]!;
    if (frame.values.length === 0) {
      top--;
      continue;
    }
    const value = frame.values.pop();
    const key = frame.keys.pop()!;
    if (visit(value, top + 1, key, frame.isArray)) top++;
  }
  if (extra > 0) issues.push({ path: '(root)', message: `… and ${extra} more values that are not JSON data` });
  return { issues, fatal };
}

/** How many path segments name the field: `steps[3].args[0]`, `expect.log[2].args[1]`, `apps[0]`. */
function fieldDepth(path: readonly string[]): number {
  if (path[0] === 'steps') return 4;
  if (path[0] === 'expect') return 5;
  return 2;
}

function show(path: readonly string[]): string {
  return path.length === 0 ? '(root)' : path.join('');
}

/**
 * {@link checkData} for a value `JSON.parse` has just made, before anything else has seen it
 * (the transcript of a file, in {@link parseTranscript}): the same issues in the same order,
 * without reading a descriptor per field. Such a value holds only plain objects and dense
 * arrays of own, enumerable data properties, so none of it can be a getter, a proxy or code:
 * what remains to find is a number too large for a double (`1e999` parses to Infinity), nesting
 * deeper than {@link bounds.maxDepth}, and more than {@link MAX_VALUES} values. Never call it on
 * a value anyone else could have reached: that is what {@link checkData} is for.
 */
export function checkParsedData(root: unknown, maxValues = MAX_VALUES): DataCheck {
  const issues: TranscriptIssue[] = [];
  let extra = 0;
  let seen = 0;
  let stop = false;
  const tooDeep = new Set<string>();
  const add = (path: string, message: string): void => {
    if (issues.length < MAX_ISSUES) issues.push({ path, message });
    else extra++;
  };
  /** keys[d], indexed[d]: the key of the value at depth d + 1 in the container at depth d. */
  const keys: Array<string | number> = [];
  const segments = (depth: number): string[] => {
    const out: string[] = [];
    for (let d = 0; d < depth; d++) {
      const k = keys[d]!;
      out.push(typeof k === 'number' ? `[${k}]` : d === 0 ? k : `.${k}`);
    }
    return out;
  };
  // Depth-first, in document order, as checkData walks: a container counts its values when it
  // is reached, and each of its values is then visited in turn. Recursion is bounded by maxDepth.
  const visit = (value: unknown, depth: number): void => {
    if (typeof value !== 'object') {
      if (typeof value === 'number' && !Number.isFinite(value)) add(show(segments(depth)), `${value} is not a JSON number (use a finite number)`);
      return;
    }
    if (value === null) return;
    if (depth >= bounds.maxDepth) {
      const path = segments(depth);
      const field = show(path.slice(0, fieldDepth(path)));
      if (!tooDeep.has(field)) {
        tooDeep.add(field);
        add(field, `nested more than ${bounds.maxDepth} levels deep; a transcript holds values up to ${bounds.maxDepth} levels`);
      }
      return;
    }
    if (Array.isArray(value)) {
      const n = value.length;
      // Its own keys are its indices and `length`, as checkData counts them.
      if ((seen += n + 1) > maxValues) return tooMany();
      for (let i = 0; i < n && !stop; i++) {
        const v: unknown = value[i];
        if (typeof v === 'object' ? v !== null : typeof v === 'number' && !Number.isFinite(v)) {
          keys[depth] = i;
          visit(v, depth + 1);
        }
      }
      return;
    }
    const names = Object.keys(value);
    if ((seen += names.length) > maxValues) return tooMany();
    for (let i = 0; i < names.length && !stop; i++) {
      const v: unknown = (value as Record<string, unknown>)[names[i]!];
      if (typeof v === 'object' ? v !== null : typeof v === 'number' && !Number.isFinite(v)) {
        keys[depth] = names[i]!;
        visit(v, depth + 1);
      }
    }
  };
  const tooMany = (): void => {
    add('(root)', `holds more than ${maxValues} values; a transcript is a scenario, not a data set`);
    stop = true;
  };
  visit(root, 0);
  if (extra > 0) issues.push({ path: '(root)', message: `… and ${extra} more values that are not JSON data` });
  return { issues, fatal: stop };
}
