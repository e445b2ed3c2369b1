/**
 * Checks that a value is a valid transcript, with messages that name the field and say what
 * is wrong: `steps[3].args: expected an array, got "hello"`. Nothing of a transcript runs
 * unless it passes.
 */
import { bounds } from '../bounds.js';
import { EmulatorError } from '../errors.js';
import { checkData, checkParsedData, type DataCheck } from './data.js';
import { compileLinearRegex } from './linear-regex.js';
import { MATCH_OPERATORS, TYPE_NAMES, VALUE_OPERATORS, describe, isPlainObject, operatorOf } from './patterns.js';
import { TRANSCRIPT_VERSION, type Transcript } from './types.js';
import { ALL_SDK_METHODS, CALLBACK_ARGUMENT, HANDLE_METHODS, HANDLE_NAMES, SDK_CALLBACKS, SDK_METHODS, findHandleMethod, findVerb, notAVerb, type HandleKind } from './verbs.js';

/** One thing wrong with a transcript: where (`steps[2].advance`) and what. */
export interface TranscriptIssue {
  path: string;
  message: string;
}

/**
 * A transcript that cannot run: bad JSON, an unknown step, a wrong type, a missing field, or
 * (at replay time) a verb this cloud does not have. `message` lists every issue as
 * `file: path: what is wrong`.
 */
export class TranscriptError extends EmulatorError {
  override name = 'TranscriptError';
  readonly file: string;
  readonly issues: readonly TranscriptIssue[];

  constructor(file: string, issues: readonly TranscriptIssue[]) {
    super(issues.map((i) => `${file}: ${i.path}: ${i.message}`).join('\n'));
    this.file = file;
    this.issues = issues;
  }
}

export const TOP_LEVEL_FIELDS = ['$schema', 'version', 'name', 'description', 'seed', 'startTime', 'latency', 'apps', 'app', 'handlers', 'steps', 'expect'] as const;
export const ENTRY_FIELDS = ['t', 'client', 'kind', 'name', 'object', 'args', 'session', 'error', 'unhandled'] as const;
export const LOG_KINDS = ['call', 'callback', 'fault', 'server'] as const;

/** The fields of each kind of step, by the field that tells the kind. */
export const STEP_FIELDS = {
  call: ['at', 'note', 'client', 'object', 'call', 'args', 'as', 'app'],
  set: ['at', 'note', 'client', 'object', 'set'],
  cloud: ['at', 'note', 'cloud', 'args', 'as'],
  handle: ['at', 'note', 'handle', 'call', 'args'],
  advance: ['at', 'note', 'advance'],
  until: ['at', 'note', 'until', 'within'],
  check: ['at', 'note', 'client', 'object', 'check'],
  on: ['at', 'note', 'on', 'client', 'object', 'nth', 'args', 'as', 'do', 'throw'],
} as const;
type StepKind = keyof typeof STEP_FIELDS;
const STEP_KINDS = Object.keys(STEP_FIELDS) as StepKind[];
const ACTION_KINDS: StepKind[] = ['call', 'set', 'cloud', 'handle'];

/** The kind of a step (or action) by its telling field; `handle` wins over `call`. */
export function stepKind(step: Record<string, unknown>): StepKind | undefined {
  if ('handle' in step) return 'handle';
  for (const k of STEP_KINDS) if (k in step) return k;
  return undefined;
}

/** The callbacks `on` and `set` may name. */
const CALLBACKS = SDK_CALLBACKS;

/**
 * Every issue of a transcript, in document order (empty when it is valid): its shape (JSON data,
 * at most {@link bounds.maxDepth} levels deep), its fields, its numbers (finite, within the
 * bounds), and every name it uses (steps, cloud verbs and their handles' methods, SDK methods
 * and callbacks) against the lists this version has. A transcript it finds valid replays
 * without a {@link TranscriptError}.
 *
 * @example
 * validateTranscript({ version: 1, steps: [{ advance: -1 }], expect: { match: 'exact', log: [] } })
 * // [{ path: 'steps[0].advance', message: 'expected a number of ms ≥ 0, got -1' }]
 */
export function validateTranscript(data: unknown): TranscriptIssue[] {
  // First the shape, without running anything of the value (a getter, a proxy): what fails
  // there cannot be read safely, so nothing else is checked.
  return validateShaped(checkData(data), data);
}

/**
 * {@link validateTranscript} for a value `JSON.parse` has just made and nobody else has seen
 * (see {@link checkParsedData}): the same issues, without a descriptor read per field.
 */
export function validateParsed(data: unknown): TranscriptIssue[] {
  return validateShaped(checkParsedData(data), data);
}

function validateShaped(shape: DataCheck, data: unknown): TranscriptIssue[] {
  if (shape.fatal) return shape.issues;
  const issues = [...shape.issues, ...new Checker().transcript(data)];
  return inDocumentOrder(issues);
}

/** Issues sorted by where they are: top-level fields in their order, steps by index (stable). */
function inDocumentOrder(issues: TranscriptIssue[]): TranscriptIssue[] {
  const key = (path: string): [number, number] => {
    const m = /^([A-Za-z$]+)(?:\[(\d+)\])?/.exec(path);
    const field = m ? (TOP_LEVEL_FIELDS as readonly string[]).indexOf(m[1]!) : -1;
    return [field < 0 ? -1 : field, m?.[2] !== undefined ? Number(m[2]) : -1];
  };
  return issues
    .map((issue, i) => ({ issue, i, k: key(issue.path) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i)
    .map((x) => x.issue);
}

/** Throws a {@link TranscriptError} unless `data` is a valid transcript. */
export function assertTranscript(data: unknown, file = 'transcript'): asserts data is Transcript {
  const issues = validateTranscript(data);
  if (issues.length > 0) throw new TranscriptError(file, issues);
}

const got = (v: unknown): string => (v === undefined ? 'nothing' : Array.isArray(v) ? `an array ${describe(v)}` : describe(v));

class Checker {
  private readonly issues: TranscriptIssue[] = [];
  /** Clients created by login steps, with the path of the step. */
  private readonly clients = new Map<string, string>();
  /** Handle names bound by `as`, with the kinds of handle bound to each. */
  private readonly handles = new Map<string, Set<HandleKind>>();
  /** References to check once every step has been seen (names bound later, in reactions). */
  private readonly laterClients: Array<{ path: string; name: string }> = [];
  private readonly laterHandles: Array<{ path: string; name: string; call: unknown; args: unknown }> = [];
  /** Virtual ms the top-level steps move time by, at most (`at`, `advance`, `until`'s `within`). */
  private span = 0;

  transcript(data: unknown): TranscriptIssue[] {
    if (!isPlainObject(data)) {
      this.add('(root)', `expected a transcript object ({ "version": 1, "steps": [...], "expect": {...} }), got ${got(data)}`);
      return this.issues;
    }
    this.unknownFields(data, '', TOP_LEVEL_FIELDS, 'a transcript');
    if (data.version === undefined) this.add('version', `missing: every transcript says "version": ${TRANSCRIPT_VERSION}`);
    else if (data.version !== TRANSCRIPT_VERSION) this.add('version', `this release reads version ${TRANSCRIPT_VERSION}, got ${got(data.version)}`);
    this.optString(data, '', 'name');
    this.optString(data, '', 'description');
    this.optString(data, '', '$schema');
    if (data.seed !== undefined && !Number.isSafeInteger(data.seed)) this.add('seed', `expected a safe integer (at most ${Number.MAX_SAFE_INTEGER} either way), got ${got(data.seed)}`);
    if (data.startTime !== undefined && !(isFiniteNumber(data.startTime) && data.startTime >= 0 && data.startTime <= bounds.maxStartTime)) {
      this.add('startTime', `expected Unix ms from 0 (1970) to ${bounds.maxStartTime} (the end of the year 9999), got ${got(data.startTime)}`);
    }
    if (data.latency !== undefined) this.ms(data.latency, 'latency');
    if (data.app !== undefined && !nonEmptyString(data.app)) this.add('app', `expected a non-empty app ID, got ${got(data.app)}`);
    if (data.handlers !== undefined && data.handlers !== 'all' && data.handlers !== 'declared') this.add('handlers', `expected "all" or "declared", got ${got(data.handlers)}`);
    if (data.apps !== undefined) this.apps(data.apps);
    if (data.steps === undefined) this.add('steps', 'missing: a transcript needs "steps": [...] (it may be empty)');
    else if (!Array.isArray(data.steps)) this.add('steps', `expected an array of steps, got ${got(data.steps)}`);
    else data.steps.forEach((s, i) => this.step(s, `steps[${i}]`, false));
    for (const r of this.laterClients) {
      if (!this.clients.has(r.name)) this.add(r.path, `no step logs in a client named ${JSON.stringify(r.name)}${this.known()}`);
    }
    for (const r of this.earlyClients) {
      const at = this.clients.get(r.name);
      if (at) this.add(r.path, `${JSON.stringify(r.name)} logs in only later, at ${at}: steps run in order, so move this step after the login`);
      else this.add(r.path, `no step logs in a client named ${JSON.stringify(r.name)}${this.known()}`);
    }
    for (const r of this.laterHandles) this.handleCall(r);
    if (this.span > bounds.maxTranscriptSpanMs) {
      this.add('steps', `the steps move virtual time by up to ${this.span} ms, more than the ${bounds.maxTranscriptSpanMs} ms (7 days) a transcript may span; split it into several transcripts`);
    }
    if (data.expect === undefined) this.add('expect', 'missing: a transcript needs "expect": { "match": "exact" | "subsequence", "log": [...] }');
    else this.expectation(data.expect);
    return this.issues;
  }

  private apps(apps: unknown): void {
    if (!Array.isArray(apps)) return this.add('apps', `expected an array of { "appId", "certificate"? }, got ${got(apps)}`);
    const seen = new Map<string, string>();
    apps.forEach((a, i) => {
      const path = `apps[${i}]`;
      if (!isPlainObject(a)) return this.add(path, `expected { "appId", "certificate"? }, got ${got(a)}`);
      this.unknownFields(a, path, ['appId', 'certificate'], 'an app');
      if (!nonEmptyString(a.appId)) this.add(`${path}.appId`, a.appId === undefined ? 'missing' : `expected a non-empty string, got ${got(a.appId)}`);
      else if (seen.has(a.appId)) this.add(`${path}.appId`, `${JSON.stringify(a.appId)} is declared already, at ${seen.get(a.appId)}: declare each app once`);
      else seen.set(a.appId, path);
      if (a.certificate !== undefined && !nonEmptyString(a.certificate)) this.add(`${path}.certificate`, `expected a non-empty string (omit it for an app without tokens), got ${got(a.certificate)}`);
    });
  }

  private step(step: unknown, path: string, inAction: boolean, reactionClient?: string, depth = 0): void {
    // Deeper than the shape allows: checkData has said so; going on would only recurse.
    if (depth > bounds.maxDepth) return;
    if (!isPlainObject(step)) return this.add(path, `expected a step object, got ${got(step)}`);
    const telling = STEP_KINDS.filter((k) => k in step && !(k === 'call' && 'handle' in step));
    if (telling.length === 0) {
      const kinds = (inAction ? ACTION_KINDS : STEP_KINDS).map((k) => (k === 'call' ? 'call (with client)' : k)).join(', ');
      return this.add(path, `unknown step: expected one of ${kinds}; got the fields ${Object.keys(step).join(', ') || '(none)'}`);
    }
    if (telling.length > 1) return this.add(path, `a step does one thing: found both "${telling[0]}" and "${telling[1]}"`);
    const kind = telling[0]!;
    if (inAction && !ACTION_KINDS.includes(kind)) {
      return this.add(path, `"${kind}" cannot happen inside a callback: a reaction or $cb does only calls, set, cloud and handle steps`);
    }
    // The field list and the step's name are made only for a step with a field of no kind's.
    if (hasUnknownField(step, STEP_FIELDS[kind], inAction)) {
      this.unknownFields(step, path, STEP_FIELDS[kind].filter((f) => !(inAction && f === 'at')), kind === 'on' ? 'a reaction step' : `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} step`);
    }
    if (step.at !== undefined) {
      if (!(isFiniteNumber(step.at) && step.at >= 0)) this.add(`${path}.at`, `expected virtual ms since the start (≥ 0), got ${got(step.at)}`);
      else if (step.at > bounds.maxTranscriptSpanMs) this.add(`${path}.at`, `${step.at} ms is past the ${bounds.maxTranscriptSpanMs} ms (7 days) a transcript may span`);
      else if (!inAction) this.span = Math.max(this.span, step.at);
    }
    this.optString(step, path, 'note');
    switch (kind) {
      case 'call':
        return this.callStep(step, path, inAction, reactionClient, depth);
      case 'set':
        this.clientRef(step, path, inAction, reactionClient);
        this.optName(step, path, 'object');
        if (!isPlainObject(step.set) || Object.keys(step.set).length === 0) return this.add(`${path}.set`, `expected { "onCallback": true | false, … }, got ${got(step.set)}`);
        for (const [k, v] of Object.entries(step.set)) {
          if (!CALLBACKS.includes(k)) this.add(`${path}.set.${k}`, `not a callback of the 1.4.0 SDK (callbacks: ${CALLBACKS.join(', ')})`);
          else if (typeof v !== 'boolean') this.add(`${path}.set.${k}`, `expected true (set) or false (unset), got ${got(v)}`);
        }
        return;
      case 'cloud': {
        const verb = typeof step.cloud === 'string' ? findVerb(step.cloud) : undefined;
        if (typeof step.cloud !== 'string') this.add(`${path}.cloud`, `expected a verb name like "kick" or "net.disconnect", got ${got(step.cloud)}`);
        else if (!verb) this.add(`${path}.cloud`, notAVerb(step.cloud));
        this.args(step.args, path, inAction, depth);
        if (verb) this.arity(step.args, verb.args, `${path}.args`, `cloud.${verb.name}`);
        if (step.as !== undefined) {
          if (!nonEmptyString(step.as)) this.add(`${path}.as`, `expected a handle name, got ${got(step.as)}`);
          else if (verb && !verb.returns) this.add(`${path}.as`, `cloud.${verb.name} returns no handle to name: remove "as"`);
          else if (verb?.returns) {
            const kinds = this.handles.get(step.as) ?? new Set<HandleKind>();
            kinds.add(verb.returns);
            this.handles.set(step.as, kinds);
          }
        }
        return;
      }
      case 'handle':
        if (!nonEmptyString(step.handle)) this.add(`${path}.handle`, `expected a handle name, got ${got(step.handle)}`);
        else this.laterHandles.push({ path, name: step.handle, call: step.call, args: step.args });
        if (!nonEmptyString(step.call)) this.add(`${path}.call`, `expected a method name, got ${got(step.call)}`);
        this.args(step.args, path, inAction, depth);
        return;
      case 'advance':
        if (isDuration(step.advance) || this.ms(step.advance, `${path}.advance`)) this.span += step.advance as number;
        return;
      case 'until':
        this.entry(step.until, `${path}.until`);
        if (step.within !== undefined && !(isFiniteNumber(step.within) && step.within > 0)) this.add(`${path}.within`, `expected a number of ms > 0, got ${got(step.within)}`);
        else if (this.ms(step.within ?? 60_000, `${path}.within`)) this.span += (step.within as number | undefined) ?? 60_000;
        return;
      case 'check':
        this.clientRef(step, path, inAction);
        this.optName(step, path, 'object');
        if (!isPlainObject(step.check) || Object.keys(step.check).length === 0) {
          return this.add(`${path}.check`, `expected { "field": pattern, … } (e.g. { "state": 3 }), got ${got(step.check)}`);
        }
        for (const [k, v] of Object.entries(step.check)) this.pattern(v, `${path}.check.${k}`, depth + 4);
        return;
      case 'on':
        return this.reaction(step, path);
    }
  }

  private callStep(step: Record<string, unknown>, path: string, inAction: boolean, reactionClient: string | undefined, depth: number): void {
    if (!nonEmptyString(step.call)) this.add(`${path}.call`, `expected a method name, got ${got(step.call)}`);
    const login = step.call === 'login';
    if (login) {
      if (!nonEmptyString(step.client)) this.add(`${path}.client`, step.client === undefined ? 'missing: a login step names the client it creates' : `expected a client name, got ${got(step.client)}`);
      else if (this.clients.has(step.client)) {
        this.add(`${path}.client`, `${JSON.stringify(step.client)} already logged in at ${this.clients.get(step.client)}; give this Session its own name (e.g. "${step.client}-2") and pass the account in args`);
      } else this.clients.set(step.client, path);
      if (step.object !== undefined) this.add(`${path}.object`, 'login is a call of Signal, not of an SDK object: remove "object"');
      if (step.as !== undefined) this.add(`${path}.as`, 'the client name is the Session\'s name: remove "as"');
      if (step.app !== undefined && !nonEmptyString(step.app)) this.add(`${path}.app`, `expected an app ID, got ${got(step.app)}`);
    } else {
      this.clientRef(step, path, inAction, reactionClient);
      this.optName(step, path, 'object');
      if (step.app !== undefined) this.add(`${path}.app`, '"app" belongs to login steps only');
      this.optName(step, path, 'as');
      if (nonEmptyString(step.call)) this.sdkMethod(step.call, step.object, path);
      if (typeof step.call === 'string' && Object.prototype.hasOwnProperty.call(CALLBACK_ARGUMENT, step.call) && Array.isArray(step.args)) {
        const at = CALLBACK_ARGUMENT[step.call]!;
        const cb: unknown = step.args[at];
        const op = operatorOf(cb);
        const fine = cb === undefined || cb === null || cb === false || cb === 0 || cb === '' || (op !== undefined && (op[0] === '$cb' || op[0] === '$undefined'));
        if (!fine) this.add(`${path}.args[${at}]`, `the callback of ${step.call}: expected {"$cb": true} (or nothing); 1.4.0 calls any other value and throws out of its socket handler, got ${got(cb)}`);
      }
    }
    this.args(step.args, path, inAction, depth);
  }

  /** The method of the call step at `step`: one of the 1.4.0 SDK's, of the object's kind when its name says it. */
  private sdkMethod(call: string, object: unknown, step: string): void {
    const kind = typeof object !== 'string' ? 'session' : object.startsWith('channel:') ? 'channel' : object.startsWith('call:') ? 'call' : object.startsWith('session:') ? 'session' : undefined;
    const methods: readonly string[] = kind ? SDK_METHODS[kind] : ALL_SDK_METHODS;
    if (methods.includes(call)) return;
    const what = kind === undefined ? 'an SDK object' : kind === 'session' ? 'a Session' : kind === 'channel' ? 'a Channel' : 'a Call';
    this.add(`${step}.call`, `${JSON.stringify(call)} is not a method of ${what} in the 1.4.0 SDK (${what} has: ${methods.join(', ')}${kind === 'session' ? '; "login" makes a client' : ''})`);
  }

  /** A handle step, once every `as` is known: the handle exists, and has the method. */
  private handleCall(r: { path: string; name: string; call: unknown; args: unknown }): void {
    const kinds = this.handles.get(r.name);
    if (!kinds) return this.add(`${r.path}.handle`, `no cloud step names a handle ${JSON.stringify(r.name)} (name one with "as")`);
    if (!nonEmptyString(r.call)) return;
    for (const kind of kinds) {
      const method = findHandleMethod(kind, r.call);
      if (!method) {
        this.add(`${r.path}.call`, `handle ${JSON.stringify(r.name)} is ${HANDLE_NAMES[kind]}, which has no method ${JSON.stringify(r.call)} (it has: ${HANDLE_METHODS[kind].map((m) => m.name).join(', ')})`);
        return;
      }
      this.arity(r.args, method.args, `${r.path}.args`, `${r.name}.${r.call}`);
    }
  }

  /** The number of arguments a verb or handle method takes. */
  private arity(args: unknown, [min, max]: readonly [number, number], path: string, what: string): void {
    if (args !== undefined && !Array.isArray(args)) return;
    const n = args === undefined ? 0 : args.length;
    if (n >= min && n <= max) return;
    const takes = min === max ? `${min} argument${min === 1 ? '' : 's'}` : `${min} to ${max} arguments`;
    this.add(path, `${what} takes ${takes}, got ${n}`);
  }

  /** A duration in ms: finite, ≥ 0, at most {@link bounds.maxDurationMs}. True when it is one. */
  private ms(v: unknown, path: string): boolean {
    if (!(isFiniteNumber(v) && v >= 0)) {
      this.add(path, `expected a number of ms ≥ 0, got ${got(v)}`);
      return false;
    }
    if (v > bounds.maxTranscriptSpanMs) {
      this.add(path, `${v} ms is more than the ${bounds.maxTranscriptSpanMs} ms (7 days) a transcript may span`);
      return false;
    }
    return true;
  }

  private reaction(step: Record<string, unknown>, path: string): void {
    if (typeof step.on !== 'string' || !/^on[A-Z]/.test(step.on)) {
      this.add(`${path}.on`, `expected a callback name like "onInviteReceived", got ${got(step.on)}`);
    } else if (!CALLBACKS.includes(step.on)) {
      this.add(`${path}.on`, `${JSON.stringify(step.on)} is not a callback of the 1.4.0 SDK (callbacks: ${CALLBACKS.join(', ')})`);
    }
    this.clientRef(step, path, false, undefined, true);
    this.optName(step, path, 'object');
    this.optName(step, path, 'as');
    if (step.nth !== undefined && !(Number.isInteger(step.nth) && (step.nth as number) >= 1 && (step.nth as number) <= bounds.maxLimit)) this.add(`${path}.nth`, `expected 1 for the first firing, 2 for the second, … (at most ${bounds.maxLimit}); got ${got(step.nth)}`);
    if (step.args !== undefined) {
      if (!Array.isArray(step.args)) this.add(`${path}.args`, `expected an array of patterns for the callback's arguments, got ${got(step.args)}`);
      else step.args.forEach((p, i) => this.pattern(p, `${path}.args[${i}]`, 4));
    }
    if (step.throw !== undefined) {
      const t = step.throw;
      if (!(typeof t === 'string' || (isPlainObject(t) && nonEmptyString(t.name) && typeof t.message === 'string' && Object.keys(t).length === 2))) {
        this.add(`${path}.throw`, `expected a message, or { "name": "TypeError", "message": "…" }; got ${got(t)}`);
      }
    }
    if (step.do !== undefined) this.actions(step.do, `${path}.do`, typeof step.client === 'string' ? step.client : undefined, 2);
    if (step.do === undefined && step.throw === undefined && step.as === undefined) this.add(path, 'a reaction needs "do", "throw" or "as"');
  }

  private actions(list: unknown, path: string, reactionClient: string | undefined, depth = 0): void {
    if (!Array.isArray(list)) return this.add(path, `expected an array of actions, got ${got(list)}`);
    list.forEach((a, i) => this.step(a, `${path}[${i}]`, true, reactionClient, depth + 2));
  }

  private clientRef(step: Record<string, unknown>, path: string, inAction: boolean, reactionClient?: string, later = false): void {
    if (step.client === undefined) {
      if (inAction && reactionClient !== undefined) return;
      return this.add(`${path}.client`, inAction ? 'missing: name the client (a $cb action has no default client)' : 'missing: name the client whose Session or object this is');
    }
    if (!nonEmptyString(step.client)) return this.add(`${path}.client`, `expected a client name, got ${got(step.client)}`);
    // Reactions and their actions run when a callback fires: their client may log in later.
    // Only a client logged in later (or never) is reported: a reference to one known already is fine.
    if (later || inAction) this.laterClients.push({ path: `${path}.client`, name: step.client });
    else if (!this.clients.has(step.client)) this.earlyClients.push({ path: `${path}.client`, name: step.client });
  }

  /** Top-level references to clients that had not logged in yet at that step. */
  private readonly earlyClients: Array<{ path: string; name: string }> = [];

  /** The `args` of the step at `step` (their path made only for an issue). */
  private args(args: unknown, step: string, inAction: boolean, depth: number): void {
    if (args === undefined) return;
    if (!Array.isArray(args)) return this.add(`${step}.args`, `expected an array of arguments, got ${got(args)}`);
    if (allPlain(args, depth + 2)) return; // no operators: nothing to check
    const path = `${step}.args`;
    args.forEach((a, i) => this.value(a, `${path}[${i}]`, inAction, depth + 2));
  }

  /** A step argument: JSON, where one-key `$` objects are value operators. */
  private value(v: unknown, path: string, inAction: boolean, depth: number): void {
    if (depth > bounds.maxDepth) return;
    const op = operatorOf(v);
    if (op) {
      const [name, operand] = op;
      if (!(VALUE_OPERATORS as readonly string[]).includes(name)) {
        return this.add(path, `unknown operator ${name} in an argument (known: ${VALUE_OPERATORS.join(', ')}; wrap a literal object in {"$literal": …})`);
      }
      switch (name) {
        case '$cb':
          if (operand === true) return;
          if (!isPlainObject(operand) || Object.keys(operand).some((k) => k !== 'do')) return this.add(`${path}.$cb`, `expected true, or { "do": [actions] }, got ${got(operand)}`);
          return this.actions(operand.do, `${path}.$cb.do`, undefined, depth + 2);
        case '$token':
          if (!isPlainObject(operand)) return this.add(`${path}.$token`, `expected { "app"?, "account"?, "expiresIn"? }, got ${got(operand)}`);
          this.unknownFields(operand, `${path}.$token`, ['app', 'account', 'expiresIn'], 'a $token');
          if (operand.expiresIn !== undefined && !(isFiniteNumber(operand.expiresIn) && Math.abs(operand.expiresIn) <= bounds.maxTokenSeconds)) {
            this.add(`${path}.$token.expiresIn`, `expected seconds, at most ${bounds.maxTokenSeconds} (10 years) either way, got ${got(operand.expiresIn)}`);
          }
          for (const k of ['app', 'account'] as const) if (operand[k] !== undefined && !nonEmptyString(operand[k])) this.add(`${path}.$token.${k}`, `expected a string, got ${got(operand[k])}`);
          return;
        case '$arg':
          if (!inAction) return this.add(path, '$arg refers to the arguments of a callback: use it inside a reaction\'s "do"');
          if (!(Number.isInteger(operand) && (operand as number) >= 0 && (operand as number) < 100)) return this.add(`${path}.$arg`, `expected an argument index (0, 1, … up to 99), got ${got(operand)}`);
          return;
        case '$repeat':
          return this.repeat(operand, `${path}.$repeat`);
        case '$object':
          if (!nonEmptyString(operand)) this.add(`${path}.$object`, `expected an object name, got ${got(operand)}`);
          return;
        case '$undefined':
          if (operand !== true) this.add(`${path}.$undefined`, `expected true, got ${got(operand)}`);
          return;
        case '$literal':
          return;
      }
    }
    if (Array.isArray(v)) v.forEach((x, i) => this.value(x, `${path}[${i}]`, inAction, depth + 1));
    else if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) this.value(x, `${path}.${k}`, inAction, depth + 1);
  }

  private repeat(operand: unknown, path: string): void {
    if (!(Array.isArray(operand) && operand.length === 2 && typeof operand[0] === 'string' && operand[0].length > 0 && Number.isInteger(operand[1]) && operand[1] >= 0)) {
      this.add(path, `expected [text, count], e.g. ["x", 8193]; got ${got(operand)}`);
    } else if (operand[0].length * operand[1] > bounds.maxRepeatChars) {
      this.add(path, `makes ${operand[0].length * operand[1]} characters, more than the ${bounds.maxRepeatChars} a transcript may make`);
    }
  }

  private expectation(e: unknown): void {
    if (!isPlainObject(e)) return this.add('expect', `expected { "match": "exact" | "subsequence", "log": [...] }, got ${got(e)}`);
    this.unknownFields(e, 'expect', ['match', 'ignore', 'log'], 'expect');
    if (e.match === undefined) this.add('expect.match', 'missing: say "exact" (the whole log, in order) or "subsequence" (these entries, in order, others between)');
    else if (e.match !== 'exact' && e.match !== 'subsequence') this.add('expect.match', `expected "exact" or "subsequence", got ${got(e.match)}`);
    if (e.ignore !== undefined) {
      if (!Array.isArray(e.ignore)) this.add('expect.ignore', `expected an array of entry fields, got ${got(e.ignore)}`);
      else e.ignore.forEach((f, i) => {
        if (!(ENTRY_FIELDS as readonly unknown[]).includes(f)) this.add(`expect.ignore[${i}]`, `expected one of ${ENTRY_FIELDS.join(', ')}, got ${got(f)}`);
      });
    }
    if (e.log === undefined) this.add('expect.log', 'missing: the expected entries (may be empty)');
    else if (!Array.isArray(e.log)) this.add('expect.log', `expected an array of entries, got ${got(e.log)}`);
    else {
      // Most entries are plain values without operators (what `record` writes): those are valid,
      // and need no path.
      e.log.forEach((entry, i) => {
        if (!plainEntry(entry)) this.entry(entry, `expect.log[${i}]`);
      });
    }
  }

  /** An expected entry, or the pattern of an `until`. */
  private entry(entry: unknown, path: string): void {
    // Most entries are plain values without operators: those are valid, no paths needed.
    if (plainEntry(entry)) return;
    if (!isPlainObject(entry)) return this.add(path, `expected an entry like { "kind": "callback", "client": "alice", "name": "onLoginSuccess" }, got ${got(entry)}`);
    this.unknownFields(entry, path, ENTRY_FIELDS, 'a log entry');
    if (entry.kind !== undefined && !(LOG_KINDS as readonly unknown[]).includes(entry.kind)) this.add(`${path}.kind`, `expected one of ${LOG_KINDS.join(', ')}, got ${got(entry.kind)}`);
    if (entry.unhandled !== undefined && typeof entry.unhandled !== 'boolean') this.add(`${path}.unhandled`, `expected true or false, got ${got(entry.unhandled)}`);
    if (entry.args !== undefined) {
      if (!Array.isArray(entry.args)) this.add(`${path}.args`, `expected an array (compared as a whole), got ${got(entry.args)}`);
      else entry.args.forEach((p, i) => this.pattern(p, `${path}.args[${i}]`, 4));
    }
    for (const f of ['t', 'client', 'name', 'object', 'session', 'error'] as const) {
      if (entry[f] === undefined) continue;
      this.pattern(entry[f], `${path}.${f}`, 3);
      const op = operatorOf(entry[f]);
      if (op) continue;
      const want = f === 't' || f === 'session' ? 'number' : 'string';
      if (typeof entry[f] !== want) this.add(`${path}.${f}`, `expected a ${want} or a pattern like {"$any": true}, got ${got(entry[f])}`);
    }
  }

  /** A value to compare with: JSON, where one-key `$` objects are match operators. */
  private pattern(p: unknown, path: string, depth: number): void {
    if (depth > bounds.maxDepth) return;
    const op = operatorOf(p);
    if (op) {
      const [name, operand] = op;
      if (!(MATCH_OPERATORS as readonly string[]).includes(name)) {
        return this.add(path, `unknown operator ${name} (known: ${MATCH_OPERATORS.join(', ')}; wrap a literal object in {"$literal": …})`);
      }
      switch (name) {
        case '$type':
          if (!(TYPE_NAMES as readonly unknown[]).includes(operand)) this.add(`${path}.$type`, `expected one of ${TYPE_NAMES.join(', ')}, got ${got(operand)}`);
          return;
        case '$match':
          if (typeof operand !== 'string') return this.add(`${path}.$match`, `expected a regular expression as a string, got ${got(operand)}`);
          try {
            new RegExp(operand);
          } catch (error) {
            return this.add(`${path}.$match`, `not a valid regular expression: ${(error as Error).message}`);
          }
          try {
            compileLinearRegex(operand);
          } catch (error) {
            this.add(`${path}.$match`, `a pattern $match does not take (it runs in time linear in the string, without backtracking): ${(error as Error).message}`);
          }
          return;
        case '$json':
          return this.pattern(operand, `${path}.$json`, depth + 1);
        case '$has':
          if (!isPlainObject(operand)) return this.add(`${path}.$has`, `expected an object of key patterns, got ${got(operand)}`);
          for (const [k, v] of Object.entries(operand)) this.pattern(v, `${path}.$has.${k}`, depth + 2);
          return;
        case '$repeat':
          return this.repeat(operand, `${path}.$repeat`);
        case '$object':
          if (!nonEmptyString(operand)) this.add(`${path}.$object`, `expected an object name, got ${got(operand)}`);
          return;
        case '$any':
        case '$cb':
        case '$undefined':
          if (operand !== true) this.add(`${path}.${name}`, `expected true, got ${got(operand)}`);
          return;
        case '$literal':
          return;
      }
    }
    if (Array.isArray(p)) p.forEach((x, i) => this.pattern(x, `${path}[${i}]`, depth + 1));
    else if (isPlainObject(p)) for (const [k, x] of Object.entries(p)) this.pattern(x, `${path}.${k}`, depth + 1);
  }

  private unknownFields(obj: Record<string, unknown>, path: string, known: readonly string[], what: string): void {
    for (const k of Object.keys(obj)) {
      if (!known.includes(k)) this.add(path ? `${path}.${k}` : k, `unknown field for ${what} (known: ${known.join(', ')})`);
    }
  }

  private optString(obj: Record<string, unknown>, path: string, key: string): void {
    if (obj[key] !== undefined && typeof obj[key] !== 'string') this.add(path ? `${path}.${key}` : key, `expected a string, got ${got(obj[key])}`);
  }

  private optName(obj: Record<string, unknown>, path: string, key: string): void {
    if (obj[key] !== undefined && !nonEmptyString(obj[key])) this.add(`${path}.${key}`, `expected a name, got ${got(obj[key])}`);
  }

  private known(): string {
    return this.clients.size > 0 ? ` (clients: ${[...this.clients.keys()].join(', ')})` : ' (no step logs in a client)';
  }

  private add(path: string, message: string): void {
    this.issues.push({ path, message });
  }
}

/** Whether a step has a field its kind does not (`at` is no field of an action). */
function hasUnknownField(step: Record<string, unknown>, known: readonly string[], inAction: boolean): boolean {
  for (const k of Object.keys(step)) if ((inAction && k === 'at') || !known.includes(k)) return true;
  return false;
}

/** A number of ms {@link Checker.ms} takes (checked first without a path, for the many that are). */
function isDuration(v: unknown): boolean {
  return isFiniteNumber(v) && v >= 0 && v <= bounds.maxTranscriptSpanMs;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

/**
 * A valid expected entry written with plain values only (what `record` writes): known fields,
 * the right types, arguments without `$`-operators. The full check says what is wrong with
 * any other.
 */
function plainEntry(entry: unknown): boolean {
  if (!isPlainObject(entry)) return false;
  for (const k in entry) if (!(ENTRY_FIELDS as readonly string[]).includes(k)) return false;
  const e = entry as Record<string, unknown>;
  if (e.kind !== undefined && !(LOG_KINDS as readonly unknown[]).includes(e.kind)) return false;
  if (e.unhandled !== undefined && typeof e.unhandled !== 'boolean') return false;
  if (e.t !== undefined && typeof e.t !== 'number') return false;
  if (e.session !== undefined && typeof e.session !== 'number') return false;
  if (e.client !== undefined && typeof e.client !== 'string') return false;
  if (e.name !== undefined && typeof e.name !== 'string') return false;
  if (e.object !== undefined && typeof e.object !== 'string') return false;
  if (e.error !== undefined && typeof e.error !== 'string') return false;
  const args = e.args;
  if (args !== undefined) {
    if (!Array.isArray(args)) return false;
    for (let i = 0; i < args.length; i++) if (!plainValue(args[i], 4)) return false;
  }
  return true;
}

/** Whether every item is {@link plainValue} (a hole is: it holds nothing). */
function allPlain(items: readonly unknown[], depth: number): boolean {
  for (let i = 0; i < items.length; i++) if (!plainValue(items[i], depth)) return false;
  return true;
}

/** JSON with no object that could be a `$`-operator (no key starting with `$`). */
function plainValue(v: unknown, depth: number): boolean {
  if (typeof v !== 'object' || v === null) return true;
  // Too deep to look at: the full check says where (and checkData that it is too deep).
  if (depth > bounds.maxDepth) return false;
  if (Array.isArray(v)) {
    for (const x of v) if (!plainValue(x, depth + 1)) return false;
    return true;
  }
  for (const k in v) {
    if (k.startsWith('$') || !plainValue((v as Record<string, unknown>)[k], depth + 1)) return false;
  }
  return true;
}
