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
export function formatTimeline(entries: readonly LogEntry[], options: TimelineOptions = {}): string {
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

function highlighted(h: TimelineOptions['highlight']): Set<number> | undefined {
  if (h === undefined) return undefined;
  const list: readonly LogEntry[] = Array.isArray(h) ? h : [h as LogEntry];
  return new Set(list.map((e) => e.seq));
}
