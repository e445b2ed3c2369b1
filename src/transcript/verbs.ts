/**
 * Cloud verbs by name: `"kick"` is `cloud.kick`, `"net.disconnect"` is `cloud.net.disconnect`.
 * Names are looked up on the Cloud itself, so verbs that later releases add (faults, service
 * scenarios) work in transcripts without a change to the format.
 */
import type { Cloud } from '../create-cloud.js';

/** Members of the Cloud that are not scenario verbs, and what to write instead. */
const NOT_VERBS: Record<string, string> = {
  constructor: 'not a verb',
  Signal: 'a login step makes the Signal and the Session: { "client": "alice", "call": "login", "args": [...] }',
  install: 'transcripts use the cloud\'s own Signal: use a login step',
  now: 'an inspection, not a verb',
  inspect: 'an inspection, not a verb',
  channels: 'an inspection, not a verb',
  listen: 'a transcript replays in process; the wire server is not part of it',
  timeline: 'an inspection, not a verb',
  flush: 'use { "advance": 0 }',
  flushSync: 'use { "advance": 0 }',
  advance: 'use { "advance": ms }',
  advanceSync: 'use { "advance": ms }',
  until: 'use { "until": { …entry… } }',
  settle: 'use { "advance": ms }',
  dispose: 'replay disposes the cloud at the end',
  token: 'use {"$token": {"expiresIn": s}} in the login args',
  // Private helpers of the Cloud class are on its prototype at run time too.
  checkLive: 'internal',
  describe: 'internal',
};
/** Members of sub-objects that are internal or inspection only. */
const NOT_SUB_VERBS = new Set(['constructor', 'connect', 'openLinks', 'delay', 'inspect', 'attach', 'admits', 'admitsLogin', 'wireLatency', 'dispose']);
/** Parts of the Cloud that hold state, not verbs. */
const NOT_SUB_OBJECTS = new Set(['log', 'time', 'server', 'rng', 'Signal', 'invites', 'channelService']);

/** The verb's function and the object it is called on, or why there is none. */
export function resolveVerb(cloud: Cloud, name: string): { fn: (...args: unknown[]) => unknown; self: object } | { error: string } {
  const parts = name.split('.');
  if (parts.length === 1 && Object.prototype.hasOwnProperty.call(NOT_VERBS, parts[0]!)) {
    return { error: `"${name}" is not a verb for transcripts: ${NOT_VERBS[parts[0]!]}` };
  }
  if (parts.length > 1 && (NOT_SUB_OBJECTS.has(parts[0]!) || !isVerbHolder((cloud as unknown as Record<string, unknown>)[parts[0]!]))) return { error: `"${name}": cloud.${parts[0]} is internal state, not a verb (this version has: ${listVerbs(cloud).join(', ')})` };
  let self: unknown = cloud;
  for (let i = 0; i < parts.length - 1; i++) {
    self = (self as Record<string, unknown>)[parts[i]!];
    if (typeof self !== 'object' || self === null) return { error: unknownVerb(cloud, name) };
  }
  const last = parts[parts.length - 1]!;
  if (parts.length > 1 && NOT_SUB_VERBS.has(last)) return { error: unknownVerb(cloud, name) };
  const fn = (self as Record<string, unknown>)[last];
  if (typeof fn !== 'function') return { error: unknownVerb(cloud, name) };
  return { fn: fn as (...args: unknown[]) => unknown, self: self as object };
}

/** Every verb this cloud has, e.g. `createApp`, `kick`, `net.disconnect`. */
export function listVerbs(cloud: Cloud): string[] {
  const verbs = methodNames(cloud).filter((n) => !Object.prototype.hasOwnProperty.call(NOT_VERBS, n));
  // Sub-objects with verbs of their own (`net`), but not the Cloud's state.
  for (const [key, value] of Object.entries(cloud)) {
    if (NOT_SUB_OBJECTS.has(key) || !isVerbHolder(value)) continue;
    for (const m of methodNames(value)) if (!NOT_SUB_VERBS.has(m)) verbs.push(`${key}.${m}`);
  }
  return verbs;
}

function unknownVerb(cloud: Cloud, name: string): string {
  return `"${name}" is not a verb of this cloud (this version has: ${listVerbs(cloud).join(', ')})`;
}

/** A part of the Cloud with verbs of its own (`net`): an instance of a class, not a collection. */
function isVerbHolder(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  if (value instanceof Map || value instanceof Set || value instanceof WeakMap || value instanceof WeakSet || Array.isArray(value) || value instanceof Promise) return false;
  const proto = Object.getPrototypeOf(value);
  return proto !== Object.prototype && proto !== null;
}

/** Public method names along the prototype chain (not `_`-private ones). */
function methodNames(object: object): string[] {
  const names: string[] = [];
  for (let proto = Object.getPrototypeOf(object); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || key.startsWith('_') || names.includes(key)) continue;
      const d = Object.getOwnPropertyDescriptor(proto, key);
      if (d && typeof d.value === 'function') names.push(key);
    }
  }
  return names;
}
