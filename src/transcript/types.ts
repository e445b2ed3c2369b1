/**
 * The transcript format, version 1: a scenario written down as data. Who does what at which
 * virtual time, which service verbs and faults strike, and what the log must show.
 *
 * `transcript.schema.json` (shipped in the package) describes the same format for editors;
 * `validateTranscript` checks it with precise messages.
 */
import type { LogKind } from '../log/entry.js';

/** The one version this release reads and writes. */
export const TRANSCRIPT_VERSION = 1;

export interface Transcript {
  /** Editors use it for completion: `"../transcript.schema.json"`. Ignored by replay. */
  $schema?: string;
  version: 1;
  /** What the transcript shows, as a behaviour sentence. Defaults to the file name. */
  name?: string;
  description?: string;
  /** Seed of the cloud's PRNG (default 1). */
  seed?: number;
  /** Virtual epoch, Unix ms (default 2024-01-01T00:00:00Z). Log times are relative to it. */
  startTime?: number;
  /** One-way latency of every link in ms (default 0). */
  latency?: number;
  /** Apps declared before the first step (an app with a certificate needs real tokens). */
  apps?: Array<{ appId: string; certificate?: string }>;
  /** App ID of `login` steps that name none (default `"app"`). */
  app?: string;
  /**
   * Which callbacks the simulated apps set. `"all"` (default): every `on…` callback of every
   * SDK object the transcript creates or receives is set (to a handler that only lets the log
   * record it), unless a `set` step unsets it. `"declared"`: none is set unless a `set` step
   * sets it (what `record` writes, since it saw exactly which ones the app set).
   */
  handlers?: 'all' | 'declared';
  steps: Step[];
  expect: Expectation;
}

/** What the log of the replay must show. */
export interface Expectation {
  /**
   * `"exact"`: the log is exactly these entries, in order, none missing and none extra.
   * `"subsequence"`: these entries appear in this order; others may come between them.
   */
  match: 'exact' | 'subsequence';
  /** Entry fields never compared (e.g. `["t"]` for a transcript that does not care about timing). */
  ignore?: EntryField[];
  log: ExpectedEntry[];
}

export type EntryField = 't' | 'client' | 'kind' | 'name' | 'object' | 'args' | 'session' | 'error' | 'unhandled';

/**
 * One expected log entry. A field that is absent is not compared; `args` is compared as a
 * whole (same length), each value as a {@link Pattern}. `t` is ms since the cloud started.
 */
export interface ExpectedEntry {
  t?: Pattern;
  client?: Pattern;
  kind?: LogKind;
  name?: Pattern;
  object?: Pattern;
  args?: Pattern[];
  session?: Pattern;
  error?: Pattern;
  unhandled?: boolean;
}

/**
 * A JSON value to compare with, where an object with one `$`-key is an operator:
 *
 * - `{"$any": true}`: anything; `{"$type": "number"}`: a value of that type (`string`,
 *   `number`, `boolean`, `object`, `array`, `null`, `undefined`, `function`);
 * - `{"$match": "^emu_\\d+$"}`: a string the regular expression finds a match in;
 * - `{"$json": pattern}`: a string holding JSON that matches `pattern`;
 * - `{"$has": {…}}`: an object with at least these keys, each matching;
 * - `{"$repeat": ["x", 8193]}`: exactly `"x".repeat(8193)`;
 * - `{"$object": "call:room/alice"}`: the SDK object of that name (see {@link Step});
 * - `{"$cb": true}`: a function; `{"$undefined": true}`: `undefined`;
 * - `{"$literal": value}`: `value` as it is (for objects whose keys start with `$`).
 */
export type Pattern = unknown;

/** A step of the scenario. Steps run in order; `at` first moves time to that point. */
export type Step = CallStep | SetStep | CloudStep | HandleStep | AdvanceStep | UntilStep | CheckStep | ReactionStep;

interface StepBase {
  /**
   * Virtual ms since the cloud started at which the step runs: time is first advanced to it
   * (delivering everything due on the way). Without `at`, the step runs right after the
   * previous one, at the same virtual time.
   */
  at?: number;
  /** A comment for readers; ignored by replay. */
  note?: string;
}

/**
 * An SDK call by a named client: `login` creates the client (a Session); other calls go to the
 * client's Session, or to one of its SDK objects named by `object`.
 *
 * SDK objects (Channels, Calls) are named when the transcript gets them: the object a call
 * returns, and every SDK object a callback delivers, is bound for that client under its
 * default name (`channel:NAME` for a Channel, `call:CHANNEL/PEER` for a Call, as in the log's
 * `object` field) and under `as` when the step or reaction gives one. A later object with the
 * same name replaces the earlier one, as 1.4.0 keys Calls by channel and peer.
 *
 * `args` are JSON values, where `{"$cb": true}` (or `{"$cb": {"do": [...]}}`) passes a
 * callback function, `{"$token": {"expiresIn": 60}}` a SignalingToken made by the cloud for
 * the login's app and account, `{"$arg": 0}` (in reactions) an argument of the callback,
 * `{"$repeat": ["x", 8193]}` a long string, `{"$object": "channel:room"}` a named SDK object,
 * and `{"$undefined": true}` `undefined`.
 */
export interface CallStep extends StepBase {
  /** The client: a name this transcript gave a Session at its `login` step. */
  client: string;
  /** The SDK object of that client to call (default: its Session). */
  object?: string;
  /** The method, e.g. `login`, `messageInstantSend`, `channelJoin`, `channelInviteAccept`. */
  call: string;
  args?: unknown[];
  /** A name for the SDK object the call returns (e.g. `"room"` for a Channel). */
  as?: string;
  /** `login` only: the app ID (default: the transcript's `app`). */
  app?: string;
}

/** Sets (`true`) or unsets (`false`) callbacks of a client's Session or SDK object. */
export interface SetStep extends StepBase {
  client: string;
  object?: string;
  set: Record<string, boolean>;
}

/**
 * A verb of the cloud by name, with JSON args: `"kick"`, `"createApp"`, `"net.disconnect"`, …
 * The verb is looked up on the Cloud at replay time; a name this version does not have is an
 * error before anything runs. A verb that returns a handle (a fault rule) can name it with `as`.
 */
export interface CloudStep extends StepBase {
  cloud: string;
  args?: unknown[];
  as?: string;
}

/** A method of a handle a cloud verb returned (e.g. `{"handle": "hold", "call": "release"}`). */
export interface HandleStep extends StepBase {
  handle: string;
  call: string;
  args?: unknown[];
}

/** Moves virtual time forward by `advance` ms, delivering everything due on the way (0: flush). */
export interface AdvanceStep extends StepBase {
  advance: number;
}

/**
 * Runs until an entry matching `until` is appended to the log (after this step began), at
 * most `within` ms of virtual time (default 60 000); the replay fails if it never comes.
 */
export interface UntilStep extends StepBase {
  until: ExpectedEntry;
  within?: number;
}

/**
 * Checks fields of a client's Session (or a named SDK object) at this point of the scenario:
 * `{"client": "bob", "check": {"state": 3}}`. What `getStatus()` returns is not a log event, so
 * a transcript shows states this way. Values are patterns (`{"$type": "string"}` …); the replay
 * fails at this step, naming the field, when one does not match. `record` never writes one.
 */
export interface CheckStep extends StepBase {
  client: string;
  /** The SDK object of that client (default: its Session), e.g. `"channel:room"`. */
  object?: string;
  /** Field → pattern, e.g. `{ "state": 2, "line": { "$match": "^emu_" } }`. */
  check: Record<string, Pattern>;
}

/**
 * What an app does when a callback fires: "on `onInviteReceived` of bob, accept the call".
 * A reaction holds from the point the steps reach it; it acts only when the callback's
 * handler is set (always, with `handlers: "all"`). Its actions run inside the callback,
 * synchronously, as app code would.
 */
export interface ReactionStep extends StepBase {
  /** The callback name, e.g. `onInviteReceived`, `onMessageInstantReceive`. */
  on: string;
  client: string;
  /** The SDK object whose callback it is (default: the client's Session). */
  object?: string;
  /** Only on the nth firing that this reaction sees (1 = the first); default: every firing. */
  nth?: number;
  /** Only when the callback's arguments match these patterns (compared as a whole). */
  args?: Pattern[];
  /** Binds the SDK object the callback delivers (e.g. the Call of `onInviteReceived`) to this name. */
  as?: string;
  /** What the app does, in order: SDK calls (`client` defaults to the reaction's), `set`, cloud verbs. */
  do?: Action[];
  /** The app's callback then throws this (`"msg"`, or `{ "name": "TypeError", "message": "msg" }`). */
  throw?: string | { name: string; message: string };
}

/** What a reaction or a `$cb` callback can do: steps that take no time. */
export type Action = (Omit<CallStep, 'client' | 'at'> & { client?: string }) | (Omit<SetStep, 'client' | 'at'> & { client?: string }) | Omit<CloudStep, 'at'> | Omit<HandleStep, 'at'>;

/** How `transcriptTest` and the CLI treat a fixture (in the spirit of nockBack). */
export type TranscriptMode = 'replay' | 'record' | 'update';
