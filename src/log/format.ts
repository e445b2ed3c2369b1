import type { LogEntry } from './entry.js';
import { logLabel } from './label.js';

/** Longest rendering of one string argument before its middle is cut. */
const STRING_WIDTH = 48;

/**
 * One argument as a short, stable, single-line text: strings quoted (long ones cut in the
 * middle, with their length), objects as JSON, functions as `<function>`.
 */
export function formatValue(value: unknown, stringWidth = STRING_WIDTH): string {
  if (typeof value === 'string') return formatString(value, stringWidth);
  if (typeof value === 'function') return '<function>';
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (value instanceof RegExp) return String(value);
  if (isAsymmetric(value)) return asymmetricText(value);
  if (typeof value !== 'object' || value === null) return String(value);
  const label = logLabel(value);
  if (label !== undefined) return label;
  try {
    return JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'function') return '<function>';
      if (typeof v === 'bigint') return `${v}n`;
      if (v === undefined) return '<undefined>';
      if (v instanceof RegExp) return String(v);
      if (isAsymmetric(v)) return asymmetricText(v);
      return v;
    }) ?? String(value);
  } catch {
    return Array.isArray(value) ? '[…]' : '{…}';
  }
}

/** Arguments as `a, b, c`. */
export function formatArgs(args: readonly unknown[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) out += (i > 0 ? ', ' : '') + formatValue(args[i]);
  return out;
}

/** `name(args)` of an entry, with the object it concerns: `channelJoin("lobby") [channel:lobby]`. */
export function formatCall(e: Pick<LogEntry, 'name' | 'args' | 'object'>): string {
  return `${e.name}(${formatArgs(e.args)})${e.object ? ` [${e.object}]` : ''}`;
}

/** What happened to a callback besides its delivery: thrown, or not set by the app. */
export function entryFlags(e: LogEntry): string {
  let out = '';
  if (e.error !== undefined) out += `!! threw ${e.error}`;
  if (e.unhandled) out += `${out ? '  ' : ''}(not set)`;
  return out;
}

/** The client column: `cloud` for the cloud itself, `alice#2` for an account's second Session. */
export function clientLabel(e: Pick<LogEntry, 'client' | 'session'>): string {
  if (!e.client) return 'cloud';
  return e.session !== undefined && e.session > 1 ? `${e.client}#${e.session}` : e.client;
}

/** Relative virtual time as `+1.120s` (negative before the epoch). */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  return `${sign}${(Math.abs(ms) / 1000).toFixed(3)}s`;
}

/** Cuts `text` to at most `width` characters, ending in `…`. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}

function formatString(s: string, width: number): string {
  const quoted = JSON.stringify(s);
  if (quoted.length <= width) return quoted;
  // Keep both ends: the start says what it is, the end often says how it ends (ids, counters).
  const suffix = ` (${s.length} chars)`;
  const keep = Math.max(8, width - 3 - suffix.length);
  const head = Math.ceil(keep * 0.7);
  const tail = keep - head;
  return `${JSON.stringify(s.slice(0, head)).slice(0, -1)}…${JSON.stringify(s.slice(s.length - tail)).slice(1)}${suffix}`;
}

/** A jest/vitest asymmetric matcher (`expect.any(String)`, `expect.objectContaining({…})`). */
export interface AsymmetricMatcher {
  asymmetricMatch(other: unknown): boolean;
  toString?(): string;
  toAsymmetricMatcher?(): string;
}

export function isAsymmetric(value: unknown): value is AsymmetricMatcher {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { asymmetricMatch?: unknown }).asymmetricMatch === 'function'
  );
}

function asymmetricText(m: AsymmetricMatcher): string {
  if (typeof m.toAsymmetricMatcher === 'function') return m.toAsymmetricMatcher();
  const text = typeof m.toString === 'function' ? m.toString() : '';
  return text && text !== '[object Object]' ? text : '<matcher>';
}
