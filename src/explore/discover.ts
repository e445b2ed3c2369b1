/**
 * The fault-free run that every exploration starts with. It must pass (else the scenario fails
 * without any fault, and that is the report), and it shows what faults can aim at: the accounts
 * the scenario logs in, the callbacks their apps handle (each one a moment to strike at), the
 * requests the server can be told to refuse, and how long the scenario runs in virtual time.
 */
import { REPORTED_REFUSALS, type Targets } from './catalog.js';
import type { CallbackTrigger } from './faults.js';
import { EmulatorError } from '../errors.js';
import type { LogEntry } from '../log/entry.js';
import { deepEqual } from '../log/match.js';
import { callbackOwner } from './callback-owner.js';
import { refusable } from './refusable.js';
import { runSchedule, type RunOutcome, type RunSetup } from './run.js';

/** The seed of the fault-free run: fixed, so every run's schedule is the same whatever seeds are explored. */
export const BASELINE_SEED = 1;

/** Requests that are not a service the app asked for (keep-alives, the connection itself, logins: `refuseLogin` covers those). */
const NOT_REFUSABLE: readonly string[] = Object.freeze(['ping', 'connect', 'close', 'login', 'user_logout']);

/** A callback the apps handled in the fault-free run, all its firings together. */
export interface CallbackMoments {
  trigger: Omit<CallbackTrigger, 'nth'>;
  /** Virtual ms (since the start) of each firing, in order: firing n is at `times[n - 1]`. */
  times: number[];
}

export interface Baseline {
  /** The fault-free run. */
  outcome: RunOutcome;
  targets: Targets;
  moments: CallbackMoments[];
  /** Virtual ms the scenario ran for (to its return): faults `at` a time are drawn in [0, duration]. */
  duration: number;
}

export async function discover(setup: RunSetup, aim: { accounts: readonly string[] | undefined; requests: readonly string[] | undefined }): Promise<Baseline> {
  const outcome = await runSchedule(setup, BASELINE_SEED, []);
  const cloud = outcome.cloud;
  const start = cloud.startTime;
  const entries = cloud.log.entries.filter((e) => e.seq < outcome.loggedByEnd);
  const loggedIn = [...new Set(entries.filter((e) => e.kind === 'call' && e.name === 'login').map((e) => e.client))];
  const moments = new Map<string, CallbackMoments>();
  for (const e of entries) {
    if (e.kind !== 'callback' || e.unhandled || e.name.includes(':')) continue;
    const session = e.session ?? 1;
    const object = callbackOwner(e);
    const key = `${e.client}\u0000${session}\u0000${object ?? ''}\u0000${e.name}`;
    let m = moments.get(key);
    if (!m) {
      m = { trigger: { account: e.client, name: e.name, ...(object !== undefined ? { object } : {}), ...(session !== 1 ? { session } : {}) }, times: [] };
      moments.set(key, m);
    }
    m.times.push(e.t - start);
  }
  const sent = outcome.failure === undefined ? await probeRequests(setup, outcome) : [];
  return {
    outcome,
    targets: { accounts: aim.accounts ?? loggedIn, requests: aim.requests ?? sent.filter((r) => REPORTED_REFUSALS.includes(r)) },
    moments: [...moments.values()],
    duration: outcome.ended - start,
  };
}

/**
 * Runs the scenario once more with a rule that only looks, to see which requests its apps send;
 * and checks on the way that the second run repeats the first (else no seed could be run again).
 */
async function probeRequests(setup: RunSetup, first: RunOutcome): Promise<string[]> {
  const kinds = new Set<string>();
  const probe = await runSchedule(setup, BASELINE_SEED, [], {
    prepare: (cloud) => {
      cloud.net.rule(
        (m) => {
          kinds.add(m.kind);
        },
        { name: PROBE, direction: 'up' },
      );
    },
  });
  const difference = firstDifference(
    first.cloud.log.entries,
    probe.cloud.log.entries.filter((e) => !(e.kind === 'fault' && e.name === PROBE)),
  );
  if (difference !== undefined || (first.failure === undefined) !== (probe.failure === undefined)) {
    throw new EmulatorError(
      `Failed to check fault tolerance: two fault-free runs of the scenario with seed ${BASELINE_SEED} differ` +
        (difference !== undefined ? ` at log entry ${difference}` : ' in their outcome') +
        ", so no run could be repeated from its seed. The scenario depends on something outside its cloud: state kept from one run to the next " +
        '(create the app and its state inside the scenario), Date.now(), Math.random() or real timers. checkDeterminism(scenario) shows where',
    );
  }
  // Keep those the server can refuse.
  const known = refusable();
  return [...kinds].filter((kind) => !NOT_REFUSABLE.includes(kind) && known.includes(kind));
}

const PROBE = 'exploration probe';

/** Index of the first entry where two logs differ (time relative to each run's start), if any. */
function firstDifference(a: readonly LogEntry[], b: readonly LogEntry[]): number | undefined {
  const n = Math.max(a.length, b.length);
  const t0 = a[0]?.t ?? 0;
  const u0 = b[0]?.t ?? 0;
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (!x || !y) return i;
    if (x.t - t0 !== y.t - u0 || x.kind !== y.kind || x.client !== y.client || x.name !== y.name || x.object !== y.object || x.session !== y.session || !deepEqual(x.args, y.args)) return i;
  }
  return undefined;
}
