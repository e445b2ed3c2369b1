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

interface Item {
  value: unknown;
  /** The item this one is a field or element of (undefined for the root). */
  parent: Item | undefined;
  /** Its key there. */
  key: string;
  /** Whether the parent is an array (the key an index). */
  index: boolean;
  /** Levels below the root. */
  depth: number;
}

/**
 * Path segments from the root (`steps`, `[3]`, `.args`, …): made only for an issue, since a
 * transcript of a long run holds millions of values and a path per value was most of its cost.
 */
function segments(item: Item): string[] {
  const out: string[] = [];
  for (let at: Item | undefined = item; at?.parent; at = at.parent) out.push(at.index ? `[${at.key}]` : at.depth === 1 ? at.key : `.${at.key}`);
  return out.reverse();
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
export function checkData(root: unknown): DataCheck {
  const issues: TranscriptIssue[] = [];
  let fatal = false;
  let extra = 0;
  const tooDeep = new Set<string>();
  const add = (path: string, message: string): void => {
    if (issues.length < MAX_ISSUES) issues.push({ path, message });
    else extra++;
  };
  const stack: Item[] = [{ value: root, parent: undefined, key: '', index: false, depth: 0 }];
  let seen = 0;
  while (stack.length > 0) {
    const item = stack.pop()!;
    const { value } = item;
    switch (typeof value) {
      case 'string':
      case 'boolean':
      case 'undefined':
        continue;
      case 'number':
        if (!Number.isFinite(value)) add(show(segments(item)), `${value} is not a JSON number (use a finite number)`);
        continue;
      case 'object':
        break;
      default:
        add(show(segments(item)), `${describeArg(value)} is not JSON data (a transcript holds text, numbers, true/false, null, lists and objects)`);
        continue;
    }
    if (value === null) continue;
    if (item.depth >= bounds.maxDepth) {
      const path = segments(item);
      const field = show(path.slice(0, fieldDepth(path)));
      if (!tooDeep.has(field)) {
        tooDeep.add(field);
        add(field, `nested more than ${bounds.maxDepth} levels deep; a transcript holds values up to ${bounds.maxDepth} levels`);
      }
      continue;
    }
    try {
      const isArray = Array.isArray(value);
      if (!isArray) {
        if (!isPlainObject(value)) {
          add(show(segments(item)), `${describeArg(value)} is not JSON data (a transcript holds plain objects and lists only)`);
          continue;
        }
      }
      const keys = Reflect.ownKeys(value);
      if ((seen += keys.length) > MAX_VALUES) {
        add('(root)', `holds more than ${MAX_VALUES} values; a transcript is a scenario, not a data set`);
        fatal = true;
        break;
      }
      // Pushed in reverse, so the walk (a stack) visits them in order. A value that cannot hold
      // an issue (most of them: text and finite numbers) is not pushed at all.
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        if (typeof key !== 'string') continue;
        if (isArray && key === 'length') continue;
        const d = Object.getOwnPropertyDescriptor(value, key)!;
        if (!('value' in d)) {
          add(show(segments({ value: undefined, parent: item, key, index: isArray, depth: item.depth + 1 })), 'is a getter; a transcript holds data, not code');
          fatal = true;
          continue;
        }
        if (!plainScalar(d.value)) stack.push({ value: d.value, parent: item, key, index: isArray, depth: item.depth + 1 });
      }
    } catch (error) {
      add(show(segments(item)), `cannot be read (${errorName(error)}); a transcript holds plain data`);
      fatal = true;
    }
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
