import { EmulatorError, invariant } from '../errors.js';
import type { EventLog } from '../log/event-log.js';

/** One connection as the wire faults see it. */
export interface WireConnection {
  /** The account logged in on it, if any. */
  readonly account: string | undefined;
  /** Drops the TCP connection without a close frame (browsers fire only `close`, code 1006). */
  drop(): void;
}

/** A wire fault that lasts: until when, and the timer that ends it. */
interface Window {
  until: number;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Network faults of the connections one wire server serves (real SDKs over WebSockets), for
 * the dashboard: latency, one account's network down for a while, an outage of the whole
 * server. They act on real time, as the real SDK does. Each is a `'fault'` entry in the log.
 * (In-process clients are faulted with `cloud.net`.)
 */
export class WireFaults {
  /** One-way latency added to every frame, both ways, in ms. */
  latency = 0;
  private readonly log: EventLog;
  private readonly connections: () => Iterable<WireConnection>;
  private readonly down = new Map<string, Window>();
  private outageWindow: Window | undefined;

  constructor(log: EventLog, connections: () => Iterable<WireConnection>) {
    this.log = log;
    this.connections = connections;
  }

  /** Sets the one-way latency of every frame on this server (0 takes it away). */
  setLatency(ms: number): void {
    invariant(Number.isFinite(ms) && ms >= 0 && ms <= 60_000, `Failed to set the wire latency: expected 0 to 60000 ms, got ${String(ms)}`);
    this.latency = ms;
    this.fault('', 'latency', [ms, 'wire']);
  }

  /**
   * Takes an account's network down for `ms`: its connections drop now (1.4.0 then
   * reconnects), and every connection that logs in as it fails until the time is up (the SDK
   * sees an `error` and tries again after its back-off).
   */
  disconnect(account: string, ms: number): void {
    invariant(typeof account === 'string' && account !== '', `Failed to disconnect: expected an account name, got ${String(account)}`);
    checkDuration(ms, `disconnect '${account}'`);
    invariant(!this.down.has(account), () => `Cannot disconnect '${account}': it is already disconnected (until ${new Date(this.down.get(account)!.until).toISOString()})`);
    const timer = setTimeout(() => this.reconnect(account), ms);
    this.down.set(account, { until: Date.now() + ms, timer });
    this.fault(account, 'disconnect', [{ for: ms }, 'wire']);
    for (const c of [...this.connections()]) if (c.account === account) c.drop();
  }

  /** Brings an account's network back before its time is up. */
  reconnect(account: string): void {
    const down = this.down.get(account);
    invariant(down, () => `Cannot reconnect '${account}': it is not disconnected (disconnected: ${[...this.down.keys()].join(', ') || 'none'})`);
    clearTimeout(down.timer);
    this.down.delete(account);
    this.fault(account, 'reconnect', ['wire']);
  }

  /**
   * An outage of this server for `ms`: every connection drops now, and new WebSockets (and
   * LBS lookups) are refused with HTTP 503 until it is over.
   */
  outage(ms: number): void {
    checkDuration(ms, 'start an outage');
    if (this.outageWindow) throw new EmulatorError(`Cannot start an outage: one is under way until ${new Date(this.outageWindow.until).toISOString()}`);
    const timer = setTimeout(() => this.endOutage(), ms);
    this.outageWindow = { until: Date.now() + ms, timer };
    this.fault('', 'outage', ['started', { for: ms }, 'wire']);
    for (const c of [...this.connections()]) c.drop();
  }

  /** Ends an outage before its time is up. */
  endOutage(): void {
    if (!this.outageWindow) return;
    clearTimeout(this.outageWindow.timer);
    this.outageWindow = undefined;
    this.fault('', 'outage', ['ended', 'wire']);
  }

  /** Whether a connection may log in as `account` now; a refusal is logged. */
  admits(account: string): boolean {
    if (!this.down.has(account)) return true;
    this.fault(account, 'connection failed', ['disconnected', 'wire']);
    return false;
  }

  /** Whether the server takes new connections and LBS lookups now. */
  get available(): boolean {
    return this.outageWindow === undefined;
  }

  /** What is in force, for the dashboard. */
  snapshot(): { latency: number; outageUntil: number | null; disconnected: Array<{ account: string; until: number }> } {
    return {
      latency: this.latency,
      outageUntil: this.outageWindow?.until ?? null,
      disconnected: [...this.down].map(([account, w]) => ({ account, until: w.until })),
    };
  }

  /** Stops every timer (the server is closing). */
  dispose(): void {
    for (const w of this.down.values()) clearTimeout(w.timer);
    this.down.clear();
    if (this.outageWindow) clearTimeout(this.outageWindow.timer);
    this.outageWindow = undefined;
  }

  private fault(client: string, name: string, args: unknown[]): void {
    this.log.append({ kind: 'fault', client, name, args });
  }
}

function checkDuration(ms: number, what: string): void {
  invariant(
    typeof ms === 'number' && Number.isFinite(ms) && ms > 0 && ms <= 3_600_000,
    `Failed to ${what}: expected a duration from 1 to 3600000 ms, got ${String(ms)}`,
  );
}
