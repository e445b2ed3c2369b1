import type { CloudServer } from '../cloud/server.js';
import type { Port, Push, Request } from '../cloud/protocol.js';
import type { EventLog } from '../log/event-log.js';
import type { Task } from '../time/scheduler.js';
import type { Timekeeper } from '../time/timekeeper.js';
import { describeMessage, pushKind, requestKind, type Direction, type NetMessage } from './message.js';

/** The client's end of a link: what the SDK's WebSocket handlers get told. */
export interface LinkClient {
  /** The account, for logs and network rules. */
  readonly account: string;
  /** The connection is open (the WebSocket's `open`). */
  onOpen(link: Link): void;
  onPush(link: Link, push: Push): void;
  /** The connection closed cleanly (the WebSocket's `close` without `error`). */
  onClose(link: Link): void;
  /** The connection failed (the WebSocket's `error`, then `close`): refused, timed out, or broken. */
  onError(link: Link): void;
}

export type LinkState = 'connecting' | 'open' | 'closed';

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
  route(link: Link, message: NetMessage): Route;
  /** One-way latency of the answer to a connection attempt (the second half of the handshake). */
  answerDelay(link: Link): number;
  /** The link is closed on both ends. */
  forget(link: Link): void;
  /** Numbers flights in the order they were sent (to release held messages in that order). */
  nextFlightSeq(): number;
}

/** A message on its way across a link; a hold can take it out of the scheduler. */
export interface Flight {
  readonly seq: number;
  readonly link: Link;
  readonly message: NetMessage;
  /** When it arrives, or would have arrived had it not been held. */
  due: number;
  task: Task | undefined;
  readonly arrive: () => void;
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
  readonly id: number;
  label: string;
  /** The in-process SDK polls `user_getmsg` like 1.4.0 does, so the server keeps an inbox. */
  readonly keepsInbox = true;
  state: LinkState = 'connecting';
  readonly account: string;
  private readonly ctx: LinkContext;
  private readonly client: LinkClient;
  private readonly flights = new Set<Flight>();
  private readonly lastDue: Record<Direction, number> = { up: -Infinity, down: -Infinity };
  /** call2 names by id, until the reply goes out, so a `call2-ret` can say which request it answers. */
  private callNames: Map<number, string> | undefined;
  /** The client has closed its end, or learnt that the link is gone. */
  private clientClosed = false;
  /** The server has closed its end, or learnt that the link is gone. */
  private serverClosed = false;

  constructor(ctx: LinkContext, id: number, client: LinkClient) {
    this.id = id;
    this.ctx = ctx;
    this.client = client;
    this.account = client.account;
    this.label = client.account;
    const connect = this.message('up', 'connect', undefined);
    const route = ctx.route(this, connect);
    const roundTrip = route.delay + ctx.answerDelay(this);
    if (route.fate === 'drop') return; // unanswered: the SDK's connect timeout gives up
    if (route.fate === 'fail') {
      // Refused: the error comes back after a round trip.
      ctx.time.schedule(roundTrip, `connection refused → ${this.label}`, () => {
        if (this.state !== 'connecting') return;
        this.closeBothEnds();
        this.client.onError(this);
      });
      return;
    }
    this.launch(this.flight(connect, ctx.time.now() + roundTrip, () => {
      if (this.state !== 'connecting') return;
      this.state = 'open';
      this.client.onOpen(this);
    }));
  }

  get open(): boolean {
    return this.state === 'open';
  }

  /** Client → cloud. Refused (false), as by a closed WebSocket, unless the link is open. */
  request(request: Request): boolean {
    if (this.state !== 'open') return false;
    if (request.type === 'call2') (this.callNames ??= new Map()).set(request.id, request.name);
    this.send(this.message('up', requestKind(request), undefined, { request }), () => {
      if (this.serverClosed) return this.lost('up', request, 'the server had closed the link');
      this.ctx.server.receive(this, request);
    });
    return true;
  }

  /** Cloud → client (the {@link Port} side). A push on a closed link is lost, and logged. */
  push(push: Push): void {
    let answers: string | undefined;
    if (push.type === 'call2-ret' && this.callNames) {
      answers = this.callNames.get(push.id);
      this.callNames.delete(push.id);
    }
    const { kind, detail } = pushKind(push, answers);
    const message = this.message('down', kind, detail, { push });
    if (this.state !== 'open') return this.logLost(message, 'the link is closed');
    this.send(message, () => {
      // Quirk of the browser WebSocket: nothing is dispatched after the app called close().
      if (this.clientClosed) return this.logLost(message, 'the client had closed the link');
      this.client.onPush(this, push);
    });
  }

  /** The server closes the connection after what it already pushed. */
  end(): void {
    if (this.serverClosed) return;
    this.serverClosed = true;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    if (!wasOpen || this.clientClosed) return this.forgetIfDone();
    this.send(this.message('down', 'close', undefined), () => {
      if (this.clientClosed) return;
      this.clientClosed = true;
      this.forgetIfDone();
      this.client.onClose(this);
    });
  }

  /** The client closes the connection (`socket.close()`). The server learns it after the latency. */
  close(): void {
    if (this.clientClosed) return;
    this.clientClosed = true;
    const wasConnecting = this.state === 'connecting';
    this.state = 'closed';
    if (wasConnecting) {
      // An attempt still connecting is abandoned: the server never hears of it.
      for (const f of this.flights) this.ctx.time.cancel(f.task!);
      this.flights.clear();
      this.serverClosed = true;
      return this.forgetIfDone();
    }
    if (this.serverClosed) return this.forgetIfDone();
    this.send(this.message('up', 'close', undefined), () => {
      if (this.serverClosed) return;
      this.serverClosed = true;
      this.forgetIfDone();
      this.ctx.server.disconnected(this);
    });
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
    for (const f of this.flights) {
      this.ctx.time.cancel(f.task!);
      if (f.message.kind !== 'connect' && f.message.kind !== 'close') this.logFault(fault, f.message, 'lost in flight');
    }
    this.flights.clear();
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
      if (error) this.client.onError(this);
      else this.client.onClose(this);
    });
  }

  /** Takes the messages in flight that `wanted` selects off the scheduler (for a hold). */
  takeFlights(wanted: (message: NetMessage) => boolean): Flight[] {
    const taken: Flight[] = [];
    for (const f of this.flights) {
      if (!wanted(f.message)) continue;
      this.ctx.time.cancel(f.task!);
      f.task = undefined;
      this.flights.delete(f);
      taken.push(f);
    }
    return taken;
  }

  /** Sends a held message on (a release): it arrives when it was due, or now if that has passed. */
  relaunch(flight: Flight, fault: string): void {
    if (this.clientClosed && this.serverClosed) return this.logFault(fault, flight.message, 'lost: the link closed while it was held');
    this.launch(flight);
  }

  /** Messages in flight now (for inspection). */
  inFlight(): Flight[] {
    return [...this.flights];
  }

  private send(message: NetMessage, arrive: () => void): void {
    const route = this.ctx.route(this, message);
    const due = this.ctx.time.now() + route.delay;
    switch (route.fate) {
      case 'drop':
        return;
      case 'fail':
        return this.break('error', route.fault ?? 'rule');
      case 'hold':
        // A duplicated message is held as two (the copy arrives right after the original).
        for (let i = 0; i < route.copies; i++) route.hold!.capture(this.flight(message, due, arrive));
        return;
      case 'deliver':
        for (let i = 0; i < route.copies; i++) this.launch(this.flight(message, due, arrive));
    }
  }

  private flight(message: NetMessage, due: number, arrive: () => void): Flight {
    return { seq: this.ctx.nextFlightSeq(), link: this, message, due, task: undefined, arrive };
  }

  /** Schedules a flight, never ahead of an earlier message in the same direction. */
  private launch(flight: Flight): void {
    const dir = flight.message.direction;
    const now = this.ctx.time.now();
    const at = Math.max(flight.due, now, this.lastDue[dir]);
    this.lastDue[dir] = at;
    const name = describeMessage(flight.message);
    const label = dir === 'up' ? `${this.label} → ${name}` : `${name} → ${this.label}`;
    flight.task = this.ctx.time.schedule(at - now, label, () => {
      this.flights.delete(flight);
      flight.arrive();
      this.forgetIfDone();
    });
    this.flights.add(flight);
  }

  private message(direction: Direction, kind: string, detail: string | undefined, body: { request?: Request; push?: Push } = {}): NetMessage {
    return { direction, account: this.account, link: this.id, kind, detail, ...body };
  }

  private closeBothEnds(): void {
    this.clientClosed = true;
    this.serverClosed = true;
    this.state = 'closed';
    this.ctx.forget(this);
  }

  private forgetIfDone(): void {
    if (this.clientClosed && this.serverClosed && this.flights.size === 0) this.ctx.forget(this);
  }

  private lost(direction: Direction, request: Request, why: string): void {
    this.logLost(this.message(direction, requestKind(request), undefined, { request }), why);
  }

  private logLost(message: NetMessage, why: string): void {
    this.logFault('link closed', message, `lost: ${why}`);
  }

  private logFault(name: string, message: NetMessage, outcome: string): void {
    this.ctx.log.append({ kind: 'fault', client: this.account, name, args: [message.direction, describeMessage(message), outcome] });
  }
}
