/**
 * The largest numbers the emulator's API and transcripts accept, in one place (docs/guarantees.md
 * states them). A number beyond one is refused with an error naming the argument, the bound and
 * how to fix it: no value can stall virtual time (at 1e308 ms adding a delay leaves the time
 * unchanged, so a run never ends) or make a counter that never runs out.
 */
export const bounds = {
  /**
   * Longest duration one call takes, in ms: `advance`, `until`/`settle`'s `within`, latency,
   * a disconnect's `for`, an outage, a phone's `after`/`hangUpAfter`: 365 days. A test that
   * needs more virtual time advances more than once.
   */
  maxDurationMs: 31_536_000_000,
  /**
   * Longest virtual time a transcript spans, in ms (its `at`, `advance` and `until` steps
   * together): 7 days. A replay's work grows with it (each logged-in client pings every 10 s),
   * so a transcript from anywhere replays in bounded time.
   */
  maxTranscriptSpanMs: 604_800_000,
  /** Latest virtual time, in Unix ms: the end of JavaScript's Date range (year 275760). */
  maxVirtualTime: 8_640_000_000_000_000,
  /** Latest `startTime`, in Unix ms: the last millisecond of the year 9999. */
  maxStartTime: 253_402_300_799_999,
  /** Most refusals one `failNext` / `refuseLogin` arms (`times`). */
  maxTimes: 1_000_000,
  /** Largest `loopLimit` (tasks at one virtual instant before a flush calls it a loop). */
  maxLoopLimit: 100_000_000,
  /** Largest value of a count: each channel limit, each stored-message cap, a reaction's `nth`. */
  maxLimit: 1_000_000_000,
  /** Longest token life, in seconds, either way (`cloud.token`'s `expiresIn`, `$token`): 10 years. */
  maxTokenSeconds: 315_360_000,
  /** Deepest nesting of a value in a transcript or a log query (arrays and objects). */
  maxDepth: 64,
  /** Longest string a transcript's `{"$repeat": [text, n]}` makes (characters). */
  maxRepeatChars: 1_048_576,
  /** Widest `argsWidth` of a timeline (characters). */
  maxTextWidth: 100_000,
} as const;
