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
   * The receiving link of each delivery in `links[0…length)`. Shared: consecutive fan-outs to
   * the same members (a channel's messages while nobody joins, leaves or drops out of the
   * fan-out) use one array, which is never written once another fan-out may read it; a
   * fan-out whose members differ copies the common beginning into an array of its own
   * ({@link add}). Whether a delivery is still pending is kept apart ({@link live}).
   */
  private links: ReadonlyArray<Link | undefined>;
  /** `links` is this fan-out's own array, still being written (no other fan-out reads it). */
  #owned = false;
  /** The size of a new array of links (the broadcast's number of members when it began). */
  readonly #hint: number;
  #length = 0;
  /** Every delivery before this one has left the scheduler (run, held or lost). */
  #front = 0;
  /** Deliveries at or past `#front` that left the scheduler out of order (a hold, a break). */
  #gone: Set<number> | undefined;
  /** Scheduler seq of the first delivery (the rest follow one by one). */
  seq0 = 0;
  /** Send order of the first delivery (the rest follow one by one). */
  readonly order0: number;
  /** Deliveries still to run. */
  private remaining = 0;
  #done = false;
  private readonly inFlight: FanOutsInFlight;
  /** Runs the deliveries one by one (one object for all of them). */
  readonly #runner = new FanOutDelivery(this);

  constructor(push: ChannelPush, detail: string | undefined, due: number, order0: number, inFlight: FanOutsInFlight) {
    this.push = push;
    this.detail = detail;
    this.due = due;
    this.order0 = order0;
    this.inFlight = inFlight;
    this.#hint = inFlight.sizeHint;
    this.links = inFlight.add(this);
  }

  get length(): number {
    return this.#length;
  }

  /** One more delivery, to `link` (the next in the order). */
  add(link: Link): void {
    const i = this.#length++;
    if (this.#owned) (this.links as Array<Link | undefined>)[i] = link;
    else if (this.links[i] !== link) {
      // Members differ from the shared array's from here on: an array of this fan-out's own.
      const shared = this.links;
      const links = this.#hint > i ? new Array<Link | undefined>(this.#hint) : [];
      for (let k = 0; k < i; k++) links[k] = shared[k];
      links[i] = link;
      this.links = links;
      this.#owned = true;
    }
    this.remaining++;
    this.inFlight.grew();
  }

  /** The array of links, from now on shared with the fan-outs that follow (never written again). */
  share(): ReadonlyArray<Link | undefined> {
    this.#owned = false;
    return this.links;
  }

  /**
   * Whether a delivery of `push` sent now, at flight order `order`, may join this fan-out: it
   * is the same event, nothing was sent in between, and the fan-out is not done.
   */
  takes(push: Push, order: number): boolean {
    return this.push === push && this.order0 + this.#length === order && !this.#done;
  }

  /** The receiving link of delivery `i`, if it is still pending. */
  linkOf(i: number): Link | undefined {
    return this.live(i) ? this.links[i] : undefined;
  }

  live(i: number): boolean {
    return i >= this.#front && i < this.#length && (this.#gone === undefined || !this.#gone.has(i));
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
      if (i === this.#front && this.#gone === undefined) {
        // In order, nothing left early: the common case, without a call.
        this.#front = i + 1;
        if (--this.remaining === 0) this.finish();
      } else if (this.live(i)) this.settle(i);
      else continue;
      ran++;
      this.links[i]!.arriveFanOut(this);
    }
    return ran;
  }

  /** Delivery `i` is taken off the scheduler (held or lost); false if it was not pending. */
  cancel(i: number): boolean {
    if (!this.live(i)) return false;
    this.settle(i);
    return true;
  }

  /** Delivery `i` of this fan-out to `link`, if it is still pending. */
  holds(i: number, link: Link): boolean {
    return this.live(i) && this.links[i] === link;
  }

  /** Delivery `i` as a flight of its link (to run it, show it, or hold it). */
  flight(i: number): FanOutFlight {
    const f = new FanOutFlight(this.links[i]!, this.push, this.detail, this, i);
    f.arrival = this.due;
    f.order = this.order0 + i;
    return f;
  }

  /** Delivery `i`, pending, leaves the scheduler (it runs now, or was taken off). */
  private settle(i: number): void {
    if (i === this.#front) {
      let front = i + 1;
      const gone = this.#gone;
      if (gone !== undefined) {
        while (gone.delete(front)) front++;
        if (gone.size === 0) this.#gone = undefined;
      }
      this.#front = front;
    } else (this.#gone ??= new Set()).add(i);
    if (--this.remaining === 0) this.finish();
  }

  private finish(): void {
    this.#done = true;
    this.inFlight.finished(this);
  }
}

/** The links of no fan-out yet. Frozen: never written. */
const NO_LINKS = Object.freeze([]) as ReadonlyArray<Link | undefined>;

/**
 * The fan-outs of one network with deliveries still in flight. A link does not keep its own
 * list of them (writing a fan-out into 10 000 links' lists costs more than the deliveries);
 * when one asks for a link's messages in flight (a hold, a break, inspection), an index by
 * link is made from the fan-outs in flight, and kept until a fan-out gains a delivery.
 */
export class FanOutsInFlight {
  private readonly live = new Set<FanOut>();
  private index: Map<Link, Array<FanOut | number>> | undefined;
  /**
   * The fan-out made last: its array of links is the next one's to share. Kept after its
   * deliveries are done, so that a channel's next message shares it too; its array (and the
   * links in it) lives until the next fan-out of this network, or the cloud's disposal.
   */
  private last: FanOut | undefined;

  /**
   * How many deliveries the fan-outs made now may get (a broadcast sets it to its number of
   * members), so that a new array is made at its size rather than grown.
   */
  sizeHint = 0;

  /**
   * A new fan-out is in flight: returns the array of links it starts with, the last fan-out's
   * (a channel's next message goes to the same members, most of the time).
   */
  add(fanOut: FanOut): ReadonlyArray<Link | undefined> {
    this.live.add(fanOut);
    this.index = undefined;
    const shared = this.last?.share() ?? NO_LINKS;
    this.last = fanOut;
    return shared;
  }

  grew(): void {
    this.index = undefined;
  }

  /** Every delivery of `fanOut` is done. */
  finished(fanOut: FanOut): void {
    this.live.delete(fanOut);
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
