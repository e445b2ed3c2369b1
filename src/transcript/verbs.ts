/**
 * What a transcript may call, as fixed lists looked up by name: the cloud verbs (`"kick"`,
 * `"net.disconnect"`), the methods of each kind of handle a verb returns (a rule's `remove`, a
 * hold's `release`…), and the 1.4.0 SDK methods of Sessions, Channels and Calls. Nothing is
 * found by walking an object's properties, so a name such as `"valueOf"`, `"constructor"` or
 * `"net.__proto__.__defineSetter__"` reaches nothing: it is not on a list. Validation and replay
 * read the same lists, so what validates is what replays.
 */
import type { Cloud } from '../create-cloud.js';
import { CALL_CALLBACKS, CHANNEL_CALLBACKS, SESSION_CALLBACKS } from '../sdk/callback-names.js';

/** The kinds of handle cloud verbs return. */
export type HandleKind = 'rule' | 'hold' | 'outage' | 'failNext' | 'phone';

/** A cloud verb a transcript may use. */
export interface VerbSpec {
  /** Its name in transcripts: `"kick"`, `"net.disconnect"`. */
  readonly name: string;
  /** Where the method is: on the Cloud, or on its network (`cloud.net`). */
  readonly on: 'cloud' | 'net';
  readonly method: string;
  /** Fewest and most arguments. */
  readonly args: readonly [min: number, max: number];
  /** The kind of handle it returns, which a step may name with `as`. */
  readonly returns?: HandleKind;
}

/** A method of a handle. */
export interface HandleMethodSpec {
  readonly name: string;
  readonly args: readonly [min: number, max: number];
}

const VERB_LIST: readonly VerbSpec[] = Object.freeze([
  { name: 'createApp', on: 'cloud', method: 'createApp', args: [1, 1] },
  { name: 'kick', on: 'cloud', method: 'kick', args: [1, 2] },
  { name: 'closeSession', on: 'cloud', method: 'closeSession', args: [1, 2] },
  { name: 'expireToken', on: 'cloud', method: 'expireToken', args: [1, 2] },
  { name: 'failNext', on: 'cloud', method: 'failNext', args: [2, 2], returns: 'failNext' },
  { name: 'refuseLogin', on: 'cloud', method: 'refuseLogin', args: [2, 3], returns: 'failNext' },
  { name: 'outage', on: 'cloud', method: 'outage', args: [0, 2], returns: 'outage' },
  { name: 'phone', on: 'cloud', method: 'phone', args: [1, 2], returns: 'phone' },
  { name: 'setChannelLimits', on: 'cloud', method: 'setChannelLimits', args: [1, 1] },
  { name: 'setStoredMessageLimits', on: 'cloud', method: 'setStoredMessageLimits', args: [1, 1] },
  { name: 'net.latency', on: 'net', method: 'latency', args: [1, 2], returns: 'rule' },
  { name: 'net.loss', on: 'net', method: 'loss', args: [1, 2], returns: 'rule' },
  { name: 'net.duplicate', on: 'net', method: 'duplicate', args: [0, 2], returns: 'rule' },
  { name: 'net.hold', on: 'net', method: 'hold', args: [0, 1], returns: 'hold' },
  { name: 'net.release', on: 'net', method: 'release', args: [0, 0] },
  { name: 'net.disconnect', on: 'net', method: 'disconnect', args: [1, 2] },
  { name: 'net.reconnect', on: 'net', method: 'reconnect', args: [1, 1] },
  { name: 'net.outage', on: 'net', method: 'outage', args: [0, 2], returns: 'outage' },
  { name: 'net.clear', on: 'net', method: 'clear', args: [0, 0] },
]);

/** The methods of each kind of handle (`{"handle": "h1", "call": "release"}`). */
export const HANDLE_METHODS: Readonly<Record<HandleKind, readonly HandleMethodSpec[]>> = Object.freeze({
  rule: [{ name: 'remove', args: [0, 0] }],
  hold: [
    { name: 'release', args: [0, 0] },
    { name: 'remove', args: [0, 0] },
  ],
  outage: [{ name: 'end', args: [0, 0] }],
  failNext: [{ name: 'remove', args: [0, 0] }],
  phone: [
    { name: 'accept', args: [0, 1] },
    { name: 'refuse', args: [0, 1] },
    { name: 'hangUp', args: [0, 1] },
  ],
});

/** How a handle kind is said in messages. */
export const HANDLE_NAMES: Readonly<Record<HandleKind, string>> = Object.freeze({
  rule: 'a network rule',
  hold: 'a hold',
  outage: 'an outage',
  failNext: 'a failNext',
  phone: 'a scripted phone',
});

/**
 * Public members of the Cloud and its network that are not transcript verbs, and what a
 * transcript writes instead. A test keeps this list and {@link listVerbs} together equal to the
 * Cloud's methods, so a verb a release adds is a decision, not an accident.
 */
export const NOT_VERBS: Readonly<Record<string, string>> = Object.freeze({
  Signal: 'a login step makes the Signal and the Session: { "client": "alice", "call": "login", "args": [...] }',
  install: "transcripts use the cloud's own Signal: use a login step",
  token: 'use {"$token": {"expiresIn": s}} in the login args',
  now: 'an inspection, not a verb',
  inspect: 'an inspection, not a verb',
  channels: 'an inspection, not a verb',
  timeline: 'an inspection, not a verb',
  listen: 'a transcript replays in process; the wire server is not part of it',
  flush: 'use { "advance": 0 }',
  flushSync: 'use { "advance": 0 }',
  advance: 'use { "advance": ms }',
  advanceSync: 'use { "advance": ms }',
  until: 'use { "until": { …entry… } }',
  settle: 'use { "advance": ms }',
  dispose: 'replay disposes the cloud at the end',
  'net.rule': 'a custom rule is a function, which a transcript cannot hold: use net.loss, net.latency, net.duplicate or net.hold',
  'net.inspect': 'an inspection, not a verb',
});

/** The verb of that name, or undefined (an own entry of the list only). */
export function findVerb(name: string): VerbSpec | undefined {
  return VERB_LIST.find((v) => v.name === name);
}

/** Every verb a transcript may use, e.g. `createApp`, `kick`, `net.disconnect`. */
export function listVerbs(): string[] {
  return VERB_LIST.map((v) => v.name);
}

/** Why `name` is not a verb, with what to write instead or the verbs there are. */
export function notAVerb(name: string): string {
  if (Object.prototype.hasOwnProperty.call(NOT_VERBS, name)) return `"${name}" is not a verb for transcripts: ${NOT_VERBS[name]}`;
  return `"${name}" is not a verb of this cloud (this version has: ${listVerbs().join(', ')})`;
}

/** The method of a handle kind, or undefined. */
export function findHandleMethod(kind: HandleKind, name: string): HandleMethodSpec | undefined {
  return HANDLE_METHODS[kind].find((m) => m.name === name);
}

/** Calls a verb on a cloud: the method named by the list, on the Cloud or its network. */
export function callVerb(cloud: Cloud, verb: VerbSpec, args: unknown[]): unknown {
  const self: object = verb.on === 'net' ? cloud.net : cloud;
  const fn = (self as Record<string, unknown>)[verb.method] as (...a: unknown[]) => unknown;
  return fn.apply(self, args);
}

/** Calls a handle's method (one of {@link HANDLE_METHODS} for its kind). */
export function callHandle(handle: object, method: HandleMethodSpec, args: unknown[]): unknown {
  const fn = (handle as Record<string, unknown>)[method.name] as (...a: unknown[]) => unknown;
  return fn.apply(handle, args);
}

/**
 * The 1.4.0 SDK methods a step may call, by the kind of SDK object: its documented API. (Not
 * 1.4.0's internal `session.call2`, which sends any request, even those its own code never
 * sends and then fails to parse the answers of, out of its socket handler.)
 */
export const SDK_METHODS = {
  session: ['logout', 'getStatus', 'messageInstantSend', 'invoke', 'channelJoin', 'channelInviteUser2'],
  channel: ['channelLeave', 'messageChannelSend', 'channelSetAttr', 'channelDelAttr', 'channelClearAttr'],
  call: ['channelInviteUser2', 'channelInviteAccept', 'channelInviteRefuse', 'channelInviteDTMF', 'channelInviteEnd'],
} as const;

export type SdkObjectKind = keyof typeof SDK_METHODS;

/**
 * The callbacks a `set` step or a reaction may name: those of the 1.4.0 SDK objects, and the
 * native SDKs' ones that 1.4.0 never fires but apps still assign (`onError`, `onInvokeRet`,
 * `onReconnecting`, `onReconnected`).
 */
export const SDK_CALLBACKS: readonly string[] = Object.freeze([...SESSION_CALLBACKS, ...CHANNEL_CALLBACKS, ...CALL_CALLBACKS, 'onError', 'onInvokeRet', 'onReconnecting', 'onReconnected']);

/**
 * Where each SDK method takes its callback. 1.4.0 calls whatever is there when it is truthy
 * (`cb && cb(…)`), so a value that is not a function throws out of its socket handler: a step
 * passes `{"$cb": …}` there, or leaves it out.
 */
export const CALLBACK_ARGUMENT: Readonly<Record<string, number>> = Object.freeze({
  messageInstantSend: 2,
  invoke: 2,
  channelLeave: 0,
  messageChannelSend: 1,
  channelSetAttr: 2,
  channelDelAttr: 1,
  channelClearAttr: 0,
});

/** Every SDK method name a call step may give (besides `login`). */
export const ALL_SDK_METHODS: readonly string[] = Object.freeze([...new Set<string>([...SDK_METHODS.session, ...SDK_METHODS.channel, ...SDK_METHODS.call])]);
