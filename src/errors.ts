/**
 * Errors for misuse of the emulator itself (not SDK-visible failures, which go through the
 * SDK's own callbacks and codes). The message says what failed, why, and how to fix it.
 */
export class EmulatorError extends Error {
  override name = 'EmulatorError';
}

/** Throws an {@link EmulatorError} unless `condition` holds. */
export function invariant(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new EmulatorError(typeof message === 'function' ? message() : message);
}
