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
  readonly link: Link;
  readonly direction: Direction;
  readonly kind: string;
  readonly detail: string | undefined;
  /** The request (`up`) or push (`down`) it carries; none for `connect` and `close`. */
  readonly body: Request | Push | undefined;
  /** When it arrives, or would have arrived had it not been held. */
  arrival = 0;
  /** Its place in the order messages were sent (a release sends held ones on in this order). */
  order = 0;
  /** The link's flights in the order they were launched (an intrusive list: no Set per link). */
  prev: Flight | undefined = undefined;
  next: Flight | undefined = undefined;
  #message: NetMessage | undefined;

  constructor(link: Link, direction: Direction, kind: string, detail: string | undefined, body: Request | Push | undefined) {
    super();
    this.link = link;
    this.direction = direction;
    this.kind = kind;
    this.detail = detail;
    this.body = body;
  }

  /** The message as network rules and the log see it. */
  get message(): NetMessage {
    if (this.#message === undefined) {
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
      this.#message = m;
    }
    return this.#message;
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
    f.#message = this.#message;
    f.arrival = this.arrival;
    f.order = this.order;
    return f;
  }
}
