import { dataField, describeArg, readOptions } from '../arguments.js';
import { EmulatorError } from '../errors.js';
import type { LogEntry } from './entry.js';
import { matchesSafely, readLogQuery, type LogQuery } from './match.js';
import { toHtml, type HtmlOptions } from './picture-html.js';
import { toMermaid, type MermaidOptions } from './picture-mermaid.js';
import { toSvg, type SvgOptions } from './picture-svg.js';
import { formatTimeline, readTimelineOptions, type TimelineOptions } from './timeline.js';

/**
 * A point in the log, from `cloud.log.mark()`: `cloud.log.since(mark)` is everything logged
 * after it was taken.
 */
export interface LogMark {
  readonly kind: 'mark';
  /** The `seq` the next entry gets. */
  readonly seq: number;
  /** Virtual time when the mark was taken. */
  readonly t: number;
}

/**
 * Queries over a run of log entries, in log order. `cloud.log` is one; `cloud.log.since(mark)`
 * gives another, live: it sees entries appended later too.
 */
export abstract class LogView {
  /** The entries, oldest first. A live array: copy it (`[...entries]`) to keep a snapshot. */
  abstract get entries(): readonly LogEntry[];
  /** Virtual Unix ms that relative times count from (the cloud's start). */
  abstract readonly epoch: number;

  /**
   * Entries selected by `query` (all of them without one).
   *
   * @example
   * cloud.log.filter({ client: 'bob', kind: 'callback', args: ['alice'] });
   * cloud.log.filter((e) => e.t - cloud.startTime > 1000);
   */
  filter(query: LogQuery = {}): LogEntry[] {
    const out: LogEntry[] = [];
    this.scan(query, 'filter the log', false, (e) => {
      out.push(e);
      return false;
    });
    return out;
  }

  /**
   * The first entry selected by `query`, or `undefined`.
   *
   * @example
   * const kicked = cloud.log.first({ kind: 'server', name: 'kick', client: 'alice' });
   */
  first(query: LogQuery = {}): LogEntry | undefined {
    let found: LogEntry | undefined;
    this.scan(query, 'find the first log entry', false, (e) => {
      found = e;
      return true;
    });
    return found;
  }

  /**
   * The last entry selected by `query`, or `undefined`.
   *
   * @example
   * cloud.log.last({ client: 'alice', name: 'onLogout' })?.args; // [103]
   */
  last(query: LogQuery = {}): LogEntry | undefined {
    let found: LogEntry | undefined;
    this.scan(query, 'find the last log entry', true, (e) => {
      found = e;
      return true;
    });
    return found;
  }

  /**
   * How many entries `query` selects.
   *
   * @example
   * expect(cloud.log.count({ kind: 'fault' })).toBe(0);
   */
  count(query: LogQuery = {}): number {
    let n = 0;
    this.scan(query, 'count log entries', false, () => {
      n++;
      return false;
    });
    return n;
  }

  /**
   * Calls `found` with each entry `query` selects, in order (or backwards), until it answers
   * true. The query is checked first (a typo in a field name is an error, not a match of every
   * entry); what its predicates throw is raised as an {@link EmulatorError}.
   */
  private scan(query: LogQuery, verb: string, backwards: boolean, found: (e: LogEntry) => boolean): void {
    const what = `Failed to ${verb}`;
    const q = readLogQuery(query, what);
    const entries = this.entries;
    const n = entries.length;
    for (let k = 0; k < n; k++) {
      const e = entries[backwards ? n - 1 - k : k]!;
      const m = matchesSafely(e, q, what);
      if (m instanceof EmulatorError) throw m;
      if (m && found(e)) return;
    }
  }

  /**
   * Names of the callbacks one account received, in order.
   *
   * @example
   * expect(cloud.log.callbacks('alice')).toEqual(['onLoginSuccess', 'onLogout']);
   */
  callbacks(client: string): string[] {
    if (typeof client !== 'string') throw new EmulatorError(`Failed to list callbacks: expected an account name, got ${describeArg(client)}`);
    const out: string[] = [];
    for (const e of this.entries) if (e.kind === 'callback' && e.client === client) out.push(e.name);
    return out;
  }

  /**
   * The accounts in these entries, in order of first appearance (the cloud's own `''` left out).
   *
   * @example
   * expect(cloud.log.clients()).toEqual(['alice', 'bob']);
   */
  clients(): string[] {
    const seen = new Set<string>();
    for (const e of this.entries) if (e.client) seen.add(e.client);
    return [...seen];
  }

  /**
   * The entries logged after `from` (a mark from `mark()`, or an entry: those after it), live.
   *
   * @example
   * const m = cloud.log.mark();
   * alice.logout();
   * await cloud.flush();
   * expect(cloud.log.since(m).callbacks('alice')).toEqual(['onLogout']);
   */
  since(from: LogMark | LogEntry): LogView {
    return new SinceView(this, sinceSeq(from));
  }

  /**
   * These entries as aligned text (see {@link formatTimeline}); time relative to the cloud's start.
   *
   * @example
   * console.log(cloud.log.timeline({ client: 'alice' }));
   */
  timeline(options: TimelineOptions = {}): string {
    return formatTimeline(this.entries, { epoch: this.epoch, ...readTimelineOptions(options, 'Failed to draw the timeline') });
  }

  /**
   * A Mermaid `sequenceDiagram` of these entries (see {@link toMermaid}).
   *
   * @example
   * writeFileSync('flow.mmd', cloud.log.toMermaid());
   */
  toMermaid(options: MermaidOptions = {}): string {
    return toMermaid(this.entries, { epoch: this.epoch, ...(readOptions(options, 'any', 'Failed to draw the Mermaid diagram', '{ time: true }') as MermaidOptions) });
  }

  /**
   * A self-contained HTML page with the sequence diagram of these entries as inline SVG
   * (see {@link toHtml}).
   *
   * @example
   * writeFileSync('artifacts/flow.html', cloud.log.toHtml({ title: 'kick' }));
   */
  toHtml(options: HtmlOptions = {}): string {
    return toHtml(this.entries, { epoch: this.epoch, ...(readOptions(options, 'any', 'Failed to draw the HTML page', "{ title: 'kick' }") as HtmlOptions) });
  }

  /**
   * The sequence diagram of these entries as a standalone SVG (see {@link toSvg}).
   *
   * @example
   * writeFileSync('docs/flow.svg', cloud.log.toSvg());
   */
  toSvg(options: SvgOptions = {}): string {
    return toSvg(this.entries, { epoch: this.epoch, ...(readOptions(options, 'any', 'Failed to draw the SVG', '{ maxSteps: 200 }') as SvgOptions) });
  }
}

/** The entries of a parent view from a given `seq` on. */
class SinceView extends LogView {
  readonly epoch: number;
  private readonly parent: LogView;
  private readonly fromSeq: number;

  constructor(parent: LogView, fromSeq: number) {
    super();
    this.parent = parent;
    this.fromSeq = fromSeq;
    this.epoch = parent.epoch;
  }

  get entries(): readonly LogEntry[] {
    const all = this.parent.entries;
    // Entries are in seq order: binary-search the first one at or after fromSeq.
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (all[mid]!.seq < this.fromSeq) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? all : all.slice(lo);
  }

  override since(from: LogMark | LogEntry): LogView {
    return new SinceView(this.parent, Math.max(sinceSeq(from), this.fromSeq));
  }
}

/** The first `seq` after a mark or an entry, read without running the caller's code. */
function sinceSeq(from: LogMark | LogEntry): number {
  const field = (key: string): unknown => dataField(from, key);
  const seq = field('seq');
  if (typeof seq !== 'number' || !Number.isInteger(seq)) {
    throw new EmulatorError(`Failed to take the log since a point: expected a mark (cloud.log.mark()) or a log entry, got ${describeArg(from)}`);
  }
  return field('kind') === 'mark' ? seq : seq + 1;
}
