/**
 * Draws a run's fault schedule from its seed: how many faults, which kinds (by weight), their
 * parameters, and when each strikes (a time within the scenario's run, or a callback its apps
 * handled in the fault-free run). The same seed and the same fault-free run give the same
 * schedule.
 */
import { createRng, type Rng } from '../time/rng.js';
import { CATALOG } from './catalog.js';
import type { Baseline } from './discover.js';
import { FAULT_KINDS, type FaultKind, type FaultTrigger, type ScheduledFault } from './faults.js';

/** Which faults to draw and how many per run. */
export interface DrawPlan {
  /** Weight of each kind (0: never). */
  mix: Readonly<Record<FaultKind, number>>;
  /** Faults per run, both included. */
  perRun: readonly [number, number];
}

/**
 * The schedule of the run with this seed. Its randomness is a stream of its own (not the
 * cloud's, which the same seed also starts), so drawing more or fewer faults never changes
 * the cloud's jitter and loss.
 */
export function drawSchedule(seed: number, plan: DrawPlan, baseline: Baseline): ScheduledFault[] {
  const rng = createRng(scheduleSeed(seed));
  const count = rng.int(plan.perRun[0], plan.perRun[1]);
  const kinds = FAULT_KINDS.filter((k) => plan.mix[k] > 0);
  const total = kinds.reduce((sum, k) => sum + plan.mix[k], 0);
  const drawn: Array<{ fault: ScheduledFault; when: number }> = [];
  for (let i = 0; i < count && kinds.length > 0; i++) {
    // A kind with nothing to aim at (failNext when the apps sent no request) gives way to another.
    for (let attempt = 0; attempt < 8; attempt++) {
      const kind = weighted(rng, kinds, plan.mix, total);
      const fault = CATALOG[kind].draw(rng, baseline.targets);
      if (fault === undefined) continue;
      const { trigger, when } = drawTrigger(rng, baseline);
      drawn.push({ fault: { ...fault, ...trigger } as ScheduledFault, when });
      break;
    }
  }
  // In the order they would strike in the fault-free run, for a schedule that reads in order.
  return drawn.sort((a, b) => a.when - b.when).map((d) => d.fault);
}

function drawTrigger(rng: Rng, baseline: Baseline): { trigger: FaultTrigger; when: number } {
  const moments = baseline.moments;
  if (moments.length > 0 && rng.chance(0.5)) {
    // A callback first (each equally likely, however often it fires), then one of its firings.
    const m = moments[rng.int(0, moments.length - 1)]!;
    const nth = rng.int(1, m.times.length);
    return { trigger: { on: { ...m.trigger, nth } }, when: m.times[nth - 1]! };
  }
  const at = rng.int(0, Math.max(0, Math.floor(baseline.duration)));
  return { trigger: { at }, when: at };
}

function weighted(rng: Rng, kinds: readonly FaultKind[], mix: Readonly<Record<FaultKind, number>>, total: number): FaultKind {
  let x = rng.next() * total;
  for (const k of kinds) {
    x -= mix[k];
    if (x < 0) return k;
  }
  return kinds[kinds.length - 1]!;
}

/** A seed for the schedule's stream, apart from the cloud's stream of the same seed. */
function scheduleSeed(seed: number): number {
  return (Math.imul(seed ^ 0x5c4e_d01e, 0x9e37_79b1) + 0x7f4a_7c15) | 0;
}
