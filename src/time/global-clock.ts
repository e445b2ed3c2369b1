/**
 * The global timers, as a cloud with `clock: 'global'` sees them: either a fake clock that the
 * test installed (`vi.useFakeTimers()`, `@sinonjs/fake-timers`' `install()`, jest's modern
 * timers), or real time.
 */

/** The part of an installed `@sinonjs/fake-timers` clock the cloud drives. */
export interface InstalledFakeClock {
  readonly now: number;
  tickAsync(ms: number): Promise<number>;
}

/**
 * The fake clock installed on the global timers, if any. `@sinonjs/fake-timers` (which
 * vitest and jest use) marks each fake timer function with the clock that owns it.
 */
export function installedFakeClock(): InstalledFakeClock | undefined {
  const clock = (globalThis.setTimeout as unknown as { clock?: Partial<InstalledFakeClock> }).clock;
  return clock && typeof clock.tickAsync === 'function' && typeof clock.now === 'number'
    ? (clock as InstalledFakeClock)
    : undefined;
}

/**
 * Whether the global timers are jest's legacy fake timers: jest mock functions, with no clock
 * the cloud could read (`Date` stays real).
 */
export function jestLegacyTimers(): boolean {
  const timer = globalThis.setTimeout as unknown as { _isMockFunction?: unknown; clock?: unknown };
  return timer._isMockFunction === true && timer.clock === undefined;
}

/** Waits `ms` of the global clock (real time when no fake clock is installed). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => globalThis.setTimeout(resolve, Math.max(0, ms)));
}
