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

/** Slots per record: owner, name, then the arguments array, or the three arguments inline. */
const SLOTS = 5;

interface Chunk {
  /** `SLOTS` slots per record, side by side. */
  readonly slots: unknown[];
  readonly times: Float64Array;
  /** Bit 1: a callback (else a call); bit 2: unhandled; bit 4: arguments inline. */
  readonly flags: Uint8Array;
  readonly size: number;
  length: number;
}

/**
 * SDK calls and callbacks the log has numbered but not yet made into entry objects: a few
 * slots each in preallocated chunks, so that recording one allocates nothing (no entry, no
 * arguments array, no boxed time). The log makes them into entries, in order, when it is read.
 */
export class PendingRecords {
  /** The seq of the first record (the rest follow one by one). */
  seq0 = 0;
  length = 0;
  private chunks: Chunk[] = [];
  private errors: Map<number, string> | undefined;

  /** Adds a record with its arguments (`args`), or with three arguments inline (`a`, `b`, `c`). */
  add(seq: number, kind: 'call' | 'callback', owner: EntryOwner, name: string, t: number, unhandled: boolean, args: unknown[] | undefined, a?: unknown, b?: unknown, c?: unknown): void {
    if (this.length === 0) this.seq0 = seq;
    let chunk = this.chunks[this.chunks.length - 1];
    if (chunk === undefined || chunk.length === chunk.size) {
      const size = chunk === undefined ? FIRST_CHUNK : Math.min(LAST_CHUNK, chunk.size * 2);
      chunk = { slots: new Array(size * SLOTS), times: new Float64Array(size), flags: new Uint8Array(size), size, length: 0 };
      this.chunks.push(chunk);
    }
    const i = chunk.length++;
    const at = i * SLOTS;
    const slots = chunk.slots;
    slots[at] = owner;
    slots[at + 1] = name;
    chunk.times[i] = t;
    if (args !== undefined) {
      slots[at + 2] = args;
      chunk.flags[i] = (kind === 'callback' ? 1 : 0) | (unhandled ? 2 : 0);
    } else {
      slots[at + 2] = a;
      slots[at + 3] = b;
      slots[at + 4] = c;
      chunk.flags[i] = (kind === 'callback' ? 1 : 0) | (unhandled ? 2 : 0) | 4;
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
    for (const chunk of this.chunks) {
      const slots = chunk.slots;
      for (let i = 0; i < chunk.length; i++) {
        const at = i * SLOTS;
        const owner = slots[at] as EntryOwner;
        const flags = chunk.flags[i]!;
        const args = flags & 4 ? [slots[at + 2], slots[at + 3], slots[at + 4]] : (slots[at + 2] as unknown[]);
        const entry = make(flags & 1 ? 'callback' : 'call', owner.client, slots[at + 1] as string, args, owner.session, owner.object, (flags & 2) !== 0);
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
  }
}
