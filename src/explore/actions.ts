/**
 * Runs a fault's cloud verbs, written as transcript actions (`{ "cloud": "net.disconnect",
 * "args": [...] }`, `{ "handle": "fault1", "call": "remove" }`), on a live cloud. Exploration
 * injects every fault this way, so what struck in a run is, word for word, what its transcript
 * replays.
 */
import type { Cloud } from '../create-cloud.js';
import { EmulatorError } from '../errors.js';
import type { Action } from '../transcript/types.js';

/** The handles the verbs returned, by the name their action gave them (`as`). */
export type Handles = Map<string, object>;

/** Runs one action; throws what the verb throws (an `EmulatorError` when it does not apply now). */
export function perform(cloud: Cloud, action: Action, handles: Handles): void {
  if ('cloud' in action && typeof action.cloud === 'string') {
    const path = action.cloud.split('.');
    let self: unknown = cloud;
    for (const part of path.slice(0, -1)) self = (self as Record<string, unknown>)[part];
    const fn = (self as Record<string, unknown> | undefined)?.[path[path.length - 1]!];
    if (typeof fn !== 'function') throw new EmulatorError(`Failed to inject a fault: the cloud has no verb ${action.cloud}`);
    const result = (fn as (...a: unknown[]) => unknown).apply(self, (action.args ?? []).map(copy));
    if (action.as !== undefined && typeof result === 'object' && result !== null) handles.set(action.as, result);
    return;
  }
  if ('handle' in action && typeof action.handle === 'string') {
    const handle = handles.get(action.handle) as Record<string, unknown> | undefined;
    const fn = handle?.[action.call];
    if (typeof fn !== 'function') throw new EmulatorError(`Failed to end a fault: no handle ${action.handle} with a method ${action.call}`);
    (fn as (...a: unknown[]) => unknown).apply(handle, action.args ?? []);
    return;
  }
  throw new EmulatorError(`Failed to inject a fault: ${JSON.stringify(action)} is not a cloud verb or a handle call`);
}

/** A fresh copy of a verb's argument (its options object or filter: plain JSON, one level deep), so a verb never shares the schedule's data. */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return [...(value as unknown[])];
  if (typeof value === 'object' && value !== null) return { ...value };
  return value;
}
