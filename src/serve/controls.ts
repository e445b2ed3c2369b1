import type { Cloud } from '../create-cloud.js';
import { EmulatorError, invariant } from '../errors.js';
import type { Outage } from '../net/network.js';
import type { RuleHandle } from '../net/rules.js';

/** The dashboard's controls: the Cloud's own service and network verbs. */
export const CONTROLS = ['kick', 'closeSession', 'expireToken', 'disconnect', 'reconnect', 'latency', 'outage', 'endOutage'] as const;
export type ControlName = (typeof CONTROLS)[number];

/** A control as the page posts it. */
export interface ControlRequest {
  verb: ControlName;
  account?: string;
  appId?: string;
  /** For `disconnect` and `outage` (`null`: the page's field was not a number). */
  seconds?: number | null;
  /** For `latency`. */
  ms?: number | null;
  /** For `expireToken`: what a live session sees (`next-login`, `kick`, `close`). */
  effect?: string;
}

/** The fields of a control, and the type each must have. */
const FIELDS: Readonly<Record<keyof ControlRequest, 'string' | 'number'>> = Object.freeze({ verb: 'string', account: 'string', appId: 'string', seconds: 'number', ms: 'number', effect: 'string' });
/** Longest string field (accounts and app ids are far shorter). */
const MAX_FIELD = 1024;

/**
 * A control request as posted (parsed JSON), checked by allowlist before anything reads it:
 * an object with known fields only, each of its type (a number field may be `null`, which the
 * page sends for an empty input). Throws an {@link EmulatorError} saying what is wrong.
 */
export function parseControl(body: unknown): ControlRequest {
  invariant(typeof body === 'object' && body !== null && !Array.isArray(body), 'Failed to run a control: expected a JSON object like {"verb":"kick","account":"alice"}');
  const verb = Object.hasOwn(body, 'verb') ? (body as { verb?: unknown }).verb : undefined;
  invariant(
    typeof verb === 'string' && (CONTROLS as readonly string[]).includes(verb),
    () => `Failed to run a control: no control ${typeof verb === 'string' ? `'${verb.slice(0, 40)}'` : 'named'} here (available: ${CONTROLS.join(', ')})`,
  );
  const fields = Object.keys(FIELDS);
  for (const [key, value] of Object.entries(body)) {
    const type = (FIELDS as Record<string, string>)[key];
    invariant(Object.hasOwn(FIELDS, key) && type !== undefined, () => `Failed to run a control: no field ${JSON.stringify(key.slice(0, 40))} (fields: ${fields.join(', ')})`);
    if (type === 'number') invariant(value === null || typeof value === 'number', `Failed to run a control: ${key} must be a number`);
    else invariant(typeof value === 'string' && value.length <= MAX_FIELD, `Failed to run a control: ${key} must be a string of at most ${MAX_FIELD} characters`);
  }
  return body as ControlRequest;
}

/** What the dashboard itself started, so that it can change or end it. */
export interface ControlState {
  /** The latency rule the dashboard installed, and its ms. */
  latency?: { handle: RuleHandle; ms: number };
  /** The outage the dashboard started. */
  outage?: Outage;
}

/**
 * Runs a control on the cloud; returns what was done, in a sentence. Misuse (an account that
 * is not online, a duration out of range) throws an {@link EmulatorError} whose message the page
 * shows.
 */
export function runControl(cloud: Cloud, state: ControlState, body: unknown): string {
  const request = parseControl(body);
  const { verb } = request;
  const appId = typeof request.appId === 'string' && request.appId !== '' ? request.appId : undefined;
  const app = appId === undefined ? {} : { appId };
  const account = (): string => {
    invariant(typeof request.account === 'string' && request.account !== '', `Failed to ${verb}: which account? Send "account"`);
    return request.account;
  };
  const seconds = (what: string): number => {
    const s = Number(request.seconds);
    invariant(Number.isFinite(s) && s > 0 && s <= 3600, `Failed to ${what}: seconds must be more than 0 and at most 3600, got ${String(request.seconds)}`);
    return s;
  };
  switch (verb) {
    case 'kick': {
      const who = account();
      cloud.kick(who, app);
      return `kicked ${who}`;
    }
    case 'closeSession': {
      const who = account();
      cloud.closeSession(who, app);
      return `closed the session of ${who}`;
    }
    case 'expireToken': {
      const who = account();
      const effect = request.effect ?? 'next-login';
      invariant(effect === 'next-login' || effect === 'kick' || effect === 'close', `Failed to expire a token: effect must be next-login, kick or close, got ${String(effect)}`);
      cloud.expireToken(who, { ...app, effect });
      return `expired the token of ${who} (${effect})`;
    }
    case 'disconnect': {
      const who = account();
      const s = seconds(`disconnect '${who}'`);
      cloud.net.disconnect(who, { for: s * 1000 });
      return `disconnected ${who} for ${s} s`;
    }
    case 'reconnect': {
      const who = account();
      cloud.net.reconnect(who);
      return `reconnected ${who}`;
    }
    case 'latency': {
      const ms = Number(request.ms);
      invariant(Number.isFinite(ms) && ms >= 0 && ms <= 60_000, `Failed to set the latency: expected 0 to 60000 ms, got ${String(request.ms)}`);
      state.latency?.handle.remove();
      state.latency = ms > 0 ? { handle: cloud.net.latency(ms), ms } : undefined;
      return ms === 0 ? 'latency removed' : `latency ${ms} ms each way`;
    }
    case 'outage': {
      const s = seconds('start an outage');
      state.outage = cloud.outage(s * 1000);
      return `outage for ${s} s`;
    }
    case 'endOutage':
      invariant(state.outage?.active, cloud.net.inspect().outage ? 'Cannot end the outage: it was not started here (end it with the handle cloud.outage() returned)' : 'Cannot end the outage: there is none');
      state.outage.end();
      return 'outage ended';
  }
  throw new EmulatorError(`Failed to run a control: no control '${verb}'`);
}
