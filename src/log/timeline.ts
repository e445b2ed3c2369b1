import { dataField, describeArg, readList, readOptions, readStrings, readWhole } from '../arguments.js';
import { bounds } from '../bounds.js';
import { EmulatorError } from '../errors.js';
import type { LogEntry, LogKind } from './entry.js';
import { clientLabel, entryFlags, formatArgs, formatOffset, truncate } from './format.js';

export interface TimelineOptions {
  /** Only the entries of these accounts (every Session of each). */
  client?: string | readonly string[];
  /** Only entries of these kinds. */
  kinds?: readonly LogKind[];
  /**
   * `'relative'` (default): `+1.120s` since `epoch`. `'absolute'`: the virtual clock as an ISO
   * time, `2024-01-01T00:00:01.120Z`.
   */
  time?: 'relative' | 'absolute';
  /** Virtual Unix ms that relative time counts from (default: the cloud's start; for a bare list, its first entry). */
  epoch?: number;
  /** Longest rendering of the arguments before it is cut with `…` (default 80). */
  argsWidth?: number;
  /** Entries to point at with `>` in the left margin (by `seq`). */
  highlight?: LogEntry | readonly LogEntry[];
}

/** Widest client and name columns; longer values are cut with `…` so one odd value cannot push the rest off screen. */
const CLIENT_WIDTH = 24;
const NAME_WIDTH = 44;

/**
 * One line per entry in aligned columns: virtual time, client, kind, name (with the object it
 * concerns), arguments. A callback that threw ends in `!! threw …`, one the app had not set in
 * `(not set)`. Stable: the same entries and options give the same text, so it suits snapshots.
 *
 * @example
 * console.log(formatTimeline(cloud.log.entries, { epoch: cloud.startTime, client: 'alice' }));
 * //  +0.080s  alice  callback  onLoginSuccess  1
 */
export function formatTimeline(entries: readonly LogEntry[], given: TimelineOptions = {}): string {
  const options = readTimelineOptions(given, 'Failed to format the timeline');
  const clients = options.client === undefined ? undefined : typeof options.client === 'string' ? [options.client] : options.client;
  const kinds = options.kinds;
  const width = options.argsWidth ?? 80;
  const absolute = options.time === 'absolute';
  const epoch = options.epoch ?? entries[0]?.t ?? 0;
  const marked = highlighted(options.highlight);

  const rows: string[][] = [];
  const marks: boolean[] = [];
  for (const e of entries) {
    if (clients && !clients.includes(e.client)) continue;
    if (kinds && !kinds.includes(e.kind)) continue;
    const flags = entryFlags(e);
    const args = truncate(formatArgs(e.args), width);
    rows.push([
      absolute ? new Date(e.t).toISOString() : formatOffset(e.t - epoch),
      truncate(clientLabel(e), CLIENT_WIDTH),
      e.kind,
      truncate(e.object ? `${e.name} [${e.object}]` : e.name, NAME_WIDTH),
      flags ? (args ? `${args}  ${flags}` : flags) : args,
    ]);
    marks.push(marked !== undefined && marked.has(e.seq));
  }
  const widths = [0, 1, 2, 3].map((c) => rows.reduce((w, r) => Math.max(w, r[c]!.length), 0));
  return rows
    .map((r, i) => {
      const line = [r[0]!.padStart(widths[0]!), r[1]!.padEnd(widths[1]!), r[2]!.padEnd(widths[2]!), r[3]!.padEnd(widths[3]!), r[4]!]
        .join('  ')
        .trimEnd();
      if (marked === undefined) return line;
      return (marks[i] ? '> ' : '  ') + line;
    })
    .join('\n');
}

const TIMELINE_OPTIONS = ['client', 'kinds', 'time', 'epoch', 'argsWidth', 'highlight'] as const;
const KINDS: readonly string[] = Object.freeze(['call', 'callback', 'fault', 'server']);

/**
 * Checks timeline options by allowlist (a misspelt name is an error listing the valid ones),
 * each of its type, without running the caller's code. Returns a copy.
 */
export function readTimelineOptions(options: unknown, what: string): TimelineOptions {
  const o = readOptions(options, TIMELINE_OPTIONS, what, "{ client: 'alice', time: 'absolute' }");
  const out: TimelineOptions = {};
  if (o.client !== undefined) out.client = readStrings(o.client, what, 'client');
  if (o.kinds !== undefined) {
    const kinds = readStrings(o.kinds, what, 'kinds');
    for (const k of kinds) if (!KINDS.includes(k)) throw new EmulatorError(`${what}: kinds must list ${KINDS.map((x) => `'${x}'`).join(', ')}, got ${describeArg(k)}`);
    out.kinds = kinds as LogKind[];
  }
  if (o.time !== undefined) {
    if (o.time !== 'relative' && o.time !== 'absolute') throw new EmulatorError(`${what}: time must be 'relative' or 'absolute', got ${describeArg(o.time)}`);
    out.time = o.time;
  }
  if (o.epoch !== undefined) {
    if (typeof o.epoch !== 'number' || !Number.isFinite(o.epoch)) throw new EmulatorError(`${what}: epoch must be virtual Unix ms, got ${describeArg(o.epoch)}`);
    out.epoch = o.epoch;
  }
  if (o.argsWidth !== undefined) out.argsWidth = readWhole(o.argsWidth, what, 'argsWidth', 0, bounds.maxTextWidth);
  if (o.highlight !== undefined) {
    const list = Array.isArray(o.highlight) ? readList(o.highlight, what, 'highlight') : [o.highlight];
    for (const e of list) {
      if (typeof dataField(e, 'seq') !== 'number') throw new EmulatorError(`${what}: highlight must be a log entry or a list of them, got ${describeArg(e)}`);
    }
    // Only the seq of each is read: a copy of it, so nothing of the caller's runs later.
    out.highlight = list.map((e) => ({ seq: dataField(e, 'seq') }) as LogEntry);
  }
  return out;
}

function highlighted(h: TimelineOptions['highlight']): Set<number> | undefined {
  if (h === undefined) return undefined;
  const list: readonly LogEntry[] = Array.isArray(h) ? h : [h as LogEntry];
  return new Set(list.map((e) => e.seq));
}
