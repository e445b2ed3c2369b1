import { CloudServer } from './cloud/server.js';
import { installPeerMessages } from './cloud/peer-messages.js';
import type { MessageStore, StoredMessageLimits } from './cloud/message-store.js';
import { installUserFunctions } from './cloud/user-functions.js';
import { installChannels, type ChannelService, type ChannelSnapshot } from './cloud/channels.js';
import type { ChannelLimits } from './cloud/channel-limits.js';
import { channelFeature, onChannelPush } from './sdk/channel.js';
import { installInvites, type InviteSnapshot, type Invites } from './cloud/invites.js';
import { registerPhone, type PhoneScript, type PhoneState, type ScriptedPhone } from './cloud/phones.js';
import { callFeature } from './sdk/call.js';
import { signalingToken } from './cloud/token.js';
import { EmulatorError, invariant } from './errors.js';
import { dataField, describeArg, isInstance, errorName, readDuration, readList, readOptions, readWhole } from './arguments.js';
import { bounds } from './bounds.js';
import { ServiceFaults, type FailNextHandle, type TokenExpiryEffect } from './cloud/service-faults.js';
import type { LogEntry } from './log/entry.js';
import { EventLog, type LogMatch, type LogOptions } from './log/event-log.js';
import { describeQuery, matchesSafely, readLogMatch } from './log/match.js';
import { LogView } from './log/log-view.js';
import { formatTimeline, readTimelineOptions, type TimelineOptions } from './log/timeline.js';
import type { DownOptions } from './net/down.js';
import type { Outage } from './net/network.js';
import { Network } from './net/network.js';
import type { SdkContext } from './sdk/context.js';
import { Signal } from './sdk/signal.js';
import { createRng, type Rng } from './time/rng.js';
import { Timekeeper, type ClockMode } from './time/timekeeper.js';
import type { ListenOptions, WireServer } from './wire/listen.js';

export interface AppOptions {
  appId: string;
  /** With a certificate, logins need a valid SignalingToken; without, any token is accepted. */
  certificate?: string;
}

export interface CloudOptions {
  /** Seed of the cloud's one PRNG (default 1). */
  seed?: number;
  /** Virtual epoch in Unix ms (default 2024-01-01T00:00:00Z). */
  startTime?: number;
  /** Default one-way latency of every link in ms (default 0; still asynchronous). */
  latency?: number;
  /** Apps to declare up front. Undeclared app IDs are accepted without a certificate. */
  apps?: AppOptions[];
  /**
   * `'virtual'` (default): the cloud's own clock; time moves only with `advance`.
   * `'global'`: the global timers: `vi.useFakeTimers()`' clock when installed, else real time.
   */
  clock?: ClockMode;
  /** Most tasks at one virtual instant before a flush calls it an endless loop (default 10 000 000). */
  loopLimit?: number;
  /**
   * What the event log records and keeps (default: everything). For long runs:
   * `{ level: 'calls-and-callbacks' }` leaves out faults and server notes, `{ level: 'off' }`
   * records nothing, `{ capacity: 10_000 }` keeps only the latest 10 000 entries.
   */
  log?: LogOptions;
  /**
   * Virtual clock only: when the app is idle (100 microtask turns with nothing due), time
   * jumps to the next pending task that is not periodic, so awaiting an SDK callback is
   * enough even across timeouts and back-offs. With only periodic work left (pings), time
   * stands still. Default false: time moves only when the test moves it.
   */
  autoAdvance?: boolean;
  /**
   * Virtual clock without `autoAdvance`: when the test awaits while work is pending ahead and
   * nothing moves time for about a second of real time (`stallHint`, in real ms, default 1000),
   * the cloud says so on the console once, naming the next pending task and how to move time.
   * Never changes the log. `false` turns it off.
   */
  stallHint?: boolean | number;
}

/** The `Signal` factory of one cloud: callable with or without `new`, like the SDK's. */
export interface SignalFactory {
  (appid?: string): Signal;
  new (appid?: string): Signal;
}

export const DEFAULT_SEED = 1;
export const DEFAULT_START_TIME = Date.UTC(2024, 0, 1);
/** Most tasks at one virtual instant before a flush calls it an endless loop. */
const DEFAULT_LOOP_LIMIT = 10_000_000;

/**
 * A virtual Signaling cloud: its server, network, clock, SDK factory and event log.
 * Clouds share nothing with each other.
 */
export class Cloud {
  /** The seed this cloud's randomness comes from. */
  readonly seed: number;
  /** Virtual time the cloud started at (Unix ms). */
  readonly startTime: number;
  /** Everything observable, in order, with virtual timestamps. */
  readonly log: EventLog;
  /** The network between clients and the cloud. */
  readonly net: Network;
  /** The SDK factory: `cloud.Signal(appid)` is the SDK's `Signal(appid)`. */
  readonly Signal: SignalFactory;
  /** @internal */
  readonly server: CloudServer;
  /** @internal */
  readonly time: Timekeeper;
  /** @internal */
  readonly rng: Rng;
  readonly #service: ServiceFaults;
  readonly #messages: MessageStore;
  private disposed = false;

  constructor(given: CloudOptions = {}) {
    const options = checkOptions(given);
    this.seed = options.seed ?? DEFAULT_SEED;
    const mode = options.clock ?? 'virtual';
    this.rng = createRng(this.seed);
    this.time = new Timekeeper({
      mode,
      startTime: options.startTime ?? DEFAULT_START_TIME,
      loopLimit: options.loopLimit ?? DEFAULT_LOOP_LIMIT,
      describe: () => this.describe(),
      autoAdvance: options.autoAdvance ?? false,
      fault: (name, args) => this.log.append({ kind: 'fault', client: '', name, args }),
      stallHint: options.stallHint === false ? false : options.stallHint === true ? undefined : options.stallHint,
    });
    this.startTime = this.time.now();
    this.log = new EventLog(() => this.time.now(), { ...options.log, epoch: this.startTime });
    this.server = new CloudServer({ time: this.time, rng: this.rng, log: this.log });
    installUserFunctions(this.server);
    this.#messages = installPeerMessages(this.server);
    // server features: channels
    this.channelService = installChannels(this.server);


    // server features: calls
    this.invites = installInvites(this.server);

    for (const app of options.apps ?? []) this.createApp(app);
    this.net = new Network({ time: this.time, server: this.server, log: this.log, rng: this.rng }, { latency: options.latency ?? 0 });
    this.#service = new ServiceFaults(this.server);

    const ctx: SdkContext = {
      time: this.time,
      log: this.log,
      net: this.net,
      server: this.server,
      features: [channelFeature, callFeature],
      onChannelEvent: onChannelPush,
      nextSessionNumber: (account) => this.server.directory.nextSessionNumber(account),
    };
    const factory = function (appid?: string): Signal {
      return new Signal(ctx, appid);
    };
    // `new Signal(x)` returns the object the function returns; instanceof works too.
    factory.prototype = Signal.prototype;
    this.Signal = factory as SignalFactory;
  }

  /**
   * Declares an app. With a `certificate`, logins need a SignalingToken made for it.
   *
   * @example
   * cloud.createApp({ appId: 'app', certificate: 'cert' });
   * const token = cloud.token('app', 'alice', { expiresIn: 3600 });
   */
  createApp(app: AppOptions): void {
    invariant(app !== null && typeof app === 'object' && !Array.isArray(app), () => `Failed to create an app: expected { appId, certificate? }, got ${describeArg(app)}`);
    const o = readOptions(app, ['appId', 'certificate'], 'Failed to create an app', "{ appId: 'my-app', certificate?: '…' }");
    invariant(typeof o.appId === 'string' && o.appId.length > 0, () => `Failed to create an app: appId must be a non-empty string, got ${describeArg(o.appId)}`);
    invariant(
      o.certificate === undefined || (typeof o.certificate === 'string' && o.certificate.length > 0),
      `Failed to create app '${o.appId}': certificate must be a non-empty string (omit it for an app without tokens)`,
    );
    this.server.createApp(o.appId, o.certificate as string | undefined);
  }

  /**
   * A valid SignalingToken for `account` of a declared app, expiring `expiresIn` seconds from
   * now on the virtual clock (default 24 h).
   */
  token(appId: string, account: string, options: { expiresIn?: number } = {}): string {
    const what = 'Failed to make a token';
    invariant(typeof appId === 'string', () => `${what}: appId must be a string, got ${describeArg(appId)}`);
    const app = this.server.apps.get(appId);
    invariant(app, () => `${what}: app '${appId}' is not declared (declared: ${[...this.server.apps.keys()].join(', ') || 'none'}). Declare it with cloud.createApp({ appId, certificate })`);
    invariant(app.certificate !== undefined, `${what}: app '${appId}' has no certificate, so it takes '_no_need_token'`);
    invariant(typeof account === 'string', () => `${what}: account must be a string, got ${describeArg(account)}`);
    const o = readOptions(options, ['expiresIn'], what, '{ expiresIn: 3600 }');
    const expiresIn = o.expiresIn ?? 86_400;
    invariant(typeof expiresIn === 'number' && Number.isFinite(expiresIn), () => `${what}: expiresIn must be a number of seconds, got ${describeArg(expiresIn)}`);
    invariant(
      Math.abs(expiresIn) <= bounds.maxTokenSeconds,
      `${what}: expiresIn is ${expiresIn} s, beyond the ${bounds.maxTokenSeconds} s (10 years) a token may live (or have expired)`,
    );
    // An expiry before 1970 is an expired token all the same: the earliest a token can say.
    return signalingToken(appId, app.certificate, account, Math.max(0, Math.floor(this.now() / 1000) + Math.floor(expiresIn)));
  }

  /**
   * Sets `target.Signal` to this cloud's factory, for apps that use the global. Returns the
   * function that puts the previous value back.
   */
  install(target: object = globalThis): () => void {
    invariant(
      (typeof target === 'object' || typeof target === 'function') && target !== null,
      () => `Failed to install(target): the target must be an object (globalThis, window), got ${describeArg(target)}`,
    );
    const t = target as { Signal?: unknown };
    let had: boolean;
    let previous: unknown;
    try {
      had = Object.prototype.hasOwnProperty.call(t, 'Signal');
      previous = t.Signal;
      t.Signal = this.Signal;
    } catch (error) {
      throw new EmulatorError(`Failed to install(target): cannot set Signal on the target (${errorName(error)}); pass globalThis or window`);
    }
    return () => {
      if (had) t.Signal = previous;
      else delete t.Signal;
    };
  }

  /** Virtual time in Unix ms. */
  now(): number {
    return this.time.now();
  }

  /** Delivers everything due now, letting the app's promise chains run between deliveries. */
  async flush(): Promise<void> {
    this.checkLive('flush');
    return this.time.flush();
  }

  /** Delivers everything due now, synchronously. */
  flushSync(): void {
    this.checkLive('flushSync');
    this.time.flushSync();
  }

  /** Moves virtual time forward by `ms`, delivering everything due on the way, in order. */
  async advance(ms: number): Promise<void> {
    this.checkLive('advance');
    return this.time.advance(this.checkAdvance(ms, 'advance'));
  }

  /** `advance`, synchronously (the app's promise continuations do not interleave). */
  advanceSync(ms: number): void {
    this.checkLive('advanceSync');
    this.time.advanceSync(this.checkAdvance(ms, 'advanceSync'));
  }

  /**
   * Steps through time, task by task, until `predicate()` holds, or until an entry matching a
   * log match is appended (entries already in the log do not count), at most `within` ms
   * ahead (default 60 000). Resolves with the time the predicate held at, or with the matching
   * entry. Throws with the seed and the tail of the log when neither happened in time.
   *
   * Virtual clock: steps the cloud's scheduler. `clock: 'global'` under fake timers: ticks
   * the installed fake clock (the app's own timers run on the way). Real time: waits.
   *
   * @example
   * cloud.net.disconnect('bob', { for: 5_000 });
   * const entry = await cloud.until({ client: 'bob', name: 'onLoginSuccess' }, { within: 10_000 });
   * await cloud.until(() => bob.getStatus() === 2);
   */
  until(match: LogMatch, options?: { within?: number; what?: string }): Promise<LogEntry>;
  until(predicate: () => boolean, options?: { within?: number; what?: string }): Promise<number>;
  async until(target: (() => boolean) | LogMatch, options: { within?: number; what?: string } = {}): Promise<number | LogEntry> {
    this.checkLive('until');
    const o = readOptions(options, ['within', 'what'], 'Failed to run until', '{ within: 5000 }');
    const within = readDuration(o.within ?? 60_000, 'Failed to run until', 'within');
    invariant(o.what === undefined || typeof o.what === 'string', () => `Failed to run until: what must be a string (said when it fails), got ${describeArg(o.what)}`);
    const what = o.what as string | undefined;
    if (typeof target === 'function') {
      return this.time.until(target as () => boolean, within, what ?? 'the condition');
    }
    invariant(
      target !== null && typeof target === 'object' && !Array.isArray(target),
      () => `Failed to run until: expected a predicate function or a log match like { client: 'bob', name: 'onLogout' }, got ${describeArg(target)}`,
    );
    const match = readLogMatch(target, 'Failed to run until');
    invariant(this.log.level !== 'off', "Failed to run until a log entry: this cloud's log records nothing (log: { level: 'off' }); wait on a predicate instead");
    // Entries are watched as they are recorded, so a log capacity cannot hide one.
    const earlier = this.log.filter(match).length;
    let found: LogEntry | undefined;
    // The match runs inside the cloud's work (as each entry is recorded): what it throws (a
    // `where` or `args` predicate of the test's) is kept and ends the wait, never thrown there.
    let thrown: EmulatorError | undefined;
    const stop = this.log.subscribe((entry) => {
      if (found || thrown) return;
      const result = matchesSafely(entry, match, 'Failed to run until');
      if (result instanceof EmulatorError) thrown = result;
      else if (result) found = entry;
    });
    const hint = (): string =>
      earlier > 0 ? ` (${earlier} matching ${earlier === 1 ? 'entry was' : 'entries were'} already in the log before until() was called; only new ones count)` : '';
    try {
      await this.time.until(() => found !== undefined || thrown !== undefined, within, what ?? `a log entry matching ${describeMatch(match)}`, hint);
    } finally {
      stop();
    }
    if (thrown) throw thrown;
    return found!;
  }

  /**
   * Runs until nothing but periodic work (pings, idle polls, counters) is pending: every
   * delivery made, every timeout and back-off played out. At most `within` ms ahead (default
   * 300 000); throws with the pending work, the seed and the log's tail otherwise. Resolves
   * with the time it settled at.
   *
   * @example
   * cloud.net.disconnect('bob');            // the SDK retries until it gives up
   * await cloud.settle();
   * expect(bob.getStatus()).toBe(0);
   */
  async settle(options: { within?: number } = {}): Promise<number> {
    this.checkLive('settle');
    const o = readOptions(options, ['within'], 'Failed to settle', '{ within: 600_000 }');
    return this.time.settle(readDuration(o.within ?? 300_000, 'Failed to settle', 'within'));
  }

  /**
   * The log (or the given entries) as aligned text, time relative to the cloud's start.
   *
   * @example
   * console.log(cloud.timeline());
   * console.log(cloud.timeline({ client: 'alice', time: 'absolute' }));
   * console.log(cloud.timeline(cloud.log.since(mark)));
   */
  timeline(options?: TimelineOptions): string;
  timeline(entries: readonly LogEntry[] | LogView, options?: TimelineOptions): string;
  timeline(source?: readonly LogEntry[] | LogView | TimelineOptions, options: TimelineOptions = {}): string {
    if (source === undefined || source === this.log) return this.log.timeline(options);
    if (isInstance(source, LogView)) return source.timeline(options);
    if (Array.isArray(source)) {
      const entries = readList(source, 'Failed to draw the timeline', 'entries');
      for (const [i, e] of entries.entries()) invariant(isEntry(e), () => `Failed to draw the timeline: entries[${i}] is not a log entry (got ${describeArg(e)}); pass cloud.log.entries or a part of it`);
      return formatTimeline(entries as LogEntry[], { epoch: this.startTime, ...readTimelineOptions(options, 'Failed to draw the timeline') });
    }
    return this.log.timeline(source as TimelineOptions);
  }

  /** What the server holds now: per app, the users online, stored messages and channels. */
  inspect(): CloudSnapshot {
    return {
      t: this.now(),
      apps: [...this.server.apps.values()].map((app) => ({
        appId: app.appId,
        certificate: app.certificate !== undefined,
        online: [...app.sessions.values()].map((s) => ({ account: s.account.account, uid: s.account.uid, line: s.line, since: this.time.origin + s.loggedInSince })),
        storedMessages: [...app.accounts.values()].flatMap((a) =>
          (a.stored ?? []).map((m) => ({ to: a.account, from: m.msg.from, type: m.msg.type, expiresAt: m.expiresAt, expiresIn: Math.max(0, m.expiresAt - this.now()) })),
        ),
        channels: this.channelService.snapshot(app),
        invites: this.invites.list().filter((i) => i.app === app).map((i) => this.invites.snapshot(i)),
      })),
      phones: [...this.invites.phones.values()].map((p) => ({ number: p.number, state: p.state, peer: p.peer ?? null, received: p.received.length, dtmf: p.dtmf })),
      pendingTasks: this.time.scheduler.pending().length,
    };
  }

  // section: wire
  private readonly wireServers = new Set<WireServer>();

  /**
   * Serves this cloud over the real 1.4.0 WebSocket protocol, on `127.0.0.1` and a free port by
   * default, so that the unmodified SDK (in Node or a browser) connects to it. The same port
   * answers the LBS lookup `GET /getaddr?vid=…`. Wire clients and in-process clients of one
   * cloud see each other. Use `clock: 'global'` so the cloud keeps the real SDK's (real) time.
   * With `dashboard: true` the same port serves the dashboard page at `server.dashboardUrl`.
   *
   * @example
   * const cloud = createCloud({ clock: 'global' });
   * const server = await cloud.listen();
   * const signal = Signal('my-app');                 // the real SDK
   * signal.setup_debugging('ap_url', server.url);    // ws://127.0.0.1:PORT/
   * // … and at the end:
   * await server.close();
   */
  async listen(options: ListenOptions = {}): Promise<WireServer> {
    this.checkLive('listen');
    // Loaded on first use: apps that never listen (or run in a browser) never load `ws`.
    const wire = await import('./wire/listen.js');
    const dashboard = options?.dashboard === true ? (await import('./serve/dashboard.js')).dashboardFor(this) : undefined;
    const server: WireServer = await wire.listen(
      { server: this.server, log: this.log, onClose: () => this.wireServers.delete(server), live: () => !this.disposed, net: this.net, http: dashboard, now: () => this.now() },
      options,
    );
    this.wireServers.add(server);
    return server;
  }


  // section: channels
  /** @internal */
  private readonly channelService: ChannelService;

  /**
   * The channels the server holds now (of one app, or of all), with their members in join
   * order, attributes (the server's `_member_num` / `_total_member_num` included), last msgid
   * and, for an empty channel, when it goes away.
   *
   * @example
   * expect(cloud.channels('app')[0]).toMatchObject({ name: 'room', members: [{ account: 'alice' }] });
   */
  channels(appId?: string): ChannelSnapshot[] {
    invariant(appId === undefined || typeof appId === 'string', () => `Failed to list channels: appId must be a string, got ${describeArg(appId)}`);
    const apps = appId === undefined ? [...this.server.apps.values()] : [this.server.apps.get(appId)].filter((a) => a !== undefined);
    return apps.flatMap((app) => this.channelService.snapshot(app));
  }

  /**
   * Lowers (or raises) the channel limits of this cloud, to reach them in a test without
   * thousands of clients. Returns the limits now in effect. Defaults: `maxMembers` 10 000,
   * `userMessagesPerSecond` 60, `channelMessagesPerSecond` 200, `userListSize` 200.
   *
   * @example
   * cloud.setChannelLimits({ maxMembers: 2 }); // the third join gets onChannelJoinFailed("channel full")
   */
  setChannelLimits(limits: Partial<ChannelLimits>): ChannelLimits {
    this.checkLive('setChannelLimits');
    return this.channelService.setLimits(limits);
  }


  /**
   * Changes how many messages the server keeps for offline users: at most `perAccount` for one
   * account (default 1 000) and `perApp` in one app (default 10 000). One more is refused: the
   * sender's `cb(true)`, and a `refused` entry in the log. Returns the limits now in effect.
   *
   * @example
   * cloud.setStoredMessageLimits({ perAccount: 2 }); // the third message to an offline bob: cb(true)
   */
  setStoredMessageLimits(limits: Partial<StoredMessageLimits>): StoredMessageLimits {
    this.checkLive('setStoredMessageLimits');
    return this.#messages.setLimits(limits);
  }

  // section: calls
  /** @internal The server's invites and the SIP gateway's phones. */
  readonly invites: Invites;

  /**
   * Registers a scripted phone: invites to `number` (a SIP call) ring it instead of an
   * account. It acknowledges at once, then answers as the script says (`answer: 'accept' |
   * 'refuse' | 'ignore'` after `after` ms, hanging up `hangUpAfter` ms after accepting), or as
   * the test says with `phone.accept()`, `phone.refuse()`, `phone.hangUp()`. `phone.received`
   * lists the invites with their extras (`srcNum`, `destMediaUid`), `phone.dtmf` the digits.
   *
   * @example
   * const phone = cloud.phone('+15551234', { answer: 'accept', after: 2000, hangUpAfter: 60_000 });
   * const call = session.channelInviteUser2('room', '+15551234', { srcNum: '+15550000' });
   * await cloud.advance(2000);   // call.onInviteAcceptedByPeer('')
   * expect(phone.received[0]!.srcNum).toBe('+15550000');
   */
  phone(number: string, script: PhoneScript = {}): ScriptedPhone {
    this.checkLive('phone');
    return registerPhone(this.invites, number, script);
  }

  // section: faults

  /**
   * Kicks the account's session from the server: 1.4.0 fires `onLogout(103)`. Throws when
   * the account is not logged in (or, in several apps, when `appId` does not say which).
   *
   * @example
   * cloud.kick('bob');
   * await cloud.until({ client: 'bob', name: 'onLogout' });
   */
  kick(account: string, options: { appId?: string; reason?: string } = {}): void {
    this.checkLive('kick');
    const o = readOptions(options, ['appId', 'reason'], 'Failed to kick', "{ appId: 'my-app', reason: 'kick' }");
    invariant(o.reason === undefined || (typeof o.reason === 'string' && o.reason !== ''), () => `Failed to kick: reason must be a non-empty string, got ${describeArg(o.reason)}`);
    this.#service.kick(account, appIdOption(o.appId, 'kick'), (o.reason as string | undefined) ?? 'kick');
  }

  /**
   * Closes the account's session from the server (`close`): 1.4.0 fires `onLogout(102)`
   * and does not reconnect.
   *
   * @example
   * cloud.closeSession('bob');
   */
  closeSession(account: string, options: { appId?: string } = {}): void {
    this.checkLive('closeSession');
    const o = readOptions(options, ['appId'], 'Failed to close a session', "{ appId: 'my-app' }");
    this.#service.closeSession(account, appIdOption(o.appId, 'close a session'));
  }

  /**
   * Expires the token the account's session logged in with. What a live session sees is not
   * documented; `effect` chooses: `'next-login'` (default: nothing now, its next login or
   * reconnect is refused with `TokenErrorExpired`: `onLoginFailed(204)`, or, while
   * reconnecting, state 0 with no callback), `'kick'` (`onLogout(103)` now) or `'close'`
   * (`onLogout(102)` now).
   *
   * @example
   * cloud.expireToken('bob');
   * cloud.net.disconnect('bob', { for: 1_000 });   // the re-login is refused
   */
  expireToken(account: string, options: { appId?: string; effect?: TokenExpiryEffect } = {}): void {
    this.checkLive('expireToken');
    const o = readOptions(options, ['appId', 'effect'], 'Failed to expire a token', "{ effect: 'kick' }");
    this.#service.expireToken(account, appIdOption(o.appId, 'expire a token'), (o.effect as TokenExpiryEffect | undefined) ?? 'next-login');
  }

  /**
   * Makes the server refuse the next request named `request` (`'login'` or a call2 function
   * such as `'user_sendmsg'`, `'channel_join'`), optionally only from `account`, `times`
   * times (default 1), with `reason` as the refusal.
   *
   * @example
   * cloud.failNext('user_sendmsg', { account: 'alice', reason: 'peer offline' });
   * alice.messageInstantSend('bob', 'hi', (isError) => {});   // isError === true
   */
  failNext(request: string, options: { reason: string; account?: string; appId?: string; times?: number }): FailNextHandle {
    this.checkLive('failNext');
    return this.#service.failNext(request, options);
  }

  /**
   * Makes the server refuse the account's next login with `reason` (1.4.0 maps it to a code:
   * `TokenErrorExpired` → 204, other `TokenError…` → 206, `wrong account…` → 209, `kick` → 207,
   * anything else → 201). The same as `failNext('login', { account, reason })`.
   *
   * @example
   * cloud.refuseLogin('bob', 'TokenErrorWrong');   // onLoginFailed(206)
   */
  refuseLogin(account: string, reason: string, options: { times?: number; appId?: string } = {}): FailNextHandle {
    this.checkLive('refuseLogin');
    invariant(typeof account === 'string' && account !== '', () => `Failed to refuse a login: expected an account name, got ${describeArg(account)}`);
    const o = readOptions(options, ['times', 'appId'], 'Failed to refuse a login', '{ times: 3 }');
    return this.#service.failNext('login', { account, reason, ...o } as { reason: string });
  }

  /**
   * An outage of the whole cloud for `ms` (or until `end()`): every connection breaks, every
   * attempt fails, the server loses every session. The same as `cloud.net.outage(ms)`.
   *
   * @example
   * cloud.outage(10_000);
   * await cloud.settle();
   */
  outage(ms?: number, options: Omit<DownOptions, 'for'> = {}): Outage {
    this.checkLive('outage');
    return this.net.outage(ms, options);
  }

  // section: log tools


  /** Stops everything: no timers stay behind, no SDK callback fires afterwards. */
  dispose(): void {
    this.disposed = true;
    for (const server of this.wireServers) void server.close();
    this.net.dispose();
    this.time.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  private checkLive(verb: string): void {
    if (this.disposed) throw new EmulatorError(`Failed to ${verb}: the cloud has been disposed`);
  }

  /** A time to advance by: a duration within bounds that keeps virtual time within Date's range. */
  private checkAdvance(ms: unknown, verb: string): number {
    const d = readDuration(ms, `Failed to ${verb}`, 'the time to advance by', 'advance in several steps if the test needs more');
    invariant(
      this.now() + d <= bounds.maxVirtualTime,
      () => `Failed to ${verb}: ${d} ms from now is past the latest virtual time, ${bounds.maxVirtualTime} (the end of Date's range)`,
    );
    return d;
  }

  private describe(): string {
    const tail = this.log.entries.slice(-15);
    return `seed: ${this.seed}; last ${tail.length} log entries:\n${formatTimeline(tail, { epoch: this.startTime })}`;
  }
}

export interface CloudSnapshot {
  t: number;
  apps: Array<{
    appId: string;
    certificate: boolean;
    online: Array<{ account: string; uid: number; line: string; since: number }>;
    /** Messages kept for offline users: `expiresAt` virtual Unix ms, `expiresIn` ms from now (never negative). */
    storedMessages: Array<{ to: string; from: string; type: string; expiresAt: number; expiresIn: number }>;
    channels: ChannelSnapshot[];
    /** Invites and calls the server holds, with the deadline at which each would fail. */
    invites: InviteSnapshot[];
  }>;
  /** Scripted phones on the SIP gateway. */
  phones: Array<{ number: string; state: PhoneState; peer: string | null; received: number; dtmf: string }>;
  pendingTasks: number;
}

/**
 * Creates a virtual Signaling cloud.
 *
 * @example
 * const cloud = createCloud({ seed: 1 });
 * const session = cloud.Signal('my-app').login('alice', '_no_need_token');
 * await cloud.flush();
 * expect(session.getStatus()).toBe(2);
 */
export function createCloud(options: CloudOptions = {}): Cloud {
  return new Cloud(options);
}

/** A log match as text for messages (RegExps and functions shown as they are written). */
function describeMatch(match: LogMatch): string {
  try {
    return JSON.stringify(match, (_k, v: unknown) => (v instanceof RegExp || typeof v === 'function' ? String(v) : typeof v === 'bigint' ? `${v}n` : v));
  } catch {
    return describeQuery(match);
  }
}

/** The cloud's options, read by allowlist and checked (bounds included), as a plain copy. */
function checkOptions(given: CloudOptions): CloudOptions {
  const what = 'Failed to create the cloud';
  invariant(given !== null && typeof given === 'object' && !Array.isArray(given), () => `${what}: options must be an object, got ${describeArg(given)}`);
  const known = ['seed', 'startTime', 'latency', 'apps', 'clock', 'loopLimit', 'log', 'autoAdvance', 'stallHint'] as const;
  const options = readOptions(given, known, what, '{ seed: 1, latency: 20 }');
  if (options.seed !== undefined) {
    invariant(typeof options.seed === 'number' && Number.isInteger(options.seed), () => `${what}: seed must be an integer, got ${describeArg(options.seed)}`);
    invariant(Number.isSafeInteger(options.seed), `${what}: seed must be a safe integer (at most ${Number.MAX_SAFE_INTEGER} either way), got ${options.seed}`);
  }
  if (options.clock !== undefined) invariant(options.clock === 'virtual' || options.clock === 'global', () => `${what}: clock must be 'virtual' or 'global', got ${describeArg(options.clock)}`);
  if (options.log !== undefined) {
    invariant(typeof options.log === 'object' && options.log !== null, () => `${what}: log must be an object like { level: 'calls-and-callbacks', capacity: 10000 }, got ${describeArg(options.log)}`);
    options.log = readOptions(options.log, ['level', 'capacity'], what, "{ level: 'all', capacity: 10000 }", 'log option');
  }
  if (options.startTime !== undefined) {
    invariant(typeof options.startTime === 'number' && Number.isFinite(options.startTime), () => `${what}: startTime must be Unix ms, got ${describeArg(options.startTime)}`);
    invariant(
      options.startTime >= 0 && options.startTime <= bounds.maxStartTime,
      `${what}: startTime must be Unix ms from 0 (1970) to ${bounds.maxStartTime} (the end of the year 9999), got ${options.startTime}`,
    );
  }
  if (options.latency !== undefined) readDuration(options.latency, what, 'latency');
  if (options.apps !== undefined) {
    invariant(Array.isArray(options.apps), () => `${what}: apps must be a list like [{ appId, certificate? }], got ${describeArg(options.apps)}`);
    options.apps = readList(options.apps, what, 'apps');
  }
  if (options.loopLimit !== undefined) readWhole(options.loopLimit, what, 'loopLimit', 1, bounds.maxLoopLimit);
  if (options.autoAdvance !== undefined) {
    invariant(typeof options.autoAdvance === 'boolean', () => `${what}: autoAdvance must be true or false, got ${describeArg(options.autoAdvance)}`);
  }
  if (options.stallHint !== undefined && typeof options.stallHint !== 'boolean') {
    readWhole(options.stallHint, what, 'stallHint (real ms, or true/false)', 1, 3_600_000);
  }
  return options as CloudOptions;
}

/** An `appId` option of a service verb: a string when given. */
function appIdOption(appId: unknown, verb: string): string | undefined {
  invariant(appId === undefined || typeof appId === 'string', () => `Failed to ${verb}: appId must be a string, got ${describeArg(appId)}`);
  return appId as string | undefined;
}

/** A log entry as `timeline(entries)` reads it: its fields are data of the right types. */
function isEntry(value: unknown): value is LogEntry {
  const field = (key: string): unknown => dataField(value, key);
  return typeof field('seq') === 'number' && typeof field('t') === 'number' && typeof field('kind') === 'string' && typeof field('client') === 'string' && typeof field('name') === 'string' && Array.isArray(field('args'));
}

