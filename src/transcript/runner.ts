/**
 * Runs a transcript's steps on a cloud: the simulated apps. It logs in the named clients, sets
 * their callbacks, keeps the names of their SDK objects, runs reactions inside callbacks, and
 * moves virtual time. What happens is recorded by the cloud's own log, as for any app.
 */
import type { Cloud } from '../create-cloud.js';
import { Call } from '../sdk/call.js';
import { Channel } from '../sdk/channel.js';
import { Session } from '../sdk/session.js';
import type { Signal } from '../sdk/signal.js';
import { entryLine, entryMatches } from './entries.js';
import { describe, isPlainObject, matchValue, matches, operatorOf } from './patterns.js';
import { callbackNames, defaultObjectName, isSdkObject } from './sdk-objects.js';
import type { Action, CallStep, CheckStep, ReactionStep, Step, Transcript, UntilStep } from './types.js';
import { stepKind } from './validate.js';
import { HANDLE_METHODS, HANDLE_NAMES, SDK_METHODS, callHandle, callVerb, findHandleMethod, findVerb, notAVerb, type HandleKind, type SdkObjectKind } from './verbs.js';

/** A step that could not run, or an app action that failed inside a callback. */
export class ReplayFailure extends Error {
  override name = 'ReplayFailure';
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.path = path;
  }
}

/** The error a reaction's `throw` makes the app's callback throw. */
export class ScriptedError extends Error {}

interface Client {
  readonly name: string;
  readonly session: Session;
  readonly app: string;
  /** SDK objects by name (default names and `as` aliases); the latest one wins. */
  readonly objects: Map<string, object>;
}

interface InstalledReaction {
  readonly step: ReactionStep;
  readonly path: string;
  seen: number;
}

interface Context {
  client?: Client;
  /** Arguments of the callback a reaction or `$cb` runs in. */
  callbackArgs?: unknown[];
  path: string;
  /** Inside a callback: a failure is kept for later instead of thrown into the SDK. */
  inCallback: boolean;
}

const DEFAULT_APP = 'app';

export class StepRunner {
  private readonly cloud: Cloud;
  private readonly transcript: Transcript;
  private readonly clients = new Map<string, Client>();
  private readonly signals = new Map<string, Signal>();
  /** Handles named with `as`, with their kind (which says the methods a step may call). */
  private readonly handles = new Map<string, { kind: HandleKind; value: object }>();
  private readonly reactions: InstalledReaction[] = [];
  /** The names each SDK object goes by, default name first. */
  private readonly objectNames = new WeakMap<object, { client: string; names: string[] }>();
  /** Failures inside callbacks (the SDK would swallow them), raised after the step. */
  private readonly failures: ReplayFailure[] = [];

  constructor(cloud: Cloud, transcript: Transcript) {
    this.cloud = cloud;
    this.transcript = transcript;
  }

  /** The names an SDK object goes by (for `$object` patterns and the log's JSON form). */
  readonly namesOf = (object: object): readonly string[] => this.objectNames.get(object)?.names ?? [defaultObjectName(object)];

  async run(): Promise<void> {
    const steps = this.transcript.steps;
    for (let i = 0; i < steps.length; i++) {
      // A step that takes no time runs right after the previous one, without yielding: the
      // cloud's deliveries due now (run on a microtask) happen only where the transcript moves
      // time (`advance`, `until`, `at`), as in the recorded run, never between two calls.
      const pending = this.step(steps[i]!, `steps[${i}]`);
      if (pending) await pending;
      this.raiseFailures();
    }
    // Deliver what is due at the final instant, so the log is complete for this time.
    this.cloud.advanceSync(0);
    this.raiseFailures();
  }

  private raiseFailures(): void {
    if (this.failures.length > 0) throw this.failures[0];
  }

  /** Runs one step; a promise only when it moves time (or a cloud verb is asynchronous). */
  private step(step: Step, path: string): Promise<void> | undefined {
    if (step.at !== undefined) {
      const elapsed = this.cloud.now() - this.cloud.startTime;
      if (step.at < elapsed) throw new ReplayFailure(`${path}.at`, `${step.at} ms is before the current virtual time (${elapsed} ms): steps run in order, so an "at" cannot go back`);
      const { at: _at, ...rest } = step as Step & { at: number };
      this.cloud.advanceSync(step.at - elapsed);
      return this.step(rest as Step, path);
    }
    const s = step as unknown as Record<string, unknown>;
    switch (stepKind(s)) {
      case 'advance':
        // Synchronously: a transcript has no app code whose promise chains would run between
        // deliveries, and the async drive's microtask turns between tasks are most of a long
        // replay's time. The log is the same either way (the fixtures' exact logs hold it).
        this.cloud.advanceSync((step as { advance: number }).advance);
        return undefined;
      case 'until':
        return this.until(step as UntilStep, path);
      case 'on':
        this.reactions.push({ step: step as ReactionStep, path, seen: 0 });
        return undefined;
      case 'check':
        this.check(step as CheckStep, path);
        return undefined;
      default: {
        const result = this.action(step as Action, { path, inCallback: false });
        return result instanceof Promise ? result.then(() => undefined) : undefined;
      }
    }
  }

  /** A step that takes no time: an SDK call, `set`, a cloud verb, or a handle call. */
  private action(action: Action, ctx: Context): unknown {
    const a = action as unknown as Record<string, unknown>;
    const kind = stepKind(a);
    if (kind === 'cloud') {
      const step = action as { cloud: string; args?: unknown[]; as?: string };
      const verb = findVerb(step.cloud);
      if (!verb) throw new ReplayFailure(`${ctx.path}.cloud`, notAVerb(step.cloud));
      const result = this.invoke(() => callVerb(this.cloud, verb, this.values(step.args ?? [], ctx, `${ctx.path}.args`)), `${ctx.path}.cloud`, `cloud.${step.cloud}`);
      const bind = (value: unknown) => {
        if (step.as !== undefined && verb.returns !== undefined && typeof value === 'object' && value !== null) this.handles.set(step.as, { kind: verb.returns, value });
      };
      if (result instanceof Promise) return result.then(bind);
      bind(result);
      return undefined;
    }
    if (kind === 'handle') {
      const step = action as { handle: string; call: string; args?: unknown[] };
      const handle = this.handles.get(step.handle);
      if (handle === undefined) throw new ReplayFailure(`${ctx.path}.handle`, `no handle named "${step.handle}" yet (a cloud step names one with "as")`);
      const method = findHandleMethod(handle.kind, step.call);
      if (!method) {
        throw new ReplayFailure(`${ctx.path}.call`, `handle "${step.handle}" is ${HANDLE_NAMES[handle.kind]}, which has no method "${step.call}" (it has: ${HANDLE_METHODS[handle.kind].map((m) => m.name).join(', ')})`);
      }
      return this.invoke(() => callHandle(handle.value, method, this.values(step.args ?? [], ctx, `${ctx.path}.args`)), `${ctx.path}.call`, `${step.handle}.${step.call}`);
    }
    const clientName = (a.client as string | undefined) ?? ctx.client?.name;
    if (kind === 'call' && a.call === 'login') return this.login(action as CallStep, ctx);
    const client = this.client(clientName, ctx.path, '.client');
    const target = this.target(client, a.object as string | undefined, ctx.path, '.object');
    if (kind === 'set') {
      for (const [name, on] of Object.entries(a.set as Record<string, boolean>)) {
        // Validation allows only the SDK's callback names: this sets a callback, nothing else.
        (target as Record<string, unknown>)[name] = on ? this.handler(client, target, name) : '';
      }
      return undefined;
    }
    const step = action as CallStep;
    const sdk = sdkKind(target);
    if (sdk === undefined || !(SDK_METHODS[sdk] as readonly string[]).includes(step.call)) {
      throw new ReplayFailure(`${ctx.path}.call`, `${this.namesOf(target)[0]} has no 1.4.0 SDK method "${step.call}"${sdk ? ` (it has: ${SDK_METHODS[sdk].join(', ')})` : ''}`);
    }
    const fn = (target as Record<string, unknown>)[step.call];
    if (typeof fn !== 'function') throw new ReplayFailure(`${ctx.path}.call`, this.noMethod(client, target, step));
    const given = step.args ?? [];
    // Text, numbers and the like are passed as they are (in a fresh array: the SDK may mutate
    // it); only operators and nested values need the context, and their paths.
    const args = onlyScalars(given) ? given.slice() : this.values(given, { ...ctx, client }, `${ctx.path}.args`);
    let result: unknown;
    try {
      result = fn.apply(target, args);
    } catch (error) {
      throw threw(error, `${ctx.path}.call`, `${client.name}.${step.call}`);
    }
    if (isSdkObject(result)) this.bind(client, result, step.as);
    return undefined;
  }

  /** A `check` step: each field of the client's Session (or named object) against its pattern. */
  private check(step: CheckStep, path: string): void {
    const client = this.client(step.client, path, '.client');
    const target = this.target(client, step.object, path, '.object') as Record<string, unknown>;
    const what = step.object === undefined ? `${client.name}'s Session` : `${client.name}'s ${step.object}`;
    for (const [field, pattern] of Object.entries(step.check)) {
      const mismatch = matchValue(pattern, target[field], field, this.namesOf);
      if (mismatch) {
        throw new ReplayFailure(`${path}.check.${field}`, `${what} has ${field} ${mismatch.actual} at +${this.cloud.now() - this.cloud.startTime} ms, expected ${mismatch.expected}`);
      }
    }
  }

  private login(step: CallStep, ctx: Context): void {
    const app = step.app ?? this.transcript.app ?? DEFAULT_APP;
    const raw = step.args ?? [step.client, '_no_need_token'];
    const account = typeof raw[0] === 'string' ? raw[0] : JSON.stringify(raw[0]);
    const args = this.values(raw, { ...ctx, client: undefined }, `${ctx.path}.args`, { app, account });
    let signal = this.signals.get(app);
    if (!signal) {
      signal = this.cloud.Signal(app);
      this.signals.set(app, signal);
    }
    const s = signal;
    const session = this.invoke(() => (s.login as (...a: unknown[]) => Session)(...args), `${ctx.path}.call`, `${step.client}.login`) as Session;
    const client: Client = { name: step.client, session, app, objects: new Map() };
    this.clients.set(step.client, client);
    this.objectNames.set(session, { client: step.client, names: [defaultObjectName(session)] });
    this.setDefaultHandlers(client, session);
  }

  /** Binds an SDK object the client got (returned by a call, or delivered to a callback). */
  private bind(client: Client, object: object, alias?: string): void {
    const known = this.objectNames.get(object);
    const names = known?.names ?? [defaultObjectName(object)];
    if (alias !== undefined && !names.includes(alias)) names.push(alias);
    for (const n of names) client.objects.set(n, object);
    if (!known) {
      this.objectNames.set(object, { client: client.name, names });
      this.setDefaultHandlers(client, object);
    }
  }

  private setDefaultHandlers(client: Client, object: object): void {
    if ((this.transcript.handlers ?? 'all') !== 'all') return;
    for (const name of callbackNames(object)) {
      if ((object as Record<string, unknown>)[name] === '') (object as Record<string, unknown>)[name] = this.handler(client, object, name);
    }
  }

  /**
   * The app's callback: it binds SDK objects it receives, then runs the reactions that match.
   * The log records the callback itself (the SDK logs every firing).
   */
  private handler(client: Client, object: object, callback: string): (...args: unknown[]) => void {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const runner = this;
    return function (...args: unknown[]): void {
      for (const a of args) if (isSdkObject(a)) runner.bind(client, a);
      let scripted: ReactionStep['throw'];
      for (const r of runner.reactions) {
        const step = r.step;
        if (step.on !== callback || step.client !== client.name) continue;
        if (step.object === undefined ? object !== client.session : !runner.namesOf(object).includes(step.object)) continue;
        if (step.args !== undefined && !matches(step.args, args, runner.namesOf)) continue;
        r.seen++;
        if (step.nth !== undefined && r.seen !== step.nth) continue;
        if (step.as !== undefined) {
          const delivered = args.find(isSdkObject);
          if (delivered) runner.bind(client, delivered, step.as);
        }
        const ctx: Context = { client, callbackArgs: args, path: r.path, inCallback: true };
        (step.do ?? []).forEach((action, i) => runner.guarded(() => runner.action(action, { ...ctx, path: `${r.path}.do[${i}]` })));
        if (step.throw !== undefined && scripted === undefined) scripted = step.throw;
      }
      if (scripted !== undefined) {
        const error = new ScriptedError(typeof scripted === 'string' ? scripted : scripted.message);
        error.name = typeof scripted === 'string' ? 'Error' : scripted.name;
        throw error;
      }
    };
  }

  /** Runs an app action inside a callback: a failure is kept, never thrown into the SDK. */
  private guarded(fn: () => unknown): void {
    try {
      const result = fn();
      if (result instanceof Promise) result.catch((e: unknown) => this.failures.push(asFailure(e, 'a callback')));
    } catch (error) {
      this.failures.push(asFailure(error, 'a callback'));
    }
  }

  private async until(step: UntilStep, path: string): Promise<void> {
    const epoch = this.cloud.startTime;
    const already = this.cloud.log.entries.findIndex((e) => entryMatches(step.until, e, epoch, this.namesOf));
    let seen = false;
    const stop = this.cloud.log.subscribe((e) => {
      if (!seen && entryMatches(step.until, e, epoch, this.namesOf)) seen = true;
    });
    try {
      await this.cloud.until(() => seen, { within: step.within ?? 60_000, what: `${path}.until ${entryLine(step.until)}` });
    } catch (error) {
      const hint = already >= 0 ? `\n(an entry like it came earlier, at log #${already}, before this step began; "until" waits for a new one)` : '';
      throw new ReplayFailure(`${path}.until`, `${(error as Error).message}${hint}`);
    } finally {
      stop();
    }
  }

  /** Step arguments with their `$`-operators turned into values (fresh copies: the SDK may mutate them). */
  private values(args: unknown[], ctx: Context, path: string, login?: { app: string; account: string }): unknown[] {
    return args.map((a, i) => this.value(a, ctx, `${path}[${i}]`, login));
  }

  private value(v: unknown, ctx: Context, path: string, login?: { app: string; account: string }): unknown {
    const op = operatorOf(v);
    if (op) {
      const [name, operand] = op;
      switch (name) {
        case '$cb': {
          const actions = operand === true ? [] : ((operand as { do?: Action[] }).do ?? []);
          return (...cbArgs: unknown[]) => {
            const inner: Context = { ...ctx, callbackArgs: cbArgs, inCallback: true };
            actions.forEach((action, i) => this.guarded(() => this.action(action, { ...inner, path: `${path}.$cb.do[${i}]` })));
          };
        }
        case '$token': {
          const t = operand as { app?: string; account?: string; expiresIn?: number };
          const app = t.app ?? login?.app ?? ctx.client?.app ?? this.transcript.app ?? DEFAULT_APP;
          const account = t.account ?? login?.account ?? ctx.client?.session.account;
          if (account === undefined) throw new ReplayFailure(path, '$token needs an "account" here (it is not a login argument)');
          try {
            return this.cloud.token(app, account, t.expiresIn !== undefined ? { expiresIn: t.expiresIn } : {});
          } catch (error) {
            throw new ReplayFailure(path, (error as Error).message);
          }
        }
        case '$arg': {
          const args = ctx.callbackArgs;
          if (!args) throw new ReplayFailure(path, '$arg is only meaningful inside a callback');
          return args[operand as number];
        }
        case '$repeat': {
          const [unit, count] = operand as [string, number];
          return unit.repeat(count);
        }
        case '$object': {
          const client = ctx.client;
          const object = client?.objects.get(operand as string);
          if (!client || !object) throw new ReplayFailure(path, `no SDK object named "${String(operand)}"${client ? ` for ${client.name} (known: ${[...client.objects.keys()].join(', ') || 'none'})` : ''}`);
          return object;
        }
        case '$undefined':
          return undefined;
        case '$literal':
          return structuredClone(operand);
      }
    }
    if (Array.isArray(v)) return v.map((x, i) => this.value(x, ctx, `${path}[${i}]`, login));
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      // defineProperty: a key named "__proto__" stays a key (as in the JSON), it does not set a prototype.
      for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: this.value(x, ctx, `${path}.${k}`, login), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return v;
  }

  /** The client named `name`; a failure at `at` + `field` (the path made only then). */
  private client(name: string | undefined, at: string, field: string): Client {
    const client = name === undefined ? undefined : this.clients.get(name);
    if (!client) {
      throw new ReplayFailure(`${at}${field}`, `no client named "${String(name)}" has logged in yet (clients: ${[...this.clients.keys()].join(', ') || 'none'})`);
    }
    return client;
  }

  private target(client: Client, object: string | undefined, at: string, field: string): object {
    if (object === undefined) return client.session;
    const found = client.objects.get(object);
    if (!found) {
      throw new ReplayFailure(`${at}${field}`, `${client.name} has no SDK object named "${object}" (known: ${[...client.objects.keys()].join(', ') || 'none'}); objects get names when a call returns them or a callback delivers them`);
    }
    return found;
  }

  private noMethod(client: Client, target: object, step: CallStep): string {
    const what = target === client.session ? `${client.name}'s Session` : `${client.name}'s ${this.namesOf(target)[0]}`;
    if (target === client.session && ['messageInstantSend', 'invoke', 'channelJoin', 'channelInviteUser2', 'call2'].includes(step.call) && client.session.state !== 2 && client.session.state !== 3) {
      return `${what} has no "${step.call}" yet: 1.4.0 creates it once the WebSocket has opened, a round trip after login (advance time first)`;
    }
    const kind = sdkKind(target);
    const has = kind ? SDK_METHODS[kind].filter((m) => typeof (target as Record<string, unknown>)[m] === 'function') : [];
    return `${what} has no method "${step.call}" (it has: ${has.join(', ') || 'none'})`;
  }

  /** Calls into the SDK or the cloud; an exception becomes a failure of this step. */
  private invoke(fn: () => unknown, path: string, what: string): unknown {
    try {
      return fn();
    } catch (error) {
      throw threw(error, path, what);
    }
  }
}

/** The kind of SDK object a call step calls (its class), which says the methods it may call. */
function sdkKind(target: object): SdkObjectKind | undefined {
  if (target instanceof Session) return 'session';
  if (target instanceof Channel) return 'channel';
  if (target instanceof Call) return 'call';
  return undefined;
}

/** The failure of a step whose call (`what`, at `path`) threw `error`. */
function threw(error: unknown, path: string, what: string): ReplayFailure {
  if (error instanceof ReplayFailure) return error;
  return new ReplayFailure(path, `${what} threw ${error instanceof Error ? `${error.name}: ${error.message}` : describe(error)}`);
}

/** Whether every argument is a value that stands for itself (no operator, nothing nested). */
function onlyScalars(args: readonly unknown[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a === 'object' && a !== null) return false;
  }
  return true;
}

function asFailure(error: unknown, where: string): ReplayFailure {
  if (error instanceof ReplayFailure) return error;
  return new ReplayFailure(where, error instanceof Error ? `${error.name}: ${error.message}` : describe(error));
}
