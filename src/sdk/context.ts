import type { CloudServer } from '../cloud/server.js';
import type { EventLog } from '../log/event-log.js';
import type { Network } from '../net/network.js';
import type { Timekeeper } from '../time/timekeeper.js';
import type { ChannelEventHandler, ConnectionFeature } from './session.js';

/** What the SDK objects of one cloud share: its time, log and network. Never cloud state. */
export interface SdkContext {
  readonly time: Timekeeper;
  readonly log: EventLog;
  readonly net: Network;
  /** Numbers the Sessions of an account (1, 2, …) for the log. */
  nextSessionNumber(account: string): number;
  /** The cloud's server, for the emulator's own inspection only; SDK objects do not touch it. */
  readonly server: CloudServer;
  /** Per-connection setup of the SDK's feature modules (channels, calls). */
  readonly features: ConnectionFeature[];
  /** Handles channel events (the channels feature's; every member of a channel gets each one). */
  readonly onChannelEvent: ChannelEventHandler;
}

/** Who an SDK object belongs to, for log entries. */
export interface Owner {
  readonly client: string;
  readonly session: number;
  readonly object?: string;
}

/**
 * The owner of an SDK object's entries (a Channel's, a Call's): its Session's, with the
 * object named. The fields one by one, not a spread: a Session's owner is its internals.
 */
export function objectOwner(owner: Owner, object: string): Owner {
  return { client: owner.client, session: owner.session, object };
}

/**
 * A callback property as the SDK keeps it: `""` until the app assigns a function (a `vi.fn()`
 * or `jest.fn()` included); an arrow function gets its parameter types from `F`. Exactly what
 * 1.4.0 holds, so that the SDK objects fit an app's own types for the SDK.
 */
export type { Callback as SdkCallback, CallbackInput as SdkCallbackInput } from './reference-types.js';
