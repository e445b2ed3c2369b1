import { EmulatorError } from '../errors.js';
import { CALLBACK_NAMES, type CallCallbackName, type CbCallbackName, type ChannelCallbackName, type SessionCallbackName } from '../sdk/callback-names.js';
import type { LogEntry } from './entry.js';
import { clientLabel, formatOffset, formatValue } from './format.js';
import type { LogMark } from './log-view.js';
import { describeQuery, matchArgs, matches, type LogMatch, type LogQuery } from './match.js';
import { formatTimeline } from './timeline.js';

/**
 * The name of a callback the log records: an `on…` callback of the 1.4.0 SDK's Session, Channel
 * or Call, or a method's `cb` argument (`'messageInstantSend:cb'`). Any other name is a type
 * error, and the matchers reject it at run time with the list of valid ones.
 */
export type CallbackName = SessionCallbackName | ChannelCallbackName | CallCallbackName | CbCallbackName;

/** The options of {@link CloudMatchers.toHaveReceivedWithin}. */
export interface WithinOptions {
  /** Count from this entry, mark, or the first entry this query selects (default: the start of the log). */
  after?: WithinAnchor;
  /** The callback's arguments, matched as in {@link CloudMatchers.toHaveReceived}. */
  args?: LogMatch['args'];
}

/** One expected callback of {@link CloudMatchers.toHaveReceivedInOrder}: a name, or a name with (partial) arguments. */
export type ExpectedCallback = CallbackName | { name: CallbackName; args?: LogMatch['args'] };

/** Where {@link CloudMatchers.toHaveReceivedWithin} counts from: an entry (after it), a mark, or the first entry a query selects. */
export type WithinAnchor = LogEntry | LogMark | LogMatch;

/**
 * The log matchers, for `expect(cloud)` (or `expect(cloud.log)`, `expect(cloud.log.since(mark))`,
 * `expect(entries)`). Arguments match partially: the given ones are a prefix of the callback's,
 * objects match on the given keys, RegExps match strings, and asymmetric matchers work.
 */
export interface CloudMatchers<R = unknown> {
  /**
   * The account received this callback (with these arguments, if given) at least once.
   *
   * @example
   * expect(cloud).toHaveReceived('bob', 'onMessageInstantReceive', ['alice', 0, 'hello']);
   * expect(cloud).not.toHaveReceived('alice', 'onLogout');
   */
  toHaveReceived(client: string, callback: CallbackName, args?: LogMatch['args']): R;
  /**
   * The account received this callback exactly `times` times (with these arguments, if given).
   *
   * @example
   * expect(cloud).toHaveReceivedTimes('alice', 'onLoginSuccess', 2); // a reconnect logs in again
   */
  toHaveReceivedTimes(client: string, callback: CallbackName, times: number, args?: LogMatch['args']): R;
  /**
   * The account received these callbacks in this order, others in between allowed.
   *
   * @example
   * expect(cloud).toHaveReceivedInOrder('alice', ['onLoginSuccess', { name: 'onLogout', args: [103] }]);
   */
  toHaveReceivedInOrder(client: string, callbacks: readonly ExpectedCallback[]): R;
  /**
   * The account received this callback at most `ms` of virtual time after `after` (an entry, a
   * mark, or the first entry a query selects; default: the start of the log).
   *
   * @example
   * const sent = cloud.log.last({ client: 'alice', name: 'messageInstantSend' })!;
   * expect(cloud).toHaveReceivedWithin('bob', 'onMessageInstantReceive', 100, { after: sent });
   */
  toHaveReceivedWithin(client: string, callback: CallbackName, ms: number, options?: WithinOptions): R;
  /**
   * The log has an entry the query selects (any kind: server decisions and faults too).
   *
   * @example
   * expect(cloud).toHaveLogged({ kind: 'server', name: 'message stored', client: 'carol' });
   */
  toHaveLogged(query: LogQuery): R;
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
}
interface Subject {
  entries: readonly LogEntry[];
  epoch: number;
}

/** Most lines of timeline a failure message shows. */
const CONTEXT = 12;

/**
 * The matchers as an object for `expect.extend`: `agora-signaling-emulator/vitest` registers
 * them for vitest; with jest, register them yourself.
 *
 * @example
 * // jest.setup.ts
 * import { cloudMatchers } from 'agora-signaling-emulator';
 * expect.extend(cloudMatchers);
 */
export const cloudMatchers = {
  toHaveReceived(received: unknown, client: string, callback: string, args?: LogMatch['args']): MatcherResult {
    const s = subjectOf(received, 'toHaveReceived');
    checkNames('toHaveReceived', client, callback);
    const want = describeCallback(callback, args);
    const hits = s.entries.filter((e) => isCallback(e, client, callback) && matchArgs(args, e.args));
    if (hits.length > 0) {
      const hit = hits[0]!;
      return {
        pass: true,
        message: () => `expected ${client} not to have received ${want}, but ${countText(hits.length)}, first at ${time(s, hit)}:\n\n${around(s, client, hit)}`,
      };
    }
    return { pass: false, message: () => `expected ${client} to have received ${want}, but ${missing(s, client, callback, args)}` };
  },

  toHaveReceivedTimes(received: unknown, client: string, callback: string, times: number, args?: LogMatch['args']): MatcherResult {
    const s = subjectOf(received, 'toHaveReceivedTimes');
    checkNames('toHaveReceivedTimes', client, callback);
    if (!Number.isInteger(times) || times < 0) {
      throw new EmulatorError(`toHaveReceivedTimes: times must be a non-negative integer, got ${formatValue(times)}`);
    }
    const want = describeCallback(callback, args);
    const hits = s.entries.filter((e) => isCallback(e, client, callback) && matchArgs(args, e.args));
    const pass = hits.length === times;
    return {
      pass,
      message: () => {
        if (pass) return `expected ${client} not to have received ${want} ${timesText(times)}, but it did:\n\n${indent(formatTimeline(hits, { epoch: s.epoch }))}`;
        if (hits.length === 0) return `expected ${client} to have received ${want} ${timesText(times)}, but ${missing(s, client, callback, args)}`;
        return `expected ${client} to have received ${want} ${timesText(times)}, but ${countText(hits.length)}:\n\n${indent(formatTimeline(hits.slice(0, CONTEXT), { epoch: s.epoch }))}${more(hits.length - CONTEXT)}`;
      },
    };
  },

  toHaveReceivedInOrder(received: unknown, client: string, callbacks: readonly ExpectedCallback[]): MatcherResult {
    const s = subjectOf(received, 'toHaveReceivedInOrder');
    if (!Array.isArray(callbacks) || callbacks.length === 0) {
      throw new EmulatorError(`toHaveReceivedInOrder: expected a non-empty list of callback names or { name, args }, got ${formatValue(callbacks)}`);
    }
    const wanted = callbacks.map((c) => (typeof c === 'string' ? { name: c, args: undefined } : expectedCallback(c)));
    for (const w of wanted) checkNames('toHaveReceivedInOrder', client, w.name);
    // Greedy earliest match finds a subsequence whenever one exists.
    const found: LogEntry[] = [];
    const own = s.entries.filter((e) => e.kind === 'callback' && e.client === client);
    let i = 0;
    for (const w of wanted) {
      while (i < own.length && !(own[i]!.name === w.name && matchArgs(w.args, own[i]!.args))) i++;
      if (i === own.length) break;
      found.push(own[i++]!);
    }
    const pass = found.length === wanted.length;
    const widest = Math.max(...wanted.map((w) => describeCallback(w.name, w.args).length));
    const list = (mark: boolean) =>
      wanted
        .map((w, k) => {
          const text = describeCallback(w.name, w.args);
          if (!mark) return `  ${text}`;
          return k < found.length ? `  ✓ ${text.padEnd(widest)}  ${time(s, found[k]!)}` : `  ✗ ${text}`;
        })
        .join('\n');
    return {
      pass,
      message: () => {
        if (pass) {
          return `expected ${client} not to have received, in this order:\n${list(false)}\nbut it did:\n\n${around(s, client, found, { before: 1, after: 1 })}`;
        }
        const next = wanted[found.length]!;
        const last = found[found.length - 1];
        const earlier = s.entries.find((e) => isCallback(e, client, next.name) && matchArgs(next.args, e.args));
        const after = last ? `after ${last.name} at ${time(s, last)}` : '';
        const why = earlier
          ? `${describeCallback(next.name, next.args)} came at ${time(s, earlier)}, before ${found.length > 0 ? `${last!.name} at ${time(s, last!)}` : 'the earlier ones'}`
          : `${client} never received ${describeCallback(next.name, next.args)}${after ? ` ${after}` : ''}`;
        // From the match that came too early (if any), else from the last match on.
        const start = Math.min(...[last, earlier].filter((e): e is LogEntry => e !== undefined).map((e) => own.indexOf(e)), own.length);
        const shown = own.slice(start === own.length ? 0 : start);
        const slice = shown.length
          ? `${client}'s callbacks${shown[0] !== own[0] ? ` from ${time(s, shown[0]!)}` : ''}:\n\n${indent(formatTimeline(shown.slice(0, CONTEXT), { epoch: s.epoch, highlight: [...found, ...(earlier ? [earlier] : [])] }))}${more(shown.length - CONTEXT)}`
          : `${client} received no callbacks${noEntries(s, client)}`;
        return `expected ${client} to have received, in this order:\n${list(true)}\nbut ${why}. ${slice}`;
      },
    };
  },

  toHaveReceivedWithin(
    received: unknown,
    client: string,
    callback: string,
    ms: number,
    options: WithinOptions = {},
  ): MatcherResult {
    const s = subjectOf(received, 'toHaveReceivedWithin');
    checkNames('toHaveReceivedWithin', client, callback);
    checkWithinOptions(options);
    if (typeof ms !== 'number' || !(ms >= 0)) throw new EmulatorError(`toHaveReceivedWithin: ms must be a non-negative number of virtual milliseconds, got ${formatValue(ms)}`);
    const anchor = anchorOf(s, options.after);
    const want = describeCallback(callback, options.args);
    const hit = s.entries.find((e) => e.seq >= anchor.seq && isCallback(e, client, callback) && matchArgs(options.args, e.args));
    const delay = hit ? hit.t - anchor.t : Infinity;
    const pass = delay <= ms;
    const head = (not: boolean) => `${client} ${not ? 'not ' : ''}to have received ${want} within ${ms} ms after ${anchor.text}`;
    return {
      pass,
      message: () => {
        if (!hit) {
          const since = s.entries.filter((e) => e.seq >= anchor.seq && e.client === client);
          return `expected ${head(false)}, but ${client} did not receive it after that. ${since.length ? `${client}'s entries since then:\n\n${indent(formatTimeline(since.slice(-CONTEXT), { epoch: s.epoch }))}` : `${client} has no entries since then${noEntries(s, client)}`}`;
        }
        const from = anchor.entry ? anchor.entry.seq : anchor.seq;
        const between = s.entries.filter((e) => e.seq >= from && e.seq <= hit.seq && (e.client === client || e === anchor.entry));
        const shown = between.length > CONTEXT ? [...between.slice(0, 3), ...between.slice(-(CONTEXT - 3))] : between;
        const gap = between.length > CONTEXT ? between.length - CONTEXT : 0;
        const lines = formatTimeline(shown, { epoch: s.epoch, highlight: anchor.entry ? [anchor.entry, hit] : hit }).split('\n');
        if (gap > 0) lines.splice(3, 0, `  … ${gap} more`);
        return `expected ${head(pass)}, but it came ${delay} ms after, at ${time(s, hit)}:\n\n${indent(lines.join('\n'))}`;
      },
    };
  },

  toHaveLogged(received: unknown, query: LogQuery): MatcherResult {
    const s = subjectOf(received, 'toHaveLogged');
    if (query === null || (typeof query !== 'object' && typeof query !== 'function')) {
      throw new EmulatorError(`toHaveLogged: expected a query like { kind: 'server', name: 'kick' } or a predicate, got ${formatValue(query)}`);
    }
    checkQueryKeys(query);
    const hits = s.entries.filter((e) => matches(e, query));
    const want = describeQuery(query);
    if (hits.length > 0) {
      const hit = hits[0]!;
      const i = s.entries.indexOf(hit);
      const shown = s.entries.slice(Math.max(0, i - 4), i + 3);
      return {
        pass: true,
        message: () => `expected the log to have no entry matching ${want}, but ${hits.length === 1 ? '1 does' : `${hits.length} do`}, first at ${time(s, hit)}:\n\n${indent(formatTimeline(shown, { epoch: s.epoch, highlight: hits }))}`,
      };
    }
    return {
      pass: false,
      message: () => {
        const client = typeof query === 'object' && typeof query.client === 'string' ? query.client : undefined;
        const pool = client !== undefined ? s.entries.filter((e) => e.client === client) : s.entries;
        const tail = pool.slice(-CONTEXT);
        const what = client !== undefined ? `${client}'s last ${tail.length} entries` : `the last ${tail.length} entries`;
        return `expected the log to have an entry matching ${want}, but none does. ${tail.length ? `${what}:\n\n${indent(formatTimeline(tail, { epoch: s.epoch }))}` : `The log is empty${client !== undefined ? ` for ${client}` : ''}.`}`;
      },
    };
  },
};

// ---- helpers ----

function subjectOf(received: unknown, matcher: string): Subject {
  // Duck-typed, so that the ESM and CJS builds (and two copies of the package) work together.
  const r = received as { log?: { entries?: unknown; epoch?: unknown }; startTime?: unknown; entries?: unknown; epoch?: unknown } | null;
  if (r && typeof r === 'object') {
    if (r.log && Array.isArray(r.log.entries)) {
      return { entries: r.log.entries as LogEntry[], epoch: typeof r.startTime === 'number' ? r.startTime : (r.log.epoch as number) };
    }
    if (Array.isArray(r.entries) && typeof r.epoch === 'number') return { entries: r.entries as LogEntry[], epoch: r.epoch };
    if (Array.isArray(r)) return { entries: r as LogEntry[], epoch: (r[0] as LogEntry | undefined)?.t ?? 0 };
  }
  throw new EmulatorError(
    `${matcher}: expected a cloud (from createCloud()), its log, a view of it (cloud.log.since(mark)) or an array of log entries; got ${formatValue(received)}`,
  );
}

function checkNames(matcher: string, client: unknown, callback: unknown): void {
  if (typeof client !== 'string') throw new EmulatorError(`${matcher}: the first argument is the account, a string; got ${formatValue(client)}`);
  if (typeof callback !== 'string') throw new EmulatorError(`${matcher}: the callback name must be a string like 'onLoginSuccess'; got ${formatValue(callback)}`);
  if (!CALLBACK_NAMES.includes(callback)) {
    // A typo would otherwise pass every `.not` assertion: no callback of that name ever comes.
    const near = nearest(callback, CALLBACK_NAMES);
    throw new EmulatorError(
      `${matcher}: ${formatValue(callback)} is not a callback of the 1.4.0 SDK${near ? ` (did you mean '${near}'?)` : ''}. ` +
        `Valid names: ${CALLBACK_NAMES.join(', ')}. For other log entries (calls, faults, server notes) use toHaveLogged({ kind, name })`,
    );
  }
}

/** One `{ name, args }` of toHaveReceivedInOrder, its keys checked. */
function expectedCallback(c: unknown): { name: string; args: LogMatch['args'] } {
  if (c === null || typeof c !== 'object' || Array.isArray(c)) {
    throw new EmulatorError(`toHaveReceivedInOrder: each expected callback is a name or { name, args }; got ${formatValue(c)}`);
  }
  for (const key of Object.keys(c)) {
    if (key !== 'name' && key !== 'args') {
      throw new EmulatorError(`toHaveReceivedInOrder: unknown key '${key}' in ${formatValue(c)} (known: name, args)`);
    }
  }
  const { name, args } = c as { name: string; args?: LogMatch['args'] };
  return { name, args };
}

/** The fields of a {@link LogMatch}. */
const QUERY_KEYS: readonly string[] = Object.freeze(['kind', 'client', 'name', 'object', 'session', 'args', 'from', 'to', 'error', 'unhandled', 'where']);

function checkQueryKeys(query: LogQuery): void {
  if (typeof query === 'function') return;
  for (const key of Object.keys(query)) {
    if (!QUERY_KEYS.includes(key)) {
      const near = nearest(key, QUERY_KEYS);
      throw new EmulatorError(`toHaveLogged: unknown query field '${key}'${near ? ` (did you mean '${near}'?)` : ''} (known: ${QUERY_KEYS.join(', ')})`);
    }
  }
}

const WITHIN_OPTIONS: readonly string[] = Object.freeze(['after', 'args']);

function checkWithinOptions(options: unknown): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new EmulatorError(`toHaveReceivedWithin: options must be an object like { after, args }; got ${formatValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!WITHIN_OPTIONS.includes(key)) {
      const near = nearest(key, WITHIN_OPTIONS);
      throw new EmulatorError(`toHaveReceivedWithin: unknown option '${key}'${near ? ` (did you mean '${near}'?)` : ''} (known: ${WITHIN_OPTIONS.join(', ')})`);
    }
  }
}

/** The valid name closest to `name` (by edit distance, case ignored), if close enough to be a typo. */
function nearest(name: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 4)) + 1;
  for (const v of valid) {
    const d = editDistance(name.toLowerCase(), v.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [v, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

function isCallback(e: LogEntry, client: string, name: string): boolean {
  return e.kind === 'callback' && e.client === client && e.name === name;
}

function describeCallback(name: string, args: LogMatch['args']): string {
  if (args === undefined) return name;
  if (typeof args === 'function') return `${name}(<predicate>)`;
  return `${name}(${args.map((a) => formatValue(a)).join(', ')})`;
}

function time(s: Subject, e: LogEntry): string {
  return formatOffset(e.t - s.epoch);
}

function countText(n: number): string {
  return `it was received ${timesText(n)}`;
}

function timesText(n: number): string {
  return n === 1 ? 'once' : `${n} times`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

function more(n: number): string {
  return n > 0 ? `\n  … ${n} more` : '';
}

/** Why a callback was not found, with the client's timeline to look at. */
function missing(s: Subject, client: string, callback: string, args: LogMatch['args']): string {
  const own = s.entries.filter((e) => e.client === client);
  if (own.length === 0) return `the log has no entries of ${client}${noEntries(s, client)}`;
  const sameName = own.filter((e) => isCallback(e, client, callback));
  if (sameName.length > 0 && args !== undefined) {
    return `${client} received ${callback} only with other arguments:\n\n${indent(formatTimeline(sameName.slice(0, CONTEXT), { epoch: s.epoch }))}${more(sameName.length - CONTEXT)}`;
  }
  const tail = own.slice(-CONTEXT);
  const which = own.length > tail.length ? `${client}'s last ${tail.length} entries (of ${own.length})` : `${client}'s entries`;
  return `${client} never received ${callback}. ${which}:\n\n${indent(formatTimeline(tail, { epoch: s.epoch }))}`;
}

function noEntries(s: Subject, client: string): string {
  const clients = [...new Set(s.entries.filter((e) => e.client && e.client !== client).map((e) => e.client))];
  return ` (accounts in the log: ${clients.length ? clients.join(', ') : 'none'})`;
}

/** The client's entries around `focus`, the focus marked with `>`. */
function around(s: Subject, client: string, focus: LogEntry | LogEntry[], range = { before: 4, after: 2 }): string {
  const list = Array.isArray(focus) ? focus : [focus];
  const own = s.entries.filter((e) => e.client === client);
  const first = own.indexOf(list[0]!);
  const last = own.indexOf(list[list.length - 1]!);
  let from = Math.max(0, first - range.before);
  let to = Math.min(own.length, last + range.after + 1);
  if (to - from > CONTEXT * 2) {
    from = Math.max(0, first - 1);
    to = Math.min(own.length, from + CONTEXT * 2);
  }
  const lines = formatTimeline(own.slice(from, to), { epoch: s.epoch, highlight: list });
  return indent(`${from > 0 ? `  … ${from} earlier\n` : ''}${lines}${to < own.length ? `\n  … ${own.length - to} later` : ''}`);
}

function anchorOf(s: Subject, after: WithinAnchor | undefined): { seq: number; t: number; text: string; entry?: LogEntry } {
  if (after === undefined) {
    return { seq: s.entries[0]?.seq ?? 0, t: s.epoch, text: 'the start' };
  }
  if (after && typeof after === 'object' && (after as LogMark).kind === 'mark' && typeof (after as LogMark).seq === 'number') {
    const m = after as LogMark;
    return { seq: m.seq, t: m.t, text: `the mark at ${formatOffset(m.t - s.epoch)}` };
  }
  if (after && typeof after === 'object' && typeof (after as LogEntry).seq === 'number' && typeof (after as LogEntry).t === 'number') {
    const e = after as LogEntry;
    return { seq: e.seq + 1, t: e.t, text: `${clientLabel(e)} ${e.kind} ${e.name} at ${formatOffset(e.t - s.epoch)}`, entry: e };
  }
  const e = s.entries.find((x) => matches(x, after as LogMatch));
  if (!e) {
    throw new EmulatorError(`toHaveReceivedWithin: no log entry matches the 'after' query ${describeQuery(after as LogMatch)}, so there is nothing to count from`);
  }
  return { seq: e.seq + 1, t: e.t, text: `${clientLabel(e)} ${e.kind} ${e.name} at ${formatOffset(e.t - s.epoch)}`, entry: e };
}
