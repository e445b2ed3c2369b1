import { invariant } from '../errors.js';
import { Link, type LinkClient, type LinkContext, type LinkMessage } from './link.js';

export interface NetworkOptions {
  /** One-way latency of every link in ms (default 0: still asynchronous). */
  latency: number;
}

/**
 * The cloud's network: one {@link Link} per client connection, all on the cloud's scheduler.
 * Faults are rules over the messages that cross links (see `cloud.net`).
 */
export class Network {
  /** Default one-way latency in ms. */
  latency: number;
  private readonly ctx: Omit<LinkContext, 'delay'>;
  private readonly links = new Set<Link>();
  private nextId = 1;

  constructor(ctx: Omit<LinkContext, 'delay'>, options: NetworkOptions) {
    invariant(
      Number.isFinite(options.latency) && options.latency >= 0,
      `Failed to create the cloud: latency must be a non-negative number of ms, got ${String(options.latency)}`,
    );
    this.ctx = ctx;
    this.latency = options.latency;
  }

  /** @internal Opens a connection for an SDK session. */
  connect(client: LinkClient): Link {
    const link = new Link({ ...this.ctx, delay: (l, m) => this.delay(l, m) }, this.nextId++, client);
    this.links.add(link);
    return link;
  }

  /** Open links (for inspection). */
  openLinks(): Link[] {
    for (const l of this.links) if (!l.open) this.links.delete(l);
    return [...this.links];
  }

  private delay(_link: Link, _message: LinkMessage): number {
    return this.latency;
  }
}
