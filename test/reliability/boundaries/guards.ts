// What every in-process boundary checks around a case: that no built-in prototype (nor the
// global object) gained, lost or changed a property, and that the library's console output
// (the SDK prints what app callbacks throw, as 1.4.0 does) does not flood a long run.

const WATCHED: Array<[string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
  ['Number.prototype', Number.prototype],
  ['Boolean.prototype', Boolean.prototype],
  ['Symbol.prototype', Symbol.prototype],
  ['Promise.prototype', Promise.prototype],
  ['RegExp.prototype', RegExp.prototype],
  ['Error.prototype', Error.prototype],
  ['globalThis', globalThis],
];

/** Objects and functions by identity, so a snapshot says when a property's value is replaced. */
const identities = new WeakMap<object, number>();

function identity(value: unknown): string {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    return typeof value === 'symbol' ? value.toString() : `${typeof value}:${String(value)}`;
  }
  let id = identities.get(value);
  if (id === undefined) {
    id = nextId++;
    identities.set(value, id);
  }
  return `#${id}`;
}
let nextId = 1;

/** Every property (name and descriptor) of the watched objects, as text. */
export function prototypesSnapshot(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, object] of WATCHED) {
    for (const key of Reflect.ownKeys(object)) {
      const d = Object.getOwnPropertyDescriptor(object, key)!;
      // A global's value may change on its own (timers, counters): its presence and kind matter.
      const value = name === 'globalThis' ? typeof d.value : identity(d.value);
      out.set(`${name}.${String(key)}`, `${value}|${identity(d.get)}|${identity(d.set)}|${d.writable}|${d.enumerable}|${d.configurable}`);
    }
  }
  return out;
}

/** What changed between two snapshots, in words (empty when nothing did). */
export function prototypeChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const changes: string[] = [];
  for (const [key, value] of after) {
    if (!before.has(key)) changes.push(`${key} was added`);
    else if (before.get(key) !== value) changes.push(`${key} was changed`);
  }
  for (const key of before.keys()) if (!after.has(key)) changes.push(`${key} was deleted`);
  return changes;
}

/** Runs `fn` with console.error, warn, log and info silenced; counts what was said. */
export async function quietly<T>(fn: () => Promise<T>): Promise<{ value: T; said: number }> {
  const saved = { error: console.error, warn: console.warn, log: console.log, info: console.info };
  let said = 0;
  const hush = (): void => {
    said++;
  };
  console.error = console.warn = console.log = console.info = hush;
  try {
    return { value: await fn(), said };
  } finally {
    Object.assign(console, saved);
  }
}

/** A thrown value as one line, for a failure report. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}: ${error.message.split('\n')[0]}`;
  try {
    return `a thrown ${typeof error}: ${String(error)}`;
  } catch {
    return `a thrown ${typeof error}`;
  }
}
