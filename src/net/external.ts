import type { NetMessage } from './message.js';

/**
 * A connection the in-process network does not carry but can still break: a WebSocket of the
 * wire server (`cloud.listen()`), with the real SDK or a browser app at the other end. So
 * `cloud.net.disconnect(account)` and outages reach wire clients too.
 */
export interface ExternalConnection {
  /** The account logged in on it (`''` before its login). */
  readonly label: string;
  /**
   * Breaks the connection now. `'close'`: the TCP connection is cut, so the client's WebSocket
   * fires `close` (1.4.0 reconnects). `'error'`: the client is sent a frame its WebSocket must
   * reject, so it fires `error` and then `close` (1.4.0 logs out with 102).
   */
  drop(how: 'close' | 'error'): void;
}

/** What the wire server asks of the network (internal). */
export interface WireNetwork {
  /** Registers a wire connection; returns the function that unregisters it. */
  attach(connection: ExternalConnection): () => void;
  /**
   * How a new wire connection attempt fares now: `undefined` (accepted), or, during an outage,
   * `'refused'` (answered with an HTTP error, so the client's WebSocket fires `error`) or
   * `'unanswered'` (the upgrade is never answered; 1.4.0 gives up after 6 s). The wire
   * learns the account only from the login, after the upgrade: a disconnected account's new
   * connections are refused at their login (`admitsLogin`).
   */
  admits(): 'refused' | 'unanswered' | undefined;
  /**
   * Whether a wire connection may log in as `account` now: not while its network is down
   * (`disconnect`, an outage). A refusal is logged; the wire then fails the connection with an
   * error, as a broken network does (1.4.0 retries after its back-off).
   */
  admitsLogin(account: string): boolean;
  /**
   * The one-way delay the latency rules (`cloud.net.latency`) give a wire frame; 0 when none
   * applies (the cloud's `latency` option is for in-process links).
   */
  wireLatency(message: NetMessage): number;
}
