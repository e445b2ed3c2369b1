import { describeArg, readOptions, readWhole } from '../arguments.js';
import { bounds } from '../bounds.js';
import { EmulatorError } from '../errors.js';
import type { LogEntry, LogKind } from './entry.js';
import { clientLabel, entryFlags, formatCall, formatOffset } from './format.js';

/** A lifeline: one per client Session (`alice`, `alice#2` for her second login), and the cloud. */
export interface Participant {
  /** Index from the left. */
  readonly index: number;
  /** `alice`, `alice#2`, or `cloud`. */
  readonly label: string;
  readonly cloud: boolean;
}

/**
 * One row of the diagram: an arrow (an SDK call goes client → cloud, a callback cloud → client)
 * or a note (a server decision over the cloud; a fault across the client and the cloud).
 */
export interface Step {
  readonly seq: number;
  readonly t: number;
  readonly kind: LogKind;
  readonly shape: 'arrow' | 'note';
  /** Participant index the arrow leaves, or the left end of a note. */
  readonly from: number;
  /** Participant index the arrow reaches, or the right end of a note. */
  readonly to: number;
  /** `messageInstantSend("bob", "hi")`, `alice: kick("logged in elsewhere")`, `✗ request dropped(…)`. */
  readonly label: string;
  /** `!! threw …` and `(not set)` of a callback, or `''`. */
  readonly flags: string;
  /** `+0.080s` */
  readonly time: string;
}

export interface SequenceOptions {
  /** Virtual Unix ms that times count from (default: the first entry's time). */
  epoch?: number;
  /** Most entries drawn (default 1000); the rest are counted in a last note. */
  maxSteps?: number;
}

/**
 * Checks the options of a picture (`toMermaid`, `toSvg`, `toHtml`) by allowlist: the sequence's
 * own (`epoch`, `maxSteps`) and the picture's `extra` ones, each of its type. Returns a copy.
 */
export function readPictureOptions<T extends SequenceOptions>(options: unknown, extra: Record<string, 'boolean' | 'string' | 'width'>, what: string): T {
  const known = ['epoch', 'maxSteps', ...Object.keys(extra)];
  const o = readOptions(options, known, what, '{ epoch: cloud.startTime, maxSteps: 200 }') as Record<string, unknown>;
  if (o.epoch !== undefined && !(typeof o.epoch === 'number' && Number.isFinite(o.epoch))) throw new EmulatorError(`${what}: epoch must be virtual Unix ms, got ${describeArg(o.epoch)}`);
  if (o.maxSteps !== undefined) readWhole(o.maxSteps, what, 'maxSteps', 1, bounds.maxLimit);
  for (const [key, type] of Object.entries(extra)) {
    const v = o[key];
    if (v === undefined) continue;
    if (type === 'width') readWhole(v, what, key, 1, bounds.maxTextWidth);
    else if (typeof v !== type) throw new EmulatorError(`${what}: ${key} must be ${type === 'boolean' ? 'true or false' : 'a string'}, got ${describeArg(v)}`);
  }
  return { ...o } as unknown as T;
}

export interface Sequence {
  readonly participants: readonly Participant[];
  readonly steps: readonly Step[];
  /** Entries beyond `maxSteps`, not drawn. */
  readonly omitted: number;
}

/**
 * Lays log entries out as a sequence diagram, independent of how it is drawn. Only the entry
 * shape is read, so entries of any feature (channels, calls, faults) draw without changes:
 * `object` goes into the label.
 */
export function sequenceOf(entries: readonly LogEntry[], options: SequenceOptions = {}): Sequence {
  const max = options.maxSteps ?? 1000;
  const drawn = entries.length > max ? entries.slice(0, max) : entries;
  const epoch = options.epoch ?? drawn[0]?.t ?? 0;

  // Lifelines by account in order of first appearance, the Sessions of one account side by
  // side; the cloud goes in the middle, so a peer message (alice → cloud → bob) reads left to right.
  const byAccount = new Map<string, string[]>();
  for (const e of drawn) {
    if (!hasLifeline(e)) continue;
    const key = clientLabel(e);
    const keys = byAccount.get(e.client);
    if (!keys) byAccount.set(e.client, [key]);
    else if (!keys.includes(key)) keys.push(key);
  }
  const clientKeys = [...byAccount.values()].flat();
  const left = Math.ceil(clientKeys.length / 2);
  const labels = [...clientKeys.slice(0, left), 'cloud', ...clientKeys.slice(left)];
  const participants: Participant[] = labels.map((label, index) => ({ index, label, cloud: index === left }));
  const indexOf = new Map<string, number>();
  clientKeys.forEach((key, i) => indexOf.set(key, i < left ? i : i + 1));
  const cloud = left;

  // The latest lifeline of each account, for faults that name the account but not the Session.
  const latest = new Map<string, number>();
  const steps: Step[] = [];
  for (const e of drawn) {
    const time = formatOffset(e.t - epoch);
    const base = { seq: e.seq, t: e.t, kind: e.kind, time, flags: entryFlags(e) };
    if (hasLifeline(e)) {
      const p = indexOf.get(clientLabel(e))!;
      latest.set(e.client, p);
      const label = formatCall(e);
      steps.push(e.kind === 'call' ? { ...base, shape: 'arrow', from: p, to: cloud, label } : { ...base, shape: 'arrow', from: cloud, to: p, label });
    } else if (e.kind === 'fault') {
      // On the Session's own lifeline when the fault names one, else on the account's latest.
      const own = e.session !== undefined ? indexOf.get(clientLabel(e)) : undefined;
      const p = own ?? latest.get(e.client) ?? cloud;
      const who = e.client && p === cloud ? `${e.client}: ` : '';
      steps.push({ ...base, shape: 'note', from: Math.min(p, cloud), to: Math.max(p, cloud), label: `✗ ${who}${formatCall(e)}` });
    } else {
      // Server decisions (and calls made on the Signal, before any account) are notes over the cloud.
      const who = e.client ? `${e.client}: ` : e.kind === 'call' ? 'app: ' : '';
      steps.push({ ...base, shape: 'note', from: cloud, to: cloud, label: `${who}${formatCall(e)}` });
    }
  }
  return { participants, steps, omitted: entries.length - drawn.length };
}

/** Calls and callbacks of an account are arrows on its own lifeline. */
function hasLifeline(e: LogEntry): boolean {
  return (e.kind === 'call' || e.kind === 'callback') && e.client !== '';
}
