import type { CloudServer } from '../cloud/server.js';
import type { Port, Push, Request } from '../cloud/protocol.js';
import type { EventLog } from '../log/event-log.js';
import type { Timekeeper } from '../time/timekeeper.js';

/** The client's end of a link: what the SDK's WebSocket handlers get told. */
export interface LinkClient {
  /** The account, for logs. */
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

/** A message crossing a link, as rules see it. */
export type LinkMessage =
  | { direction: 'up'; kind: string; request: Request }
  | { direction: 'down'; kind: string; push: Push };

export interface LinkContext {
  time: Timekeeper;
  server: CloudServer;
  log: EventLog;
  /** One-way delay in ms for this message (the network's latency rules). */
  delay(link: Link, message: LinkMessage): number;
}

/**
 * One client connection to the cloud (one WebSocket of the real SDK), carried on the
 * scheduler: it opens after a round trip, then requests go up and pushes come down, each
 * after the link's latency, in order. Closing is a message too: a close sent after a push
 * arrives after it.
 */
export class Link implements Port {
  readonly id: number;
  label: string;
  readonly keepsInbox = false;
  state: LinkState = 'connecting';
  private readonly ctx: LinkContext;
  private readonly client: LinkClient;

  constructor(ctx: LinkContext, id: number, client: LinkClient) {
    this.id = id;
    this.ctx = ctx;
    this.client = client;
    this.label = client.account;
    const handshake: LinkMessage = { direction: 'down', kind: 'open', push: { type: 'pong', n: 0 } };
    this.ctx.time.schedule(2 * this.ctx.delay(this, handshake), `open → ${this.label}`, () => {
      if (this.state !== 'connecting') return;
      this.state = 'open';
      this.client.onOpen(this);
    });
  }

  get open(): boolean {
    return this.state === 'open';
  }

  /** Client → cloud. Dropped, as by a closed WebSocket, unless the link is open. */
  request(request: Request): boolean {
    if (this.state !== 'open') return false;
    const message: LinkMessage = { direction: 'up', kind: requestKind(request), request };
    this.ctx.time.schedule(this.ctx.delay(this, message), `${this.label} → ${message.kind}`, () => {
      this.ctx.server.receive(this, request);
    });
    return true;
  }

  /** Cloud → client (the {@link Port} side). */
  push(push: Push): void {
    if (this.state !== 'open') return;
    const message: LinkMessage = { direction: 'down', kind: pushKind(push), push };
    this.ctx.time.schedule(this.ctx.delay(this, message), `${message.kind} → ${this.label}`, () => {
      this.client.onPush(this, push);
    });
  }

  /** The server closes the connection after what it already pushed. */
  end(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    const message: LinkMessage = { direction: 'down', kind: 'close', push: { type: 'close', reason: '' } };
    this.ctx.time.schedule(this.ctx.delay(this, message), `close → ${this.label}`, () => {
      this.client.onClose(this);
    });
  }

  /** The client closes the connection (`socket.close()`). The server learns it after the latency. */
  close(): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    if (!wasOpen) return;
    const message: LinkMessage = { direction: 'up', kind: 'close', request: { type: 'ping', n: -1 } };
    this.ctx.time.schedule(this.ctx.delay(this, message), `${this.label} → close`, () => {
      this.ctx.server.disconnected(this);
    });
  }
}

function requestKind(r: Request): string {
  return r.type === 'call2' ? r.name : r.type;
}

function pushKind(p: Push): string {
  if (p.type === 'msg') return p.msg.type;
  if (p.type === 'channel2') return p.event.type;
  return p.type;
}
