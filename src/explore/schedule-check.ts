/**
 * Checks a schedule given by hand (`{ schedule }`, often pasted from a printed failure) by
 * allowlist before it runs: every fault's kind, fields, types and bounds, and its trigger. A
 * mistake throws an `EmulatorError` naming the fault and the field.
 */
import { EmulatorError } from '../errors.js';
import { formatValue } from '../log/format.js';
import { isSessionCallback } from './callback-owner.js';
import { MAX_LATENCY } from './catalog.js';
import { FAULT_KINDS, type FaultKind } from './faults.js';
import { MAX_FAULTS_PER_RUN } from './limits.js';

/** Longest duration and latest time a schedule may name (ms): one day of virtual time. */
export const MAX_SCHEDULE_MS = 86_400_000;

type FieldCheck = (v: unknown) => boolean;
const account: FieldCheck = (v) => typeof v === 'string' && v !== '' && v.length <= 256;
const ms: FieldCheck = (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_SCHEDULE_MS;
const probability: FieldCheck = (v) => typeof v === 'number' && v > 0 && v <= 1;
const oneOf =
  (...values: unknown[]): FieldCheck =>
  (v) =>
    values.includes(v);
const text: FieldCheck = (v) => typeof v === 'string' && v !== '' && v.length <= 256;
const range: FieldCheck = (v) =>
  Array.isArray(v) && v.length === 2 && v.every((x) => Number.isInteger(x) && x >= 0 && x <= MAX_LATENCY * 10) && (v[0] as number) <= (v[1] as number);
const direction = oneOf('up', 'down', 'both');
const how = oneOf('close', 'error');
const attempts = oneOf('refused', 'unanswered');

/** Per kind: its required fields, then its optional ones, each with what it takes. */
const FIELDS: Readonly<Record<FaultKind, { required: Record<string, [FieldCheck, string]>; optional: Record<string, [FieldCheck, string]> }>> = Object.freeze({
  disconnect: {
    required: { account: [account, 'an account'], for: [ms, 'ms'], how: [how, "'close' or 'error'"], attempts: [attempts, "'refused' or 'unanswered'"] },
    optional: { tokenExpires: [(v) => typeof v === 'boolean', 'true or false'] },
  },
  kick: { required: { account: [account, 'an account'] }, optional: {} },
  closeSession: { required: { account: [account, 'an account'] }, optional: {} },
  expireToken: { required: { account: [account, 'an account'], effect: [oneOf('next-login', 'kick', 'close'), "'next-login', 'kick' or 'close'"] }, optional: {} },
  outage: { required: { for: [ms, 'ms'], how: [how, "'close' or 'error'"], attempts: [attempts, "'refused' or 'unanswered'"] }, optional: {} },
  latency: {
    required: { ms: [range, `[min, max] ms (0…${MAX_LATENCY * 10})`], direction: [direction, "'up', 'down' or 'both'"], for: [ms, 'ms'] },
    optional: { account: [account, 'an account'] },
  },
  loss: { required: { p: [probability, 'a probability in (0, 1]'], direction: [direction, "'up', 'down' or 'both'"], for: [ms, 'ms'] }, optional: { account: [account, 'an account'] } },
  duplicate: {
    required: { p: [probability, 'a probability in (0, 1]'], direction: [direction, "'up', 'down' or 'both'"], for: [ms, 'ms'] },
    optional: { account: [account, 'an account'] },
  },
  hold: { required: { direction: [direction, "'up', 'down' or 'both'"], for: [ms, 'ms'] }, optional: { account: [account, 'an account'] } },
  failNext: { required: { request: [text, "a request name such as 'channel_join'"], reason: [text, 'a refusal reason'] }, optional: { account: [account, 'an account'] } },
  refuseLogin: { required: { account: [account, 'an account'], reason: [text, "a refusal reason such as 'TokenErrorExpired'"] }, optional: {} },
});

const TRIGGER_FIELDS: Readonly<Record<string, [FieldCheck, string]>> = Object.freeze({
  account: [account, 'an account'],
  name: [(v) => typeof v === 'string' && /^on[A-Z]\w*$/.test(v), "a callback name such as 'onChannelUserJoined'"],
  nth: [(v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 1_000_000, 'a firing count from 1'],
  object: [(v) => typeof v === 'string' && /^(channel|call):/.test(v) && v.length <= 512, "an SDK object such as 'channel:room' or 'call:room/bob'"],
  session: [(v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 1_000_000, 'a login number from 1'],
});

export function checkSchedule(schedule: unknown): void {
  const bad = (what: string): never => {
    throw new EmulatorError(`Failed to check fault tolerance: schedule${what}`);
  };
  if (!Array.isArray(schedule)) bad(` must be a list of faults like [{ "kind": "kick", "account": "bob", "at": 1000 }], got ${formatValue(schedule)}`);
  const list = schedule as unknown[];
  if (list.length > MAX_FAULTS_PER_RUN) bad(` has ${list.length} faults; at most ${MAX_FAULTS_PER_RUN}`);
  list.forEach((f, i) => {
    const at = `[${i}]`;
    if (typeof f !== 'object' || f === null || Array.isArray(f)) return bad(`${at} must be a fault object, got ${formatValue(f)}`);
    const fault = f as Record<string, unknown>;
    const kind = fault.kind;
    if (!(FAULT_KINDS as readonly unknown[]).includes(kind)) return bad(`${at}.kind must be one of ${FAULT_KINDS.join(', ')}, got ${formatValue(kind)}`);
    const spec = FIELDS[kind as FaultKind];
    const allowed = new Set(['kind', 'at', 'on', ...Object.keys(spec.required), ...Object.keys(spec.optional)]);
    for (const key of Object.keys(fault)) if (!allowed.has(key)) bad(`${at}: ${String(kind)} has no field '${key}' (it takes: ${[...allowed].join(', ')})`);
    for (const [key, [ok, what]] of Object.entries(spec.required)) {
      if (!(key in fault)) bad(`${at}: ${String(kind)} needs '${key}' (${what})`);
      if (!ok(fault[key])) bad(`${at}.${key} must be ${what}, got ${formatValue(fault[key])}`);
    }
    for (const [key, [ok, what]] of Object.entries(spec.optional)) {
      if (key in fault && !ok(fault[key])) bad(`${at}.${key} must be ${what}, got ${formatValue(fault[key])}`);
    }
    const hasAt = fault.at !== undefined;
    const hasOn = fault.on !== undefined;
    if (hasAt === hasOn) bad(`${at} needs exactly one trigger: "at" (virtual ms since the start) or "on" (a callback { account, name, nth })`);
    if (hasAt && !(Number.isInteger(fault.at) && (fault.at as number) >= 0 && (fault.at as number) <= MAX_SCHEDULE_MS)) {
      bad(`${at}.at must be virtual ms from 0 to ${MAX_SCHEDULE_MS}, got ${formatValue(fault.at)}`);
    }
    if (hasOn) {
      const on = fault.on;
      if (typeof on !== 'object' || on === null || Array.isArray(on)) return bad(`${at}.on must be { account, name, nth, object?, session? }, got ${formatValue(on)}`);
      const trigger = on as Record<string, unknown>;
      for (const key of Object.keys(trigger)) if (!(key in TRIGGER_FIELDS)) bad(`${at}.on has no field '${key}' (it takes: ${Object.keys(TRIGGER_FIELDS).join(', ')})`);
      for (const key of ['account', 'name', 'nth']) if (!(key in trigger)) bad(`${at}.on needs '${key}'`);
      for (const [key, value] of Object.entries(trigger)) {
        const [ok, what] = TRIGGER_FIELDS[key]!;
        if (!ok(value)) bad(`${at}.on.${key} must be ${what}, got ${formatValue(value)}`);
      }
      if (trigger.object !== undefined && isSessionCallback(trigger.name as string)) bad(`${at}.on: ${String(trigger.name)} is a callback of the Session: leave out "object"`);
    }
  });
}
