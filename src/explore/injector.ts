/**
 * Arms one run's fault schedule on a cloud: faults `at` a virtual time strike once everything
 * due at that instant has run; faults `on` a callback strike as the app is handed that
 * delivery. Faults that last end by themselves (a disconnect's `for`) or by a handle call after
 * their duration. `stop()` ends every fault still under way: the run's faults stop, and time can
 * settle.
 *
 * Everything it does is kept as transcript actions (top-level steps at a time, or a reaction to
 * a callback), so the run can be written down and replayed.
 */
import type { Cloud } from '../create-cloud.js';
import type { LogEntry } from '../log/entry.js';
import type { Action } from '../transcript/types.js';
import { perform, type Handles } from './actions.js';
import { callbackOwner } from './callback-owner.js';
import { specOf } from './catalog.js';
import { atEndOfInstant, type Scheduled } from './cloud-hooks.js';
import type { CallbackTrigger, FaultSchedule, ScheduledFault } from './faults.js';

/** A fault that struck: when, and the verbs it ran. */
export interface Strike {
  /** Its index in the schedule. */
  index: number;
  /** Virtual Unix ms. */
  t: number;
  actions: Action[];
}

/** A fault that could not strike when its time came (the account was not logged in, …). */
export interface Miss {
  index: number;
  t: number;
  /** Why (the verb's error). */
  reason: string;
}

/** Verbs run at the end of one virtual instant (a top-level step of a transcript). */
export interface TimedGroup {
  t: number;
  actions: Action[];
}

/** Verbs run as a callback was handed to an app (a reaction of a transcript). */
export interface ReactionGroup {
  on: CallbackTrigger;
  actions: Action[];
}

interface Active {
  index: number;
  fault: ScheduledFault;
  handle: string;
  t: number;
}

interface Instant {
  readonly t: number;
  readonly jobs: Array<() => void>;
  started: boolean;
  scheduled: Scheduled;
}

export class Injector {
  readonly strikes: Strike[] = [];
  readonly misses: Miss[] = [];
  readonly timed: TimedGroup[] = [];
  readonly reactions: ReactionGroup[] = [];
  private readonly cloud: Cloud;
  private readonly schedule: FaultSchedule;
  private readonly handles: Handles = new Map();
  private readonly active: Active[] = [];
  private readonly instants = new Map<number, Instant>();
  /** Event triggers by callback key; each fires on its nth handled firing. */
  private readonly waiting = new Map<string, Array<{ nth: number; index: number }>>();
  private readonly counts = new Map<string, number>();
  private handleCount = 0;
  /** The actions being collected (those of the instant or reaction running now). */
  private collecting: Action[] | undefined;
  private stopped = false;

  constructor(cloud: Cloud, schedule: FaultSchedule) {
    this.cloud = cloud;
    this.schedule = schedule;
    const start = cloud.startTime;
    schedule.forEach((fault, index) => {
      if (fault.on !== undefined) {
        const key = callbackKey(fault.on.account, fault.on.session ?? 1, fault.on.object, fault.on.name);
        const list = this.waiting.get(key) ?? [];
        list.push({ nth: fault.on.nth, index });
        this.waiting.set(key, list);
      } else {
        this.atInstant(start + fault.at, () => this.strike(index));
      }
    });
  }

  /** Whether some fault waits for a callback (the run then watches the log). */
  get watchesCallbacks(): boolean {
    return this.waiting.size > 0;
  }

  /** Sees a callback delivery as it is logged (before the app's handler runs). */
  onCallback(entry: LogEntry): void {
    if (this.stopped || entry.unhandled) return;
    const key = callbackKey(entry.client, entry.session ?? 1, callbackOwner(entry), entry.name);
    const list = this.waiting.get(key);
    if (list === undefined) return;
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    for (const w of list) {
      if (w.nth !== n) continue;
      const actions: Action[] = [];
      this.collect(actions, () => this.strike(w.index));
      if (actions.length > 0) this.reactions.push({ on: this.schedule[w.index]!.on!, actions });
    }
  }

  /**
   * The run's faults stop: those still to come never strike, and those under way end once the
   * instant now has run (rules removed, holds released, networks back, outages over, refusals
   * disarmed). An expired token stays expired.
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const now = this.cloud.now();
    for (const instant of [...this.instants.values()]) {
      if (instant.t > now && !instant.started) {
        instant.scheduled.cancel();
        this.instants.delete(instant.t);
      }
    }
    this.atInstant(now, () => this.endAll());
  }

  /** Schedule indexes that never struck nor missed (their time or callback never came). */
  unreached(): number[] {
    const seen = new Set([...this.strikes.map((s) => s.index), ...this.misses.map((m) => m.index)]);
    return this.schedule.map((_, i) => i).filter((i) => !seen.has(i));
  }

  private atInstant(t: number, job: () => void): void {
    const existing = this.instants.get(t);
    if (existing && !existing.started) {
      existing.jobs.push(job);
      return;
    }
    const instant: Instant = {
      t,
      jobs: [job],
      started: false,
      scheduled: atEndOfInstant(this.cloud, t, 'fault exploration', () => {
        instant.started = true;
        if (this.instants.get(t) === instant) this.instants.delete(t);
        const actions: Action[] = [];
        this.collect(actions, () => {
          for (const j of instant.jobs) j();
        });
        if (actions.length > 0) this.timed.push({ t: this.cloud.now(), actions });
      }),
    };
    this.instants.set(t, instant);
  }

  private collect(into: Action[], fn: () => void): void {
    const outer = this.collecting;
    this.collecting = into;
    try {
      fn();
    } finally {
      this.collecting = outer;
    }
  }

  private strike(index: number): void {
    const fault = this.schedule[index]!;
    const spec = specOf(fault);
    const handle = `fault${++this.handleCount}`;
    const { strike, end } = spec.actions(fault, handle);
    const t = this.cloud.now();
    // A network that is down already cannot drop again: the verb refuses, but only after the token expired.
    if (fault.kind === 'disconnect' && fault.tokenExpires && this.cloud.net.inspect().disconnected.includes(fault.account)) {
      this.misses.push({ index, t, reason: `${fault.account}'s network is down already` });
      return;
    }
    const done: Action[] = [];
    for (const action of strike) {
      try {
        perform(this.cloud, action, this.handles);
      } catch (error) {
        if (done.length === 0) {
          this.misses.push({ index, t, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) });
          return;
        }
        break;
      }
      done.push(action);
    }
    this.collecting?.push(...done);
    this.strikes.push({ index, t, actions: done });
    this.active.push({ index, fault, handle, t });
    if (end) {
      this.atInstant(t + end.after, () => {
        if (this.isActive(this.active.find((a) => a.handle === handle)!)) this.run(end.action);
      });
    }
  }

  /** Ends every fault still under way (see {@link stop}). */
  private endAll(): void {
    const now = this.cloud.now();
    let down: string[] | undefined;
    for (const a of this.active) {
      if (!this.isActive(a)) continue;
      const spec = specOf(a.fault);
      if (spec.stopCall !== undefined) {
        this.run({ handle: a.handle, call: spec.stopCall });
      } else if (a.fault.kind === 'disconnect' && a.t + a.fault.for > now) {
        down ??= this.cloud.net.inspect().disconnected;
        if (down.includes(a.fault.account)) this.run({ cloud: 'net.reconnect', args: [a.fault.account] });
      }
    }
  }

  private isActive(a: Active): boolean {
    const h = this.handles.get(a.handle) as { active?: boolean; remaining?: number } | undefined;
    if (h === undefined) return a.fault.kind === 'disconnect';
    if (typeof h.remaining === 'number') return h.remaining > 0;
    return h.active !== false;
  }

  /** Runs an ending action; one that no longer applies is left out. */
  private run(action: Action): void {
    try {
      perform(this.cloud, action, this.handles);
    } catch {
      return;
    }
    this.collecting?.push(action);
  }
}

function callbackKey(account: string, session: number, object: string | undefined, name: string): string {
  return `${account}\u0000${session}\u0000${object ?? ''}\u0000${name}`;
}
