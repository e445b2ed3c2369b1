import type { LogEntry } from '../log/entry.js';
import type { SdkContext, Owner } from './context.js';

/**
 * Fires an SDK callback the way 1.4.0 does: the property is read at the moment the event
 * fires, and a callback that throws is caught and reported with `console.error`, so it never
 * breaks the SDK. Every firing is logged, set or not; the entry is returned (its `error` says
 * whether the callback threw).
 */
export function fire(ctx: SdkContext, target: object, owner: Owner, name: string, args: unknown[]): LogEntry {
  const fn = (target as Record<string, unknown>)[name];
  const handled = typeof fn === 'function';
  const entry = ctx.log.append({
    kind: 'callback',
    client: owner.client,
    name,
    args,
    session: owner.session,
    ...(owner.object !== undefined ? { object: owner.object } : {}),
    ...(handled || fn ? {} : { unhandled: true as const }),
  });
  if (!handled) {
    if (fn) {
      // Quirk of 1.4.0: `h.onX && h.onX(…)` calls any truthy value: the TypeError is caught and printed.
      const error = new TypeError(`${sdkVariable(target, name)}.${name} is not a function`);
      entry.error = `${error.name}: ${error.message}`;
      console.error(error);
    }
    return entry;
  }
  try {
    (fn as (...a: unknown[]) => unknown).apply(target, args);
  } catch (error) {
    entry.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    // Quirk of 1.4.0: every callback is wrapped in try/catch and the error only printed.
    console.error(error);
  }
  return entry;
}

/** Logs an SDK API call made by the app. */
export function logCall(ctx: SdkContext, owner: Owner, name: string, args: unknown[]): void {
  ctx.log.append({
    kind: 'call',
    client: owner.client,
    name,
    args,
    session: owner.session,
    ...(owner.object !== undefined ? { object: owner.object } : {}),
  });
}

/**
 * Calls an app's `cb` argument the way 1.4.0 does: unguarded. A throw is logged on the entry
 * and then escapes as an uncaught error (as it would from the SDK's WebSocket handler in a
 * browser), so the test runner reports the app's bug; the emulator itself carries on.
 */
export function fireUnguarded(ctx: SdkContext, cb: unknown, owner: Owner, name: string, args: unknown[]): void {
  const entry = ctx.log.append({
    kind: 'callback',
    client: owner.client,
    name,
    args,
    session: owner.session,
    ...(owner.object !== undefined ? { object: owner.object } : {}),
  });
  if (typeof cb !== 'function') {
    // Quirk of 1.4.0: `cb && cb(...)`-style code calls any truthy non-function and throws.
    if (!cb) return;
    // The message names the parameter as 1.4.0's minified code does (`n && n(…)`).
    const message = `${CB_VARIABLE[name] ?? name} is not a function`;
    entry.error = `TypeError: ${message}`;
    queueMicrotask(() => {
      throw new TypeError(message);
    });
    return;
  }
  try {
    (cb as (...a: unknown[]) => unknown)(...args);
  } catch (error) {
    entry.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    queueMicrotask(() => {
      throw error;
    });
  }
}

/** The name 1.4.0's minified code gives each `cb` parameter (its TypeError says it). */
const CB_VARIABLE: Record<string, string> = {
  'messageInstantSend:cb': 'n',
  'invoke:cb': 'n',
  'messageChannelSend:cb': 'n',
  'channelSetAttr:cb': 'r',
  'channelDelAttr:cb': 'n',
  'channelClearAttr:cb': 't',
  'channelLeave:cb': 't',
};

/** The name 1.4.0's minified code gives the object a callback is read from (its TypeError says it). */
function sdkVariable(target: object, callback: string): string {
  if ('getStatus' in target) return 'h'; // the Session
  if ('m_channel_msgid' in target) return 'p'; // the current Channel
  return callback === 'onInviteEndByMyself' ? 'r' : 'a'; // a Call: itself in its own methods, the looked-up one for events
}
