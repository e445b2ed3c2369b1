import type { WebSocket } from 'ws';
import type { Port, Push, Request, UserMessage } from '../cloud/protocol.js';
import type { CloudServer } from '../cloud/server.js';
import type { ServerSession } from '../cloud/state.js';
import type { EventLog } from '../log/event-log.js';
import type { ExternalConnection, WireNetwork } from '../net/external.js';
import { pushDetail, requestKind } from '../net/message.js';
import {
  channelEventMsg,
  decodeClientFrame,
  encodeCall2Ret,
  encodeChannel2,
  encodeClose,
  encodeKick,
  encodeLoginRet,
  encodePong,
  encodeRecvmsg,
  UNPARSEABLE_MSG,
  userMessageMsg,
} from './frames.js';
import { DelayLine } from './delay-line.js';
import { detach } from './frame-limits.js';

/** A request or push as the dashboard's wire view shows it: direction, name, arguments. */
export type FrameObserver = (account: string, direction: 'up' | 'down', name: string, args: unknown[]) => void;

/** What the wire server gives a port besides the cloud: its network, and an eye on its frames. */
export interface WirePortOptions {
  /** The cloud's network: its latency rules delay the frames, a disconnected account may not log in. */
  net?: WireNetwork;
  /** Sees each request and push, but the SDK's keep-alives (ping, pong, the `user_getmsg` poll). */
  observe?: FrameObserver;
  /** Most bytes queued for a client that does not read before its connection is closed (default: no limit). */
  maxBuffered?: number;
}

/** Close codes that mean the connection ended the ordinary way (no log entry). */
const ORDINARY_CLOSE = new Set([1000, 1001, 1005]);

/** The longest excerpt of a bad frame kept in the log. */
const EXCERPT = 80;

/**
 * One WebSocket connection of a client, as the cloud sees it: a {@link Port} of the same
 * CloudServer the in-process clients use. It decodes the client's frames into requests and
 * encodes the server's pushes into frames the real 1.4.0 SDK reads without throwing.
 */
export class WirePort implements Port, ExternalConnection {
  readonly id: number;
  label = '';
  /** @internal The server's session on this connection (see {@link Port.serverSession}). */
  serverSession: ServerSession | undefined = undefined;
  /** Wire clients poll `user_getmsg`, so the server keeps an inbox for them. */
  readonly keepsInbox = true;
  /** Set by `set_flag {binary: 1}`; the server keeps sending text frames, which 1.4.0 accepts too. */
  binary = false;
  private readonly socket: WebSocket;
  private readonly server: CloudServer;
  private readonly log: EventLog;
  /** call2 id → function name, until its reply goes out (the reply's encoding depends on it). */
  private readonly pendingCalls = new Map<number, string>();
  /** Last channel2 msgid sent per channel on this connection. */
  private readonly channelMsgids = new Map<string, number>();
  /** Quirk of 1.4.0: channel2 before any `channelJoin` on a connection throws inside the SDK. */
  private joinedChannel = false;
  private shuttingDown = false;
  private faultLogged = false;
  /** The server cut this connection (slow reader, flood, a failure): nothing more is sent on it. */
  private cutOff = false;
  private gone = false;
  /** Bytes of frames waiting out latency in each direction (bounded by `maxBuffered`). */
  private inboundBytes = 0;
  /** What the requests waiting out latency are, in order (for the log, when a fault loses them). */
  private readonly inboundKinds: string[] = [];
  private outboundBytes = 0;

  /** False once the cloud is disposed: from then on the wire feeds it nothing. */
  private readonly live: () => boolean;
  private readonly net: WireNetwork | undefined;
  private readonly observe: FrameObserver | undefined;
  private readonly maxBuffered: number;
  /** Requests wait out the latency rules here, in order; the close waits behind them. */
  private readonly inbound = new DelayLine();
  /** Pushes wait out the latency rules here, in order; the server's close waits behind them. */
  private readonly outbound = new DelayLine();

  constructor(id: number, socket: WebSocket, server: CloudServer, log: EventLog, live: () => boolean = () => true, options: WirePortOptions = {}) {
    this.id = id;
    this.socket = socket;
    this.server = server;
    this.log = log;
    this.live = live;
    this.net = options.net;
    this.observe = options.observe;
    this.maxBuffered = options.maxBuffered ?? Infinity;
  }

  /**
   * A frame arrived from the client. Bad frames are logged and ignored; nothing throws. One
   * guard surrounds the handling of each frame: whatever fails in it is logged as a `fault`
   * (`malformed frame`) and closes this connection only, so no client can reach the process
   * (or the other connections) through a frame.
   */
  receive(text: string): void {
    if (this.shuttingDown || this.gone || !this.live()) return;
    try {
      this.take(text);
    } catch (error) {
      this.failed('malformed frame', error, text);
    }
  }

  private take(text: string): void {
    const frame = decodeClientFrame(text);
    switch (frame.kind) {
      case 'malformed':
        return this.note('malformed frame', [frame.why, excerpt(text)]);
      case 'unknown':
        return this.note('unknown event', [frame.event]);
      case 'set_flag':
        this.binary = frame.flags.binary === 1;
        return;
      case 'request': {
        const request = frame.request;
        this.observeRequest(request);
        const account = this.label || (request.type === 'login' ? (request.account ?? '') : '');
        const delay = this.net?.wireLatency({ direction: 'up', account, link: this.id, kind: requestKind(request), detail: undefined, request }) ?? 0;
        if (delay <= 0 && this.inboundBytes === 0) return this.handle(request, text);
        // Frames waiting out latency are held here, not by the client: bounded like the pushes.
        this.inboundBytes += text.length;
        if (this.inboundBytes > this.maxBuffered) return this.inboundOverflowed();
        this.inboundKinds.push(requestKind(request));
        this.inbound.run(() => {
          this.inboundBytes -= text.length;
          this.inboundKinds.shift();
          this.handle(request, text);
        }, delay);
      }
    }
  }

  /** The server takes a request, after its latency; a failure in it is this connection's alone. */
  private handle(request: Request, text: string): void {
    if (this.shuttingDown || this.gone || !this.live()) return;
    try {
      // The wire learns the account only here: a connection that logs in while the account's
      // network is down fails as a broken network fails it (1.4.0 retries after its back-off).
      if (request.type === 'login' && this.net && !this.net.admitsLogin(request.account ?? '')) {
        this.drop('error');
        return;
      }
      // The connection belongs to the account it tried to log in as, refused or not (as an
      // in-process link belongs to its SDK's account from the start): 1.4.0 keeps the socket
      // of a refused login open, and `net.disconnect(account)` must break it too.
      if (request.type === 'login' && this.label === '' && typeof request.account === 'string') this.label = request.account;
      if (request.type === 'call2') {
        this.pendingCalls.set(request.id, request.name);
        if (request.name === 'channel_join') this.joinedChannel = true;
      }
    } catch (error) {
      this.failed('malformed frame', error, text);
      return;
    }
    try {
      this.server.receive(this, request);
    } catch (error) {
      // A bug or a disposed cloud must not take the other connections down with it. The app
      // is answered all the same, so that its callback is not left waiting for ever.
      this.note('request failed', [request.type === 'call2' ? request.name : request.type, describeError(error)]);
      if (request.type === 'call2' && this.pendingCalls.get(request.id) === request.name) {
        this.push({ type: 'call2-ret', id: request.id, err: 'internal error', data: '' });
      }
    }
  }

  push(push: Push): void {
    if (this.cutOff) {
      this.fault('push dropped', [pushKind(push), 'connection closed']);
      return;
    }
    if (this.observe) this.observePush(push);
    const kind = push.type;
    const detail = pushDetail(push, push.type === 'call2-ret' ? this.pendingCalls.get(push.id) : undefined);
    const text = this.encode(push);
    if (text === undefined) return;
    const delay = this.net?.wireLatency({ direction: 'down', account: this.label, link: this.id, kind, detail, push }) ?? 0;
    if (delay <= 0 && this.outboundBytes === 0) return this.send(push, text);
    // What waits out latency counts with what the socket has not sent: one bound per connection.
    this.outboundBytes += text.length;
    if (this.outboundBytes + this.socket.bufferedAmount > this.maxBuffered) {
      this.overflowed();
      return;
    }
    this.outbound.run(() => {
      this.outboundBytes -= text.length;
      this.send(push, text);
    }, delay);
  }

  private send(push: Push, text: string): void {
    if (this.socket.readyState !== this.socket.OPEN) {
      this.fault('push dropped', [pushKind(push), 'connection closed']);
      return;
    }
    this.socket.send(text);
    if (this.outboundBytes + this.socket.bufferedAmount > this.maxBuffered) this.overflowed();
  }

  /**
   * The client reads nothing and what is queued for it passed the limit: the connection is
   * cut (its session ends as for any lost connection) rather than kept growing.
   */
  private overflowed(): void {
    const queued = this.outboundBytes + this.socket.bufferedAmount;
    this.fault('slow reader', [`${queued} bytes queued, more than ${this.maxBuffered}`, 'connection closed']);
    this.faultLogged = true;
    this.cutOff = true;
    this.outbound.clear();
    this.outboundBytes = 0;
    this.socket.terminate();
  }

  /** The client sends faster than its latency lets the frames through: cut, like a slow reader. */
  private inboundOverflowed(): void {
    this.fault('flood', [`${this.inboundBytes} bytes of frames waiting out the latency, more than ${this.maxBuffered}`, 'connection closed']);
    this.faultLogged = true;
    this.cutOff = true;
    this.inbound.clear();
    this.inboundKinds.length = 0;
    this.inboundBytes = 0;
    this.socket.terminate();
  }

  /**
   * Something failed while handling a frame of this client: logged as a fault, and this
   * connection closed (1011), its session ended; nothing else is touched.
   */
  private failed(name: string, error: unknown, text: string): void {
    this.fault(name, [describeError(error), excerpt(text), 'connection closed']);
    this.faultLogged = true;
    this.cutOff = true;
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(1011, 'internal error');
  }

  /** The server ends the connection, after the frames already sent. */
  end(reason: string): void {
    this.outbound.run(() => {
      if (this.socket.readyState === this.socket.OPEN) this.socket.close(1000, closeReason(reason));
    }, 0);
  }

  /**
   * A network fault breaks the connection (`cloud.net.disconnect`, an outage). `'close'` cuts
   * the TCP connection: the client's WebSocket fires `close`. `'error'` first sends a frame
   * with a reserved opcode, which the client's WebSocket must reject: it fires `error`, then
   * `close` (1002), as a connection broken in a browser does.
   */
  drop(how: 'close' | 'error'): void {
    if (this.gone || this.socket.readyState !== this.socket.OPEN) return;
    // Requests still waiting out their latency were in flight: a broken network loses them, as
    // it loses an in-process link's (otherwise a peer message sent just before an outage was
    // stored and delivered on the wire, and lost in-process).
    for (const kind of this.inboundKinds) this.fault('lost in flight', ['up', kind]);
    this.inboundKinds.length = 0;
    this.inbound.clear();
    this.inboundBytes = 0;
    if (how === 'error') {
      // The raw TCP socket of `ws` (not public API): FIN + opcode 3, reserved by RFC 6455.
      const raw = (this.socket as unknown as { _socket?: { write(data: Uint8Array): void } })._socket;
      raw?.write(Uint8Array.of(0x83, 0x00));
      return;
    }
    this.socket.terminate();
  }

  /** The listener is closing: ignore further frames and say goodbye. */
  shutdown(): void {
    this.shuttingDown = true;
    this.inbound.clear();
    this.inboundKinds.length = 0;
    this.outbound.clear();
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(1001, 'server closing');
  }

  /** The ws library reported an error (oversize or broken frame); the close follows. */
  errored(error: Error & { code?: string }): void {
    this.faultLogged = true;
    if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.note('frame too large', [error.message]);
    else this.note('protocol error', [error.code ?? error.name, error.message]);
  }

  /** The socket closed, for whatever reason: the session on it (if any) is over (after the requests still waiting out their latency). */
  closed(code: number): void {
    this.inbound.run(() => this.close(code), 0);
  }

  private close(code: number): void {
    if (this.gone) return;
    this.gone = true;
    if (!this.live()) return; // a disposed cloud runs nothing more
    if (!ORDINARY_CLOSE.has(code) && !this.faultLogged && !this.shuttingDown) {
      this.fault('connection lost', [code]);
    }
    try {
      this.server.disconnected(this);
    } catch (error) {
      // Thrown inside a socket's close handler it would be uncaught; the log keeps it instead.
      this.note('disconnect failed', [describeError(error)]);
    }
  }

  private observeRequest(request: Request): void {
    const observe = this.observe;
    if (!observe || request.type === 'ping') return;
    if (request.type === 'login') return observe(request.account ?? '', 'up', 'login', [request.account, request.vid]);
    if (request.name === 'user_getmsg') return;
    const { line: _line, ...args } = request.args ?? {};
    observe(this.label, 'up', request.name, [args]);
  }

  private observePush(push: Push): void {
    const observe = this.observe!;
    switch (push.type) {
      case 'pong':
        return;
      case 'login_ret':
        return observe(this.label, 'down', 'login_ret', push.err ? [push.err] : ['ok', push.uid]);
      case 'call2-ret': {
        const name = this.pendingCalls.get(push.id) ?? 'call2';
        if (name === 'user_getmsg') return;
        // A plain copy of the data: a join reply's list is a getter that makes it at each read.
        return observe(this.label, 'down', `${name} ret`, [push.err || (typeof push.data === 'object' ? { ...push.data } : 'ok')]);
      }
      case 'msg':
        return observe(this.label, 'down', push.msg.type === 'instant' ? 'message' : push.msg.type, [push.msg.from, push.msg.content]);
      case 'channel2': {
        const { type, ...fields } = push.event;
        return observe(this.label, 'down', type, [push.channel, ...Object.values(fields)]);
      }
      case 'kick':
      case 'close':
        return observe(this.label, 'down', push.type, [push.reason]);
    }
  }

  private encode(push: Push): string | undefined {
    switch (push.type) {
      case 'login_ret':
        return encodeLoginRet(push.err, push.uid, push.line);
      case 'call2-ret': {
        const name = this.pendingCalls.get(push.id);
        this.pendingCalls.delete(push.id);
        if (name === 'user_getmsg' && push.err === '' && typeof push.data === 'object') {
          return encodeCall2Ret(push.id, '', { ...push.data, msgs: this.inboxMsgs(push.data.msgs) });
        }
        return encodeCall2Ret(push.id, push.err, push.data);
      }
      case 'pong':
        return encodePong(push.n);
      case 'msg':
        return encodeRecvmsg(push.msg.seq, this.userMsg(push.msg));
      case 'channel2': {
        if (!this.joinedChannel) {
          this.note('channel2 withheld', [push.channel, push.event.type, 'no channelJoin on this connection']);
          return undefined;
        }
        const msgid = this.nextMsgid(push.channel, push.msgid);
        return encodeChannel2(push.channel, msgid, channelEventMsg(push.event, msgid, this.server.ctx.time.now()));
      }
      case 'kick':
        return encodeKick(push.reason);
      case 'close':
        return encodeClose(push.reason);
    }
  }

  /**
   * `user_getmsg` answers `[[seq, MSG], …]`. Quirk of 1.4.0: `msgs` must be an array (it reads
   * `.length` unguarded), so anything else becomes `[]`.
   */
  private inboxMsgs(msgs: unknown): Array<[number, string]> {
    if (!Array.isArray(msgs)) return [];
    return (msgs as UserMessage[]).map((m) => [m.seq, this.userMsg(m)]);
  }

  private userMsg(m: UserMessage): string {
    const encoded = userMessageMsg(m);
    if ('msg' in encoded) return encoded.msg;
    this.note('message not encodable', [m.from, m.type, encoded.unsafe]);
    return UNPARSEABLE_MSG;
  }

  /**
   * The channel's msgid as the server numbered it; when the server left it unnumbered (not a
   * positive number) or it would not increase, the next number on this connection. Quirk of
   * 1.4.0: the SDK drops a msgid not above the last one it took.
   */
  private nextMsgid(channel: string, given: number): number {
    const last = this.channelMsgids.get(channel) ?? 0;
    const msgid = Number.isInteger(given) && given > last ? given : last + 1;
    this.channelMsgids.set(channel, msgid);
    return msgid;
  }

  private note(name: string, args: unknown[]): void {
    this.log.append({ kind: 'server', client: this.label, name, args: [...args, `connection ${this.id}`] });
  }

  private fault(name: string, args: unknown[]): void {
    this.log.append({ kind: 'fault', client: this.label, name, args: [...args, `connection ${this.id}`] });
  }
}

function pushKind(p: Push): string {
  if (p.type === 'msg') return p.msg.type;
  if (p.type === 'channel2') return p.event.type;
  return p.type;
}

/** What an exception says, whatever was thrown (a thrown value's own `toString` may throw too). */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    return typeof error === 'string' ? error : Object.prototype.toString.call(error);
  } catch {
    return 'an exception that cannot be described';
  }
}

function excerpt(text: string): string {
  return detach(truncate(text, EXCERPT));
}

/** A WebSocket close reason is at most 123 bytes of UTF-8. */
function closeReason(reason: string): string {
  return Buffer.byteLength(reason) <= 123 ? reason : '';
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
