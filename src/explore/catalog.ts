/**
 * Each kind of fault, once: how a schedule draws its parameters, the cloud verbs that inject it
 * (as transcript actions, so the same data strikes live and replays from a transcript), how it
 * is stopped when the run's faults stop, how it reads in words, and what simpler versions of it
 * the shrinker tries.
 */
import type { Action } from '../transcript/types.js';
import type { Rng } from '../time/rng.js';
import type { Fault, FaultDirection, FaultKind } from './faults.js';

/** What the fault-free run found that faults can aim at. */
export interface Targets {
  /** Accounts the scenario logs in. */
  accounts: readonly string[];
  /** Requests the server can be told to refuse (`channel_join`, …): those the apps sent, by default those whose refusal the app hears of. */
  requests: readonly string[];
}

/** The cloud verbs of one fault: what strikes it, and what ends it after its duration. */
export interface FaultActions {
  strike: Action[];
  /** Ends a fault that lasts (a rule, a hold) `after` ms after it struck. */
  end?: { after: number; action: Action };
}

/** Shortest and longest durations drawn (ms). The shrinker shortens towards the shortest. */
export const MIN_DURATION = 100;
export const MAX_DURATION = 30_000;
/** Longest latency drawn (ms, one way). */
export const MAX_LATENCY = 3_000;

/**
 * Requests whose refusal 1.4.0 reports to the app (a callback with the error, `onChannelJoinFailed`,
 * `onInviteFailed`): what `failNext` draws from by default. The others (a call's accept, refuse,
 * bye and DTMF, the SDK's own polls) are sent without a reply callback, so their refusal is as
 * silent as their loss: name them in `requests` to try them.
 */
export const REPORTED_REFUSALS: readonly string[] = Object.freeze([
  'channel_join',
  'channel_sendmsg',
  'channel_set_attr',
  'channel_del_attr',
  'channel_clear_attr',
  'channel_query_num',
  'channel_query_user_isin',
  'channel_query_userlist',
  'channel_query_userlist_all',
  'user_sendmsg',
  'user_query_user_status',
  'user_set_attr',
  'user_get_attr',
  'user_get_attr_all',
  'voip_invite',
]);

/** The reason a refused request gets (what the app's callback sees). */
export const REFUSAL_REASON = 'server error';
/** Login refusals and the codes 1.4.0 turns them into. */
const LOGIN_REFUSALS = ['TokenErrorExpired', 'TokenErrorWrong', 'wrong account', 'server busy'] as const;
const LOGIN_CODES: Readonly<Record<string, number>> = Object.freeze({ TokenErrorExpired: 204, TokenErrorWrong: 206, 'wrong account': 209, kick: 207 });

interface KindSpec<F extends Fault> {
  /** Draws one fault of this kind, or `undefined` when there is nothing to aim it at. */
  draw(rng: Rng, targets: Targets): F | undefined;
  /** The cloud verbs; `handle` names what a verb returns (for the end and the stop). */
  actions(fault: F, handle: string): FaultActions;
  /** How the fault is undone when the run's faults stop, by the handle's method (or none: it ends by itself). */
  stopCall?: 'remove' | 'release' | 'end';
  /** The fault in words, without its trigger ("bob's network drops for 2.0 s …"). */
  describe(fault: F): string;
  /** Simpler versions, simplest first (the shrinker keeps the first that still fails). */
  simpler(fault: F): F[];
}

type Specs = { [K in FaultKind]: KindSpec<Extract<Fault, { kind: K }>> };

export const CATALOG: Specs = Object.freeze({
  disconnect: {
    draw: (rng, t) => {
      const account = pick(rng, t.accounts);
      if (account === undefined) return undefined;
      return {
        kind: 'disconnect',
        account,
        for: duration(rng),
        how: rng.chance(0.2) ? 'error' : 'close',
        attempts: rng.chance(0.3) ? 'unanswered' : 'refused',
        ...(rng.chance(0.15) ? { tokenExpires: true } : {}),
      };
    },
    actions: (f) => ({
      strike: [
        ...(f.tokenExpires ? [{ cloud: 'expireToken', args: [f.account] }] : []),
        { cloud: 'net.disconnect', args: [f.account, { for: f.for, how: f.how, attempts: f.attempts }] },
      ],
    }),
    describe: (f) =>
      `${f.account}'s network drops for ${seconds(f.for)} (${f.how === 'close' ? 'the socket closes' : 'the socket fails with an error'}; ` +
      `reconnection attempts are ${f.attempts} meanwhile)${f.tokenExpires ? `, and ${f.account}'s token expires as it drops` : ''}`,
    simpler: (f) => [
      ...(f.tokenExpires ? [withoutKey(f, 'tokenExpires')] : []),
      ...(f.how === 'error' ? [{ ...f, how: 'close' as const }] : []),
      ...(f.attempts === 'unanswered' ? [{ ...f, attempts: 'refused' as const }] : []),
      ...shorter(f.for).map((ms) => ({ ...f, for: ms })),
    ],
  },
  kick: {
    draw: (rng, t) => {
      const account = pick(rng, t.accounts);
      return account === undefined ? undefined : { kind: 'kick', account };
    },
    actions: (f) => ({ strike: [{ cloud: 'kick', args: [f.account] }] }),
    describe: (f) => `the server kicks ${f.account} (onLogout 103)`,
    simpler: () => [],
  },
  closeSession: {
    draw: (rng, t) => {
      const account = pick(rng, t.accounts);
      return account === undefined ? undefined : { kind: 'closeSession', account };
    },
    actions: (f) => ({ strike: [{ cloud: 'closeSession', args: [f.account] }] }),
    describe: (f) => `the server closes ${f.account}'s session (onLogout 102, no reconnect)`,
    simpler: () => [],
  },
  expireToken: {
    draw: (rng, t) => {
      const account = pick(rng, t.accounts);
      if (account === undefined) return undefined;
      return { kind: 'expireToken', account, effect: pick(rng, ['next-login', 'kick', 'close'] as const)! };
    },
    actions: (f) => ({ strike: [{ cloud: 'expireToken', args: [f.account, { effect: f.effect }] }] }),
    describe: (f) =>
      `${f.account}'s token expires (${
        f.effect === 'next-login' ? 'the next login or reconnect is refused' : f.effect === 'kick' ? 'kicked at once: onLogout 103' : 'closed at once: onLogout 102'
      })`,
    simpler: () => [],
  },
  outage: {
    draw: (rng) => ({
      kind: 'outage',
      for: duration(rng),
      how: rng.chance(0.2) ? 'error' : 'close',
      attempts: rng.chance(0.3) ? 'unanswered' : 'refused',
    }),
    actions: (f, handle) => ({ strike: [{ cloud: 'outage', args: [f.for, { how: f.how, attempts: f.attempts }], as: handle }] }),
    stopCall: 'end',
    describe: (f) =>
      `the whole cloud is down for ${seconds(f.for)} (${f.how === 'close' ? 'sockets close' : 'sockets fail with an error'}; connection attempts are ${f.attempts})`,
    simpler: (f) => [
      ...(f.how === 'error' ? [{ ...f, how: 'close' as const }] : []),
      ...(f.attempts === 'unanswered' ? [{ ...f, attempts: 'refused' as const }] : []),
      ...shorter(f.for).map((ms) => ({ ...f, for: ms })),
    ],
  },
  latency: {
    draw: (rng, t) => {
      const min = rng.int(0, 500);
      return { kind: 'latency', ms: [min, rng.int(min, MAX_LATENCY)], ...someone(rng, t), direction: direction(rng), for: duration(rng) };
    },
    actions: (f, handle) => ruleActions('net.latency', f.ms, f, handle),
    stopCall: 'remove',
    describe: (f) => `${whose(f)} take ${f.ms[0] === f.ms[1] ? `${f.ms[0]} ms` : `${f.ms[0]}–${f.ms[1]} ms`} one way for ${seconds(f.for)}`,
    simpler: (f) => [
      ...(f.ms[1] > f.ms[0] ? [{ ...f, ms: [f.ms[0], f.ms[0]] as [number, number] }] : []),
      ...(f.ms[0] > 0 ? [{ ...f, ms: [Math.floor(f.ms[0] / 2), Math.floor(f.ms[1] / 2)] as [number, number] }] : []),
      ...shorter(f.for).map((ms) => ({ ...f, for: ms })),
    ],
  },
  loss: {
    draw: (rng, t) => ({ kind: 'loss', p: pick(rng, [1, 0.5, 0.2])!, ...someone(rng, t), direction: direction(rng), for: duration(rng) }),
    actions: (f, handle) => ruleActions('net.loss', f.p, f, handle),
    stopCall: 'remove',
    describe: (f) => `${f.p === 1 ? 'every one' : `${Math.round(f.p * 100)}%`} of ${whose(f)} ${f.p === 1 ? 'is' : 'are'} lost for ${seconds(f.for)}`,
    simpler: (f) => [...(f.p !== 1 ? [{ ...f, p: 1 }] : []), ...shorter(f.for).map((ms) => ({ ...f, for: ms }))],
  },
  duplicate: {
    draw: (rng, t) => ({ kind: 'duplicate', p: pick(rng, [1, 0.5])!, ...someone(rng, t), direction: direction(rng), for: duration(rng) }),
    actions: (f, handle) => ruleActions('net.duplicate', f.p, f, handle),
    stopCall: 'remove',
    describe: (f) => `${f.p === 1 ? 'every one' : `${Math.round(f.p * 100)}%`} of ${whose(f)} arrive${f.p === 1 ? 's' : ''} twice for ${seconds(f.for)}`,
    simpler: (f) => [...(f.p !== 1 ? [{ ...f, p: 1 }] : []), ...shorter(f.for).map((ms) => ({ ...f, for: ms }))],
  },
  hold: {
    draw: (rng, t) => ({ kind: 'hold', ...someone(rng, t), direction: direction(rng), for: duration(rng) }),
    actions: (f, handle) => ({
      strike: [{ cloud: 'net.hold', args: [filter(f)], as: handle }],
      end: { after: f.for, action: { handle, call: 'release' } },
    }),
    stopCall: 'release',
    describe: (f) => `${whose(f)} are held for ${seconds(f.for)}, then released in order`,
    simpler: (f) => shorter(f.for).map((ms) => ({ ...f, for: ms })),
  },
  failNext: {
    draw: (rng, t) => {
      const request = pick(rng, t.requests);
      if (request === undefined) return undefined;
      const account = rng.chance(0.7) ? pick(rng, t.accounts) : undefined;
      return { kind: 'failNext', request, ...(account !== undefined ? { account } : {}), reason: REFUSAL_REASON };
    },
    actions: (f, handle) => ({
      strike: [{ cloud: 'failNext', args: [f.request, { reason: f.reason, ...(f.account !== undefined ? { account: f.account } : {}) }], as: handle }],
    }),
    stopCall: 'remove',
    describe: (f) => `the server refuses ${f.account !== undefined ? `${f.account}'s` : "anyone's"} next ${f.request} (${JSON.stringify(f.reason)})`,
    simpler: () => [],
  },
  refuseLogin: {
    draw: (rng, t) => {
      const account = pick(rng, t.accounts);
      return account === undefined ? undefined : { kind: 'refuseLogin', account, reason: pick(rng, LOGIN_REFUSALS)! };
    },
    actions: (f, handle) => ({ strike: [{ cloud: 'refuseLogin', args: [f.account, f.reason], as: handle }] }),
    stopCall: 'remove',
    describe: (f) => `the server refuses ${f.account}'s next login or reconnect with ${JSON.stringify(f.reason)} (1.4.0: code ${LOGIN_CODES[f.reason] ?? 201})`,
    simpler: (f) => (f.reason !== 'TokenErrorExpired' ? [{ ...f, reason: 'TokenErrorExpired' }] : []),
  },
});

/** The spec of a fault's kind, for code that handles any fault. */
export function specOf(fault: Fault): KindSpec<Fault> {
  return CATALOG[fault.kind] as unknown as KindSpec<Fault>;
}

/** A duration: spread evenly over orders of magnitude, 100 ms to 30 s, so short blips and long outages both come up. */
function duration(rng: Rng): number {
  const ms = Math.exp(Math.log(MIN_DURATION) + rng.next() * (Math.log(MAX_DURATION) - Math.log(MIN_DURATION)));
  return Math.round(ms / 10) * 10;
}

/** Shorter durations to try: the shortest, then a half, three quarters and nine tenths (the greedy shrinker gets close to the shortest that still fails). */
function shorter(ms: number): number[] {
  const out: number[] = [];
  for (const f of [0, 0.5, 0.75, 0.9]) {
    const d = Math.max(MIN_DURATION, Math.round((ms * f) / 10) * 10);
    if (d < ms && !out.includes(d)) out.push(d);
  }
  return out;
}

function pick<T>(rng: Rng, list: readonly T[]): T | undefined {
  return list.length === 0 ? undefined : list[rng.int(0, list.length - 1)];
}

function direction(rng: Rng): FaultDirection {
  return pick(rng, ['up', 'down', 'both'] as const)!;
}

/** One account's links (most often), or everyone's. */
function someone(rng: Rng, t: Targets): { account?: string } {
  const account = rng.chance(0.75) ? pick(rng, t.accounts) : undefined;
  return account !== undefined ? { account } : {};
}

function filter(f: { account?: string; direction: FaultDirection }): { account?: string; direction?: 'up' | 'down' } {
  return { ...(f.account !== undefined ? { account: f.account } : {}), ...(f.direction !== 'both' ? { direction: f.direction } : {}) };
}

function ruleActions(verb: string, value: unknown, f: { account?: string; direction: FaultDirection; for: number }, handle: string): FaultActions {
  return { strike: [{ cloud: verb, args: [value, filter(f)], as: handle }], end: { after: f.for, action: { handle, call: 'remove' } } };
}

/** "bob's messages (up)", "everyone's messages". */
function whose(f: { account?: string; direction: FaultDirection }): string {
  const dir = f.direction === 'up' ? ' to the cloud' : f.direction === 'down' ? ' from the cloud' : '';
  return `${f.account !== undefined ? `${f.account}'s` : "everyone's"} messages${dir}`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

function withoutKey<F extends object>(f: F, key: keyof F): F {
  const copy = { ...f };
  delete copy[key];
  return copy;
}
