import type { CloudServer } from '../cloud/server.js';
import type { Port, Push, Request } from '../cloud/protocol.js';
import type { EventLog } from '../log/event-log.js';
import type { Timekeeper } from '../time/timekeeper.js';

/** The client's end of a link: what the SDK session gets told. */
export interface LinkClient {
  /** The account, for logs. */
  readonly account: string;
  onPush(push: Push): void;
  /** The connection closed: by the server after a kick/close, or lost by the network. */
  onClose(cause: LinkCloseCause): void;
}

export type LinkCloseCause = 'server' | 'network';

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
 * One client connection to the cloud, carried on the scheduler: requests go up, pushes come
 * down, each after the link's latency, in order. Closing is a message too: a close sent after
 * a push arrives after it.
 */
export class Link implements Port {
  readonly id: number;
  label: string;
  readonly keepsInbox = false;
  /** Open until either side closes it or the network cuts it. */
  open = true;
  private readonly ctx: LinkContext;
  private readonly client: LinkClient;

  constructor(ctx: LinkContext, id: number, client: LinkClient) {
    this.id = id;
    this.ctx = ctx;
    this.client = client;
    this.label = client.account;
  }

  /** Client → cloud. */
  request(request: Request): void {
    if (!this.open) return;
    const message: LinkMessage = { direction: 'up', kind: requestKind(request), request };
    this.ctx.time.schedule(this.ctx.delay(this, message), `${this.label} → ${message.kind}`, () => {
      this.ctx.server.receive(this, request);
    });
  }

  /** Cloud → client (the {@link Port} side). */
  push(push: Push): void {
    if (!this.open) return;
    const message: LinkMessage = { direction: 'down', kind: pushKind(push), push };
    this.ctx.time.schedule(this.ctx.delay(this, message), `${message.kind} → ${this.label}`, () => {
      this.client.onPush(push);
    });
  }

  /** The server ends the connection after what it already pushed. */
  end(): void {
    if (!this.open) return;
    this.open = false;
    const message: LinkMessage = { direction: 'down', kind: 'close', push: { type: 'close', reason: '' } };
    this.ctx.time.schedule(this.ctx.delay(this, message), `close → ${this.label}`, () => {
      this.client.onClose('server');
    });
  }

  /** The client closes the connection (logout, or after a kick). The server learns it after the latency. */
  close(): void {
    if (!this.open) return;
    this.open = false;
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
