/**
 * `record(cloud)`: turns a run driven from code into a transcript. The recorder watches the
 * SDK objects the app gets from `cloud.Signal` (calls, callbacks it sets, calls it makes inside
 * callbacks), the cloud verbs it uses, and how virtual time moves; the expected log is the
 * run's whole log.
 */
import { DEFAULT_START_TIME, type Cloud } from '../create-cloud.js';
import { invariant } from '../errors.js';
import type { Task } from '../time/scheduler.js';
import { plainEntry } from './entries.js';
import { toPlain } from './patterns.js';
import { defaultObjectName, isCallbackName, isSdkObject } from './sdk-objects.js';
import type { Action, ReactionStep, Step, Transcript } from './types.js';
import { describeArg, readOptions } from '../arguments.js';
import { findVerb, HANDLE_METHODS, listVerbs, SDK_CALLBACKS, type HandleKind, type VerbSpec } from './verbs.js';

export interface RecordOptions {
  /** The transcript's name: what it shows, as a behaviour sentence. */
  name?: string;
  description?: string;
}

interface RecClient {
  readonly name: string;
  readonly account: string;
  /** The SDK object each name refers to now (as replay will bind them). */
  readonly objects: Map<string, object>;
}

interface Frame {
  readonly do: Action[];
}

const DEFAULT_APP = 'app';

/**
 * Records what happens on a cloud from now on. Call it right after `createCloud`, before the
 * app gets `cloud.Signal`.
 *
 * @example
 * const cloud = createCloud({ seed: 1 });
 * const recorder = record(cloud, { name: 'a second login kicks the first' });
 * const signal = cloud.Signal('app');
 * signal.login('alice', '_no_need_token');
 * await cloud.advance(1000);
 * writeFileSync('fixtures/kick.json', formatTranscript(recorder.transcript()));
 */
export function record(cloud: Cloud, options: RecordOptions = {}): Recorder {
  return new Recorder(cloud, options);
}

export class Recorder {
  /** Things the recorder could not capture exactly (a replay may then differ). */
  readonly warnings: string[] = [];
  private readonly cloud: Cloud;
  private readonly options: RecordOptions;
  private readonly steps: Step[] = [];
  private readonly reactions: ReactionStep[] = [];
  private readonly stack: Frame[] = [];
  private readonly clients = new Map<object, RecClient>();
  private readonly clientNames = new Set<string>();
  private readonly objectNames = new WeakMap<object, string>();
  private readonly proxies = new WeakMap<object, object>();
  private readonly originals = new WeakMap<Function, Function>();
  private readonly counters = new Map<string, number>();
  private readonly apps: NonNullable<Transcript['apps']>;
  private readonly restores: Array<() => void> = [];
  private defaultApp: string | undefined;
  private handleCount = 0;
  /** Inside a cloud verb, an SDK call, or a scheduler task: calls there are the emulator's own. */
  private verbDepth = 0;
  private sdkDepth = 0;
  private taskDepth = 0;
  private tasksRun = 0;
  private tasksAccounted = 0;
  private timeAccounted = 0;
  private stopped = false;

  constructor(cloud: Cloud, given: RecordOptions = {}) {
    const options = readOptions(given, ['name', 'description'], 'Failed to record', "{ name: 'a second login kicks the first' }") as RecordOptions;
    for (const key of ['name', 'description'] as const) {
      invariant(options[key] === undefined || typeof options[key] === 'string', () => `Failed to record: ${key} must be a string, got ${describeArg(options[key])}`);
    }
    invariant(
      cloud.log.entries.length === 0 && cloud.now() === cloud.startTime,
      `Failed to record: the cloud has already run (${cloud.log.entries.length} log entries, ${cloud.now() - cloud.startTime} ms). Call record(cloud) right after createCloud`,
    );
    this.cloud = cloud;
    this.options = options;
    this.apps = [...cloud.server.apps.values()].map((a) => (a.certificate !== undefined ? { appId: a.appId, certificate: a.certificate } : { appId: a.appId }));
    this.hookSignal();
    this.hookVerbs();
    this.hookTasks();
  }

  /** Stops recording and gives the cloud its own `Signal` and verbs back. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const restore of this.restores.splice(0).reverse()) restore();
  }

  /**
   * The transcript of the run so far: its steps, and its whole log as the expectation
   * (`match: "exact"`). Written with `formatTranscript`, it diffs well against a re-recording.
   */
  transcript(): Transcript {
    const steps: Step[] = [...this.reactions, ...this.steps];
    const elapsed = this.cloud.now() - this.cloud.startTime;
    if (elapsed > this.timeAccounted) steps.push({ advance: elapsed - this.timeAccounted });
    const names = (o: object) => [this.objectNames.get(o) ?? defaultObjectName(o)];
    const t: Transcript = {
      version: 1,
      ...(this.options.name !== undefined ? { name: this.options.name } : {}),
      ...(this.options.description !== undefined ? { description: this.options.description } : {}),
      seed: this.cloud.seed,
      ...(this.cloud.startTime !== DEFAULT_START_TIME ? { startTime: this.cloud.startTime } : {}),
      ...(this.cloud.net.defaultLatency !== 0 ? { latency: this.cloud.net.defaultLatency } : {}),
      ...(this.apps.length > 0 ? { apps: this.apps } : {}),
      ...(this.defaultApp !== undefined && this.defaultApp !== DEFAULT_APP ? { app: this.defaultApp } : {}),
      handlers: 'declared',
      steps: structuredClone(steps),
      expect: { match: 'exact', log: this.cloud.log.entries.map((e) => plainEntry(e, this.cloud.startTime, names)) },
    };
    return t;
  }

  // ---- hooks ----

  private hookSignal(): void {
    const cloud = this.cloud as { Signal: Cloud['Signal'] };
    const original = cloud.Signal;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const rec = this;
    const factory = function (appid?: string) {
      const signal = original(appid);
      return rec.stopped ? signal : rec.wrapSignal(signal);
    };
    factory.prototype = original.prototype;
    Object.defineProperty(cloud, 'Signal', { value: factory, configurable: true, writable: true });
    this.restores.push(() => Object.defineProperty(cloud, 'Signal', { value: original, configurable: true, writable: true }));
  }

  /** Wraps each transcript verb (the list in verbs.ts) on the Cloud or its network. */
  private hookVerbs(): void {
    for (const name of listVerbs()) {
      const verb = findVerb(name)!;
      const self: object = verb.on === 'net' ? this.cloud.net : this.cloud;
      const fn = (self as Record<string, unknown>)[verb.method] as Function;
      this.hook(self, verb.method, (...args: unknown[]) => this.verbCall(verb, fn, self, args));
    }
    // A custom rule is a function, which a transcript cannot hold: say so rather than lose it.
    const net = this.cloud.net;
    const rule = net.rule;
    this.hook(net, 'rule', (...args: unknown[]) => {
      if (!this.stopped && this.verbDepth === 0 && this.sdkDepth === 0) {
        this.warn('cloud.net.rule() is not recorded (a transcript cannot hold a function): a replay runs without the rule; use net.loss, net.latency, net.duplicate or net.hold');
      }
      return (rule as Function).apply(net, args);
    });
  }

  private hook(self: object, key: string, value: Function): void {
    const had = Object.prototype.hasOwnProperty.call(self, key);
    const previous = (self as Record<string, unknown>)[key];
    Object.defineProperty(self, key, { configurable: true, writable: true, value });
    this.restores.push(() => {
      if (had) Object.defineProperty(self, key, { configurable: true, writable: true, value: previous });
      else delete (self as Record<string, unknown>)[key];
    });
  }

  /**
   * Counts the scheduler's tasks that run (to see when a flush happened between two calls), and
   * knows when one is running (a cloud verb called from inside a task is the cloud's own doing).
   */
  private hookTasks(): void {
    this.restores.push(
      this.cloud.time.wrapTasks((task: Task) => {
        this.tasksRun++;
        this.taskDepth++;
        try {
          task.run();
        } finally {
          this.taskDepth--;
        }
      }),
    );
  }

  // ---- wrappers ----

  private wrapSignal(signal: object): object {
    return new Proxy(signal, {
      get: (target, prop) => {
        const value = Reflect.get(target, prop, target);
        if (prop !== 'login' || typeof value !== 'function' || this.stopped) {
          if (typeof value === 'function' && (prop === 'setDoLog' || prop === 'setup_debugging' || prop === 'setUpDebugging')) {
            return (...args: unknown[]) => {
              this.warn(`signal.${String(prop)}() is not recorded (transcripts have no Signal-level steps); its log entry will be missing from a replay`);
              return (value as Function).apply(target, args);
            };
          }
          return value;
        }
        return (...args: unknown[]) => {
          const account = typeof args[0] === 'string' ? args[0] : String(JSON.stringify(args[0]));
          const app = (target as { vid: string }).vid;
          this.defaultApp ??= app;
          const name = this.uniqueClientName(account);
          this.emit({ client: name, call: 'login', args: args.map((a) => this.plain(a)), ...(app !== this.defaultApp ? { app } : {}) });
          const session = (value as Function).apply(target, args) as object;
          this.clients.set(session, { name, account, objects: new Map() });
          return this.wrap(session, session);
        };
      },
    });
  }

  /** A proxy that records the app's calls on an SDK object and the callbacks it sets. */
  private wrap(object: object, session: object): object {
    const existing = this.proxies.get(object);
    if (existing) return existing;
    const methods = new Map<PropertyKey, Function>();
    const proxy = new Proxy(object, {
      get: (target, prop) => {
        const value = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        if (isCallbackName(prop)) return this.originals.get(value) ?? value;
        if (typeof prop !== 'string' || prop === 'constructor' || this.stopped) return value;
        let wrapper = methods.get(prop);
        if (!wrapper || (wrapper as { original?: Function }).original !== value) {
          wrapper = Object.assign((...args: unknown[]) => this.sdkCall(session, target, String(prop), value, args), { original: value });
          methods.set(prop, wrapper);
        }
        return wrapper;
      },
      set: (target, prop, value) => {
        // Only the SDK's callbacks are steps; an app's own `on…` property changes nothing the SDK does.
        if (typeof prop !== 'string' || !SDK_CALLBACKS.includes(prop) || this.stopped) return Reflect.set(target, prop, value, target);
        const client = this.clients.get(session)!;
        const objectName = target === session ? undefined : this.nameOf(target);
        this.emitSet(client.name, objectName, prop, typeof value === 'function');
        (target as Record<string, unknown>)[prop] = typeof value === 'function' ? this.handler(session, target, prop, value) : value;
        return true;
      },
    });
    this.proxies.set(object, proxy);
    return proxy;
  }

  private sdkCall(session: object, target: object, method: string, fn: Function, args: unknown[]): unknown {
    const client = this.clients.get(session)!;
    const objectName = target === session ? undefined : this.nameOf(target);
    if (objectName !== undefined && client.objects.get(objectName) !== target) {
      this.warn(`${client.name} called ${method} on an older ${objectName}: a replay calls the newest object of that name`);
    }
    const cbSteps: Array<{ $cb: true | { do: Action[] } }> = [];
    const stepArgs = args.map((a) => {
      if (typeof a !== 'function') return this.plain(a);
      const slot: { $cb: true | { do: Action[] } } = { $cb: true };
      cbSteps.push(slot);
      return slot;
    });
    let k = 0;
    const callArgs = args.map((a) => (typeof a === 'function' ? this.cbWrapper(session, a, cbSteps[k++]!) : a));
    const step = { client: client.name, ...(objectName !== undefined ? { object: objectName } : {}), call: method, args: stepArgs } as Action;
    const before = this.cloud.log.entries.length;
    const receipt = this.emit(step);
    this.sdkDepth++;
    let result: unknown;
    try {
      result = fn.apply(target, callArgs);
    } finally {
      this.sdkDepth--;
    }
    const logged = this.cloud.log.entries.slice(before).some((e) => e.kind === 'call' && e.client === client.account);
    if (!logged) receipt.cancel();
    if (isSdkObject(result)) return this.deliver(session, result);
    return result;
  }

  /** An SDK object the app got (returned, or handed to a callback): named, and wrapped. */
  private deliver(session: object, object: object): object {
    const client = this.clients.get(session)!;
    const name = defaultObjectName(object);
    this.objectNames.set(object, name);
    client.objects.set(name, object);
    return this.wrap(object, session);
  }

  private handler(session: object, target: object, callback: string, fn: Function): Function {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const rec = this;
    const wrapper = function (...args: unknown[]): unknown {
      if (rec.stopped) return fn.apply(rec.proxies.get(target) ?? target, args);
      const client = rec.clients.get(session)!;
      const objectName = target === session ? undefined : rec.nameOf(target);
      const key = `${client.name}\u0000${objectName ?? ''}\u0000${callback}`;
      const nth = (rec.counters.get(key) ?? 0) + 1;
      rec.counters.set(key, nth);
      const appArgs = args.map((a) => (isSdkObject(a) ? rec.deliver(session, a) : a));
      const frame: Frame = { do: [] };
      rec.stack.push(frame);
      // App code again (a callback can fire inside an SDK call, as onInviteEndByMyself does).
      const depths = [rec.sdkDepth, rec.verbDepth];
      rec.sdkDepth = rec.verbDepth = 0;
      let thrown: unknown;
      let threw = false;
      try {
        return fn.apply(rec.proxies.get(target) ?? target, appArgs);
      } catch (error) {
        threw = true;
        thrown = error;
        throw error;
      } finally {
        [rec.sdkDepth, rec.verbDepth] = depths as [number, number];
        rec.stack.pop();
        if (frame.do.length > 0 || threw) {
          const reaction: ReactionStep = { on: callback, client: client.name, ...(objectName !== undefined ? { object: objectName } : {}), nth };
          if (frame.do.length > 0) reaction.do = frame.do;
          if (threw) {
            const e = thrown instanceof Error ? thrown : new Error(String(thrown));
            reaction.throw = e.name === 'Error' ? e.message : { name: e.name, message: e.message };
          }
          rec.reactions.push(reaction);
        }
      }
    };
    this.originals.set(wrapper, fn);
    return wrapper;
  }

  private cbWrapper(session: object, fn: Function, slot: { $cb: true | { do: Action[] } }): Function {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const rec = this;
    return function (this: unknown, ...args: unknown[]): unknown {
      if (rec.stopped) return fn.apply(this, args);
      const frame: Frame = { do: [] };
      rec.stack.push(frame);
      const depths = [rec.sdkDepth, rec.verbDepth];
      rec.sdkDepth = rec.verbDepth = 0;
      try {
        return fn.apply(this, args.map((a) => (isSdkObject(a) ? rec.deliver(session, a) : a)));
      } finally {
        [rec.sdkDepth, rec.verbDepth] = depths as [number, number];
        rec.stack.pop();
        if (frame.do.length > 0) slot.$cb = { do: [...(slot.$cb === true ? [] : slot.$cb.do), ...frame.do] };
      }
    };
  }

  private verbCall(verb: VerbSpec, fn: Function, self: object, args: unknown[]): unknown {
    const own = this.verbDepth > 0 || this.sdkDepth > 0 || (this.taskDepth > 0 && this.stack.length === 0);
    if (this.stopped || own) return fn.apply(self, args);
    if (args.some((a) => typeof a === 'function')) this.warn(`cloud.${verb.name} got a function: a transcript cannot hold it, so a replay passes a function that does nothing`);
    const step: Action & { as?: string } = { cloud: verb.name, args: args.map((a) => this.plain(a)) };
    this.emit(step);
    this.verbDepth++;
    let result: unknown;
    try {
      result = fn.apply(self, args);
    } finally {
      this.verbDepth--;
    }
    const kind = verb.returns;
    const bind = (value: unknown): unknown => {
      if (kind === undefined || typeof value !== 'object' || value === null) return value;
      step.as = `h${++this.handleCount}`;
      return this.wrapHandle(value, step.as, kind);
    };
    return result instanceof Promise ? result.then(bind) : bind(result);
  }

  /** A handle whose methods (those of its kind: a rule's `remove`, …) are recorded as handle steps. */
  private wrapHandle(handle: object, name: string, kind: HandleKind): object {
    const methods = HANDLE_METHODS[kind].map((m) => m.name);
    return new Proxy(handle, {
      get: (target, prop) => {
        const value = Reflect.get(target, prop, target);
        if (typeof value !== 'function' || typeof prop !== 'string' || !methods.includes(prop) || this.stopped) return value;
        return (...args: unknown[]) => {
          this.emit({ handle: name, call: prop, args: args.map((a) => this.plain(a)) });
          return (value as Function).apply(target, args);
        };
      },
    });
  }

  // ---- emitting steps ----

  /**
   * Appends a step where it belongs: inside the callback running now, or at the top level
   * (after the time that passed since the previous one). `cancel()` takes it back, with that
   * time, for a method call that turned out not to be an SDK API call (`getStatus()`).
   */
  private emit(step: Action | Step): { cancel(): void } {
    const frame = this.stack[this.stack.length - 1];
    const list: Array<Step | Action> = frame ? frame.do : this.steps;
    const mark = { length: list.length, time: this.timeAccounted, tasks: this.tasksAccounted, warnings: this.warnings.length };
    if (!frame) this.syncTime();
    list.push(step);
    return {
      cancel: () => {
        list.splice(mark.length);
        this.timeAccounted = mark.time;
        this.tasksAccounted = mark.tasks;
        this.warnings.splice(mark.warnings);
      },
    };
  }

  private emitSet(client: string, object: string | undefined, callback: string, on: boolean): void {
    const frame = this.stack[this.stack.length - 1];
    const list: Array<Step | Action> = frame ? frame.do : this.steps;
    if (!frame) this.syncTime();
    const last = list[list.length - 1] as { client?: string; object?: string; set?: Record<string, boolean> } | undefined;
    if (last?.set && last.client === client && last.object === object) {
      last.set[callback] = on;
      return;
    }
    list.push({ client, ...(object !== undefined ? { object } : {}), set: { [callback]: on } } as Step);
  }

  /** Before a top-level step: the time that passed, or the flush that ran, since the last one. */
  private syncTime(): void {
    const elapsed = this.cloud.now() - this.cloud.startTime;
    if (elapsed > this.timeAccounted) {
      this.steps.push({ advance: elapsed - this.timeAccounted });
      this.timeAccounted = elapsed;
      this.tasksAccounted = this.tasksRun;
    } else if (this.tasksRun > this.tasksAccounted) {
      this.steps.push({ advance: 0 });
      this.tasksAccounted = this.tasksRun;
    }
    if ((this.cloud.time as unknown as { driving: boolean }).driving) {
      this.warn(
        `a call at ${elapsed} ms came while the cloud was still delivering (after awaiting a callback); a replay makes it after that delivery has finished. ` +
          'Await cloud.flush() before it to record it exactly',
      );
    }
  }

  private uniqueClientName(account: string): string {
    let name = account;
    for (let n = 2; this.clientNames.has(name); n++) name = `${account}-${n}`;
    this.clientNames.add(name);
    return name;
  }

  private nameOf(object: object): string {
    return this.objectNames.get(object) ?? defaultObjectName(object);
  }

  private plain(value: unknown): unknown {
    return toPlain(value, (o) => [this.nameOf(o)]);
  }

  private warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }
}
