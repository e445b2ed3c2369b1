import type { CloudServer } from '../cloud/server.js';
import type { Port, Push, Request } from '../cloud/protocol.js';
import type { ServerSession } from '../cloud/state.js';
import { newEntry, type EventLog } from '../log/event-log.js';
import type { Timekeeper } from '../time/timekeeper.js';
import { FanOut, FanOutFlight, type ChannelPush, type FanOutsInFlight } from './fan-out.js';
import { Flight } from './flight.js';
import { describeMessage, pushDetail, requestKind, type Direction, type NetMessage } from './message.js';

export { Flight } from './flight.js';

/** The WebSocket handlers of a link's client (symbol-keyed, so an SDK object can be its own client). */
export const kLinkOpen = Symbol('agora-signaling-emulator.link-open');
export const kLinkPush = Symbol('agora-signaling-emulator.link-push');
export const kLinkClose = Symbol('agora-signaling-emulator.link-close');
export const kLinkError = Symbol('agora-signaling-emulator.link-error');

/** Flag bits of a {@link Link}. */
const CLIENT_CLOSED = 1;
const SERVER_CLOSED = 2;
const DUPLICATED = 4;
const FORGOTTEN = 8;
/** The link's {@link LinkState}: neither bit while it is connecting. */
const OPEN = 16;
const CLOSED = 32;

/** Outstanding call2 requests a link keeps in a list before it moves them to a Map. */
const FEW_CALLS = 8;

/** The client's end of a link: what the SDK's WebSocket handlers get told. */
export interface LinkClient {
  /** The account, for logs and network rules. */
  readonly account: string;
  /** The connection is open (the WebSocket's `open`). */
  [kLinkOpen](link: Link): void;
  [kLinkPush](link: Link, push: Push): void;
  /** The connection closed cleanly (the WebSocket's `close` without `error`). */
  [kLinkClose](link: Link): void;
  /** The connection failed (the WebSocket's `error`, then `close`): refused, timed out, or broken. */
  [kLinkError](link: Link): void;
}

export type LinkState = 'connecting' | 'open' | 'closed';

/**
 * What takes a link's channel events straight from a fan-out, without the client's general
 * push handler: the SDK's connection on the link, while it is its session's current one. A
 * channel message reaches every member, so each object a delivery does not go through counts.
 */
export interface ChannelReceiver {
  onChannelEvent(push: ChannelPush, receiver: ChannelReceiver): void;
}

/** How the network routes one message (internal). */
export interface Route {
  fate: 'deliver' | 'drop' | 'fail' | 'hold';
  /** One-way delay in ms. */
  delay: number;
  /** How many times it arrives (duplication). */
  copies: number;
  /** The rule or fault that decided a drop or fail. */
  fault?: string;
  /** The hold that keeps it (fate `hold`). */
  hold?: { capture(flight: Flight): void };
}

/** What a link needs from its network. */
export interface LinkContext {
  time: Timekeeper;
  server: CloudServer;
  log: EventLog;
  /** Decides what happens to a message (latency, rules, faults), and logs any fault applied. */
  route(link: Link, flight: Flight): Route;
  /**
   * The one-way latency when nothing but the default applies to the link's messages (no rule,
   * the link's account up); `undefined` otherwise. A channel's fan-out is batched only then.
   */
  plainDelay(link: Link): number | undefined;
  /** One-way latency of the answer to a connection attempt (the second half of the handshake). */
  answerDelay(link: Link): number;
  /** The link is closed on both ends and carries nothing more (called once per link; see {@link Link.forgotten}). */
  forget(link: Link): void;
  /** Numbers flights in the order they were sent (to release held messages in that order). */
  nextFlightSeq(): number;
  /** The network's fan-outs with deliveries in flight. */
  readonly fanOuts: FanOutsInFlight;
  /** The network's {@link Port.pushFrom} (a channel event to this link and the members after it). */
  pushFrom(sessions: readonly ServerSession[], from: number, except: ServerSession | undefined, push: Push): number;
  /**
   * The flight that arrived last, which nothing refers to any more: the next message any link
   * sends reuses it (see {@link Flight.reuse}). Only a flight that ran can be here.
   */
  spare: Flight | undefined;
}

/**
 * One client connection to the cloud (one WebSocket of the real SDK), carried on the
 * scheduler. Opening takes a round trip; then requests go up and pushes come down, each after
 * the latency the network's rules give it. Messages on one link never overtake each other, as
 * on a WebSocket (one TCP stream): jitter reorders messages of different links only. Closing
 * is a message too: a close sent after a push arrives after it.
 *
 * A network fault can also break the link at once ({@link Link.break}): what is in flight is
 * lost (and logged), the server loses the session, the client gets `close` or `error`.
 */
export class Link implements Port {
  // The fields a channel delivery reads come first, so that they share the object's first
  // cache line or two: at 10 000 members the links are not in the processor's caches, and a
  // fan-out reads each one twice (when it joins, and when its delivery runs).
  /**
   * {@link CLIENT_CLOSED}, {@link SERVER_CLOSED}, {@link DUPLICATED}, {@link FORGOTTEN}, and the
   * state ({@link OPEN}, {@link CLOSED}): one small integer rather than five fields in each of
   * 100 000 links.
   */
  private flags = 0;
  /** Deliveries of fan-outs in flight to this link (the fan-outs know which; see {@link FanOutsInFlight}). */
  private fanPending = 0;
  /**
   * When the latest message each way arrives (ms since the cloud started; -1: none yet): later
   * ones never overtake it.
   */
  private lastDown = -1;
  private lastUp = -1;
  /**
   * Set by the client while a receiver of its takes this link's channel events (see
   * {@link ChannelReceiver}); without one, they go to the client's push handler.
   */
  receiver: ChannelReceiver | undefined = undefined;
  private readonly ctx: LinkContext;
  private readonly client: LinkClient;
  readonly id: number;
  label: string;
  /** The in-process SDK polls `user_getmsg` like 1.4.0 does, so the server keeps an inbox. */
  get keepsInbox(): boolean {
    return true;
  }
  /** @internal The server's session on this connection (see {@link Port.serverSession}). */
  serverSession: ServerSession | undefined = undefined;
  readonly account: string;
  /** Messages in flight, oldest first (deliveries of a fan-out aside). */
  private first: Flight | undefined = undefined;
  private last: Flight | undefined = undefined;
  /**
   * call2 ids and names until the reply goes out, so a `call2-ret` can say which request it
   * answers: usually one or two, in pairs in a list (smaller than a Map); past
   * {@link FEW_CALLS} of them (thousands of messages to an offline user, say), a Map, so that
   * each reply finds its request in constant time whatever the number outstanding.
   */
  private callNames: Array<number | string> | Map<number, string> | undefined;

  /** The client has closed its end, or learnt that the link is gone. */
  private get clientClosed(): boolean {
    return (this.flags & CLIENT_CLOSED) !== 0;
  }

  private set clientClosed(on: boolean) {
    this.flags = on ? this.flags | CLIENT_CLOSED : this.flags & ~CLIENT_CLOSED;
  }

  /** The server has closed its end, or learnt that the link is gone. */
  private get serverClosed(): boolean {
    return (this.flags & SERVER_CLOSED) !== 0;
  }

  private set serverClosed(on: boolean) {
    this.flags = on ? this.flags | SERVER_CLOSED : this.flags & ~SERVER_CLOSED;
  }

  /** @internal Whether a message of this link was ever duplicated (so a reply may come twice). */
  get duplicated(): boolean {
    return (this.flags & DUPLICATED) !== 0;
  }

  private set duplicated(on: boolean) {
    this.flags = on ? this.flags | DUPLICATED : this.flags & ~DUPLICATED;
  }

  get state(): LinkState {
    const flags = this.flags;
    return (flags & OPEN) !== 0 ? 'open' : (flags & CLOSED) !== 0 ? 'closed' : 'connecting';
  }

  set state(state: LinkState) {
    this.flags = (this.flags & ~(OPEN | CLOSED)) | (state === 'open' ? OPEN : state === 'closed' ? CLOSED : 0);
  }

  /** @internal Closed on both ends with nothing in flight: its network no longer lists it. */
  get forgotten(): boolean {
    return (this.flags & FORGOTTEN) !== 0;
  }

  constructor(ctx: LinkContext, id: number, client: LinkClient) {
    this.id = id;
    this.ctx = ctx;
    this.client = client;
    this.account = client.account;
    this.label = client.account;
    const connect = this.newFlight('up', 'connect', undefined, undefined);
    const route = ctx.route(this, connect);
    const roundTrip = route.delay + ctx.answerDelay(this);
    if (route.fate === 'drop') return; // unanswered: the SDK's connect timeout gives up
    if (route.fate === 'fail') {
      // Refused: the error comes back after a round trip.
      ctx.time.schedule(roundTrip, `connection refused → ${this.label}`, () => {
        if (this.state !== 'connecting') return;
        this.closeBothEnds();
        this.client[kLinkError](this);
      });
      return;
    }
    connect.arrival = ctx.time.now() + roundTrip;
    connect.order = ctx.nextFlightSeq();
    this.launch(connect);
  }

  get open(): boolean {
    return (this.flags & OPEN) !== 0;
  }

  /** Client → cloud. Refused (false), as by a closed WebSocket, unless the link is open. */
  request(request: Request): boolean {
    if ((this.flags & OPEN) === 0) return false;
    if (request.type === 'call2') this.rememberCall(request.id, request.name);
    this.send(this.newFlight('up', requestKind(request), undefined, request));
    return true;
  }

  /** Cloud → client (the {@link Port} side). A push on a closed link is lost, and logged. */
  push(push: Push): void {
    // A channel event first: the server sends each to every member of a channel.
    if (push.type === 'channel2' && (this.flags & OPEN) !== 0 && this.fanOut(push)) return;
    const answers = push.type === 'call2-ret' ? this.answeredCall(push.id) : undefined;
    const detail = pushDetail(push, answers);
    if (this.state !== 'open') return this.logFault('link closed', 'down', push.type, detail, 'lost: the link is closed');
    this.send(this.newFlight('down', push.type, detail, push));
  }

  private rememberCall(id: number, name: string): void {
    const names = this.callNames;
    if (names === undefined) this.callNames = [id, name];
    else if (names instanceof Map) names.set(id, name);
    else if (names.length < 2 * FEW_CALLS) names.push(id, name);
    else {
      const map = new Map<number, string>();
      for (let i = 0; i < names.length; i += 2) map.set(names[i] as number, names[i + 1] as string);
      map.set(id, name);
      this.callNames = map;
    }
  }

  /** The name of the call2 request `id` answers, forgotten as the reply goes out. */
  private answeredCall(id: number): string | undefined {
    const names = this.callNames;
    if (names === undefined) return undefined;
    if (names instanceof Map) {
      const name = names.get(id);
      if (name !== undefined && names.delete(id) && names.size === 0) this.callNames = undefined;
      return name;
    }
    for (let i = 0; i < names.length; i += 2) {
      if (names[i] !== id) continue;
      const name = names[i + 1] as string;
      if (names.length === 2) this.callNames = undefined;
      else names.splice(i, 2);
      return name;
    }
    return undefined;
  }

  /**
   * A channel event, which the server sends to every member one after the other: while only
   * the default latency applies, the deliveries due at the same time join one batch of the
   * scheduler (a {@link FanOut}) instead of being a task each. False when it cannot join one
   * (a rule applies, the account is down, or an earlier message on the link arrives later).
   */
  private fanOut(push: ChannelPush): boolean {
    const delay = this.ctx.plainDelay(this);
    if (delay === undefined) return false;
    const time = this.ctx.time;
    const due = time.now() + delay;
    if (this.lastDown >= 0 && time.origin + this.lastDown > due) return false;
    const order = this.ctx.nextFlightSeq();
    const open = time.openBatch(delay);
    if (open instanceof FanOut && open.takes(push, order)) {
      time.extendBatch();
      open.add(this);
    } else {
      // The batch holds its first delivery before it is scheduled: on the global clock,
      // scheduling looks for the next item due, and drops a batch that holds none.
      const fanOut = new FanOut(push, pushDetail(push), due, order, this.ctx.fanOuts);
      fanOut.add(this);
      fanOut.seq0 = time.scheduleBatch(fanOut, delay);
    }
    this.fanPending++;
    this.lastDown = time.since(due);
    return true;
  }

  /** A channel event to this link's session and the members after it (see {@link Port.pushFrom}). */
  pushFrom(sessions: readonly ServerSession[], from: number, except: ServerSession | undefined, push: Push): number {
    return this.ctx.pushFrom(sessions, from, except, push);
  }

  /**
   * @internal Joins `fanOut`, the open fan-out of a channel event due at `due`, while the
   * network adds members to it in bulk (it has checked that only the default latency applies,
   * and reserves the seqs afterwards). False when this link cannot: it is not open, or an
   * earlier message on it arrives later.
   */
  joinFanOut(fanOut: FanOut, due: number, dueSince: number): boolean {
    if ((this.flags & OPEN) === 0) return false;
    if (this.lastDown >= 0 && this.ctx.time.origin + this.lastDown > due) return false;
    fanOut.add(this);
    this.fanPending++;
    this.lastDown = dueSince;
    return true;
  }

  /** The server closes the connection after what it already pushed. */
  end(): void {
    if (this.serverClosed) return;
    this.serverClosed = true;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    if (!wasOpen || this.clientClosed) return this.forgetIfDone();
    this.send(this.newFlight('down', 'close', undefined, undefined));
  }

  /** The client closes the connection (`socket.close()`). The server learns it after the latency. */
  close(): void {
    if (this.clientClosed) return;
    this.clientClosed = true;
    const wasConnecting = this.state === 'connecting';
    this.state = 'closed';
    if (wasConnecting) {
      // An attempt still connecting is abandoned: the server never hears of it.
      this.dropFlights(undefined);
      this.serverClosed = true;
      return this.forgetIfDone();
    }
    if (this.serverClosed) return this.forgetIfDone();
    this.send(this.newFlight('up', 'close', undefined, undefined));
  }

  /** @internal A flight of this link arrives (the scheduler runs it). */
  arrive(flight: Flight): void {
    if (flight instanceof FanOutFlight) {
      if (flight.fanOut.cancel(flight.index)) this.fanPending--;
    } else {
      this.unlink(flight);
      // Read below before anything is sent: what its arrival sends may reuse it.
      this.ctx.spare = flight;
    }
    // `connect` and `close` of the connection carry nothing (a `close` push does).
    if (flight.direction === 'up') {
      if (flight.body !== undefined) {
        if (this.serverClosed) this.logLost(flight, 'the server had closed the link');
        else this.ctx.server.receive(this, flight.body as Request);
      } else if (flight.kind === 'connect') {
        if (this.state === 'connecting') {
          this.state = 'open';
          this.client[kLinkOpen](this);
        }
      } else if (!this.serverClosed) {
        this.serverClosed = true;
        this.forgetIfDone();
        this.ctx.server.disconnected(this);
      }
    } else if (flight.body === undefined) {
      if (!this.clientClosed) {
        this.clientClosed = true;
        this.forgetIfDone();
        this.client[kLinkClose](this);
      }
    } else if (this.clientClosed) {
      // Quirk of the browser WebSocket: nothing is dispatched after the app called close().
      this.logLost(flight, 'the client had closed the link');
    } else {
      this.client[kLinkPush](this, flight.body as Push);
    }
    this.forgetIfDone();
  }

  /** @internal A delivery of a fan-out arrives on this link. */
  arriveFanOut(fanOut: FanOut): void {
    this.fanPending--;
    // Quirk of the browser WebSocket: nothing is dispatched after the app called close().
    if (this.clientClosed) this.logFault('link closed', 'down', 'channel2', fanOut.detail, 'lost: the client had closed the link');
    else if (this.receiver !== undefined) this.receiver.onChannelEvent(fanOut.push, this.receiver);
    else this.client[kLinkPush](this, fanOut.push);
    this.forgetIfDone();
  }

  /**
   * The network breaks the link at once (a fault): messages in flight are lost and logged
   * under `fault`; the server loses the session; the client gets the WebSocket's `close`
   * (`how: 'close'`) or `error` (`how: 'error'`). A connection attempt still in progress fails
   * with `error`, or (`silent`) is never answered, so the SDK's connect timeout ends it.
   * `serverNow`: the server ends the session synchronously (safe only outside server code).
   */
  break(how: 'close' | 'error', fault: string, silent = false, serverNow = false): void {
    if (this.clientClosed && this.serverClosed) return;
    const wasConnecting = this.state === 'connecting';
    const clientKnew = this.clientClosed;
    const serverKnew = this.serverClosed;
    this.dropFlights(fault);
    this.closeBothEnds();
    if (!serverKnew && !wasConnecting) {
      // From the test (disconnect, outage) the server learns it at once, so a message sent to
      // the account right after is stored for it; from a rule that fails a message in the
      // middle of the server's work, it learns it as the next task.
      if (serverNow) this.ctx.server.disconnected(this);
      else this.ctx.time.schedule(0, `${this.label} → lost`, () => this.ctx.server.disconnected(this));
    }
    if (clientKnew || (wasConnecting && silent)) return;
    const error = how === 'error' || wasConnecting;
    this.ctx.time.schedule(0, `${error ? 'error' : 'close'} → ${this.label}`, () => {
      if (error) this.client[kLinkError](this);
      else this.client[kLinkClose](this);
    });
  }

  /** Takes the messages in flight that `wanted` selects off the scheduler (for a hold). */
  takeFlights(wanted: (message: NetMessage) => boolean): Flight[] {
    const taken: Flight[] = [];
    for (const f of this.inFlight()) {
      if (!wanted(f.message)) continue;
      this.remove(f);
      taken.push(f);
    }
    return taken;
  }

  /** Sends a held message on (a release): it arrives when it was due, or now if that has passed. */
  relaunch(flight: Flight, fault: string): void {
    if (this.clientClosed && this.serverClosed) return this.logFault(fault, flight.direction, flight.kind, flight.detail, 'lost: the link closed while it was held');
    // A new task: the held one may still sit (cancelled) in the scheduler.
    this.launch(flight.copy());
  }

  /** Messages in flight now, in the order they arrive (for inspection, holds and breaks). */
  inFlight(): Flight[] {
    const out: Flight[] = [];
    for (let f = this.first; f !== undefined; f = f.next) out.push(f);
    if (this.fanPending === 0) return out;
    const fanOuts = this.ctx.fanOuts.of(this);
    for (let i = 0; i < fanOuts.length; i += 2) {
      const fanOut = fanOuts[i] as FanOut;
      const index = fanOuts[i + 1] as number;
      const f = fanOut.flight(index);
      f.due = fanOut.due;
      f.seq = fanOut.seq0 + index;
      out.push(f);
    }
    // Both kinds together, in the order they were launched.
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** A new message of this link, in the spare flight if there is one (see {@link LinkContext.spare}). */
  private newFlight(direction: Direction, kind: string, detail: string | undefined, body: Request | Push | undefined): Flight {
    const spare = this.ctx.spare;
    if (spare === undefined) return new Flight(this, direction, kind, detail, body);
    this.ctx.spare = undefined;
    return spare.reuse(this, direction, kind, detail, body);
  }

  private send(flight: Flight): void {
    const route = this.ctx.route(this, flight);
    flight.arrival = this.ctx.time.now() + route.delay;
    switch (route.fate) {
      case 'drop':
        return;
      case 'fail':
        return this.break('error', route.fault ?? 'rule');
      case 'hold':
        if (route.copies > 1) this.duplicated = true;
        // A duplicated message is held as two (the copy arrives right after the original).
        for (let i = 0; i < route.copies; i++) {
          const f = i === 0 ? flight : flight.copy();
          f.order = this.ctx.nextFlightSeq();
          route.hold!.capture(f);
        }
        return;
      case 'deliver':
        if (route.copies > 1) this.duplicated = true;
        for (let i = 0; i < route.copies; i++) {
          const f = i === 0 ? flight : flight.copy();
          f.order = this.ctx.nextFlightSeq();
          this.launch(f);
        }
    }
  }

  /** Schedules a flight, never ahead of an earlier message in the same direction. */
  private launch(flight: Flight): void {
    const now = this.ctx.time.now();
    const origin = this.ctx.time.origin;
    let at = flight.arrival > now ? flight.arrival : now;
    if (flight.direction === 'up') {
      if (this.lastUp >= 0 && origin + this.lastUp > at) at = origin + this.lastUp;
      this.lastUp = this.ctx.time.since(at);
    } else {
      if (this.lastDown >= 0 && origin + this.lastDown > at) at = origin + this.lastDown;
      this.lastDown = this.ctx.time.since(at);
    }
    this.ctx.time.scheduleTask(flight, at - now);
    flight.prev = this.last;
    flight.next = undefined;
    if (this.last) this.last.next = flight;
    else this.first = flight;
    this.last = flight;
  }

  /** Takes a flight off the scheduler and out of this link. */
  private remove(flight: Flight): void {
    if (flight instanceof FanOutFlight) {
      if (flight.fanOut.cancel(flight.index)) this.fanPending--;
    } else {
      this.ctx.time.cancel(flight);
      this.unlink(flight);
    }
  }

  private unlink(flight: Flight): void {
    const { prev, next } = flight;
    if (prev) prev.next = next;
    else if (this.first === flight) this.first = next;
    else return; // not in the list
    if (next) next.prev = prev;
    else this.last = prev;
    flight.prev = undefined;
    flight.next = undefined;
  }

  /** Takes every flight off the scheduler; with a `fault`, logs each lost message (connection kinds aside). */
  private dropFlights(fault: string | undefined): void {
    for (const f of this.inFlight()) {
      this.remove(f);
      if (fault !== undefined && f.kind !== 'connect' && f.kind !== 'close') this.logFault(fault, f.direction, f.kind, f.detail, 'lost in flight');
    }
  }

  private closeBothEnds(): void {
    this.clientClosed = true;
    this.serverClosed = true;
    this.state = 'closed';
    this.forget();
  }

  private forgetIfDone(): void {
    if (this.clientClosed && this.serverClosed && this.first === undefined && this.fanPending === 0) this.forget();
  }

  private forget(): void {
    if (this.forgotten) return;
    this.flags |= FORGOTTEN;
    this.ctx.forget(this);
  }

  private logLost(flight: Flight, why: string): void {
    this.logFault('link closed', flight.direction, flight.kind, flight.detail, `lost: ${why}`);
  }

  private logFault(name: string, direction: Direction, kind: string, detail: string | undefined, outcome: string): void {
    if (!this.ctx.log.records('fault')) return;
    this.ctx.log.append(newEntry('fault', this.account, name, [direction, describeMessage({ kind, detail }), outcome]));
  }
}
