import { describeArg, readDuration, readList, readOptions, readStrings } from '../arguments.js';
import { bounds } from '../bounds.js';
import { invariant } from '../errors.js';
import type { Rng } from '../time/rng.js';
import { CONNECTION_KINDS, type Direction, type NetMessage } from './message.js';

/** Which messages a rule applies to. Every field left out matches everything. */
export interface NetFilter {
  /** Links of this account (or of any of these). */
  account?: string | readonly string[];
  /** `up` (client → cloud), `down` (cloud → client) or `both` (default). */
  direction?: Direction | 'both';
  /** A message kind or detail (`user_sendmsg`, `msg`, `instant`, `call2-ret`, `connect`, …), or several. */
  kind?: string | readonly string[];
}

/**
 * What a custom rule answers for a message: deliver it as usual (`'pass'`, or nothing),
 * deliver it `delay` ms later, drop it (`'drop'`: lost, the log says so), or break the link
 * with an error (`'fail'`: the WebSocket's `error` on the client, a lost connection on the
 * server). For a `connect` attempt, `'drop'` leaves it unanswered and `'fail'` refuses it.
 */
export type RuleVerdict = 'pass' | 'drop' | 'fail' | { delay: number } | undefined | void;

/** A custom network rule. It may draw randomness from the `rng` it is given (the cloud's). */
export type CustomRule = (message: NetMessage, rng: Rng) => RuleVerdict;

/** An installed rule. `remove()` uninstalls it (and is idempotent). */
export interface RuleHandle {
  /** The rule's name in the log (`latency`, `loss`, `duplicate`, `hold`, or a custom rule's name). */
  readonly name: string;
  /** False once removed. */
  readonly active: boolean;
  remove(): void;
}

/** What one rule decides for one message (internal). */
export type Judgement =
  | { type: 'pass' }
  /** Sets the one-way latency (latency rules; not logged per message). */
  | { type: 'latency'; ms: number }
  /** Adds a delay (custom rules; logged). */
  | { type: 'delay'; ms: number }
  | { type: 'drop'; outcome: string }
  | { type: 'fail' }
  | { type: 'duplicate' }
  | { type: 'hold' };

/** An installed rule (internal). */
export interface Rule {
  readonly id: number;
  readonly name: string;
  readonly filter: NetFilter;
  /** Kinds this rule never sees (the connection kinds for loss and duplication). */
  readonly skips: ReadonlySet<string>;
  judge(message: NetMessage, rng: Rng): Judgement;
}

const NONE: ReadonlySet<string> = new Set();
const CONNECT_ONLY: ReadonlySet<string> = new Set(['connect']);

export function matchesFilter(filter: NetFilter, m: NetMessage): boolean {
  if (filter.direction !== undefined && filter.direction !== 'both' && filter.direction !== m.direction) return false;
  if (filter.account !== undefined) {
    const accounts = typeof filter.account === 'string' ? [filter.account] : filter.account;
    if (!accounts.includes(m.account)) return false;
  }
  if (filter.kind !== undefined) {
    const kinds = typeof filter.kind === 'string' ? [filter.kind] : filter.kind;
    if (!kinds.includes(m.kind) && (m.detail === undefined || !kinds.includes(m.detail))) return false;
  }
  return true;
}

/** Whether a rule looks at a message at all. */
export function ruleApplies(rule: Rule, m: NetMessage): boolean {
  if (rule.skips.has(m.kind) && !namesKind(rule.filter, m.kind)) return false;
  return matchesFilter(rule.filter, m);
}

/** The filter names this kind explicitly (so a rule that skips it by default sees it). */
function namesKind(filter: NetFilter, kind: string): boolean {
  if (filter.kind === undefined) return false;
  return typeof filter.kind === 'string' ? filter.kind === kind : filter.kind.includes(kind);
}

/**
 * A filter checked by allowlist (a misspelt field is an error listing the valid ones) and copied,
 * so that what the caller does with its object later changes nothing.
 */
export function checkFilter(filter: NetFilter | undefined, verb: string): NetFilter {
  if (filter === undefined) return {};
  invariant(filter !== null && typeof filter === 'object' && !Array.isArray(filter), () => `Failed to ${verb}: the filter must be an object like { account, direction, kind }, got ${describeArg(filter)}`);
  const what = `Failed to ${verb}`;
  const f = readOptions(filter, ['account', 'direction', 'kind'], what, "{ account: 'bob', direction: 'down' }", 'filter field');
  invariant(
    f.direction === undefined || f.direction === 'up' || f.direction === 'down' || f.direction === 'both',
    () => `${what}: direction must be 'up' (client → cloud), 'down' (cloud → client) or 'both', got ${describeArg(f.direction)}`,
  );
  const out: NetFilter = {};
  if (f.account !== undefined) out.account = typeof f.account === 'string' ? f.account : readStrings(f.account, what, 'account');
  if (f.direction !== undefined) out.direction = f.direction as NetFilter['direction'];
  if (f.kind !== undefined) out.kind = typeof f.kind === 'string' ? f.kind : readStrings(f.kind, what, 'kind');
  return out;
}

/** A one-way latency: fixed, or drawn uniformly from `[min, max]` for each message. */
export function latencyRule(id: number, ms: number | readonly [number, number], filter: NetFilter): Rule {
  const range = typeof ms === 'number' ? [ms, ms] : Array.isArray(ms) ? readList(ms, 'Failed to set latency', 'the range') : [];
  const [min, max] = range as [number, number];
  invariant(
    range.length === 2 && typeof min === 'number' && typeof max === 'number' && Number.isFinite(min) && Number.isFinite(max) && min >= 0 && max >= min,
    () => `Failed to set latency: expected ms >= 0 or a range [min, max] with 0 <= min <= max, got ${describeArg(ms)}`,
  );
  readDuration(max, 'Failed to set latency', 'the latency');
  return {
    id,
    name: 'latency',
    filter,
    skips: NONE,
    judge: (_m, rng) => ({ type: 'latency', ms: min === max ? min : rng.int(Math.floor(min), Math.floor(max)) }),
  };
}

export function lossRule(id: number, probability: number, filter: NetFilter): Rule {
  checkProbability(probability, 'loss');
  return {
    id,
    name: 'loss',
    filter,
    skips: CONNECTION_KINDS,
    judge: (_m, rng) => (rng.chance(probability) ? { type: 'drop', outcome: 'dropped' } : { type: 'pass' }),
  };
}

export function duplicateRule(id: number, probability: number, filter: NetFilter): Rule {
  checkProbability(probability, 'duplicate');
  return {
    id,
    name: 'duplicate',
    filter,
    skips: CONNECTION_KINDS,
    judge: (_m, rng) => (rng.chance(probability) ? { type: 'duplicate' } : { type: 'pass' }),
  };
}

export function holdRule(id: number, filter: NetFilter): Rule {
  return { id, name: 'hold', filter, skips: CONNECT_ONLY, judge: () => ({ type: 'hold' }) };
}

export function customRule(id: number, name: string, fn: CustomRule, filter: NetFilter): Rule {
  invariant(typeof fn === 'function', `Failed to add a rule: expected a function (message) => 'pass' | 'drop' | 'fail' | { delay }, got ${typeof fn}`);
  return {
    id,
    name,
    filter,
    skips: NONE,
    judge: (m, rng) => {
      const verdict = fn(m, rng);
      if (verdict === undefined || verdict === 'pass') return { type: 'pass' };
      if (verdict === 'drop') return { type: 'drop', outcome: m.kind === 'connect' ? 'unanswered' : 'dropped' };
      if (verdict === 'fail') return { type: 'fail' };
      if (typeof verdict === 'object' && verdict !== null && Number.isFinite(verdict.delay) && verdict.delay >= 0 && verdict.delay <= bounds.maxDurationMs) {
        return { type: 'delay', ms: verdict.delay };
      }
      invariant(
        false,
        `Rule '${name}' answered ${JSON.stringify(verdict)} for ${m.direction} ${m.kind} of '${m.account}': ` +
          `a rule must answer 'pass', 'drop', 'fail' or { delay: ms } with 0 <= ms <= ${bounds.maxDurationMs}`,
      );
    },
  };
}

function checkProbability(p: number, verb: string): void {
  invariant(
    typeof p === 'number' && p >= 0 && p <= 1,
    () => `Failed to set ${verb}: the probability must be a number from 0 to 1, got ${describeArg(p)}`,
  );
}
