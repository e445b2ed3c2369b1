import type { Cloud } from '../create-cloud.js';
import type { LogEntry } from '../log/entry.js';
import { clientLabel, entryFlags, formatArgs, truncate } from '../log/format.js';
import { detach } from '../wire/frame-limits.js';
import type { WireServer } from '../wire/listen.js';
import { CONTROLS, type ControlName, type ControlState } from './controls.js';

/** Longest rendering of an entry's arguments on the page (the full text is in `cloud.log`). */
const ARGS_WIDTH = 400;

/**
 * A log entry as the page shows it: text, ready to put in a table. Besides the log's kinds,
 * `'wire'` rows show the requests and pushes of the served connections (the real SDK's traffic,
 * which `cloud.log` does not record).
 */
export interface EntryView {
  /** The log's seq; -1 for a wire row. */
  seq: number;
  /** Virtual ms since the cloud started. */
  t: number;
  account: string;
  /** `cloud`, `alice`, `alice#2`. */
  client: string;
  kind: LogEntry['kind'] | 'wire';
  name: string;
  object: string;
  args: string;
  flags: string;
}

/** What the page shows besides the log. */
export interface DashboardState {
  seed: number;
  clock: 'virtual' | 'global';
  startTime: number;
  /** The cloud's time (virtual ms). */
  now: number;
  wire: { url: string; lbsUrl: string; connections: number };
  /** `cloud.net.inspect()`, in short, and what the dashboard set itself. */
  net: {
    /** The latency the dashboard set (ms), 0 for none. */
    latency: number;
    /** Names of the rules in force (the dashboard's latency included). */
    rules: string[];
    disconnected: string[];
    outage: boolean;
    /** An outage the dashboard started, which it can end. */
    outageEndable: boolean;
  };
  controls: ControlName[];
  apps: Array<{
    appId: string;
    certificate: boolean;
    online: Array<{ account: string; uid: number; since: number }>;
    channels: Array<{ name: string; special: boolean; members: Array<{ account: string; uid: number }>; attrs: Record<string, string>; destroyAt: number | null }>;
    /** Invites and calls, with the time the cloud fails each if nothing happens first. */
    invites: Array<{ id: number; channel: string; caller: string; callee: string; state: string; deadline: number | null; deadlineReason: string | null }>;
    storedMessages: Array<{ to: string; from: string; type: string; expiresAt: number }>;
  }>;
}

/** An entry for the page. */
export function entryView(e: LogEntry, startTime: number): EntryView {
  return {
    seq: e.seq,
    t: e.t - startTime,
    account: e.client,
    client: clientLabel(e),
    kind: e.kind,
    name: e.name,
    object: e.object ?? '',
    args: detach(truncate(formatArgs(e.args), ARGS_WIDTH)),
    flags: entryFlags(e),
  };
}

/** A request (`→ name`) or push (`← name`) of a served connection. */
export function wireView(t: number, account: string, direction: 'up' | 'down', name: string, args: unknown[]): EntryView {
  return {
    seq: -1,
    t,
    account,
    client: account || '(not logged in)',
    kind: 'wire',
    name: `${direction === 'up' ? '→' : '←'} ${name}`,
    object: '',
    // Kept for pages opened later: a copy, not a slice that would keep the frame's whole text.
    args: detach(truncate(formatArgs(args), ARGS_WIDTH)),
    flags: '',
  };
}

/** The cloud as the page shows it now. */
export function dashboardState(cloud: Cloud, server: Pick<WireServer, 'url' | 'lbsUrl' | 'connections'>, controls: ControlState): DashboardState {
  const snapshot = cloud.inspect();
  const net = cloud.net.inspect();
  return {
    seed: cloud.seed,
    clock: cloud.time.mode,
    startTime: cloud.startTime,
    now: snapshot.t,
    wire: { url: server.url, lbsUrl: server.lbsUrl, connections: server.connections },
    net: {
      latency: controls.latency?.handle.active ? controls.latency.ms : 0,
      rules: net.rules.map((r) => r.name),
      disconnected: net.disconnected,
      outage: net.outage,
      outageEndable: controls.outage?.active === true,
    },
    controls: [...CONTROLS],
    apps: snapshot.apps.map((app) => ({
      appId: app.appId,
      certificate: app.certificate,
      online: app.online.map((u) => ({ account: u.account, uid: u.uid, since: u.since })),
      channels: app.channels.map((c) => ({
        name: c.name,
        special: c.special,
        members: c.members.map((m) => ({ account: m.account, uid: m.uid })),
        attrs: { ...c.attrs },
        destroyAt: c.destroyAt ?? null,
      })),
      invites: app.invites.map((i) => ({
        id: i.id,
        channel: i.channel,
        caller: i.caller,
        callee: i.callee,
        state: i.state,
        deadline: i.deadline,
        deadlineReason: i.deadlineReason,
      })),
      storedMessages: app.storedMessages,
    })),
  };
}
