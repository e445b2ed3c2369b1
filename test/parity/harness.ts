import { CHANNEL_CALLBACKS, SESSION_CALLBACKS, type SessionCallbackName } from '../../src/sdk/callback-names.js';
// The parity harness: a scenario is written once, against the SDK's own surface, and runs
// twice: with the emulator's in-process SDK objects (`cloud.Signal`, virtual time) and with the
// unmodified real SDK 1.4.0 connected over the wire (`cloud.listen()`, real time). Per client,
// the two runs must record the same callbacks with the same arguments, in the same order.
import { isDeepStrictEqual } from 'node:util';
import { createCloud, type Channel, type Cloud, type Session, type Signal } from 'agora-signaling-emulator';
import { guardUncaught, installGlobals, loadSdk, quietUrlLogs, stopRealSession, type RealSignalFactory } from './real-sdk.js';

export type RunKind = 'in-process' | 'real SDK';

/** One observation of a client: a callback it received, or a value a scenario noted. */
export interface Recorded {
  name: string;
  args: unknown[];
  /** What the app read from the SDK objects while this callback ran (the fuzzer records it). */
  seen?: Record<string, unknown>;
}

/** What a run recorded, per client (in the order clients first appeared). */
export type Recording = Map<string, Recorded[]>;

type SessionCallback = SessionCallbackName;
export interface LoginOptions {
  /** Account to log in as (default: the client name up to a `#`). */
  account?: string;
  token?: string;
  app?: string;
  /** Session callbacks to leave unset (e.g. `onLogout`, to see logout() do nothing). */
  except?: SessionCallback[];
}

/** What a scenario sees: the cloud, the SDK of this run, and recording helpers. */
export interface World {
  readonly kind: RunKind;
  /** The cloud of this run: declare apps, make tokens, inspect. */
  readonly cloud: Cloud;
  /** The SDK's `Signal(appid)` of this run (in-process, or the real one pointed at the cloud). */
  Signal(appId: string): Signal;
  /** `Signal(app).login(account, token)`, with every session callback recording under `client`. */
  login(client: string, options?: LoginOptions): Session;
  /**
   * `session.channelJoin(name)`, with every Channel callback recording under `client` (named
   * `name.callback`, so that the one-current-Channel quirk shows which object fired).
   */
  join(client: string, session: Session, name: string): Channel;
  /** A `cb` argument that records its calls under `client` as `label`. */
  cb(client: string, label: string): (...args: unknown[]) => void;
  /** Records an observation (a state, a value) under `client`. */
  note(client: string, name: string, ...args: unknown[]): void;
  /** What `client` has recorded so far. */
  events(client: string): Recorded[];
  /** How many records named `name` `client` has. */
  count(client: string, name: string): number;
  /** Waits until `predicate()` holds: virtual time in-process, real time (bounded) on the wire. */
  until(predicate: () => boolean, what: string): Promise<void>;
  /** Waits until `session` is logged in (state 2). */
  loggedIn(session: Session, what?: string): Promise<void>;
  /** Lets whatever is in flight arrive, to show that nothing more happens. */
  settle(): Promise<void>;
  /**
   * Lets `ms` of the cloud's time pass: virtual (instant) in-process, real on the wire. For
   * time-based scenarios; keep `ms` short (the wire run really waits).
   */
  wait(ms: number): Promise<void>;
}

export type Scenario = (world: World) => Promise<void>;

/** Longest real-time wait of one `until` on the wire. */
const WIRE_WAIT_MS = 3000;
/** Real time `settle()` gives the wire (a loopback round trip takes about a millisecond). */
const WIRE_SETTLE_MS = 150;

abstract class BaseWorld implements World {
  abstract readonly kind: RunKind;
  abstract readonly cloud: Cloud;
  readonly recording: Recording = new Map();
  abstract Signal(appId: string): Signal;
  abstract until(predicate: () => boolean, what: string): Promise<void>;
  abstract settle(): Promise<void>;
  abstract wait(ms: number): Promise<void>;

  login(client: string, options: LoginOptions = {}): Session {
    const account = options.account ?? client.split('#')[0]!;
    const session = this.Signal(options.app ?? 'app').login(account, options.token ?? '_no_need_token');
    this.recordingOf(client);
    for (const name of SESSION_CALLBACKS) {
      if (options.except?.includes(name)) continue;
      (session as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => this.record(client, name, args);
    }
    this.sessionMade(session);
    return session;
  }

  join(client: string, session: Session, name: string): Channel {
    const channel = session.channelJoin(name)!;
    for (const callback of CHANNEL_CALLBACKS) {
      (channel as unknown as Record<string, unknown>)[callback] = (...args: unknown[]) => this.record(client, `${name}.${callback}`, args);
    }
    return channel;
  }

  cb(client: string, label: string): (...args: unknown[]) => void {
    this.recordingOf(client);
    return (...args: unknown[]) => this.record(client, label, args);
  }

  note(client: string, name: string, ...args: unknown[]): void {
    this.record(client, name, args);
  }

  events(client: string): Recorded[] {
    return this.recordingOf(client);
  }

  count(client: string, name: string): number {
    return this.recordingOf(client).filter((r) => r.name === name).length;
  }

  loggedIn(session: Session, what = `${session.account} logged in`): Promise<void> {
    return this.until(() => session.getStatus() === 2, what);
  }

  protected sessionMade(_session: Session): void {}

  private record(client: string, name: string, args: unknown[]): void {
    this.recordingOf(client).push({ name, args: args.map(snapshot) });
  }

  private recordingOf(client: string): Recorded[] {
    let list = this.recording.get(client);
    if (!list) this.recording.set(client, (list = []));
    return list;
  }
}

class InProcessWorld extends BaseWorld {
  readonly kind = 'in-process' as const;
  readonly cloud = createCloud({ seed: 1 });

  Signal(appId: string): Signal {
    // As the wire run's real SDK is set up: `ap_url` (one socket, no LBS), which 1.4.0 tells
    // apart when a socket closes before login_ret.
    const signal = this.cloud.Signal(appId);
    signal.setup_debugging('ap_url', 'ws://in-process/');
    return signal;
  }

  async until(predicate: () => boolean, what: string): Promise<void> {
    await this.cloud.until(predicate, { within: 60_000, what });
  }

  async settle(): Promise<void> {
    await this.cloud.advance(1000);
  }

  async wait(ms: number): Promise<void> {
    await this.cloud.advance(ms);
  }
}

class WireWorld extends BaseWorld {
  readonly kind = 'real SDK' as const;
  readonly cloud = createCloud({ clock: 'global' });
  readonly sessions: Session[] = [];
  url = '';
  private readonly RealSignal: RealSignalFactory;

  constructor(RealSignal: RealSignalFactory) {
    super();
    this.RealSignal = RealSignal;
  }

  Signal(appId: string): Signal {
    const signal = this.RealSignal(appId);
    signal.setup_debugging('ap_url', this.url);
    return signal;
  }

  async until(predicate: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + WIRE_WAIT_MS;
    while (!predicate()) {
      if (Date.now() > deadline) {
        throw new Error(`Real SDK run: ${what} did not happen within ${WIRE_WAIT_MS} ms.\n${formatRecording(this.recording)}\n${this.cloud.timeline()}`);
      }
      await sleep(5);
    }
  }

  settle(): Promise<void> {
    return sleep(WIRE_SETTLE_MS);
  }

  wait(ms: number): Promise<void> {
    return sleep(ms);
  }

  protected override sessionMade(session: Session): void {
    this.sessions.push(session);
  }
}

/** Runs `scenario` with the emulator's in-process SDK objects, on virtual time. */
export async function runInProcess(scenario: Scenario): Promise<Recording> {
  const world = new InProcessWorld();
  try {
    await scenario(world);
    return world.recording;
  } finally {
    world.cloud.dispose();
  }
}

/** Runs `scenario` with the real SDK 1.4.0, connected to `cloud.listen()`, on real time. */
export async function runOverWire(scenario: Scenario): Promise<Recording> {
  const restoreGlobals = installGlobals();
  const restoreLog = quietUrlLogs();
  const guard = guardUncaught();
  const world = new WireWorld(loadSdk());
  const server = await world.cloud.listen();
  world.url = server.url;
  try {
    await scenario(world);
    if (guard.errors.length > 0) {
      throw new Error(`The real SDK threw inside its WebSocket handler (the server sent a frame it cannot take):\n${guard.errors.map(String).join('\n')}`);
    }
    return world.recording;
  } finally {
    for (const session of world.sessions) stopRealSession(session);
    await server.close();
    world.cloud.dispose();
    guard.remove();
    restoreLog();
    restoreGlobals();
  }
}

/** Runs both, and throws a side-by-side diff when a client's records differ. */
export async function expectParity(name: string, scenario: Scenario): Promise<Recording> {
  const inProcess = await runInProcess(scenario);
  const real = await runOverWire(scenario);
  const diff = compareRecordings(inProcess, real);
  if (diff) throw new Error(`Parity failed in "${name}":\n${diff}`);
  return inProcess;
}

/**
 * Compares two recordings client by client; returns `undefined` when they agree, or a
 * side-by-side diff of every client that differs (`✗` marks the rows that differ).
 */
export function compareRecordings(inProcess: Recording, real: Recording, options: { context?: number } = {}): string | undefined {
  const clients = [...new Set([...inProcess.keys(), ...real.keys()])];
  const blocks: string[] = [];
  for (const client of clients) {
    const x = inProcess.get(client) ?? [];
    const y = real.get(client) ?? [];
    if (isDeepStrictEqual(x, y)) continue;
    const a = x.map(formatRecorded);
    const b = y.map(formatRecorded);
    const width = Math.max(25, ...a.map((s) => s.length));
    const rows = [`  client ${client}:`, `       #  ${'in-process (cloud.Signal)'.padEnd(width)}  real SDK 1.4.0 over the wire`];
    const rowCount = Math.max(a.length, b.length);
    // With `context`, only the rows from that many before the first difference.
    const first = options.context === undefined ? 0 : Math.max(0, firstDifference(x, y) - options.context);
    if (first > 0) rows.push(`       …  (${first} equal rows above)`);
    for (let i = first; i < rowCount; i++) {
      const same = i < x.length && i < y.length && isDeepStrictEqual(x[i], y[i]);
      rows.push(`  ${same ? ' ' : '✗'} ${String(i + 1).padStart(4)}  ${(a[i] ?? '—').padEnd(width)}  ${b[i] ?? '—'}`);
    }
    blocks.push(rows.join('\n'));
  }
  return blocks.length > 0 ? blocks.join('\n\n') : undefined;
}

function firstDifference(x: Recorded[], y: Recorded[]): number {
  let i = 0;
  while (i < x.length && i < y.length && isDeepStrictEqual(x[i], y[i])) i++;
  return i;
}

export function formatRecording(recording: Recording): string {
  return [...recording].map(([client, list]) => `  ${client}: ${list.map(formatRecorded).join(', ') || '(nothing)'}`).join('\n');
}

function formatRecorded(r: Recorded): string {
  const call = `${r.name}(${r.args.map((a) => (a === undefined ? 'undefined' : JSON.stringify(a))).join(', ')})`;
  if (!r.seen) return call;
  return `${call} ⟨${Object.entries(r.seen).map(([k, v]) => `${k} ${v === undefined ? 'undefined' : JSON.stringify(v)}`).join(', ')}⟩`;
}

/** The data of a callback argument at the time it fired (SDK objects: their data fields). */
export function snapshot(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(snapshot);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v !== 'function') out[k] = snapshot(v);
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
