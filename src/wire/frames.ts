import type { ChannelEvent, Request, UserMessage } from '../cloud/protocol.js';
import { cut, exceedsFrameLimits, FRAME_LIMITS } from './frame-limits.js';

/**
 * The JSON frames of the 1.4.0 wire protocol, as the shipped SDK reads and writes them
 * (see the README's wire section). Frames are `[event, payload]` text. Every function here is
 * pure; the connection keeps the little state the encoding needs.
 */

/** What a client frame asks for, after decoding. */
export type ClientFrame =
  | { kind: 'request'; request: Request }
  | { kind: 'set_flag'; flags: { binary: unknown } }
  /** A well-formed frame with an event this server does not know (ignored). */
  | { kind: 'unknown'; event: string }
  /** Not a frame of the protocol (ignored). */
  | { kind: 'malformed'; why: string };

/**
 * Decodes one frame sent by a client. Never throws, and reads nothing of the frame before its
 * shape is checked: the frame as a whole against {@link FRAME_LIMITS} (depth, number of values),
 * then each field the server uses by type, as 1.4.0 sends it. Nothing here converts a client
 * value to text without knowing it is a string, a number, a boolean or null (an object's
 * `toString` is the client's to define: `{"toString":1}` makes `String()` throw).
 */
export function decodeClientFrame(text: string): ClientFrame {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return malformed('not JSON');
  }
  if (!Array.isArray(frame) || frame.length !== 2 || typeof frame[0] !== 'string') return malformed('not an [event, payload] array');
  const tooBig = exceedsFrameLimits(frame);
  if (tooBig !== undefined) return malformed(`frame ${tooBig}`);
  const event: string = frame[0];
  const data: unknown = frame[1];
  switch (event) {
    case 'login':
      return decodeLogin(data);
    case 'ping':
      // 1.4.0 counts its pings; the server echoes the number.
      if (typeof data !== 'number') return malformed('ping payload is not a number');
      return { kind: 'request', request: { type: 'ping', n: data } };
    case 'set_flag':
      if (!isObject(data)) return malformed('set_flag payload is not an object');
      return { kind: 'set_flag', flags: { binary: own(data, 'binary') } };
    case 'call2': {
      if (!Array.isArray(data) || data.length < 2 || data.length > 3) return malformed('call2 payload is not [name, id, args]');
      const [name, id, args] = data as unknown[];
      if (typeof name !== 'string' || typeof id !== 'number' || !Number.isFinite(id)) return malformed('call2 payload is not [name, id, args]');
      // An app's invoke may send args that are not an object (1.4.0 sends what it was given):
      // the server reads none of it.
      return { kind: 'request', request: { type: 'call2', name: cut(name, FRAME_LIMITS.functionName), id, args: isObject(args) ? callArgs(args) : {} } };
    }
    default:
      return { kind: 'unknown', event: cut(event, FRAME_LIMITS.eventName) };
  }
}

/**
 * `["login", {vid, account, uid, token, device, ip}]` as 1.4.0 sends it: the app id and token
 * as the app gave them (a number stays a number in JSON), the account always a string or
 * missing (1.4.0 JSON-stringifies any other account; undefined leaves the key out).
 */
function decodeLogin(data: unknown): ClientFrame {
  if (!isObject(data)) return malformed('login payload is not an object');
  const vid = own(data, 'vid');
  const account = own(data, 'account');
  const token = own(data, 'token');
  const uid = own(data, 'uid');
  if (account !== undefined && typeof account !== 'string') return malformed('login account is not a string');
  return {
    kind: 'request',
    request: {
      type: 'login',
      // An app id the server cannot use (missing, null, an object) is refused as invalid (201).
      vid: typeof vid === 'string' ? vid : typeof vid === 'number' || typeof vid === 'boolean' ? String(vid) : '',
      // Missing: the server refuses it as a wrong account (209), as for the in-process SDK.
      account: (account === undefined ? undefined : cut(account, FRAME_LIMITS.account)) as string,
      token: token === undefined ? (undefined as unknown as string) : typeof token === 'string' ? token : JSON.stringify(token),
      uid: typeof uid === 'number' ? uid : 0,
    },
  };
}

/** The arguments of a call2, with a message type too long to be one cut (the log keeps it). */
function callArgs(args: Record<string, unknown>): Record<string, unknown> {
  const t = own(args, 't');
  return typeof t === 'string' && t.length > FRAME_LIMITS.messageType ? { ...args, t: cut(t, FRAME_LIMITS.messageType) } : args;
}

/** A field of a client's object, if it has it itself (never one inherited). */
function own(data: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(data, key) ? data[key] : undefined;
}

function malformed(why: string): ClientFrame {
  return { kind: 'malformed', why };
}

/**
 * `["login_ret", [err, JSON]]`. Quirk of 1.4.0: the SDK parses the second slot even on
 * failure, so it is always JSON; a refusal puts its reason in `err`, which the SDK maps to a code.
 */
export function encodeLoginRet(err: string, uid: number, line: string): string {
  const data = err === '' ? { result: 'ok', uid, line } : { result: 'failed', reason: err };
  return frame('login_ret', [err, JSON.stringify(data)]);
}

/**
 * `["call2-ret", [id, err, data]]`: an accepted call answers `""` and a JSON object string with
 * `result: "ok"`; a refusal answers its reason and `""` (the SDK hands the raw string to the cb).
 */
export function encodeCall2Ret(id: number, err: string, data: Record<string, unknown> | string): string {
  return frame('call2-ret', [id, err, typeof data === 'string' ? data : JSON.stringify(data)]);
}

export function encodePong(n: unknown): string {
  return frame('pong', n);
}

/** `["kick", reason]`: the SDK fires `onLogout(103)` and leaves its socket open. */
export function encodeKick(reason: string): string {
  return frame('kick', reason);
}

/** `["close", reason]`: the SDK fires `onLogout(102)` (or `onLoginFailed(201)` while logging in). */
export function encodeClose(reason: string): string {
  return frame('close', reason);
}

/** `["notify", ["recvmsg", "[seq, MSG]"]]`: a user message pushed as it arrives. */
export function encodeRecvmsg(seq: number, msg: string): string {
  return frame('notify', ['recvmsg', JSON.stringify([seq, msg])]);
}

/** `["notify", ["channel2", channel, msgid, MSG]]`: a channel event. */
export function encodeChannel2(channel: string, msgid: number, msg: string): string {
  return frame('notify', ['channel2', channel, msgid, msg]);
}

/**
 * A `MSG` string: `msg-v2 <from> <f2> <f3> <type> <f5> <content>`, split by the SDK on its first
 * six spaces. 1.4.0 reads only the sender (field 1), the type (field 4) and the content (the
 * rest, spaces and all). The emulator fills field 2 with the sender's uid, field 3 with the time
 * the server accepted the message (ms), field 5 with the seq or msgid.
 */
export function msgV2(from: string, f2: number, f3: number, type: string, f5: number, content: string): string {
  return `msg-v2 ${from} ${f2} ${f3} ${type} ${f5} ${content}`;
}

/**
 * Quirk of 1.4.0: a `MSG` it cannot split is dropped silently but still consumes its seq. The
 * server sends this in place of a message the SDK would choke on, so the client's sequence
 * keeps moving and nothing else breaks.
 */
export const UNPARSEABLE_MSG = 'msg-v2 unparseable';

/**
 * The `MSG` of a user message, or why the real SDK could not take it: a sender or type that is
 * not one space-free token would shift the fields, and the SDK runs `JSON.parse` on the content
 * of every `voip_*` message outside any try/catch (a throw would wedge its socket).
 */
export function userMessageMsg(m: UserMessage): { msg: string } | { unsafe: string } {
  if (!isToken(m.from)) return { unsafe: 'sender is not a space-free token' };
  if (!isToken(m.type)) return { unsafe: 'type is not a space-free token' };
  if (m.type.startsWith('voip_') && !isJson(m.content)) return { unsafe: 'voip content is not JSON' };
  return { msg: msgV2(m.from, m.fromUid, m.sentAt, m.type, m.seq, m.content) };
}

/** The `MSG` of a channel event: its type, and its JSON content as 1.4.0 reads it. */
export function channelEventMsg(event: ChannelEvent, msgid: number, now: number): string {
  switch (event.type) {
    case 'channel_msg':
      return msgV2(token(event.account), event.uid, now, event.type, msgid, JSON.stringify({ account: event.account, uid: event.uid, msg: event.msg }));
    case 'channel_user_join':
    case 'channel_user_leave':
      return msgV2(token(event.account), event.uid, now, event.type, msgid, JSON.stringify({ account: event.account, uid: event.uid }));
    case 'channel_attr_update':
      return msgV2('_server', 0, now, event.type, msgid, JSON.stringify({ name: event.name, value: event.value, type: event.change }));
  }
}

function frame(event: string, payload: unknown): string {
  return JSON.stringify([event, payload]);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isToken(s: string): boolean {
  return typeof s === 'string' && s.length > 0 && !/\s/.test(s);
}

/** The sender field is ignored by 1.4.0 for channel events; it only has to be one token. */
function token(s: string): string {
  return isToken(s) ? s : '_';
}

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}
