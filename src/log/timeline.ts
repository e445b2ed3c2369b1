import type { LogEntry } from './entry.js';

export interface TimelineOptions {
  /** Longest rendering of the arguments before it is cut with `…` (default 80). */
  argsWidth?: number;
  /** Show time relative to this epoch (default: the first entry's time… no: the cloud's start). */
  epoch?: number;
}

/**
 * One line per entry, in aligned columns: virtual time (ms since `epoch`), client, kind, name,
 * arguments. Stable: the same entries give the same text.
 *
 * @example
 * console.log(formatTimeline(cloud.log.entries, { epoch: cloud.startTime }));
 */
export function formatTimeline(entries: readonly LogEntry[], options: TimelineOptions = {}): string {
  const width = options.argsWidth ?? 80;
  const epoch = options.epoch ?? 0;
  const rows = entries.map((e) => {
    const object = e.object ? ` [${e.object}]` : '';
    let args = e.args.map(formatArg).join(', ');
    if (e.error !== undefined) args += `  !! threw: ${e.error}`;
    if (e.unhandled) args += '  (not set)';
    if (args.length > width) args = `${args.slice(0, width - 1)}…`;
    return [formatTime(e.t - epoch), e.client || 'cloud', e.kind, `${e.name}${object}`, args];
  });
  const widths = [0, 1, 2, 3].map((c) => Math.max(0, ...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) => r.map((cell, c) => (c < 4 ? cell.padEnd(widths[c]!) : cell)).join('  ').trimEnd())
    .join('\n');
}

function formatTime(ms: number): string {
  return `+${(ms / 1000).toFixed(3)}s`;
}

function formatArg(a: unknown): string {
  if (typeof a === 'string') return JSON.stringify(a);
  if (typeof a === 'function') return '<function>';
  if (a === undefined) return 'undefined';
  try {
    return JSON.stringify(a) ?? String(a);
  } catch {
    return String(a);
  }
}
