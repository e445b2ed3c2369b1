import type { LogEntry, LogKind } from '../log/entry.js';
import { newEntry } from '../log/event-log.js';
import type { SdkContext, Owner } from './context.js';

/**
 * The log entry of an SDK call or callback (the log stamps `t` and `seq` on it), or `undefined`
 * when the log's level leaves such entries out.
 */
function sdkEntry(ctx: SdkContext, kind: LogKind, owner: Owner, name: string, args: unknown[], unhandled = false): LogEntry | undefined {
  if (!ctx.log.records(kind)) return undefined;
  return newEntry(kind, owner.client, name, args, owner.session, owner.object, unhandled);
}

/**
 * Fires an SDK callback the way 1.4.0 does: the property is read at the moment the event
 * fires, and a callback that throws is caught and reported with `console.error`, so it never
 * breaks the SDK. Every firing is logged, set or not. Returns whether the callback threw.
 */
export function fire(ctx: SdkContext, target: object, owner: Owner, name: string, args: unknown[]): boolean {
  return fireWith(ctx, target, (target as Record<string, unknown>)[name], owner, name, args);
}

/**
 * {@link fire}, with the callback property already read by the caller (`channel.onMessageChannelReceive`):
 * the hot paths read it by name, which is cheaper than a lookup by a variable name.
 */
export function fireWith(ctx: SdkContext, target: object, fn: unknown, owner: Owner, name: string, args: unknown[]): boolean {
  const handled = typeof fn === 'function';
  const entry = sdkEntry(ctx, 'callback', owner, name, args, !handled);
  if (entry !== undefined) ctx.log.append(entry);
  if (!handled) return false;
  try {
    (fn as (...a: unknown[]) => unknown).apply(target, args);
  } catch (error) {
    if (entry !== undefined) entry.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    // Quirk of 1.4.0: every callback is wrapped in try/catch and the error only printed.
    console.error(error);
    return true;
  }
  return false;
}

/** Logs an SDK API call made by the app. */
export function logCall(ctx: SdkContext, owner: Owner, name: string, args: unknown[]): void {
  const entry = sdkEntry(ctx, 'call', owner, name, args);
  if (entry !== undefined) ctx.log.append(entry);
}

/**
 * Calls an app's `cb` argument the way 1.4.0 does: unguarded. A throw is logged on the entry
 * and then escapes as an uncaught error (as it would from the SDK's WebSocket handler in a
 * browser), so the test runner reports the app's bug; the emulator itself carries on.
 */
export function fireUnguarded(ctx: SdkContext, cb: unknown, owner: Owner, name: string, args: unknown[]): void {
  const entry = sdkEntry(ctx, 'callback', owner, name, args);
  if (entry !== undefined) ctx.log.append(entry);
  if (typeof cb !== 'function') {
    // Quirk of 1.4.0: `cb && cb(...)`-style code calls any truthy non-function and throws.
    if (!cb) return;
    if (entry !== undefined) entry.error = `TypeError: ${name} is not a function`;
    queueMicrotask(() => {
      throw new TypeError(`${name} is not a function`);
    });
    return;
  }
  try {
    (cb as (...a: unknown[]) => unknown)(...args);
  } catch (error) {
    if (entry !== undefined) entry.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    queueMicrotask(() => {
      throw error;
    });
  }
}
