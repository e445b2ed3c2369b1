/**
 * A schedule in words: "at +1.300s: bob's network drops for 2 s (…)", "as bob's app is handed
 * its 2nd onChannelUserJoined [channel:room]: the server kicks bob (onLogout 103)".
 */
import { formatOffset } from '../log/format.js';
import { specOf } from './catalog.js';
import type { CallbackTrigger, FaultSchedule, ScheduledFault } from './faults.js';

/**
 * One fault with its trigger, in words.
 *
 * @example
 * describeFault({ kind: 'kick', account: 'bob', at: 1_200 });
 * // "at +1.200s: the server kicks bob (onLogout 103)"
 */
export function describeFault(fault: ScheduledFault): string {
  return `${describeTrigger(fault)}: ${specOf(fault).describe(fault)}`;
}

/**
 * A schedule as a numbered list, one fault a line (or "(no fault)").
 *
 * @example
 * console.log(describeSchedule(report.failure!.schedule));
 * //   1. as bob's app is handed its 2nd onChannelUserJoined [channel:room]: the server kicks bob (onLogout 103)
 */
export function describeSchedule(schedule: FaultSchedule, indent = '  '): string {
  if (schedule.length === 0) return `${indent}(no fault)`;
  return schedule.map((f, i) => `${indent}${i + 1}. ${describeFault(f)}`).join('\n');
}

function describeTrigger(fault: ScheduledFault): string {
  if (fault.on !== undefined) return `as ${describeCallback(fault.on)}`;
  return `at ${formatOffset(fault.at)}`;
}

function describeCallback(on: CallbackTrigger): string {
  const who = on.session !== undefined && on.session > 1 ? `${on.account}#${on.session}` : on.account;
  return `${who}'s app is handed its ${ordinal(on.nth)} ${on.name}${on.object !== undefined ? ` [${on.object}]` : ''}`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}
