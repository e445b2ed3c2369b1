/**
 * The first check of a transcript: that it is JSON data at all, read without running anything of
 * it. A transcript from a file always is, but one built in code may hold a getter, a proxy, a
 * function or a cycle; and a file may nest values deeper than any check should recurse. The walk
 * is iterative (no recursion, so no stack to overflow), reads own data properties only (a
 * getter is reported, never called), and stops descending at {@link bounds.maxDepth}.
 */
import { describeArg, errorName } from '../arguments.js';
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
  /** Path segments from the root: `steps`, `[3]`, `.args`, … */
  path: string[];
}

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
  const stack: Item[] = [{ value: root, path: [] }];
  let seen = 0;
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (++seen > MAX_VALUES) {
      add('(root)', `holds more than ${MAX_VALUES} values; a transcript is a scenario, not a data set`);
      fatal = true;
      break;
    }
    switch (typeof value) {
      case 'string':
      case 'boolean':
      case 'undefined':
        continue;
      case 'number':
        if (!Number.isFinite(value)) add(show(path), `${value} is not a JSON number (use a finite number)`);
        continue;
      case 'object':
        break;
      default:
        add(show(path), `${describeArg(value)} is not JSON data (a transcript holds text, numbers, true/false, null, lists and objects)`);
        continue;
    }
    if (value === null) continue;
    if (path.length >= bounds.maxDepth) {
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
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          add(show(path), `${describeArg(value)} is not JSON data (a transcript holds plain objects and lists only)`);
          continue;
        }
      }
      const keys = Reflect.ownKeys(value);
      // Pushed in reverse, so the walk (a stack) visits them in order.
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        if (typeof key !== 'string') continue;
        if (isArray && key === 'length') continue;
        const d = Object.getOwnPropertyDescriptor(value, key)!;
        const child = [...path, isArray ? `[${key}]` : path.length === 0 ? key : `.${key}`];
        if (!('value' in d)) {
          add(show(child), 'is a getter; a transcript holds data, not code');
          fatal = true;
          continue;
        }
        stack.push({ value: d.value, path: child });
      }
    } catch (error) {
      add(show(path), `cannot be read (${errorName(error)}); a transcript holds plain data`);
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
