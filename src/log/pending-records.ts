import type { LogEntry } from './entry.js';

/** Who an SDK entry belongs to: the account, which of its Sessions, and the SDK object if any. */
export interface EntryOwner {
  readonly client: string;
  readonly session: number;
  readonly object?: string;
}

/**
 * Records per chunk: the first is small (a test logs a few dozen entries), each next one
 * twice as big up to the last size, whose columns are big enough for the engine to keep them
 * where they are made rather than copy them from one heap space to the next.
 */
const FIRST_CHUNK = 64;
const LAST_CHUNK = 32_768;


/** Flag bits of a record. */
const CALLBACK = 1;
const UNHANDLED = 2;
/** How many arguments an inline record has, in the two bits from {@link COUNT_SHIFT}. */
const COUNT_SHIFT = 4;
const COUNT_MASK = 3;
/** Up to this many arguments are copied inline: their array is not kept (most calls and callbacks have one or two). */
const MAX_INLINE = 3;
/** The arguments, up to three, are inline (slots: owner, name, then each argument)… */
const INLINE = 4;
/**
 * …or the same name and three arguments as the record before (slots: owner). Neither: the
 * arguments array (slots: owner, name, args).
 */
const AS_BEFORE = 8;
/**
 * With neither, the one argument's copy to make instead of the arguments array (slots: owner,
 * name, copy: see {@link PendingRecords.addCopied}). (Above the inline count's bits.)
 */
const COPIED = 64;

interface Chunk {
  /** The records' slots one after the other (1 to 5 each, by their flags). */
  readonly slots: unknown[];
  readonly times: Float64Array;
  readonly flags: Uint8Array;
  readonly size: number;
  length: number;
  /** Slots used. */
  used: number;
}

/**
 * SDK calls and callbacks the log has numbered but not yet made into entry objects: a few
 * slots each in preallocated chunks, so that recording one allocates nothing (no entry, no
 * arguments array, no boxed time). The log makes them into entries, in order, when it is read.
 *
 * A channel message reaches every member with the same name and arguments: a record with the
 * same three arguments as the one before keeps only its owner (one slot, a time and a flag),
 * so a fan-out to 10 000 members writes 10 000 references to objects that already exist,
 * not 50 000.
 */
export class PendingRecords {
  /** The seq of the first record (the rest follow one by one). */
  seq0 = 0;
  length = 0;
  private chunks: Chunk[] = [];
  private errors: Map<number, string> | undefined;
  /** The name and inline arguments of the latest inline record (see {@link AS_BEFORE}). */
  private lastName: string | undefined = undefined;
  private lastA: unknown = undefined;
  private lastB: unknown = undefined;
  private lastC: unknown = undefined;

  /**
   * Adds a record with its arguments (`args`): up to three are copied inline, so that the
   * record keeps no array (a login's two records would otherwise keep two, for each client).
   */
  add(seq: number, kind: 'call' | 'callback', owner: EntryOwner, name: string, t: number, unhandled: boolean, args: unknown[]): void {
    const chunk = this.chunkFor(seq);
    const i = chunk.length++;
    const at = chunk.used;
    const slots = chunk.slots;
    slots[at] = owner;
    slots[at + 1] = name;
    const n = args.length;
    let flags = (kind === 'callback' ? CALLBACK : 0) | (unhandled ? UNHANDLED : 0);
    if (n <= MAX_INLINE) {
      for (let k = 0; k < n; k++) slots[at + 2 + k] = args[k];
      chunk.used = at + 2 + n;
      flags |= INLINE | (n << COUNT_SHIFT);
    } else {
      slots[at + 2] = args;
      chunk.used = at + 3;
    }
    chunk.times[i] = t;
    chunk.flags[i] = flags;
    this.lastName = undefined;
    this.length++;
  }

  /**
   * Adds a callback record of one argument that the entry gets as `copy()` (called when the
   * entry is made): a value too big to keep as the app got it (a join reply's user list).
   */
  addCopied(seq: number, owner: EntryOwner, name: string, t: number, unhandled: boolean, copy: () => unknown): void {
    const chunk = this.chunkFor(seq);
    const i = chunk.length++;
    const at = chunk.used;
    const slots = chunk.slots;
    slots[at] = owner;
    slots[at + 1] = name;
    slots[at + 2] = copy;
    chunk.used = at + 3;
    chunk.times[i] = t;
    chunk.flags[i] = CALLBACK | (unhandled ? UNHANDLED : 0) | COPIED;
    this.lastName = undefined;
    this.length++;
  }

  /** Adds a callback record with three arguments inline. */
  addCallback3(seq: number, owner: EntryOwner, name: string, t: number, unhandled: boolean, a: unknown, b: unknown, c: unknown): void {
    const chunk = this.chunkFor(seq);
    const i = chunk.length++;
    const at = chunk.used;
    const slots = chunk.slots;
    slots[at] = owner;
    chunk.times[i] = t;
    if (name === this.lastName && a === this.lastA && b === this.lastB && c === this.lastC) {
      chunk.used = at + 1;
      chunk.flags[i] = CALLBACK | (unhandled ? UNHANDLED : 0) | AS_BEFORE;
    } else {
      chunk.used = at + 5;
      slots[at + 1] = name;
      slots[at + 2] = a;
      slots[at + 3] = b;
      slots[at + 4] = c;
      chunk.flags[i] = CALLBACK | (unhandled ? UNHANDLED : 0) | INLINE | (3 << COUNT_SHIFT);
      this.lastName = name;
      this.lastA = a;
      this.lastB = b;
      this.lastC = c;
    }
    this.length++;
  }

  /** Whether the entry `seq` is still a record here. */
  holds(seq: number): boolean {
    return this.length > 0 && seq >= this.seq0;
  }

  /** What the app's callback of record `seq` threw. */
  setError(seq: number, error: string): void {
    (this.errors ??= new Map()).set(seq, error);
  }

  /** Makes every record into its entry (`make` gives the entry in its one shape), in order; then forgets them. */
  drain(
    make: (kind: 'call' | 'callback', client: string, name: string, args: unknown[], session: number, object: string | undefined, unhandled: boolean) => LogEntry,
    keep: (entry: LogEntry) => void,
  ): void {
    let seq = this.seq0;
    let name = '';
    // A fan-out's entries share the arguments array of its first (they are the same values);
    // one object per entry is what the first read of a large log costs.
    let same: unknown[] = [];
    for (const chunk of this.chunks) {
      const slots = chunk.slots;
      let at = 0;
      for (let i = 0; i < chunk.length; i++) {
        const owner = slots[at] as EntryOwner;
        const flags = chunk.flags[i]!;
        let args: unknown[];
        if (flags & AS_BEFORE) {
          args = same;
          at += 1;
        } else if (flags & INLINE) {
          name = slots[at + 1] as string;
          const n = (flags >> COUNT_SHIFT) & COUNT_MASK;
          args =
            n === 3
              ? (same = [slots[at + 2], slots[at + 3], slots[at + 4]])
              : n === 2
                ? [slots[at + 2], slots[at + 3]]
                : n === 1
                  ? [slots[at + 2]]
                  : [];
          at += 2 + n;
        } else {
          name = slots[at + 1] as string;
          args = flags & COPIED ? [(slots[at + 2] as () => unknown)()] : (slots[at + 2] as unknown[]);
          at += 3;
        }
        const entry = make(flags & CALLBACK ? 'callback' : 'call', owner.client, name, args, owner.session, owner.object, (flags & UNHANDLED) !== 0);
        entry.seq = seq;
        entry.t = chunk.times[i]!;
        const error = this.errors?.get(seq);
        if (error !== undefined) entry.error = error;
        keep(entry);
        seq++;
      }
    }
    this.clear();
  }

  clear(): void {
    this.chunks = [];
    this.errors = undefined;
    this.length = 0;
    this.lastName = undefined;
    this.lastA = this.lastB = this.lastC = undefined;
  }

  /** The chunk the next record goes to (a new one when the last is full). */
  private chunkFor(seq: number): Chunk {
    if (this.length === 0) this.seq0 = seq;
    const chunk = this.chunks[this.chunks.length - 1];
    if (chunk !== undefined && chunk.length < chunk.size) return chunk;
    const size = chunk === undefined ? FIRST_CHUNK : Math.min(LAST_CHUNK, chunk.size * 2);
    // One slot per record and a sixteenth more to begin with (a fan-out's records take one
    // each, the first of each fan-out five); the array grows as records with more come.
    const next: Chunk = { slots: new Array(size + (size >> 4)), times: new Float64Array(size), flags: new Uint8Array(size), size, length: 0, used: 0 };
    this.chunks.push(next);
    return next;
  }
}
