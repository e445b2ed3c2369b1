import type { Push } from '../cloud/protocol.js';
import { Task, type Batch, type BatchCursor } from '../time/scheduler.js';
import { Flight } from './flight.js';
import type { Link } from './link.js';
import { describeMessage } from './message.js';

/** A channel event as the server pushes it. */
export type ChannelPush = Extract<Push, { type: 'channel2' }>;

/**
 * One channel event on its way to many links at once: the server pushes the same event to
 * every member, and while nothing but the default latency applies, the deliveries that fall
 * due at the same time are one {@link Batch} of the scheduler, kept as one reference per link
 * rather than one object per delivery. Each delivery is still a message of its own link, in
 * the same total order: a synchronous flush runs them in place ({@link FanOut.runItems}), an
 * awaited one as tasks one by one (one runner object for all), inspection and holds see a
 * {@link Flight} made when asked; a hold can still take a delivery, or a break lose it, one
 * link at a time.
 */
export class FanOut implements Batch {
  readonly push: ChannelPush;
  readonly detail: string | undefined;
  /** When every delivery arrives. */
  readonly due: number;
  /**
   * The receiving link of each delivery in `links[0…length)`; `undefined` once run, held or
   * lost. The array is lent by {@link FanOutsInFlight} and given back when every delivery is
   * done, to be lent again (a new one is made at the broadcast's size, not grown).
   */
  private links: Array<Link | undefined>;
  #length = 0;
  /** Scheduler seq of the first delivery (the rest follow one by one). */
  seq0 = 0;
  /** Send order of the first delivery (the rest follow one by one). */
  readonly order0: number;
  /** Deliveries still to run. */
  private remaining = 0;
  private readonly inFlight: FanOutsInFlight;
  /** Runs the deliveries one by one (one object for all of them). */
  readonly #runner = new FanOutDelivery(this);

  constructor(push: ChannelPush, detail: string | undefined, due: number, order0: number, inFlight: FanOutsInFlight) {
    this.push = push;
    this.detail = detail;
    this.due = due;
    this.order0 = order0;
    this.inFlight = inFlight;
    this.links = inFlight.add(this);
  }

  get length(): number {
    return this.#length;
  }

  /** One more delivery, to `link` (the next in the order). */
  add(link: Link): void {
    this.links[this.#length++] = link;
    this.remaining++;
    this.inFlight.grew();
  }

  /**
   * Whether a delivery of `push` sent now, at flight order `order`, may join this fan-out: it
   * is the same event, nothing was sent in between, and the fan-out is not done.
   */
  takes(push: Push, order: number): boolean {
    return this.push === push && this.order0 + this.#length === order && this.links !== NO_LINKS;
  }

  /** The receiving link of delivery `i`, if it is still pending. */
  linkOf(i: number): Link | undefined {
    return this.links[i];
  }

  live(i: number): boolean {
    return this.links[i] !== undefined;
  }

  task(i: number): Task {
    return this.flight(i);
  }

  take(i: number): Task {
    const runner = this.#runner;
    runner.link = this.links[i]!;
    runner.index = i;
    runner.live = true;
    this.settle(i);
    return runner;
  }

  runItems(cursor: BatchCursor, budget: number): number {
    let ran = 0;
    while (ran < budget && !cursor.stopped) {
      const i = cursor.next;
      if (i >= this.#length) break;
      cursor.next = i + 1;
      const link = this.links[i];
      if (link === undefined) continue;
      this.settle(i);
      ran++;
      link.arriveFanOut(this);
    }
    return ran;
  }

  /** Delivery `i` is taken off the scheduler (held or lost); false if it was not pending. */
  cancel(i: number): boolean {
    if (this.links[i] === undefined) return false;
    this.settle(i);
    return true;
  }

  /** Delivery `i` of this fan-out to `link`, if it is still pending. */
  holds(i: number, link: Link): boolean {
    return this.links[i] === link;
  }

  /** Delivery `i` as a flight of its link (to run it, show it, or hold it). */
  flight(i: number): FanOutFlight {
    const f = new FanOutFlight(this.links[i]!, this.push, this.detail, this, i);
    f.arrival = this.due;
    f.order = this.order0 + i;
    return f;
  }

  /** Delivery `i` leaves the scheduler (it runs now, or was taken off). */
  private settle(i: number): void {
    this.links[i] = undefined;
    if (--this.remaining === 0) {
      this.inFlight.finished(this, this.links);
      this.links = NO_LINKS;
    }
  }
}

/**
 * What a finished fan-out keeps instead of its array (nothing is pending in it). Frozen: no
 * delivery is ever written to it (every slot reads `undefined`, so none is live).
 */
const NO_LINKS = Object.freeze([]) as readonly Link[] as Array<Link | undefined>;
/** Arrays kept to lend again: fan-outs in flight at once are few (one per channel event). */
const SPARE_ARRAYS = 4;

/**
 * The fan-outs of one network with deliveries still in flight. A link does not keep its own
 * list of them (writing a fan-out into 10 000 links' lists costs more than the deliveries);
 * when one asks for a link's messages in flight (a hold, a break, inspection), an index by
 * link is made from the fan-outs in flight, and kept until a fan-out gains a delivery.
 */
export class FanOutsInFlight {
  private readonly live = new Set<FanOut>();
  private index: Map<Link, Array<FanOut | number>> | undefined;
  /** Arrays of links given back by finished fan-outs, to lend again. */
  private readonly spare: Array<Array<Link | undefined>> = [];

  /**
   * How many deliveries the fan-outs made now may get (a broadcast sets it to its number of
   * members), so that a new array is made at its size rather than grown.
   */
  sizeHint = 0;

  /** A new fan-out is in flight: returns the array it keeps its links in. */
  add(fanOut: FanOut): Array<Link | undefined> {
    this.live.add(fanOut);
    this.index = undefined;
    return this.spare.pop() ?? (this.sizeHint > 0 ? new Array<Link | undefined>(this.sizeHint) : []);
  }

  grew(): void {
    this.index = undefined;
  }

  /** Every delivery of `fanOut` is done: its array (all `undefined` in `[0…length)`) comes back. */
  finished(fanOut: FanOut, links: Array<Link | undefined>): void {
    this.live.delete(fanOut);
    if (this.spare.length < SPARE_ARRAYS) this.spare.push(links);
  }

  /** The pending fan-out deliveries to `link`, as (fan-out, index) pairs, oldest first. */
  of(link: Link): Array<FanOut | number> {
    if (this.index === undefined) {
      const index = new Map<Link, Array<FanOut | number>>();
      for (const fanOut of this.live) {
        for (let i = 0; i < fanOut.length; i++) {
          const to = fanOut.linkOf(i);
          if (to === undefined) continue;
          const pairs = index.get(to);
          if (pairs === undefined) index.set(to, [fanOut, i]);
          else pairs.push(fanOut, i);
        }
      }
      this.index = index;
    }
    const pairs = this.index.get(link);
    if (pairs === undefined) return [];
    const out: Array<FanOut | number> = [];
    for (let i = 0; i < pairs.length; i += 2) {
      if ((pairs[i] as FanOut).holds(pairs[i + 1] as number, link)) out.push(pairs[i]!, pairs[i + 1]!);
    }
    return out;
  }
}

/** Runs delivery `index` of a fan-out: its link receives the push. */
class FanOutDelivery extends Task {
  declare readonly fanOut: FanOut;
  declare link: Link | undefined;
  declare index: number;

  constructor(fanOut: FanOut) {
    super();
    this.fanOut = fanOut;
    this.link = undefined;
    this.index = 0;
  }

  override get label(): string {
    return `${describeMessage({ kind: 'channel2', detail: this.fanOut.detail })} → ${this.link?.label ?? ''}`;
  }

  override run(): void {
    this.link!.arriveFanOut(this.fanOut);
  }
}

/** A delivery of a {@link FanOut}, as a flight: it leaves its link's fan-out queue when it arrives. */
export class FanOutFlight extends Flight {
  declare readonly fanOut: FanOut;
  declare readonly index: number;

  constructor(link: Link, push: Push, detail: string | undefined, fanOut: FanOut, index: number) {
    super(link, 'down', push.type, detail, push);
    this.fanOut = fanOut;
    this.index = index;
  }
}
