// The wire run of the differential fuzzer, on virtual time: the real SDK 1.4.0 and the served
// cloud (`clock: 'global'`) share one fake clock installed on the process's timers, and the test
// moves it. Real I/O (loopback TCP, WebSocket frames) still happens, but takes no virtual time:
// before the clock moves, the driver waits until every frame written has been read at the
// other end and every connection attempt and close has finished. So a run is as fast as the
// loopback, and 1.4.0's own timers (6 s connect timeout, 10 s ping, reconnect back-off) pass
// instantly, in the same order as on the in-process run's virtual clock.
import { createRequire } from 'node:module';
import FakeTimers from '@sinonjs/fake-timers';
import WebSocket from 'ws';

const require = createRequire(import.meta.url);

/** The `ws` WebSocket both ends use: the client class given to the SDK and the server's sockets. */
type Ws = WebSocket & { _isServer?: boolean };

interface End {
  ws: Ws;
  server: boolean;
  /** The client's local port (= the server end's remote port): what pairs two ends. */
  port?: number;
  sent: number;
  /** Frames arrived (for a client end: taken off the socket, delivered or still queued). */
  received: number;
  /** Server end: the order number of each frame it sent. */
  sendOrder: number[];
  /** Server end: the order number of its upgrade and of the close it started. */
  openOrder?: number;
  closeOrder?: number;
  /** Client end: the SDK called close() (a browser's WebSocket is CLOSING from then on). */
  closedByClient?: boolean;
}

/** An event of a client WebSocket, held until it is its turn. */
interface Held {
  order: number;
  arrival: number;
  end: End;
  event: string;
  args: unknown[];
}

const CLIENT_EVENTS = new Set(['open', 'message', 'error', 'close']);

/**
 * Counts every frame each `ws` WebSocket of the process sends and receives (client and server
 * ends: the wire server loads the same `ws` module), and pairs the ends of each connection.
 *
 * It also gives the connections one order. Events on different TCP connections have none: when
 * the cloud drops three connections at one instant, their clients hear of it in whatever order
 * the kernel reports, and reconnect in that order. So the events of the SDK's WebSockets
 * (open, message, error, close), and the server's `close` of each connection (which ends the
 * session), are held as they arrive and handed over one at a time, once the loopback is quiet,
 * in the order the server caused them (the order of its sends, upgrades and closes; arrival
 * order for what it did not start). Each connection's own frames
 * keep their order: this picks, among the interleavings the network allows, the one the
 * in-process run has.
 */
class FrameLedger {
  readonly ends = new Set<End>();
  private readonly byWs = new WeakMap<object, End>();
  private readonly byPort = new Map<number, { client?: End; server?: End }>();
  private readonly held: Held[] = [];
  private order = 0;
  private arrivals = 0;
  private readonly restore: Array<() => void> = [];
  private readonly emit: (this: Ws, event: string, ...args: unknown[]) => boolean;

  constructor() {
    const proto = (require('ws') as typeof WebSocket).prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const ledger = this;
    const saved = { send: proto.send!, emit: proto.emit!, setSocket: proto.setSocket!, close: proto.close!, terminate: proto.terminate! };
    this.emit = saved.emit as FrameLedger['emit'];
    proto.send = function (this: Ws, ...args: unknown[]) {
      const end = ledger.end(this);
      end.sent++;
      if (end.server) end.sendOrder.push(ledger.order++);
      return saved.send.apply(this, args);
    };
    proto.emit = function (this: Ws, event: unknown, ...args: unknown[]) {
      const end = ledger.end(this);
      if (event === 'message') end.received++;
      if (typeof event === 'string' && (end.server ? event === 'close' : CLIENT_EVENTS.has(event))) {
        ledger.hold(end, event, args);
        return true;
      }
      return saved.emit.call(this, event, ...args);
    };
    proto.setSocket = function (this: Ws, ...args: unknown[]) {
      const end = ledger.end(this);
      const socket = args[0] as { localPort?: number; remotePort?: number };
      end.port = end.server ? socket.remotePort : socket.localPort;
      if (end.server) end.openOrder = ledger.order++;
      if (end.port !== undefined) {
        const pair = ledger.byPort.get(end.port) ?? {};
        pair[end.server ? 'server' : 'client'] = end;
        ledger.byPort.set(end.port, pair);
      }
      return saved.setSocket.apply(this, args);
    };
    // `ws` answers a close frame (or a protocol error) by calling close() itself, from its
    // Receiver's events: those are not the app's close().
    const ReceiverProto = (require('ws') as { Receiver: { prototype: Record<string, (...args: unknown[]) => unknown> } }).Receiver.prototype;
    const receiverEmit = ReceiverProto.emit!;
    let inReceiver = 0;
    ReceiverProto.emit = function (this: unknown, ...args: unknown[]) {
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
        if (end.server && end.closeOrder === undefined) end.closeOrder = ledger.order++;
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
      ReceiverProto.emit = receiverEmit;
      g.WebSocket = Base;
      Object.assign(proto, saved);
    });
  }

  end(ws: Ws): End {
    let end = this.byWs.get(ws);
    if (!end) {
      end = { ws, server: ws._isServer === true, sent: 0, received: 0, sendOrder: [] };
      this.byWs.set(ws, end);
      this.ends.add(end);
    }
    return end;
  }

  private hold(end: End, event: string, args: unknown[]): void {
    const server = end.server ? end : end.port === undefined ? undefined : this.byPort.get(end.port)?.server;
    const caused =
      event === 'message' ? server?.sendOrder[end.received - 1] : event === 'open' ? server?.openOrder : server?.closeOrder;
    this.held.push({ order: caused ?? this.order++, arrival: this.arrivals++, end, event, args });
  }

  /** Hands the SDK the held event that comes first; false when none is held. */
  release(): boolean {
    if (this.held.length === 0) return false;
    let first = 0;
    for (let i = 1; i < this.held.length; i++) {
      const a = this.held[i]!;
      const b = this.held[first]!;
      if (a.order < b.order || (a.order === b.order && a.arrival < b.arrival)) first = i;
    }
    const [h] = this.held.splice(first, 1);
    // A browser's WebSocket drops a message it takes once the app called close() (WHATWG
    // WebSockets: "if ready state is not OPEN, return"); Node's `ws` still delivers it. 1.4.0
    // is a browser SDK: its WebSocket behaves as a browser's here. (`readyState` itself cannot
    // tell: a close the server made is already CLOSED inside `ws` while its event is held.)
    if (h!.event === 'message' && h!.end.closedByClient) return true;
    this.emit.call(h!.end.ws, h!.event, ...h!.args);
    return true;
  }

  /** What is still moving between the ends, or `undefined` when the loopback is quiet. */
  busy(): string | undefined {
    for (const end of [...this.ends]) {
      const state = end.ws.readyState;
      if (state === WebSocket.CONNECTING || state === WebSocket.CLOSING) return `a WebSocket ${state === 0 ? 'connecting' : 'closing'}`;
      const pair = end.port === undefined ? undefined : this.byPort.get(end.port);
      const other = pair?.[end.server ? 'client' : 'server'];
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

/**
 * The fake clock and the frame ledger of one wire run. `install()` before the cloud is created;
 * `uninstall()` after it is disposed.
 */
export class FakeTimeWire {
  readonly clock: ReturnType<ReturnType<typeof FakeTimers.withGlobal>["install"]>;
  private readonly ledger = new FrameLedger();
  /** Real-time turns spent waiting for the loopback (a figure for the report). */
  ioTurns = 0;

  constructor(startTime: number) {
    this.clock = FakeTimers.withGlobal(globalThis).install({
      now: startTime,
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
      loopLimit: 100_000,
    });
  }

  now(): number {
    return this.clock.now;
  }

  /** Waits (real time) until no frame, connection attempt or close is in flight on the loopback. */
  async quiet(): Promise<void> {
    const started = realDateNow();
    for (;;) {
      await turn();
      this.ioTurns++;
      const busy = this.ledger.busy();
      if (busy === undefined) {
        // One more turn: a frame read just now may have made the reader write.
        await turn();
        if (this.ledger.busy() !== undefined) continue;
        // Quiet: the SDK takes the next held event, and the loopback moves again.
        if (this.ledger.release()) continue;
        return;
      }
      if (realDateNow() - started > IO_BOUND_MS) throw new Error(`The loopback stayed busy for ${IO_BOUND_MS} ms of real time: ${busy}`);
    }
  }

  /** Runs everything due now, the loopback included, until nothing more is (virtual time stands still). */
  async flush(): Promise<void> {
    for (;;) {
      await this.quiet();
      const next = this.nextDue();
      if (next === undefined || next > this.clock.now) return;
      // One timer at a time, with the loopback quiet in between, as the in-process scheduler
      // runs one task at a time.
      await this.clock.nextAsync();
    }
  }

  /**
   * Moves virtual time `ms` forward, timer by timer, running everything due on the way and
   * letting the loopback go quiet after each.
   */
  async advance(ms: number): Promise<void> {
    const target = this.clock.now + ms;
    await this.flush();
    for (;;) {
      const next = this.nextDue();
      if (next === undefined || next > target) break;
      await this.clock.nextAsync();
      await this.flush();
    }
    if (this.clock.now < target) await this.clock.tickAsync(target - this.clock.now);
    await this.flush();
  }

  /** When the next timer is due (the clock's own table, a Map by id: fake-timers has no public peek). */
  private nextDue(): number | undefined {
    const timers = (this.clock as unknown as { timers?: Map<number, { callAt: number }> }).timers;
    if (!timers) return undefined;
    let min: number | undefined;
    for (const timer of timers.values()) if (min === undefined || timer.callAt < min) min = timer.callAt;
    return min;
  }

  uninstall(): void {
    this.ledger.uninstall();
    this.clock.uninstall();
  }
}
