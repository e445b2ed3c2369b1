import { SESSION_CALLBACKS } from '../sdk/callback-names.js';
import type { LogEntry } from '../log/entry.js';

/**
 * The SDK object whose callback an entry is: its `object` for a Channel's or a Call's callback,
 * none (the Session) for a Session's, even when the entry names an object it delivers (the Call
 * of `onInviteReceived`). A trigger counts the firings of one callback of one object, as a
 * transcript's reaction does.
 */
export function callbackOwner(entry: Pick<LogEntry, 'name' | 'object'>): string | undefined {
  return isSessionCallback(entry.name) ? undefined : entry.object;
}

export function isSessionCallback(name: string): boolean {
  return (SESSION_CALLBACKS as readonly string[]).includes(name);
}
