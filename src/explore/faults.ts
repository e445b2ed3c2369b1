/**
 * What a fault schedule is made of: the kinds of fault exploration injects, each with its
 * parameters, and the trigger that says when it strikes. Plain data (JSON), so a schedule can
 * be printed, stored, and run again with `{ schedule }`.
 */
import type { TokenExpiryEffect } from '../cloud/service-faults.js';

/** Every kind of fault exploration can inject, each one a cloud verb (docs/faults.md). */
export const FAULT_KINDS = [
  'disconnect',
  'kick',
  'closeSession',
  'expireToken',
  'outage',
  'latency',
  'loss',
  'duplicate',
  'hold',
  'failNext',
  'refuseLogin',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * How often each kind is drawn when the options do not say: the faults a WebSocket app meets
 * in production. Loss and duplication are left out: a live WebSocket (one TCP stream) neither
 * loses nor duplicates a message, and 1.4.0 has no reply timeout, so a lost request leaves any
 * app waiting forever. Name them in `faults` to test recovery below the app.
 */
export const DEFAULT_FAULT_MIX: Readonly<Record<FaultKind, number>> = Object.freeze({
  disconnect: 4,
  kick: 1,
  closeSession: 1,
  expireToken: 1,
  outage: 1,
  latency: 1,
  loss: 0,
  duplicate: 0,
  hold: 1,
  failNext: 2,
  refuseLogin: 1,
});

/** A direction on a link: `up` (client → cloud), `down` (cloud → client), or `both`. */
export type FaultDirection = 'up' | 'down' | 'both';

/**
 * One account's network drops (`cloud.net.disconnect`) for `for` ms. With `how: 'close'` 1.4.0
 * reconnects (state 3, then a new login); with `'error'` it logs out with 102. `attempts` says
 * what its reconnection attempts meet meanwhile. `tokenExpires`: the account's token expires as
 * the network drops, so the re-login is refused (a token that expires during a reconnect).
 */
export interface DisconnectFault {
  kind: 'disconnect';
  account: string;
  for: number;
  how: 'close' | 'error';
  attempts: 'refused' | 'unanswered';
  tokenExpires?: boolean;
}

/** The server kicks the account's session (`cloud.kick`): `onLogout(103)`. */
export interface KickFault {
  kind: 'kick';
  account: string;
}

/** The server closes the account's session (`cloud.closeSession`): `onLogout(102)`. */
export interface CloseSessionFault {
  kind: 'closeSession';
  account: string;
}

/** The token of the account's session expires (`cloud.expireToken`), with that `effect`. */
export interface ExpireTokenFault {
  kind: 'expireToken';
  account: string;
  effect: TokenExpiryEffect;
}

/** The whole cloud is down for `for` ms (`cloud.outage`). */
export interface OutageFault {
  kind: 'outage';
  for: number;
  how: 'close' | 'error';
  attempts: 'refused' | 'unanswered';
}

/** Messages take `ms` (a range: jitter) one way, for `for` ms (`cloud.net.latency`). */
export interface LatencyFault {
  kind: 'latency';
  ms: [number, number];
  /** Whose links (default: everyone's). */
  account?: string;
  direction: FaultDirection;
  for: number;
}

/** Each message is lost with probability `p`, for `for` ms (`cloud.net.loss`). */
export interface LossFault {
  kind: 'loss';
  p: number;
  account?: string;
  direction: FaultDirection;
  for: number;
}

/** Each message arrives twice with probability `p`, for `for` ms (`cloud.net.duplicate`). */
export interface DuplicateFault {
  kind: 'duplicate';
  p: number;
  account?: string;
  direction: FaultDirection;
  for: number;
}

/** Messages are held for `for` ms, then released in order (`cloud.net.hold`). */
export interface HoldFault {
  kind: 'hold';
  account?: string;
  direction: FaultDirection;
  for: number;
}

/** The server refuses the next `request` (a call2 function such as `channel_join`) with `reason` (`cloud.failNext`). */
export interface FailNextFault {
  kind: 'failNext';
  request: string;
  /** Only this account's request (default: anyone's). */
  account?: string;
  reason: string;
}

/** The server refuses the account's next login with `reason` (`cloud.refuseLogin`). */
export interface RefuseLoginFault {
  kind: 'refuseLogin';
  account: string;
  reason: string;
}

export type Fault =
  | DisconnectFault
  | KickFault
  | CloseSessionFault
  | ExpireTokenFault
  | OutageFault
  | LatencyFault
  | LossFault
  | DuplicateFault
  | HoldFault
  | FailNextFault
  | RefuseLoginFault;

/**
 * A callback delivery to trigger on: the `nth` time the app of `account` is handed callback
 * `name` of the SDK object `object` (`channel:NAME` or `call:CHANNEL/PEER`; left out for a
 * Session callback, such as `onInviteReceived`), counting the firings its app had set a handler
 * for. `session` picks a later login
 * of the account (default 1).
 */
export interface CallbackTrigger {
  account: string;
  name: string;
  nth: number;
  object?: string;
  session?: number;
}

/**
 * When a fault strikes: `at` virtual ms since the cloud started (once everything due at that
 * instant has run), or `on` a callback delivery (as it is handed to the app, before the app's
 * handler runs).
 */
export type FaultTrigger = { at: number; on?: undefined } | { on: CallbackTrigger; at?: undefined };

/** One fault of a schedule: what, and when. */
export type ScheduledFault = Fault & FaultTrigger;

/** A fault schedule: the faults of one run. */
export type FaultSchedule = readonly ScheduledFault[];
