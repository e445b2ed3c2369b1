import type { SdkContext, Owner } from './context.js';

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
  const seq = ctx.log.recordSdk('callback', owner, name, args, !handled && !fn);
  if (!handled) return fn ? notAFunction(ctx, seq, target, name) : false;
  try {
    (fn as (...a: unknown[]) => unknown).apply(target, args);
  } catch (error) {
    ctx.log.setError(seq, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    // Quirk of 1.4.0: every callback is wrapped in try/catch and the error only printed.
    console.error(error);
    return true;
  }
  return false;
}

/**
 * {@link fire} for a callback of one argument that `copy()` makes afresh at each call (a join
 * reply's user list): the app gets one, the log makes its own when it makes the entry (see
 * `EventLog.recordSdkCopied`), and none is made for a callback that is not set.
 */
export function fireCopied(ctx: SdkContext, target: object, owner: Owner, name: string, copy: () => unknown): void {
  const fn = (target as Record<string, unknown>)[name];
  const handled = typeof fn === 'function';
  const seq = ctx.log.recordSdkCopied(owner, name, copy, !handled && !fn);
  if (!handled) {
    if (fn) notAFunction(ctx, seq, target, name);
    return;
  }
  try {
    (fn as (v: unknown) => unknown).call(target, copy());
  } catch (error) {
    caught(ctx, seq, error);
  }
}

/**
 * {@link fire} for a callback 1.4.0 calls without asking whether it is set (`p.onX(…)` rather
 * than `p.onX && p.onX(…)`): an unset one (`""`) throws a TypeError too, printed like any
 * other. Returns whether the callback threw.
 */
export function fireCalled(ctx: SdkContext, target: object, owner: Owner, name: string, args: unknown[]): boolean {
  const fn = (target as Record<string, unknown>)[name];
  if (fn || typeof fn === 'function') return fireWith(ctx, target, fn, owner, name, args);
  const seq = ctx.log.recordSdk('callback', owner, name, args, true);
  return notAFunction(ctx, seq, target, name);
}

/** {@link fireWith} for a callback of three arguments, without an arguments array (a channel message). */
export function fireWith3(ctx: SdkContext, target: object, fn: unknown, owner: Owner, name: string, a: unknown, b: unknown, c: unknown): void {
  const handled = typeof fn === 'function';
  const seq = ctx.log.recordSdk3(owner, name, a, b, c, !handled && !fn);
  if (!handled) {
    if (fn) notAFunction(ctx, seq, target, name);
    return;
  }
  try {
    (fn as (...x: unknown[]) => unknown).call(target, a, b, c);
  } catch (error) {
    caught(ctx, seq, error);
  }
}

/** Quirk of 1.4.0: every callback is wrapped in try/catch and the error only printed (kept out of the hot functions). */
function caught(ctx: SdkContext, seq: number, error: unknown): void {
  ctx.log.setError(seq, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  console.error(error);
}

/**
 * Quirk of 1.4.0: `h.onX && h.onX(…)` calls any truthy value: the TypeError is caught and
 * printed (and, like a throw, ends a loop of callbacks). Returns true: it threw.
 */
function notAFunction(ctx: SdkContext, seq: number, target: object, name: string): true {
  const error = new TypeError(`${sdkVariable(target, name)}.${name} is not a function`);
  ctx.log.setError(seq, `${error.name}: ${error.message}`);
  console.error(error);
  return true;
}

/** Logs an SDK API call made by the app. */
export function logCall(ctx: SdkContext, owner: Owner, name: string, args: unknown[]): void {
  ctx.log.recordSdk('call', owner, name, args, false);
}

/**
 * Calls an app's `cb` argument the way 1.4.0 does: unguarded. A throw is logged on the entry
 * and then escapes as an uncaught error (as it would from the SDK's WebSocket handler in a
 * browser), so the test runner reports the app's bug; the emulator itself carries on.
 */
export function fireUnguarded(ctx: SdkContext, cb: unknown, owner: Owner, name: string, args: unknown[]): void {
  const seq = ctx.log.recordSdk('callback', owner, name, args, false);
  if (typeof cb !== 'function') {
    // Quirk of 1.4.0: `cb && cb(...)`-style code calls any truthy non-function and throws.
    if (!cb) return;
    // The message names the parameter as 1.4.0's minified code does (`n && n(…)`).
    const message = `${CB_VARIABLE[name] ?? name} is not a function`;
    ctx.log.setError(seq, `TypeError: ${message}`);
    queueMicrotask(() => {
      throw new TypeError(message);
    });
    return;
  }
  try {
    (cb as (...a: unknown[]) => unknown)(...args);
  } catch (error) {
    ctx.log.setError(seq, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
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
