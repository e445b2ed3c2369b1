import type { LogEntry, LogKind } from './entry.js';

export type LogListener = (entry: LogEntry) => void;

/** Fields of an entry given by the recorder; the log adds `seq` and `t`. */
export type LogRecord = Omit<LogEntry, 'seq' | 't'>;

/**
 * The append-only record of everything observable in one cloud, in the order it happened,
 * stamped with virtual time.
 */
export class EventLog {
  /** Every entry so far. Read-only for users: append happens inside the cloud. */
  readonly entries: LogEntry[] = [];
  private readonly now: () => number;
  private listeners: LogListener[] = [];
  private nextSeq = 0;

  constructor(now: () => number) {
    this.now = now;
  }

  /** @internal */
  append(record: LogRecord): LogEntry {
    const entry = record as LogEntry;
    entry.seq = this.nextSeq++;
    entry.t = this.now();
    this.entries.push(entry);
    for (const l of this.listeners) l(entry);
    return entry;
  }

  /** Calls `listener` with every entry appended from now on; returns the unsubscribe function. */
  subscribe(listener: LogListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Entries matching every given field (`args` matched as a prefix, each arg deep-equal). */
  filter(match: LogMatch = {}): LogEntry[] {
    return this.entries.filter((e) => matches(e, match));
  }

  first(match: LogMatch = {}): LogEntry | undefined {
    return this.entries.find((e) => matches(e, match));
  }

  last(match: LogMatch = {}): LogEntry | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) if (matches(this.entries[i]!, match)) return this.entries[i];
    return undefined;
  }

  count(match: LogMatch = {}): number {
    let n = 0;
    for (const e of this.entries) if (matches(e, match)) n++;
    return n;
  }

  /** Callback names one client received, in order (handy in assertions). */
  callbacks(client: string): string[] {
    return this.entries.filter((e) => e.kind === 'callback' && e.client === client).map((e) => e.name);
  }
}

export interface LogMatch {
  kind?: LogKind;
  client?: string;
  name?: string;
  object?: string;
  session?: number;
  /** Matches when the entry's args start with these (each compared deep-equal). */
  args?: unknown[];
  /** Virtual time range, both ends included. */
  from?: number;
  to?: number;
}

export function matches(e: LogEntry, m: LogMatch): boolean {
  if (m.kind !== undefined && e.kind !== m.kind) return false;
  if (m.client !== undefined && e.client !== m.client) return false;
  if (m.name !== undefined && e.name !== m.name) return false;
  if (m.object !== undefined && e.object !== m.object) return false;
  if (m.session !== undefined && e.session !== m.session) return false;
  if (m.from !== undefined && e.t < m.from) return false;
  if (m.to !== undefined && e.t > m.to) return false;
  if (m.args !== undefined) {
    if (m.args.length > e.args.length) return false;
    for (let i = 0; i < m.args.length; i++) if (!deepEqual(m.args[i], e.args[i])) return false;
  }
  return true;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
