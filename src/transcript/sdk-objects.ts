import { isPlainObject } from '../arguments.js';

/**
 * How transcripts name the SDK objects (Sessions, Channels, Calls) they meet. Names follow the
 * log's `object` field: `channel:NAME` for a Channel, `call:CHANNEL/PEER` for a Call. The
 * rules look at fields only, so Channel and Call objects of any SDK module get names without
 * the transcript code knowing their classes.
 */

/** An SDK object: an instance of a class (not a plain object, array, or function). */
export function isSdkObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return !isPlainObject(value) && !(value instanceof Error) && !(value instanceof Date);
}

/** The default name of an SDK object, as the log's `object` field would name it. */
export function defaultObjectName(object: object): string {
  const o = object as Record<string, unknown>;
  if (typeof o.channelName === 'string' && typeof o.peer === 'string') return `call:${o.channelName}/${o.peer}`;
  if (typeof o.account === 'string' && 'line' in o) return `session:${o.account}`;
  if (typeof o.name === 'string') return `channel:${o.name}`;
  return `object:${Object.getPrototypeOf(object)?.constructor?.name ?? 'unknown'}`;
}

/** The callbacks an SDK object offers: its own `on…` properties (1.4.0 initialises them to `""`). */
export function callbackNames(object: object): string[] {
  return Object.keys(object).filter((k) => /^on[A-Z]/.test(k));
}

/** Whether a property name is a callback (`onLoginSuccess`, …) rather than a method. */
export function isCallbackName(name: string | symbol): boolean {
  return typeof name === 'string' && /^on[A-Z]/.test(name);
}
