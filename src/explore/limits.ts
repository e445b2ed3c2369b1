/** The bounds of an exploration's options (documented in docs/exploration.md). */

/** Most runs one exploration may ask for (10 million: hours of runs; a bound, so a typo cannot mean forever). */
export const MAX_RUNS = 10_000_000;
/** Most faults in one run's schedule. */
export const MAX_FAULTS_PER_RUN = 20;
/** Default shrinking budget (runs). */
export const DEFAULT_SHRINK_RUNS = 500;
