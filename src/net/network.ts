import type { Push } from '../cloud/protocol.js';
import type { CloudServer } from '../cloud/server.js';
import type { ServerSession } from '../cloud/state.js';
import { describeArg, readDuration, readOptions } from '../arguments.js';
import { invariant } from '../errors.js';
import type { EventLog } from '../log/event-log.js';
import type { Rng } from '../time/rng.js';
import type { Timekeeper } from '../time/timekeeper.js';
import { checkDownOptions, type Down, type DownOptions } from './down.js';
import type { ExternalConnection, WireNetwork } from './external.js';
import { Hold } from './hold.js';
import { FanOut, FanOutsInFlight } from './fan-out.js';
import { Link, type Flight, type LinkClient, type LinkContext, type Route } from './link.js';
import { describeMessage, type NetMessage } from './message.js';
import {
  checkFilter,
  customRule,
  duplicateRule,
  holdRule,
  latencyRule,
  lossRule,
  ruleApplies,
  type CustomRule,
  type NetFilter,
  type Rule,
  type RuleHandle,
} from './rules.js';

export interface NetworkOptions {
  /** One-way latency of every link in ms (default 0: still asynchronous). */
  latency: number;
}

export interface NetworkContext {
  time: Timekeeper;
  server: CloudServer;
  log: EventLog;
  rng: Rng;
}

/** A custom rule's options: a filter, and the name the log gives the rule. */
export interface CustomRuleOptions extends NetFilter {
  /** The rule's name in the log (default `'rule'`). */
  name?: string;
}

/** An outage of the whole cloud; `end()` ends it early. */
export interface Outage {
  readonly active: boolean;
  end(): void;
}

/** What the network holds now (`cloud.net.inspect()`). */
export interface NetSnapshot {
  rules: Array<{ name: string; filter: NetFilter }>;
  held: number;
  disconnected: string[];
  outage: boolean;
  inFlight: Array<{ link: number; account: string; direction: 'up' | 'down'; kind: string; due: number }>;
}

/**
 * The cloud's network (`cloud.net`): one link per client connection (one WebSocket of the
 * SDK), all on the cloud's scheduler, and the faults the test scripts on them.
 *
 * Faults are rules over the messages that cross links, per link and direction (`up`: client
 * → cloud, `down`: cloud → client), filtered by account and message kind. Each rule is
 * evaluated in the order installed; each returns a handle whose `remove()` uninstalls it.
 * Randomness (jitter, loss) comes from the cloud's seeded rng. Every fault applied is a
 * `'fault'` entry in the log, named after the rule, with the direction, the message and what
 * happened to it; a message a fault drops is never lost silently.
 *
 * @example
 * cloud.net.latency([50, 150]);                          // jitter on every link
 * cloud.net.loss(0.2, { account: 'bob', direction: 'down', kind: 'instant' });
 * cloud.net.disconnect('bob', { for: 5_000 });           // SDK reconnects after 5 s
 */
export class Network implements WireNetwork {
  private readonly ctx: NetworkContext;
  private readonly linkCtx: LinkContext;
  private readonly baseLatency: number;
  /**
   * The links not yet forgotten, in the order they were made, and forgotten ones until the
   * list is compacted (see {@link #forget}): an array rather than a Set, whose entries took
   * 26 bytes and a hash insert for each of 100 000 clients.
   */
  private links: Link[] = [];
  /** Forgotten links still in {@link links}. */
  private forgottenLinks = 0;
  /** Wire connections, which faults can break too. */
  private readonly externals = new Set<ExternalConnection>();
  private rules: Rule[] = [];
  private readonly holds = new Map<Rule, Hold>();
  private readonly down = new Map<string, Down>();
  private outageState: Down | undefined;
  private nextLinkId = 1;
  /** The route of every message when no rule is installed (links only read it). */
  private readonly plain: Route;
  private nextRuleId = 1;
  private flightSeq = 0;
  #disposed = false;

  constructor(ctx: NetworkContext, options: NetworkOptions) {
    invariant(
      Number.isFinite(options.latency) && options.latency >= 0,
      `Failed to create the cloud: latency must be a non-negative number of ms, got ${String(options.latency)}`,
    );
    this.ctx = ctx;
    this.baseLatency = options.latency;
    this.plain = Object.freeze({ fate: 'deliver', delay: options.latency, copies: 1 }) as Route;
    this.linkCtx = {
      time: ctx.time,
      server: ctx.server,
      log: ctx.log,
      route: (link, flight) => this.#route(link, flight),
      plainDelay: (link) =>
        this.rules.length === 0 && this.outageState === undefined && (this.down.size === 0 || !this.down.has(link.account)) ? this.baseLatency : undefined,
      // No rule: no message object to match against (one per connection attempt).
      answerDelay: (link) =>
        this.rules.length === 0
          ? this.baseLatency
          : this.#latencyOf({ direction: 'down', account: link.account, link: link.id, kind: 'connect', detail: undefined }),
      forget: () => this.#forget(),
      nextFlightSeq: () => this.flightSeq++,
      fanOuts: new FanOutsInFlight(),
      pushFrom: (sessions, from, except, push) => this.#pushFrom(sessions, from, except, push),
      spare: undefined,
    };
  }

  /**
   * A channel event to `sessions[from]`, a session on one of this network's links, and to the
   * sessions after it that may join the same fan-out (in-process links with only the default
   * latency, nothing of theirs arriving later), in one loop, exactly as one push after the
   * other would go; returns the index of the first session not handled (the server pushes to
   * it the ordinary way, or comes back here).
   */
  #pushFrom(sessions: readonly ServerSession[], from: number, except: ServerSession | undefined, push: Push): number {
    const time = this.ctx.time;
    const n = sessions.length;
    const fanOuts = this.linkCtx.fanOuts;
    fanOuts.sizeHint = n - from;
    try {
      sessions[from]!.port.push(push);
    } finally {
      fanOuts.sizeHint = 0;
    }
    let i = from + 1;
    if (this.rules.length > 0 || this.outageState !== undefined) return i;
    const open = time.openBatch(this.baseLatency);
    if (!(open instanceof FanOut) || !open.takes(push, this.flightSeq)) return i;
    const due = open.due;
    const dueSince = time.since(due);
    const down = this.down.size > 0 ? this.down : undefined;
    let added = 0;
    while (i < n) {
      const next = sessions[i]!;
      if (next !== except && !next.ended) {
        const port = next.port;
        if (!(port instanceof Link) || (down !== undefined && down.has(port.account)) || !port.joinFanOut(open, due, dueSince)) break;
        added++;
      }
      i++;
    }
    if (added > 0) {
      time.extendBatch(added);
      this.flightSeq += added;
    }
    return i;
  }

  /** The one-way latency of every link when no latency rule matches (the cloud's `latency` option). */
  get defaultLatency(): number {
    return this.baseLatency;
  }

  // ---- rules ----

  /**
   * Sets the one-way latency of the messages the filter selects: `ms`, or a range `[min, max]`
   * drawn from the seeded rng for each message (jitter). The latest rule that matches a
   * message wins over earlier ones and over the cloud's `latency` option. Messages on one link
   * stay in order (a WebSocket is one TCP stream); jitter reorders across links.
   *
   * @example
   * cloud.net.latency([20, 200]);                           // everyone, jitter
   * cloud.net.latency(1_000, { account: 'bob', direction: 'up' });
   */
  latency(ms: number | readonly [number, number], filter?: NetFilter): RuleHandle {
    this.#live('latency');
    const f = checkFilter(filter, 'set latency');
    return this.#install(latencyRule(this.nextRuleId++, ms, f), { ms });
  }

  /**
   * Drops each selected message with `probability` (from the seeded rng). A dropped request
   * never reaches the server (1.4.0 has no reply timeout: its callback never comes); a dropped
   * push never reaches the app. Connection attempts and closes are not messages and are not
   * dropped.
   *
   * @example
   * cloud.net.loss(0.3, { direction: 'down', kind: 'msg' });
   */
  loss(probability: number, filter?: NetFilter): RuleHandle {
    this.#live('loss');
    const f = checkFilter(filter, 'set loss');
    return this.#install(lossRule(this.nextRuleId++, probability, f), { p: probability });
  }

  /**
   * Delivers each selected message twice with `probability` (default 1: always). The copy
   * arrives right after the original.
   *
   * @example
   * cloud.net.duplicate(1, { kind: 'call2-ret' });   // 1.4.0 runs the reply callback twice
   */
  duplicate(probability = 1, filter?: NetFilter): RuleHandle {
    this.#live('duplicate');
    const f = checkFilter(filter, 'set duplication');
    return this.#install(duplicateRule(this.nextRuleId++, probability, f), { p: probability });
  }

  /**
   * Installs a custom rule: `fn(message, rng)` answers `'pass'`, `'drop'`, `'fail'` (the link
   * breaks with an error) or `{ delay }` (extra ms) for every message the filter selects,
   * connection attempts (`kind: 'connect'`) included.
   *
   * @example
   * cloud.net.rule((m) => (m.detail === 'voip_invite' ? 'drop' : 'pass'), { name: 'no invites' });
   */
  rule(fn: CustomRule, options: CustomRuleOptions = {}): RuleHandle {
    this.#live('rule');
    const { name = 'rule', ...filter } = readOptions(options, ['name', 'account', 'direction', 'kind'], 'Failed to add a rule', "{ name: 'no invites', account: 'bob' }");
    invariant(typeof name === 'string' && name !== '', () => `Failed to add a rule: name must be a non-empty string, got ${describeArg(name)}`);
    const f = checkFilter(filter as NetFilter, 'add a rule');
    return this.#install(customRule(this.nextRuleId++, name, fn, f), {});
  }

  /**
   * Holds the selected messages, those already in flight included, until `release()`; they
   * then arrive in the order they were sent. Connection attempts are never held.
   *
   * @example
   * const hold = cloud.net.hold({ account: 'bob', direction: 'down' });
   * await cloud.advance(10_000);
   * hold.release();
   */
  hold(filter?: NetFilter): Hold {
    this.#live('hold');
    const f = checkFilter(filter, 'hold');
    const rule = holdRule(this.nextRuleId++, f);
    const hold = new Hold(this.ctx.log, () => this.#uninstall(rule, 'released'));
    this.holds.set(rule, hold);
    this.#install(rule, {});
    for (const link of this.#linksNow()) {
      for (const flight of link.takeFlights((m) => ruleApplies(rule, m))) hold.capture(flight, true);
    }
    return hold;
  }

  /**
   * Releases every hold; returns how many messages were held.
   *
   * @example
   * cloud.net.hold({ direction: 'down' });
   * await cloud.advance(5_000);
   * cloud.net.release();
   */
  release(): number {
    this.#live('release');
    let n = 0;
    for (const hold of [...this.holds.values()]) n += hold.release();
    return n;
  }

  // ---- links going down ----

  /**
   * Takes one account's network down: its open links break at once (messages in flight are
   * lost, the server ends the session, the SDK sees `close` or, with `how: 'error'`, `error`),
   * and its connection attempts fail (`attempts: 'refused'`, default) or go unanswered
   * (`'unanswered'`: the SDK's 6 s connect timeout) until `reconnect(account)` or, with
   * `for`, by itself after that many ms.
   *
   * Quirk of 1.4.0: after a `close` a logged-in session reconnects (state 3); after an
   * `error` it fires `onLogout(102)` and does not.
   *
   * @example
   * cloud.net.disconnect('bob', { for: 5_000 });
   * await cloud.until({ client: 'bob', name: 'onLoginSuccess' });   // the SDK reconnected
   */
  disconnect(account: string, options?: DownOptions): void {
    this.#live('disconnect');
    invariant(typeof account === 'string' && account !== '', () => `Failed to disconnect: expected an account name, got ${describeArg(account)}`);
    const o = checkDownOptions(options, `disconnect '${account}'`);
    const already = this.down.get(account);
    invariant(
      !already,
      () => `Cannot disconnect '${account}': it is already disconnected (since t=${already!.since}). Call cloud.net.reconnect('${account}') first`,
    );
    const down: Down = { fault: 'disconnect', how: o.how, attempts: o.attempts, since: this.ctx.time.now(), timer: undefined };
    this.down.set(account, down);
    this.ctx.log.append({ kind: 'fault', client: account, name: 'disconnect', args: [{ how: o.how, attempts: o.attempts, ...(o.for !== undefined ? { for: o.for } : {}) }] });
    for (const link of this.#linksNow()) if (link.account === account) link.break(o.how, 'disconnect', o.attempts === 'unanswered', true);
    for (const conn of [...this.externals]) if (conn.label === account) conn.drop(o.how);
    if (o.for !== undefined) {
      down.timer = this.ctx.time.schedule(o.for, `reconnect ${account}`, () => {
        down.timer = undefined;
        this.reconnect(account);
      });
    }
  }

  /**
   * Brings an account's network back: its next connection attempt succeeds (the 1.4.0 SDK
   * retries on its own while reconnecting).
   *
   * @example
   * cloud.net.disconnect('bob');
   * await cloud.advance(3_000);
   * cloud.net.reconnect('bob');
   */
  reconnect(account: string): void {
    this.#live('reconnect');
    invariant(typeof account === 'string', () => `Failed to reconnect: expected an account name, got ${describeArg(account)}`);
    const down = this.down.get(account);
    invariant(
      down,
      () => `Cannot reconnect '${account}': its network is not disconnected (disconnected: ${[...this.down.keys()].join(', ') || 'none'})`,
    );
    if (down.timer) this.ctx.time.cancel(down.timer);
    this.down.delete(account);
    this.ctx.log.append({ kind: 'fault', client: account, name: 'reconnect', args: [] });
  }

  /**
   * An outage of the whole cloud: every link breaks at once and every connection attempt fails
   * for `ms` (or until `end()` when `ms` is left out). The server loses every session; stored
   * messages survive.
   *
   * @example
   * cloud.net.outage(10_000);
   */
  outage(ms?: number, options: Omit<DownOptions, 'for'> = {}): Outage {
    this.#live('outage');
    const o = checkDownOptions(options, 'start an outage', ['how', 'attempts']);
    o.for = ms === undefined ? undefined : readDuration(ms, 'Failed to start an outage', "'for'");
    invariant(!this.outageState, 'Cannot start an outage: one is already under way. End it first (the handle\'s end())');
    const down: Down = { fault: 'outage', how: o.how, attempts: o.attempts, since: this.ctx.time.now(), timer: undefined };
    this.outageState = down;
    this.ctx.log.append({ kind: 'fault', client: '', name: 'outage', args: ['started', { how: o.how, attempts: o.attempts, ...(o.for !== undefined ? { for: o.for } : {}) }] });
    for (const link of this.#linksNow()) link.break(o.how, 'outage', o.attempts === 'unanswered', true);
    for (const conn of [...this.externals]) conn.drop(o.how);
    const end = (): void => {
      if (this.outageState !== down) return;
      if (down.timer) this.ctx.time.cancel(down.timer);
      this.outageState = undefined;
      this.ctx.log.append({ kind: 'fault', client: '', name: 'outage', args: ['ended'] });
    };
    if (o.for !== undefined) down.timer = this.ctx.time.schedule(o.for, 'outage ends', end);
    const isActive = (): boolean => this.outageState === down;
    return {
      get active() {
        return isActive();
      },
      end,
    };
  }

  /**
   * Removes every rule, releases every hold, reconnects every account, ends an outage.
   *
   * @example
   * afterEach(() => cloud.net.clear());
   */
  clear(): void {
    this.#live('clear');
    for (const rule of [...this.rules]) {
      const hold = this.holds.get(rule);
      if (hold) hold.release();
      else this.#uninstall(rule, 'removed');
    }
    for (const account of [...this.down.keys()]) this.reconnect(account);
    if (this.outageState) {
      if (this.outageState.timer) this.ctx.time.cancel(this.outageState.timer);
      this.outageState = undefined;
      this.ctx.log.append({ kind: 'fault', client: '', name: 'outage', args: ['ended'] });
    }
  }

  /**
   * What the network holds now: rules, held messages, accounts down, messages in flight.
   *
   * @example
   * expect(cloud.net.inspect().disconnected).toEqual(['bob']);
   */
  inspect(): NetSnapshot {
    let held = 0;
    for (const h of this.holds.values()) held += h.held;
    return {
      rules: this.rules.map((r) => ({ name: r.name, filter: r.filter })),
      held,
      disconnected: [...this.down.keys()],
      outage: this.outageState !== undefined,
      inFlight: this.#linksNow().flatMap((l) =>
        l.inFlight().map((f) => ({ link: l.id, account: l.account, direction: f.direction, kind: describeMessage(f), due: f.arrival })),
      ),
    };
  }

  /** @internal The cloud was disposed: every verb throws from now on. */
  dispose(): void {
    this.#disposed = true;
  }

  #live(verb: string): void {
    invariant(!this.#disposed, `Failed to ${verb} (cloud.net.${verb}): the cloud has been disposed`);
  }

  // ---- internals ----

  /** @internal A wire connection, so that faults reach it (see {@link ExternalConnection}). */
  attach(connection: ExternalConnection): () => void {
    this.externals.add(connection);
    return () => this.externals.delete(connection);
  }

  /** @internal How a new wire connection attempt fares now (only an outage refuses it). */
  admits(): 'refused' | 'unanswered' | undefined {
    const down = this.outageState;
    if (!down) return undefined;
    this.ctx.log.append({ kind: 'fault', client: '', name: 'outage', args: ['up', 'connect (wire)', down.attempts] });
    return down.attempts;
  }

  /** @internal Whether a wire connection may log in as `account` now (see {@link WireNetwork}). */
  admitsLogin(account: string): boolean {
    const down = this.outageState ?? this.down.get(account);
    if (!down) return true;
    this.ctx.log.append({ kind: 'fault', client: account, name: down.fault, args: ['up', 'login (wire)', 'refused'] });
    return false;
  }

  /** @internal The latency rules' delay for a wire frame (see {@link WireNetwork}). */
  wireLatency(m: NetMessage): number {
    let latency = 0;
    for (const rule of this.rules) {
      if (rule.name !== 'latency' || !ruleApplies(rule, m)) continue;
      const j = rule.judge(m, this.ctx.rng);
      if (j.type === 'latency') latency = j.ms;
    }
    return latency;
  }

  /** @internal Opens a connection for an SDK session. */
  connect(client: LinkClient): Link {
    const link = new Link(this.linkCtx, this.nextLinkId++, client);
    if (link.state !== 'closed') this.links.push(link);
    return link;
  }

  /** Open links (for inspection). */
  openLinks(): Link[] {
    return this.#linksNow().filter((l) => l.open);
  }

  /** The links not forgotten, in the order they were made (a copy). */
  #linksNow(): Link[] {
    this.#compact();
    return this.links.slice();
  }

  /** A link is closed on both ends and carries nothing more: it leaves the list at the next compaction. */
  #forget(): void {
    this.forgottenLinks++;
    if (this.forgottenLinks >= 64 && this.forgottenLinks * 2 >= this.links.length) this.#compact();
  }

  #compact(): void {
    if (this.forgottenLinks === 0) return;
    this.links = this.links.filter((l) => !l.forgotten);
    this.forgottenLinks = 0;
  }

  #install(rule: Rule, params: Record<string, unknown>): RuleHandle {
    this.rules = [...this.rules, rule];
    const account = typeof rule.filter.account === 'string' ? rule.filter.account : '';
    this.ctx.log.append({ kind: 'fault', client: account, name: rule.name, args: ['installed', { ...params, ...rule.filter }] });
    const rules = (): Rule[] => this.rules;
    const hold = this.holds.get(rule);
    if (hold) return hold;
    return {
      name: rule.name,
      get active() {
        return rules().includes(rule);
      },
      remove: () => this.#uninstall(rule, 'removed'),
    };
  }

  #uninstall(rule: Rule, how: string): void {
    if (!this.rules.includes(rule)) return;
    this.rules = this.rules.filter((r) => r !== rule);
    this.holds.delete(rule);
    const account = typeof rule.filter.account === 'string' ? rule.filter.account : '';
    this.ctx.log.append({ kind: 'fault', client: account, name: rule.name, args: [how] });
  }

  /** The one-way latency of a message from the latency rules alone (quiet). */
  #latencyOf(m: NetMessage): number {
    let latency = this.baseLatency;
    for (const rule of this.rules) {
      if (rule.name !== 'latency' || !ruleApplies(rule, m)) continue;
      const j = rule.judge(m, this.ctx.rng);
      if (j.type === 'latency') latency = j.ms;
    }
    return latency;
  }

  /** Decides the fate of a message crossing a link, and logs every fault applied to it. */
  #route(link: Link, flight: Flight): Route {
    const down = this.outageState ?? (this.down.size > 0 ? this.down.get(link.account) : undefined);
    if (down) {
      const m = flight.message;
      const delay = this.#latencyOf(m);
      if (m.kind === 'connect') {
        const refused = down.attempts === 'refused';
        this.#fault(down.fault, m, refused ? 'refused' : 'unanswered');
        return { fate: refused ? 'fail' : 'drop', delay, copies: 0, fault: down.fault };
      }
      this.#fault(down.fault, m, 'dropped');
      return { fate: 'drop', delay, copies: 0, fault: down.fault };
    }
    // The common case: no rule, the same route for every message (links only read it).
    if (this.rules.length === 0) return this.plain;
    const m = flight.message;
    let latency = this.baseLatency;
    let extra = 0;
    let copies = 1;
    for (const rule of this.rules) {
      if (!ruleApplies(rule, m)) continue;
      const j = rule.judge(m, this.ctx.rng);
      switch (j.type) {
        case 'pass':
          break;
        case 'latency':
          latency = j.ms;
          break;
        case 'delay':
          extra += j.ms;
          this.#fault(rule.name, m, `delayed ${j.ms} ms`);
          break;
        case 'duplicate':
          copies++;
          this.#fault(rule.name, m, 'duplicated');
          break;
        case 'drop':
          this.#fault(rule.name, m, j.outcome);
          return { fate: 'drop', delay: latency + extra, copies: 0, fault: rule.name };
        case 'fail':
          this.#fault(rule.name, m, m.kind === 'connect' ? 'refused' : 'failed the link');
          return { fate: 'fail', delay: latency + extra, copies: 0, fault: rule.name };
        case 'hold': {
          const hold = this.holds.get(rule);
          if (!hold) break;
          return { fate: 'hold', delay: latency + extra, copies, hold };
        }
      }
    }
    return { fate: 'deliver', delay: latency + extra, copies };
  }

  #fault(name: string, m: NetMessage, outcome: string): void {
    this.ctx.log.append({ kind: 'fault', client: m.account, name, args: [m.direction, describeMessage(m), outcome] });
  }
}

