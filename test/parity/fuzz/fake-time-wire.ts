// The wire run of the differential fuzzer, on virtual time: the real SDK 1.4.0 and the served
// cloud (`clock: 'global'`) share one fake clock installed on the process's timers, and the test
// moves it. Real I/O (loopback TCP, WebSocket frames) still happens but takes no virtual time,
// and what it delivers is put in the same order as the in-process run's scheduler puts its
// tasks: by due time, then by when it was scheduled. So a run is as fast as the loopback, 1.4.0's
// own timers (6 s connect timeout, 10 s ping, reconnect back-off) pass instantly, and a run is
// the same every time.
import { createRequire } from 'node:module';
import FakeTimers from '@sinonjs/fake-timers';
import WebSocket from 'ws';

const require = createRequire(import.meta.url);

/** The `ws` WebSocket both ends use: the client class given to the SDK and the server's sockets. */
type Ws = WebSocket & { _isServer?: boolean };

/** A place in the one order: virtual time, then the fake clock's timer sequence at that moment. */
interface Mark {
  due: number;
  seq: number;
}

interface End {
  ws: Ws;
  server: boolean;
  /** The client's local port (= the server end's remote port): what pairs two ends. */
  port?: number;
  sent: number;
  /** Frames arrived (delivered or still held). */
  received: number;
  /** When each frame this end sent was sent. */
  sends: Mark[];
  /** Server end: when it completed the upgrade. */
  opened?: Mark;
  /** When close() or terminate() was first called on this end. */
  closing?: Mark;
  /** Client end: the SDK called close() (a browser's WebSocket is CLOSING from then on). */
  closedByClient?: boolean;
  /** Server end: when the server had taken its close (the session ended, its notices sent). */
  closeTaken?: Mark;
}

/** An event of a WebSocket, held until it is its turn. */
interface Held {
  at: Mark;
  arrival: number;
  end: End;
  event: string;
  args: unknown[];
}

const CLIENT_EVENTS = new Set(['open', 'message', 'error', 'close']);
const SERVER_EVENTS = new Set(['message', 'close']);

const before = (a: Mark, b: Mark): boolean => a.due < b.due || (a.due === b.due && a.seq < b.seq);

/**
 * Two events with one cause (a break the server made reaches both ends): the server's first,
 * as the cloud ends a session the moment it breaks its link, before the client hears of it;
 * otherwise in the order they arrived.
 */
const comesFirst = (a: Held, b: Held): boolean => (a.end.server !== b.end.server ? a.end.server : a.arrival < b.arrival);

/**
 * Counts every frame each `ws` WebSocket of the process sends and receives (client and server
 * ends: the wire server loads the same `ws` module), and pairs the ends of each connection.
 *
 * It also puts what arrives in order. A frame sent at virtual time t is, for the in-process
 * scheduler, a task due at t queued behind the tasks already due then: so each send, upgrade
 * and close is marked with the time and the fake clock's timer sequence at that moment, and the
 * events it causes at the other end (message, open, error, close) are held as they arrive and
 * handed over one at a time, in the order of their marks, between the timers (whose marks are
 * their due time and sequence). Events on different TCP connections have no order of their own
 * (the kernel reports three dropped connections in any order); this picks, among the
 * interleavings the network allows, the one the in-process run has. Each connection keeps the
 * order of its own frames.
 */
class FrameLedger {
  readonly ends = new Set<End>();
  private readonly byWs = new WeakMap<object, End>();
  private readonly byPort = new Map<number, { client?: End; server?: End }>();
  private readonly held: Held[] = [];
  private arrivals = 0;
  private readonly restore: Array<() => void> = [];
  private readonly emit: (this: Ws, event: string, ...args: unknown[]) => boolean;

  constructor(private readonly mark: () => Mark) {
    const ws = require('ws') as typeof WebSocket & { Receiver: { prototype: Record<string, (...args: unknown[]) => unknown> } };
    const proto = ws.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const ledger = this;
    const saved = { send: proto.send!, emit: proto.emit!, setSocket: proto.setSocket!, close: proto.close!, terminate: proto.terminate! };
    this.emit = saved.emit as FrameLedger['emit'];
    proto.send = function (this: Ws, ...args: unknown[]) {
      const end = ledger.end(this);
      end.sent++;
      end.sends.push(ledger.mark());
      return saved.send.apply(this, args);
    };
    proto.emit = function (this: Ws, event: unknown, ...args: unknown[]) {
      const end = ledger.end(this);
      if (event === 'message') end.received++;
      if (typeof event === 'string' && (end.server ? SERVER_EVENTS : CLIENT_EVENTS).has(event)) {
        ledger.hold(end, event, args);
        return true;
      }
      return saved.emit.call(this, event, ...args);
    };
    proto.setSocket = function (this: Ws, ...args: unknown[]) {
      const end = ledger.end(this);
      const socket = args[0] as { localPort?: number; remotePort?: number };
      end.port = end.server ? socket.remotePort : socket.localPort;
      if (end.server) end.opened = ledger.mark();
      if (end.port !== undefined) {
        const pair = ledger.byPort.get(end.port) ?? {};
        pair[end.server ? 'server' : 'client'] = end;
        ledger.byPort.set(end.port, pair);
      }
      return saved.setSocket.apply(this, args);
    };
    // `ws` answers a close frame (or a protocol error) by calling close() itself, from its
    // Receiver's events: those are not the app's close().
    const receiverProto = ws.Receiver.prototype;
    const receiverEmit = receiverProto.emit!;
    let inReceiver = 0;
    receiverProto.emit = function (this: unknown, ...args: unknown[]) {
      inReceiver++;
      try {
        return receiverEmit.apply(this, args);
      } finally {
        inReceiver--;
      }
    };
    const closing = (name: 'close' | 'terminate') =>
      function (this: Ws, ...args: unknown[]) {
        const end = ledger.end(this);
        end.closing ??= ledger.mark();
        if (!end.server && inReceiver === 0) end.closedByClient = true;
        return saved[name].apply(this, args);
      };
    proto.close = closing('close');
    proto.terminate = closing('terminate');
    // The SDK's WebSockets are counted from their construction (a connection attempt is I/O too).
    const g = globalThis as Record<string, unknown>;
    const Base = g.WebSocket as typeof WebSocket;
    g.WebSocket = class CountedWebSocket extends Base {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        ledger.end(this as Ws);
      }
    };
    this.restore.push(() => {
      receiverProto.emit = receiverEmit;
      g.WebSocket = Base;
      Object.assign(proto, saved);
    });
  }

  end(ws: Ws): End {
    let end = this.byWs.get(ws);
    if (!end) {
      end = { ws, server: ws._isServer === true, sent: 0, received: 0, sends: [] };
      this.byWs.set(ws, end);
      this.ends.add(end);
    }
    return end;
  }

  private other(end: End): End | undefined {
    return end.port === undefined ? undefined : this.byPort.get(end.port)?.[end.server ? 'client' : 'server'];
  }

  private hold(end: End, event: string, args: unknown[]): void {
    const other = this.other(end);
    let at: Mark | undefined;
    if (event === 'message') at = other?.sends[end.received - 1];
    else if (event === 'open') at = other?.opened;
    else {
      // A close or an error: caused by whichever end started closing first.
      const a = end.closing;
      const b = other?.closing;
      at = a && b ? (before(a, b) ? a : b) : (a ?? b);
    }
    this.held.push({ at: at ?? this.mark(), arrival: this.arrivals++, end, event, args });
  }

  /**
   * When a held event may be handed over, or `undefined` while it must wait. A client hears of
   * a closed connection only after the server has taken the close: the cloud ends a session the
   * moment its link breaks, and what that sends (a channel's leave notice, a call's failure) is
   * scheduled before the client's error or close, as in-process.
   */
  private turnOf(h: Held): Mark | undefined {
    if (h.end.server || (h.event !== 'close' && h.event !== 'error')) return h.at;
    const server = this.other(h.end);
    if (!server) return h.at;
    if (this.held.some((x) => x.end === server && x.event === 'close')) return undefined;
    return server.closeTaken && before(h.at, server.closeTaken) ? server.closeTaken : h.at;
  }

  /** The held event that comes first, and its turn, if any may be handed over. */
  first(): { held: Held; at: Mark } | undefined {
    let first: { held: Held; at: Mark } | undefined;
    for (const h of this.held) {
      const at = this.turnOf(h);
      if (at === undefined) continue;
      if (!first || before(at, first.at) || (!before(first.at, at) && comesFirst(h, first.held))) first = { held: h, at };
    }
    return first;
  }

  /** Hands over a held event. */
  release(h: Held): void {
    this.held.splice(this.held.indexOf(h), 1);
    // A browser's WebSocket drops a message it takes once the app called close() (WHATWG
    // WebSockets: "if ready state is not OPEN, return"); Node's `ws` still delivers it. 1.4.0
    // is a browser SDK: its WebSocket behaves as a browser's here. (`readyState` itself cannot
    // tell: a close the server made is already CLOSED inside `ws` while its event is held.)
    if (h.event === 'message' && h.end.closedByClient) return;
    this.emit.call(h.end.ws, h.event, ...h.args);
    if (h.end.server && h.event === 'close') h.end.closeTaken = this.mark();
  }

  /** What is still moving between the ends, or `undefined` when the loopback is quiet. */
  busy(): string | undefined {
    for (const end of [...this.ends]) {
      const state = end.ws.readyState;
      if (state === WebSocket.CONNECTING || state === WebSocket.CLOSING) return `a WebSocket ${state === 0 ? 'connecting' : 'closing'}`;
      const other = this.other(end);
      if (state === WebSocket.CLOSED) {
        if (!other || other.ws.readyState === WebSocket.CLOSED) {
          if (!this.held.some((h) => h.end === end || h.end === other)) {
            this.ends.delete(end);
            if (other) this.ends.delete(other);
            if (end.port !== undefined) this.byPort.delete(end.port);
          }
          continue;
        }
        // One end gone and the other open: the close is on its way.
        return `the connection on port ${end.port} half closed`;
      }
      if (!other) return end.server ? 'a server end without its client' : 'a client end without its server';
      if (end.sent !== other.received) return `frames in flight on port ${end.port}`;
    }
    return undefined;
  }

  uninstall(): void {
    for (const r of this.restore.splice(0)) r();
  }
}

/** Longest real time the loopback may stay busy before the driver gives up (it never should). */
const IO_BOUND_MS = 5000;

const realSetImmediate = globalThis.setImmediate;
const realDateNow = Date.now;
const turn = () => new Promise<void>((resolve) => realSetImmediate(resolve));
const noop = () => {};

type Clock = ReturnType<ReturnType<typeof FakeTimers.withGlobal>['install']>;
/** A timer of the fake clock (its own table: fake-timers has no public peek). */
interface FakeTimer {
  id: number;
  callAt: number;
}

/**
 * The fake clock and the frame ledger of one wire run: construct it before the cloud is created
 * (and after the real SDK's globals are installed); `uninstall()` after the cloud is disposed.
 */
export class FakeTimeWire {
  readonly clock: Clock;
  private readonly ledger: FrameLedger;

  constructor(startTime: number) {
    this.clock = FakeTimers.withGlobal(globalThis).install({
      now: startTime,
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
      loopLimit: 100_000,
    });
    this.ledger = new FrameLedger(() => this.mark());
  }

  now(): number {
    return this.clock.now;
  }

  /** Now, in the one order: a timer made at this moment would come next. */
  private mark(): Mark {
    // A Node timer of fake-timers is an object whose number is its id.
    const timer = this.clock.setTimeout(noop, 0);
    this.clock.clearTimeout(timer);
    return { due: this.clock.now, seq: Number(timer) };
  }

  /** Waits (real time) until no frame, connection attempt or close is in flight on the loopback. */
  private async quiet(): Promise<void> {
    const started = realDateNow();
    for (;;) {
      await turn();
      const busy = this.ledger.busy();
      if (busy === undefined) {
        // One more turn: a frame read just now may have made the reader write.
        await turn();
        if (this.ledger.busy() === undefined) return;
        continue;
      }
      if (realDateNow() - started > IO_BOUND_MS) throw new Error(`The loopback stayed busy for ${IO_BOUND_MS} ms of real time: ${busy}`);
    }
  }

  /**
   * Runs, one at a time and in order, the timers due by `until` and the events held, letting
   * the loopback go quiet after each; returns when nothing is left due by then.
   */
  private async run(until: number): Promise<void> {
    for (;;) {
      await this.quiet();
      const held = this.ledger.first();
      const timer = this.firstTimer();
      const timerDue = timer !== undefined && timer.callAt <= until;
      if (held && (!timerDue || before(held.at, { due: timer!.callAt, seq: timer!.id }))) {
        this.ledger.release(held.held);
        continue;
      }
      if (!timerDue) return;
      await this.clock.nextAsync();
    }
  }

  /** Runs everything due now, the loopback included (virtual time stands still). */
  flush(): Promise<void> {
    return this.run(this.clock.now);
  }

  /** Moves virtual time `ms` forward, running everything due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.clock.now + ms;
    await this.run(target);
    if (this.clock.now < target) await this.clock.tickAsync(target - this.clock.now);
    await this.run(target);
  }

  private firstTimer(): FakeTimer | undefined {
    const timers = (this.clock as unknown as { timers?: Map<number, FakeTimer> }).timers;
    let first: FakeTimer | undefined;
    for (const timer of timers?.values() ?? []) if (!first || timer.callAt < first.callAt || (timer.callAt === first.callAt && timer.id < first.id)) first = timer;
    return first;
  }

  uninstall(): void {
    this.ledger.uninstall();
    this.clock.uninstall();
  }
}
