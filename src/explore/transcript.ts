/**
 * The transcript of a failing run: what `record` saw the app do, with the faults put where they
 * struck. A fault `at` a time becomes a top-level step at that time (an `advance` that crosses
 * it is split there, as the fault struck once that instant had run); a fault `on` a callback
 * becomes a reaction to that firing, placed before the app's own reactions (the fault struck as
 * the callback was handed over, before the app's handler ran).
 */
import type { Action, ReactionStep, Step, Transcript } from '../transcript/types.js';
import type { CallbackTrigger } from './faults.js';
import type { Injector, TimedGroup } from './injector.js';

export function faultTranscript(recorded: Transcript, injector: Injector, startTime: number, notes: (index: number) => string): Transcript {
  const reactions = recorded.steps.filter((s): s is ReactionStep => 'on' in s);
  const rest = recorded.steps.filter((s) => !('on' in s));
  const clients = loginNames(recorded.steps);
  const faultReactions: ReactionStep[] = injector.reactions.map((r) => ({
    on: r.on.name,
    client: clientName(r.on, clients),
    ...(r.on.object !== undefined ? { object: r.on.object } : {}),
    nth: r.on.nth,
    do: annotate(r.actions, injector, notes),
  }));
  const groups = injector.timed.map((g) => ({ t: g.t - startTime, actions: annotate(g.actions, injector, notes) }));
  return { ...recorded, steps: [...faultReactions, ...reactions, ...placeAtTimes(rest, groups)] };
}

/**
 * Puts each group of actions where its time falls among the steps: right after the first
 * `advance` that reaches its time (split there), after the groups before it.
 */
export function placeAtTimes(steps: readonly Step[], groups: readonly TimedGroup[]): Step[] {
  const out: Step[] = [...steps];
  let cursor = 0;
  for (const group of groups) {
    let now = 0;
    let placed = false;
    for (let i = 0; i < out.length; i++) {
      const step = out[i]!;
      if (!('advance' in step)) continue;
      const start = now;
      const end = now + step.advance;
      now = end;
      if (i < cursor || !(start <= group.t && group.t <= end)) continue;
      const split: Step[] = [{ advance: group.t - start }, ...(group.actions as Step[]), { advance: end - group.t }];
      out.splice(i, 1, ...split);
      cursor = i + split.length - 1;
      placed = true;
      break;
    }
    if (!placed) {
      // After every advance: what is due now runs first, as it did before the group struck.
      out.push({ advance: Math.max(0, group.t - now) }, ...(group.actions as Step[]));
      cursor = out.length;
    }
  }
  return out;
}

/** The first action of each fault says, in a note, which fault of the schedule it is. */
function annotate(actions: Action[], injector: Injector, notes: (index: number) => string): Action[] {
  return actions.map((a) => {
    const strike = injector.strikes.find((s) => s.actions[0] === a);
    return strike ? ({ ...a, note: notes(strike.index) } as Action) : a;
  });
}

/** The client names `record` gave to logins, by account, in the order of that account's logins. */
function loginNames(steps: readonly unknown[]): Map<string, string[]> {
  const names = new Map<string, string[]>();
  const visit = (s: unknown): void => {
    if (typeof s !== 'object' || s === null) return;
    const step = s as { call?: unknown; client?: unknown; args?: unknown[]; do?: unknown[] };
    if (step.call === 'login' && typeof step.client === 'string') {
      const account = typeof step.args?.[0] === 'string' ? step.args[0] : step.client;
      names.set(account, [...(names.get(account) ?? []), step.client]);
    }
    for (const inner of step.do ?? []) visit(inner);
  };
  for (const s of steps) visit(s);
  return names;
}

/** The transcript's client for a trigger: `record` names an account's second Session `alice-2`. */
function clientName(on: CallbackTrigger, clients: Map<string, string[]>): string {
  const session = on.session ?? 1;
  const expected = session === 1 ? on.account : `${on.account}-${session}`;
  const known = clients.get(on.account) ?? [];
  return known.includes(expected) ? expected : (known[session - 1] ?? expected);
}
