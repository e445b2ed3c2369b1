import type { Push } from '../cloud/protocol.js';
import { Task, type Batch } from '../time/scheduler.js';
import { Flight } from './flight.js';
import type { Link } from './link.js';
import { describeMessage } from './message.js';

/**
 * One channel event on its way to many links at once: the server pushes the same event to
 * every member, and while nothing but the default latency applies, the deliveries that fall
 * due at the same time are one {@link Batch} of the scheduler, kept as one reference per link
 * rather than one object per delivery. Each delivery is still a message of its own link: it
 * runs as its own task (a {@link Flight} made when it comes up), in the same total order, and
 * a hold can still take it, or a break lose it, one link at a time.
 */
export class FanOut implements Batch {
  readonly push: Push;
  readonly detail: string | undefined;
  /** When every delivery arrives. */
  readonly due: number;
  /** The receiving link of each delivery; `undefined` once run, held or lost. */
  readonly links: Array<Link | undefined> = [];
  /** Scheduler seq of the first delivery (the rest follow one by one). */
  seq0 = 0;
  /** Send order of the first delivery (the rest follow one by one). */
  readonly order0: number;
  /** Runs the deliveries one by one (one object for all of them). */
  readonly #runner = new FanOutDelivery(this);

  constructor(push: Push, detail: string | undefined, due: number, order0: number) {
    this.push = push;
    this.detail = detail;
    this.due = due;
    this.order0 = order0;
  }

  get length(): number {
    return this.links.length;
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
    this.links[i] = undefined;
    return runner;
  }

  /** Delivery `i` is taken off the scheduler (held or lost). */
  cancel(i: number): void {
    this.links[i] = undefined;
  }

  /** Delivery `i` as a flight of its link (to run it, show it, or hold it). */
  flight(i: number): FanOutFlight {
    const f = new FanOutFlight(this.links[i]!, this.push, this.detail, this, i);
    f.arrival = this.due;
    f.order = this.order0 + i;
    return f;
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
    this.link!.arriveFanOut(this.fanOut, this.index);
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
