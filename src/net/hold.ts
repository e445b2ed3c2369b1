import type { EventLog } from '../log/event-log.js';
import type { Flight } from './link.js';
import { describeMessage } from './message.js';
import type { RuleHandle } from './rules.js';

/**
 * Messages kept back by `cloud.net.hold(filter)`: those in flight when the hold began and
 * those sent while it lasts. `release()` sends them on in the order they were sent; each
 * arrives when it was due, or at once if that time has passed (never ahead of a later message already on its way on the same link: a link keeps its order).
 *
 * @example
 * const hold = cloud.net.hold({ account: 'bob', direction: 'down' });
 * alice.messageInstantSend('bob', 'hi');
 * await cloud.advance(5_000);         // bob hears nothing
 * hold.release();                     // now he does
 */
export class Hold implements RuleHandle {
  readonly name = 'hold';
  private readonly queue: Flight[] = [];
  private readonly log: EventLog;
  private readonly uninstall: () => void;
  private released = false;

  /** @internal Use `cloud.net.hold()`. */
  constructor(log: EventLog, uninstall: () => void) {
    this.log = log;
    this.uninstall = uninstall;
  }

  get active(): boolean {
    return !this.released;
  }

  /** How many messages it holds now. */
  get held(): number {
    return this.queue.length;
  }

  /** @internal Keeps a message back. */
  capture(flight: Flight, inFlight = false): void {
    this.queue.push(flight);
    const m = flight.message;
    this.log.append({ kind: 'fault', client: m.account, name: 'hold', args: [m.direction, describeMessage(m), inFlight ? 'held in flight' : 'held'] });
  }

  /** Ends the hold and sends every held message on; returns how many there were. */
  release(): number {
    if (this.released) return 0;
    this.released = true;
    this.uninstall();
    const flights = this.queue.splice(0).sort((a, b) => a.order - b.order);
    for (const f of flights) {
      const m = f.message;
      this.log.append({ kind: 'fault', client: m.account, name: 'hold', args: [m.direction, describeMessage(m), 'released'] });
      f.link.relaunch(f, 'hold');
    }
    return flights.length;
  }

  /** The same as {@link Hold.release}: a hold never drops what it holds. */
  remove(): void {
    this.release();
  }
}
