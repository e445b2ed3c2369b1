/** What an entry records. */
export type LogKind =
  /** An SDK API call made by the app (`login`, `messageInstantSend`, …). */
  | 'call'
  /** An SDK callback delivered to the app (`onLoginSuccess`, …). */
  | 'callback'
  /** A fault applied by the network or a service scenario. */
  | 'fault'
  /** A decision of the server worth seeing (a message stored, a session kicked, …). */
  | 'server';

export interface LogEntry {
  /** Position in the log, from 0 (-1 for an entry the log's `level` left out). */
  seq: number;
  /** Virtual time in ms. */
  t: number;
  kind: LogKind;
  /** The account of the client concerned, or `''` for the cloud itself. */
  client: string;
  /** The SDK method or callback name, the fault, or the server decision. */
  name: string;
  args: unknown[];
  /** The SDK object concerned beyond the session: `channel:NAME` or `call:CHANNEL/PEER`. */
  object?: string;
  /** Which login of the account (1 for its first Session in this cloud, 2 for the next, …). */
  session?: number;
  /** The app callback threw this (it was caught and reported with console.error). */
  error?: string;
  /** The callback was not set by the app when the event fired. */
  unhandled?: true;
}
