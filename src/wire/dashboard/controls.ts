import type { Cloud } from '../../create-cloud.js';
import { EmulatorError, invariant } from '../../errors.js';
import type { WireFaults } from '../wire-faults.js';

/** The dashboard's controls; those the cloud does not have are not offered. */
export type ControlName = 'kick' | 'closeSession' | 'expireToken' | 'disconnect' | 'reconnect' | 'latency' | 'outage' | 'endOutage';

/** A control as the page posts it. */
export interface ControlRequest {
  verb: ControlName;
  account?: string;
  appId?: string;
  /** For `disconnect` and `outage`. */
  seconds?: number;
  /** For `latency`. */
  ms?: number;
  /** For `expireToken`: what a live session sees (the cloud's choices). */
  effect?: string;
}

/** The service verbs of the Cloud, when this version has them (they come with the faults module). */
interface ServiceVerbs {
  kick?: (account: string, options?: { appId?: string; reason?: string }) => void;
  closeSession?: (account: string, options?: { appId?: string }) => void;
  expireToken?: (account: string, options?: { appId?: string; effect?: string }) => void;
}

const verbs = (cloud: Cloud): ServiceVerbs => cloud as unknown as ServiceVerbs;

/**
 * What the dashboard can do on this cloud: kicking always (through the server when the Cloud
 * has no `kick`), the service verbs the Cloud has, and the wire's network faults.
 */
export function availableControls(cloud: Cloud): ControlName[] {
  const has = verbs(cloud);
  const list: ControlName[] = ['kick'];
  if (typeof has.closeSession === 'function') list.push('closeSession');
  if (typeof has.expireToken === 'function') list.push('expireToken');
  list.push('disconnect', 'reconnect', 'latency', 'outage', 'endOutage');
  return list;
}

/**
 * Runs a control; returns what was done, in a sentence. Misuse (an account that is not online,
 * a duration out of range) throws an {@link EmulatorError} whose message the page shows.
 */
export function runControl(cloud: Cloud, faults: WireFaults, request: ControlRequest): string {
  invariant(request && typeof request === 'object', 'Failed to run a control: expected a JSON object like {"verb":"kick","account":"alice"}');
  const { verb } = request;
  invariant(availableControls(cloud).includes(verb), `Failed to run a control: no control '${String(verb)}' here (available: ${availableControls(cloud).join(', ')})`);
  const has = verbs(cloud);
  const appId = request.appId === undefined || request.appId === '' ? undefined : String(request.appId);
  const account = (): string => {
    invariant(typeof request.account === 'string' && request.account !== '', `Failed to ${verb}: which account? Send "account"`);
    return request.account;
  };
  const seconds = (): number => {
    const s = Number(request.seconds);
    invariant(Number.isFinite(s) && s > 0 && s <= 3600, `Failed to ${verb}: seconds must be from 0 to 3600, got ${String(request.seconds)}`);
    return s;
  };
  switch (verb) {
    case 'kick': {
      const who = account();
      if (typeof has.kick === 'function') has.kick.call(cloud, who, appId === undefined ? {} : { appId });
      else kickThroughServer(cloud, who, appId);
      return `kicked ${who}`;
    }
    case 'closeSession': {
      const who = account();
      has.closeSession!.call(cloud, who, appId === undefined ? {} : { appId });
      return `closed the session of ${who}`;
    }
    case 'expireToken': {
      const who = account();
      const options: { appId?: string; effect?: string } = {};
      if (appId !== undefined) options.appId = appId;
      if (request.effect) options.effect = String(request.effect);
      has.expireToken!.call(cloud, who, options);
      return `expired the token of ${who}${options.effect ? ` (${options.effect})` : ''}`;
    }
    case 'disconnect': {
      const who = account();
      const s = seconds();
      faults.disconnect(who, s * 1000);
      return `disconnected ${who} for ${s} s`;
    }
    case 'reconnect': {
      const who = account();
      faults.reconnect(who);
      return `reconnected ${who}`;
    }
    case 'latency': {
      const ms = Number(request.ms);
      faults.setLatency(ms);
      return ms === 0 ? 'latency removed' : `latency ${ms} ms each way`;
    }
    case 'outage': {
      const s = seconds();
      faults.outage(s * 1000);
      return `outage for ${s} s`;
    }
    case 'endOutage':
      faults.endOutage();
      return 'outage ended';
  }
  throw new EmulatorError(`Failed to run a control: no control '${String(verb)}'`);
}

/** A kick for clouds without `cloud.kick`: the server's own kick (1.4.0 fires `onLogout(103)`). */
function kickThroughServer(cloud: Cloud, account: string, appId: string | undefined): void {
  const apps = [...cloud.server.apps.values()].filter((a) => appId === undefined || a.appId === appId);
  const sessions = apps.flatMap((a) => (a.sessions.has(account) ? [a.sessions.get(account)!] : []));
  const online = apps.flatMap((a) => [...a.sessions.keys()]);
  invariant(sessions.length > 0, `Cannot kick '${account}': no session of '${account}' is logged in (online: ${online.join(', ') || 'nobody'})`);
  invariant(sessions.length === 1, `Cannot kick '${account}': it is logged in to several apps (${sessions.map((s) => s.app.appId).join(', ')}); say which with appId`);
  const session = sessions[0]!;
  cloud.server.note('kick', account, ['from the dashboard']);
  cloud.server.kick(session, 'kick');
}
