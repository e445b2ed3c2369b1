/**
 * Whether anything but one awaited drive used the microtask queue: V8's promise hooks (Node)
 * count every promise made, settled or run in this realm while the drive watches. Between two
 * tasks the drive gives the app's promise chains their microtask turns; when no promise was
 * made, settled or run since its previous turn began, those turns would run nothing but the
 * drive itself, so it goes on without them. The hooks only count: they never change what runs
 * or in which order.
 */

interface PromiseHooks {
  createHook(hooks: { init?: () => void; before?: (promise: unknown) => void; settled?: (promise: unknown) => void }): () => void;
}

const noop = (): void => {};

/** V8's promise hooks, when the platform has them (Node). */
function promiseHooks(): PromiseHooks | undefined {
  try {
    const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const v8 = node?.getBuiltinModule?.('v8') as { promiseHooks?: Partial<PromiseHooks> } | undefined;
    return typeof v8?.promiseHooks?.createHook === 'function' ? (v8.promiseHooks as PromiseHooks) : undefined;
  } catch {
    return undefined; // a sandbox that refuses: the drive takes every turn
  }
}

/**
 * The promise activity of this realm, as one drive sees it: every other drive's turns, the app's
 * and the test's promises count; the drive's own turns ({@link turn}) do not.
 */
export class PromiseWatch {
  /** How many times a promise was made, settled or had a reaction run (the drive's own turns apart). */
  count = 0;
  /** Stopped at the first activity: a batch of deliveries running in place (see {@link Scheduler.batchCursor}). */
  cursor: { stopped: boolean } | undefined = undefined;
  /** The promises of the drive's last two turns: not activity. */
  private own: unknown;
  private ownBefore: unknown;
  private stopHooks: (() => void) | undefined;

  private constructor() {}

  /**
   * Starts watching; undefined when this realm's promises cannot be watched: no promise hooks (a
   * browser), or hooks that do not see the promises made here (a `vm` context, as jest runs
   * tests in).
   */
  static start(): PromiseWatch | undefined {
    const hooks = promiseHooks();
    if (hooks === undefined) return undefined;
    const watch = new PromiseWatch();
    const made = (): void => {
      watch.count++;
      if (watch.cursor !== undefined) watch.cursor.stopped = true;
    };
    const ran = (promise: unknown): void => {
      if (promise !== watch.own && promise !== watch.ownBefore) made();
    };
    watch.stopHooks = hooks.createHook({ init: made, before: ran, settled: ran });
    void new Promise<void>(noop);
    if (watch.count === 0) {
      // The hooks belong to another realm than the promises made here.
      watch.stop();
      return undefined;
    }
    return watch;
  }

  /**
   * Queues `job` as one microtask turn (a reaction of the resolved `hop`), which does not count
   * as activity: not the promise `then` makes, nor its reaction running or settling.
   */
  turn(hop: Promise<void>, job: () => void): void {
    const seen = this.count;
    this.ownBefore = this.own;
    this.own = hop.then(job);
    this.count = seen;
  }

  stop(): void {
    this.stopHooks?.();
    this.stopHooks = undefined;
    this.own = this.ownBefore = undefined;
  }
}
