import { invariant } from '../errors.js';
import type { LogEntry } from './entry.js';
import { PendingRecords, type EntryOwner } from './pending-records.js';

export type { EntryOwner } from './pending-records.js';
import { LogView, type LogMark } from './log-view.js';
import type { TimelineOptions } from './timeline.js';

// Queries moved to match.ts; re-exported for modules that import them from here.
export { deepEqual, matches, type LogMatch } from './match.js';

export type LogListener = (entry: LogEntry) => void;

/** Fields of an entry given by the recorder; the log adds `seq` and `t`. */
export type LogRecord = Omit<LogEntry, 'seq' | 't'>;

/**
 * What the log records:
 * - `'all'` (default): every SDK call, callback, fault and server decision;
 * - `'calls-and-callbacks'`: only what the app did and what it was told (no faults, no server notes);
 * - `'off'`: nothing (for long benchmark runs; subscribers get nothing either).
 */
export type LogLevel = 'all' | 'calls-and-callbacks' | 'off';

/** The `log` option of `createCloud`. */
export interface LogOptions {
  /** What to record (default `'all'`). */
  level?: LogLevel;
  /**
   * Keep at most this many of the latest entries (default: all). Older ones are let go, so a
   * run with millions of deliveries keeps memory bounded; `seq` keeps counting, and
   * subscribers still see every recorded entry.
   */
  capacity?: number;
}

/**
 * A new entry in the shape of every entry: `seq` and `t` first (the log stamps them), then the
 * fields given. Built as one literal, so that no entry grows a second backing store for
 * fields added later.
 */
export function newEntry(
  kind: LogEntry['kind'],
  client: string,
  name: string,
  args: unknown[],
  session?: number,
  object?: string,
  unhandled?: boolean,
): LogEntry {
  if (session === undefined) return object === undefined ? { seq: -1, t: 0, kind, client, name, args } : { seq: -1, t: 0, kind, client, name, args, object };
  if (object === undefined) {
    return unhandled ? { seq: -1, t: 0, kind, client, name, args, session, unhandled: true } : { seq: -1, t: 0, kind, client, name, args, session };
  }
  return unhandled
    ? { seq: -1, t: 0, kind, client, name, args, session, object, unhandled: true }
    : { seq: -1, t: 0, kind, client, name, args, session, object };
}

const LEVELS: readonly LogLevel[] = ['all', 'calls-and-callbacks', 'off'];
const ALL = 0;
const CALLS_AND_CALLBACKS = 1;
const OFF = 2;

/**
 * The append-only record of everything observable in one cloud, in the order it happened,
 * stamped with virtual time. Queries come from {@link LogView}.
 */
export class EventLog extends LogView {
  readonly epoch: number;
  /** What is recorded. */
  readonly level: LogLevel;
  /** Most entries kept in memory (`Infinity`: all). */
  readonly capacity: number;
  private readonly now: () => number;
  private readonly levelCode: number;
  private listeners: LogListener[] = [];
  private nextSeq = 0;
  /** Kept entries are `buffer[start…]`; the evicted head is compacted away in batches. */
  private buffer: LogEntry[] = [];
  private start = 0;
  /** Entries let go because of `capacity` (said on the timeline's first line). */
  private evicted = 0;
  /** SDK calls and callbacks numbered but not yet made into entry objects (see {@link recordSdk}). */
  private readonly pending = new PendingRecords();

  constructor(now: () => number, options: LogOptions & { epoch?: number } = {}) {
    super();
    checkLogOptions(options);
    this.now = now;
    this.epoch = options.epoch ?? now();
    this.level = options.level ?? 'all';
    this.levelCode = LEVELS.indexOf(this.level);
    this.capacity = options.capacity ?? Infinity;
  }

  /** Every entry kept, oldest first. A live array: copy it (`[...entries]`) to keep a snapshot. */
  get entries(): readonly LogEntry[] {
    if (this.pending.length > 0) this.materialize();
    if (this.start > 0) this.compact();
    return this.buffer;
  }

  /** How many entries have been recorded since the cloud started (kept or not). */
  get total(): number {
    return this.nextSeq;
  }

  /**
   * @internal Whether entries of this kind are recorded at this level: the SDK and the server
   * skip building an entry the log would leave out.
   */
  records(kind: LogEntry['kind']): boolean {
    const level = this.levelCode;
    return level === ALL || (level === CALLS_AND_CALLBACKS && (kind === 'call' || kind === 'callback'));
  }

  /**
   * @internal The hot path of every delivery: stamps the record itself (no copy) and keeps it.
   */
  append(record: LogRecord): LogEntry {
    if (this.pending.length > 0) this.materialize();
    const entry = record as LogEntry;
    entry.t = this.now();
    if (this.levelCode !== ALL && (this.levelCode === OFF || (entry.kind !== 'call' && entry.kind !== 'callback'))) {
      entry.seq = -1;
      return entry;
    }
    entry.seq = this.nextSeq++;
    this.buffer.push(entry);
    if (this.buffer.length - this.start > this.capacity) {
      this.buffer[this.start++] = undefined as unknown as LogEntry; // let it go now; compacted later
      this.evicted++;
      if (this.start >= this.capacity && this.start >= 1024) this.compact();
    }
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(entry);
    return entry;
  }

  /**
   * Calls `listener` with every entry recorded from now on; returns the unsubscribe function.
   *
   * @example
   * const stop = cloud.log.subscribe((e) => { if (e.kind === 'fault') console.log(e.name); });
   */
  subscribe(listener: LogListener): () => void {
    invariant(typeof listener === 'function', 'Failed to subscribe to the log: expected a function (entry) => void');
    if (this.pending.length > 0) this.materialize();
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /**
   * A point to assert from: `cloud.log.since(mark)` holds what was logged after it.
   *
   * @example
   * const m = cloud.log.mark();
   * await cloud.advance(20_000);
   * expect(cloud.log.since(m).filter({ client: 'alice', kind: 'callback' })).toEqual([]);
   */
  mark(): LogMark {
    return { kind: 'mark', seq: this.nextSeq, t: this.now() };
  }

  /**
   * Forgets every entry kept so far (a test's setup, say). `seq` keeps counting, so marks stay
   * valid.
   *
   * @example
   * await loginEveryone();
   * cloud.log.clear();
   */
  clear(): void {
    this.buffer = [];
    this.start = 0;
    this.pending.clear();
  }

  /**
   * @internal Records an SDK call or callback: the hot path of every delivery. While nobody
   * listens and the log keeps everything, the entry is kept as a compact record (a few array
   * slots, no object) and made into its entry object when the log is first read, in the same
   * order with the same fields: a run of a million deliveries does not allocate a million
   * objects on the way. Returns the entry's `seq` (for {@link setError}), -1 when the level
   * leaves it out.
   */
  recordSdk(kind: 'call' | 'callback', owner: EntryOwner, name: string, args: unknown[], unhandled: boolean): number {
    if (!this.records(kind)) return -1;
    if (this.listeners.length > 0 || this.capacity !== Infinity) {
      const entry = newEntry(kind, owner.client, name, args, owner.session, owner.object, unhandled);
      this.append(entry);
      return entry.seq;
    }
    const seq = this.nextSeq++;
    this.pending.add(seq, kind, owner, name, this.now(), unhandled, args);
    return seq;
  }

  /**
   * @internal {@link recordSdk} for a callback with three arguments (a channel message, the
   * hot path of a fan-out): no arguments array is made until the entry is.
   */
  recordSdk3(owner: EntryOwner, name: string, a: unknown, b: unknown, c: unknown, unhandled: boolean): number {
    if (!this.records('callback')) return -1;
    if (this.listeners.length > 0 || this.capacity !== Infinity) return this.recordSdk('callback', owner, name, [a, b, c], unhandled);
    const seq = this.nextSeq++;
    this.pending.addCallback3(seq, owner, name, this.now(), unhandled, a, b, c);
    return seq;
  }

  /**
   * @internal {@link recordSdk} for a callback of one argument that `copy()` makes afresh at
   * each call (a join reply's user list): the entry's argument is made when the entry is, so
   * the log holds the value as it was delivered and does not keep the app's.
   */
  recordSdkCopied(owner: EntryOwner, name: string, copy: () => unknown, unhandled: boolean): number {
    if (!this.records('callback')) return -1;
    if (this.listeners.length > 0 || this.capacity !== Infinity) return this.recordSdk('callback', owner, name, [copy()], unhandled);
    const seq = this.nextSeq++;
    this.pending.addCopied(seq, owner, name, this.now(), unhandled, copy);
    return seq;
  }

  /** @internal What the app's callback of the entry `seq` threw (see {@link recordSdk}). */
  setError(seq: number, error: string): void {
    if (seq < 0) return;
    if (this.pending.holds(seq)) return this.pending.setError(seq, error);
    // Kept entries have consecutive seqs (only recorded entries are numbered).
    const buffer = this.buffer;
    const first = buffer[this.start];
    if (first === undefined) return;
    const i = this.start + (seq - first.seq);
    if (buffer[i]?.seq === seq) buffer[i]!.error = error;
  }

  /** Makes the pending records into entries, in order, after those kept already. */
  private materialize(): void {
    const buffer = this.buffer;
    this.pending.drain(newEntry, (entry) => buffer.push(entry));
  }
  override timeline(options: TimelineOptions = {}): string {
    const text = super.timeline(options);
    // Say when the log let entries go by itself; after clear() the user knows.
    if (this.evicted === 0) return text;
    const head = `(${this.evicted} earlier entries not kept: log capacity ${this.capacity})`;
    return text ? `${head}\n${text}` : head;
  }

  private compact(): void {
    this.buffer.copyWithin(0, this.start);
    this.buffer.length -= this.start;
    this.start = 0;
  }
}

function checkLogOptions(options: LogOptions): void {
  invariant(options && typeof options === 'object', `Failed to create the cloud: log must be an object like { level: 'all', capacity: 10000 }, got ${String(options)}`);
  const known = ['level', 'capacity', 'epoch'];
  for (const key of Object.keys(options)) {
    invariant(known.includes(key), `Failed to create the cloud: unknown log option '${key}' (known: level, capacity)`);
  }
  if (options.level !== undefined) {
    invariant(
      LEVELS.includes(options.level),
      `Failed to create the cloud: log.level must be ${LEVELS.map((l) => `'${l}'`).join(', ')}; got ${JSON.stringify(options.level)}`,
    );
  }
  if (options.capacity !== undefined) {
    invariant(
      options.capacity === Infinity || (Number.isInteger(options.capacity) && options.capacity > 0),
      `Failed to create the cloud: log.capacity must be a positive integer (or Infinity to keep everything), got ${String(options.capacity)}`,
    );
  }
}
