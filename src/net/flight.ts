import type { Push, Request } from '../cloud/protocol.js';
import { Task } from '../time/scheduler.js';
import type { Link } from './link.js';
import { describeMessage, type Direction, type NetMessage } from './message.js';

/**
 * A message on its way across a link. It is its own scheduler task (it runs by arriving), so
 * a delivery costs one object and no closure; the {@link NetMessage} that rules and fault logs
 * see is made only when one asks for it. A hold can take it out of the scheduler.
 */
export class Flight extends Task {
  // Not readonly: a flight that has arrived is made into the next message sent (see `reuse`).
  declare link: Link;
  declare direction: Direction;
  declare kind: string;
  declare detail: string | undefined;
  /** The request (`up`) or push (`down`) it carries; none for `connect` and `close`. */
  declare body: Request | Push | undefined;
  /** When it arrives, or would have arrived had it not been held. */
  declare arrival: number;
  /** Its place in the order messages were sent (a release sends held ones on in this order). */
  declare order: number;
  /** The link's flights in the order they were launched (an intrusive list: no Set per link). */
  declare prev: Flight | undefined;
  declare next: Flight | undefined;
  /** The message, once asked for. */
  private declare cached: NetMessage | undefined;

  constructor(link: Link, direction: Direction, kind: string, detail: string | undefined, body: Request | Push | undefined) {
    super();
    // The fields are made in reuse's order: a new flight and a reused one have one shape.
    this.reuse(link, direction, kind, detail, body);
  }

  /**
   * Makes this flight, which has arrived and which nothing refers to any more, into a new
   * message: what one message's arrival sends (a request's reply, the next request) then costs
   * no new object. While many clients are busy at once, every message in flight outlives a
   * young-generation collection, so each new one is copied at least once.
   */
  reuse(link: Link, direction: Direction, kind: string, detail: string | undefined, body: Request | Push | undefined): this {
    this.due = 0;
    this.seq = 0;
    this.live = true;
    this.link = link;
    this.direction = direction;
    this.kind = kind;
    this.detail = detail;
    this.body = body;
    this.arrival = 0;
    this.order = 0;
    this.prev = undefined;
    this.next = undefined;
    this.cached = undefined;
    return this;
  }

  /** The message as network rules and the log see it. */
  get message(): NetMessage {
    if (this.cached === undefined) {
      const m: { -readonly [K in keyof NetMessage]: NetMessage[K] } = {
        direction: this.direction,
        account: this.link.account,
        link: this.link.id,
        kind: this.kind,
        detail: this.detail,
      };
      if (this.body !== undefined) {
        if (this.direction === 'up') m.request = this.body as Request;
        else m.push = this.body as Push;
      }
      this.cached = m;
    }
    return this.cached;
  }

  override get label(): string {
    const name = describeMessage(this);
    return this.direction === 'up' ? `${this.link.label} → ${name}` : `${name} → ${this.link.label}`;
  }

  override run(): void {
    this.link.arrive(this);
  }

  /** A new flight of the same message (a duplicate, or a held one sent on). */
  copy(): Flight {
    const f = new Flight(this.link, this.direction, this.kind, this.detail, this.body);
    f.cached = this.cached;
    f.arrival = this.arrival;
    f.order = this.order;
    return f;
  }
}
