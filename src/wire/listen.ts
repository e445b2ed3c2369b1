import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CloudServer } from '../cloud/server.js';
import { EmulatorError, invariant } from '../errors.js';
import type { EventLog } from '../log/event-log.js';
import type { WireNetwork } from '../net/external.js';
import { detach } from './frame-limits.js';
import { ALLOW_HOST_PATTERN, hostPolicy, type HostPolicy } from './host-check.js';
import { lbsAnswer, type LbsRequest } from './lbs-answer.js';
import { describeError, WirePort, type FrameObserver } from './wire-port.js';

export interface ListenOptions {
  /** TCP port; `0` (the default) picks a free one. */
  port?: number;
  /** Interface to bind; `127.0.0.1` (the default) keeps the cloud off the network. */
  host?: string;
  /**
   * Also serve the dashboard at `http://HOST:PORT/`: the live log, who is online, channels,
   * invites, and controls to kick, disconnect, expire tokens, add latency or cut the server off
   * (default false).
   */
  dashboard?: boolean;
  /**
   * Most bytes queued for one connection whose client does not read them (default 16 MiB,
   * {@link MAX_BUFFERED_BYTES}), counting the frames waiting out latency both ways: past it the
   * server closes that connection, its session ends, and the log says so (a `fault` entry
   * `slow reader`, or `flood` for a client whose own frames pile up), so a stuck client cannot
   * take the process's memory. A dashboard event stream has the same bound.
   */
  maxBufferedBytes?: number;
  /**
   * More `Host` names to answer besides `localhost`, loopback addresses and the bound address
   * (default none): `'my-laptop.lan'`, `'*.agora.io'` (any name under it), or `'*'` (any).
   * Requests and WebSocket upgrades for any other name get 421, so that a web page cannot
   * reach the server through a DNS-rebound name.
   */
  allowHosts?: readonly string[];
  /**
   * Sees each request and push of the served connections, as the dashboard's `wire` rows show
   * them (the SDK's keep-alives, `ping`/`pong` and the `user_getmsg` poll, left out): to print
   * or collect a real SDK's traffic. An exception it throws is logged, never passed on.
   */
  onFrame?: (frame: WireFrame) => void;
}

/** A request (`up`) or push (`down`) of a served connection, for {@link ListenOptions.onFrame}. */
export interface WireFrame {
  /** The cloud's time (ms). */
  t: number;
  /** The connection's account ('' before it logged in). */
  account: string;
  direction: 'up' | 'down';
  /** `login`, a call2 function name, `<function> ret`, `login_ret`, `message`, a channel event type, `kick`, `close`. */
  name: string;
  args: unknown[];
}

/** A running wire server: the cloud, served over the real 1.4.0 WebSocket protocol. */
export interface WireServer {
  /** The WebSocket URL for `signal.setup_debugging('ap_url', url)`, e.g. `ws://127.0.0.1:41234/`. */
  readonly url: string;
  /** The LBS base URL (`GET {lbsUrl}/getaddr?vid=APPID`), e.g. `http://127.0.0.1:41234`. */
  readonly lbsUrl: string;
  readonly port: number;
  readonly host: string;
  /** The dashboard's address (`http://127.0.0.1:41234/`) when listening with `dashboard: true`. */
  readonly dashboardUrl: string | undefined;
  /** Connections open now. */
  readonly connections: number;
  /** Ends every connection and frees the port. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** What the wire needs of a cloud. */
export interface WireDeps {
  server: CloudServer;
  log: EventLog;
  /** Told when `close()` is first called. */
  onClose?: () => void;
  /** False once the cloud is disposed: frames and closes are no longer passed on. */
  live?: () => boolean;
  /** The cloud's network: its faults (disconnect, outage) reach wire connections too. */
  net?: WireNetwork;
  /**
   * Plain HTTP requests go here first (the dashboard); made once the server knows its URLs. A
   * long-lived response (an event stream) keeps to the same bound as a connection.
   */
  http?: (server: Pick<WireServer, 'url' | 'lbsUrl' | 'connections'>, limits: { maxBufferedBytes: number }) => HttpHook;
  /** The cloud's time, for {@link WireFrame.t} (default: real time). */
  now?: () => number;
}

/** A handler of the wire server's plain HTTP requests, in front of the LBS. */
export interface HttpHook {
  /** Answers the request and returns true, or returns false to leave it to the LBS. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** The server is closing: end long-lived responses (event streams) now. */
  close(): void;
  /** Sees the requests and pushes of every connection (the SDK's keep-alives left out). */
  frame?: FrameObserver;
}

/** The status of a request for a `Host` the server does not answer (RFC 9110: Misdirected Request). */
const MISDIRECTED = 421;

/** Frames larger than this are refused (the connection is closed with 1009 and the log says so). */
export const MAX_FRAME_BYTES = 64 * 1024;
/** What a connection whose client does not read may have queued before it is closed (see {@link ListenOptions.maxBufferedBytes}). */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** How long `close()` waits for clients to answer the close handshake before cutting them off. */
const CLOSE_GRACE_MS = 250;

/**
 * Starts a WebSocket server for the cloud (use `cloud.listen()`). One HTTP port serves the
 * WebSocket protocol on any path and the LBS endpoint `GET /getaddr?vid=…`.
 */
export async function listen(deps: WireDeps, options: ListenOptions = {}): Promise<WireServer> {
  checkOptions(options);
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 0;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const sockets = new Set<Socket>();
  const ports = new Map<WebSocket, WirePort>();
  let nextPortId = 1;
  let closing: Promise<void> | undefined;
  let wsUrl = '';
  let boundPort = 0;
  let hook: HttpHook | undefined;
  let observe: FrameObserver | undefined;

  const hosts = hostPolicy(host, options.allowHosts ?? []);
  const http = createServer((req, res) => {
    // One guard per request: nothing a request carries reaches the process or another client.
    try {
      if (!hosts.allows(req.headers.host)) return refuseHost(req, res, hosts, deps.log);
      if (hook?.handle(req, res)) return;
      answerHttp(req, res, deps.log, () => ({ wsUrl, boundHost: host, port: boundPort }));
    } catch (error) {
      deps.log.append({ kind: 'fault', client: '', name: 'http request failed', args: [describeError(error), excerpt(req.url ?? '')] });
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('agora-signaling-emulator: this request failed; the log says why.\n');
    }
  });
  http.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A request Node cannot parse gets its 400 (a reset connection, nothing).
  http.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code !== 'ECONNRESET' && socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (closing) return socket.destroy();
    if (!hosts.allows(req.headers.host)) {
      logRefusedHost(req, deps.log);
      socket.end(`HTTP/1.1 ${MISDIRECTED} Misdirected Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    // During an outage a connection attempt is refused (1.4.0 sees the WebSocket's error and
    // retries) or left unanswered (its 6 s connect timeout); `close()` destroys it either way.
    const verdict = deps.net?.admits();
    if (verdict === 'refused') {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (verdict === 'unanswered') return;
    wss.handleUpgrade(req, socket, head, (ws) => {
      const port = new WirePort(nextPortId++, ws, deps.server, deps.log, deps.live, {
        ...(deps.net ? { net: deps.net } : {}),
        ...(observe ? { observe } : {}),
        maxBuffered: options.maxBufferedBytes ?? MAX_BUFFERED_BYTES,
      });
      ports.set(ws, port);
      const detach = deps.net?.attach(port);
      ws.once('close', () => detach?.());
      // 1.4.0 sends only text; a binary frame is read as UTF-8 text all the same.
      ws.on('message', (data) => port.receive((data as Buffer).toString('utf8')));
      ws.on('error', (error) => port.errored(error));
      ws.on('close', (code) => {
        ports.delete(ws);
        port.closed(code);
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(new EmulatorError(`Failed to listen on ${host}:${requestedPort}: ${error.code ?? error.message}` +
        (error.code === 'EADDRINUSE' ? ' (the port is taken; pass port: 0 to pick a free one)' : ''), { cause: error }));
    };
    http.once('error', onError);
    http.listen(requestedPort, host, () => {
      http.off('error', onError);
      resolve();
    });
  });
  const address = http.address();
  invariant(address && typeof address === 'object', 'Failed to listen: the server has no TCP address');
  const port = address.port;
  boundPort = port;
  const urlHost = hostForUrl(host);
  wsUrl = `ws://${urlHost}:${port}/`;

  const close = (): Promise<void> => {
    if (!closing) {
      deps.onClose?.();
      hook?.close();
    }
    closing ??= new Promise<void>((resolve) => {
      const wsClosed = [...ports.keys()].map((ws) => new Promise<void>((done) => {
        if (ws.readyState === ws.CLOSED) return done();
        ws.once('close', () => done());
      }));
      for (const p of ports.values()) p.shutdown();
      // A client that does not answer the close handshake (or a half-open socket) is cut off;
      // a connection that still reports no close after that is not waited for (a socket
      // destroyed under ws in the middle of a frame may never say it closed).
      let cutOff: () => void = () => undefined;
      const allCut = new Promise<void>((done) => (cutOff = done));
      const grace = setTimeout(() => {
        for (const ws of ports.keys()) ws.terminate();
        for (const s of sockets) s.destroy();
        setTimeout(cutOff, CLOSE_GRACE_MS);
      }, CLOSE_GRACE_MS);
      const httpClosed = new Promise<void>((done) => http.close(() => done()));
      http.closeIdleConnections();
      void Promise.race([Promise.all([httpClosed, ...wsClosed]), allCut]).then(() => {
        clearTimeout(grace);
        wss.close();
        resolve();
      });
    });
    return closing;
  };

  const server: WireServer = {
    url: wsUrl,
    lbsUrl: `http://${urlHost}:${port}`,
    dashboardUrl: deps.http ? `http://${urlHost}:${port}/` : undefined,
    port,
    host,
    get connections() {
      return ports.size;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
  hook = deps.http?.(server, { maxBufferedBytes: options.maxBufferedBytes ?? MAX_BUFFERED_BYTES });
  observe = observer(hook?.frame, options.onFrame, deps);
  return server;
}

/**
 * The dashboard's and the user's frame observers as one. Observers are not part of serving:
 * what they throw is logged (the first time) and never reaches the connection.
 */
function observer(frame: FrameObserver | undefined, onFrame: ListenOptions['onFrame'], deps: WireDeps): FrameObserver | undefined {
  if (!frame && !onFrame) return undefined;
  const now = deps.now ?? (() => Date.now());
  let reported = false;
  return (account, direction, name, args) => {
    try {
      frame?.(account, direction, name, args);
      onFrame?.({ t: now(), account, direction, name, args });
    } catch (error) {
      if (reported) return;
      reported = true;
      deps.log.append({ kind: 'fault', client: '', name: 'onFrame threw', args: [describeError(error), 'later errors of it are not logged'] });
    }
  };
}

function refuseHost(req: IncomingMessage, res: ServerResponse, hosts: HostPolicy, log: EventLog): void {
  logRefusedHost(req, log);
  res.writeHead(MISDIRECTED, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(
    `agora-signaling-emulator: this server does not answer the name in Host (${excerpt(req.headers.host ?? '')}); it answers ${hosts.described}. ` +
      'To reach it by another name, allow it: serve --allow-host NAME, or cloud.listen({ allowHosts: [NAME] }).\n',
  );
}

/** Logged so that an app that cannot connect finds why; the name is cut (it is the client's). */
function logRefusedHost(req: IncomingMessage, log: EventLog): void {
  log.append({ kind: 'server', client: '', name: 'host refused', args: [excerpt(req.headers.host ?? ''), excerpt(req.url ?? '')] });
}

function excerpt(text: string): string {
  return text.length <= 80 ? text : detach(`${text.slice(0, 80)}…`);
}

/**
 * The LBS: `GET /getaddr?vid=APPID` answers `{"web": [...]}` in the form the asking SDK can use
 * (see {@link lbsAnswer}). CORS is open so that a browser app can ask too.
 */
function answerHttp(req: IncomingMessage, res: ServerResponse, log: EventLog, where: () => Pick<LbsRequest, 'wsUrl' | 'boundHost' | 'port'>): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  const url = requestUrl(req);
  if (url === undefined) {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('agora-signaling-emulator: the request target is not a path.\n');
    return;
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { 'Access-Control-Allow-Methods': 'GET, OPTIONS', 'Access-Control-Allow-Headers': '*' });
    res.end();
    return;
  }
  if (req.method === 'GET' && url.pathname === '/getaddr') {
    const vid = url.searchParams.get('vid') ?? '';
    log.append({ kind: 'server', client: '', name: 'lbs getaddr', args: [vid] });
    const forwarded = req.headers['x-forwarded-host'];
    const answer = lbsAnswer({
      host: req.headers.host,
      forwardedHost: Array.isArray(forwarded) ? forwarded[0] : forwarded,
      ...where(),
    });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(answer));
    return;
  }
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(
    'agora-signaling-emulator: this port speaks the Signaling 1.4.0 WebSocket protocol (any path) ' +
      'and answers GET /getaddr?vid=APPID.\n',
  );
}

/**
 * The path and query of a request, or `undefined` when its target is not one (`GET //` is an
 * HTTP request whose target `new URL` refuses).
 */
export function requestUrl(req: IncomingMessage): URL | undefined {
  const target = req.url ?? '/';
  if (!target.startsWith('/') || target.startsWith('//')) return undefined;
  try {
    return new URL(target, 'http://localhost');
  } catch {
    return undefined;
  }
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** A value in an error message, whatever it is (a value's own `toString` may throw). */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

function checkOptions(options: ListenOptions): void {
  invariant(options && typeof options === 'object', `Failed to listen: options must be an object, got ${String(options)}`);
  const known = ['port', 'host', 'dashboard', 'maxBufferedBytes', 'allowHosts', 'onFrame'];
  for (const key of Object.keys(options)) {
    invariant(known.includes(key), `Failed to listen: unknown option '${key}' (known: ${known.join(', ')})`);
  }
  if (options.port !== undefined) {
    invariant(
      Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535,
      `Failed to listen: port must be an integer from 0 to 65535 (0 picks a free one), got ${describe(options.port)}`,
    );
  }
  if (options.host !== undefined) {
    invariant(typeof options.host === 'string' && options.host.length > 0, `Failed to listen: host must be a non-empty string, got ${describe(options.host)}`);
  }
  if (options.dashboard !== undefined) {
    invariant(typeof options.dashboard === 'boolean', `Failed to listen: dashboard must be true or false, got ${describe(options.dashboard)}`);
  }
  if (options.allowHosts !== undefined) {
    invariant(Array.isArray(options.allowHosts), () => `Failed to listen: allowHosts must be an array of names like ['my-laptop.lan', '*.agora.io'], got ${describe(options.allowHosts)}`);
    for (const name of options.allowHosts as unknown[]) {
      invariant(
        typeof name === 'string' && ALLOW_HOST_PATTERN.test(name),
        () => `Failed to listen: allowHosts has ${describe(name)}, which is not a host name ('my-laptop.lan'), a pattern ('*.agora.io') or '*'`,
      );
    }
  }
  if (options.onFrame !== undefined) {
    invariant(typeof options.onFrame === 'function', () => `Failed to listen: onFrame must be a function, got ${describe(options.onFrame)}`);
  }
  if (options.maxBufferedBytes !== undefined) {
    invariant(
      Number.isInteger(options.maxBufferedBytes) && options.maxBufferedBytes >= MAX_FRAME_BYTES,
      `Failed to listen: maxBufferedBytes must be a whole number of bytes, at least one frame (${MAX_FRAME_BYTES}), got ${describe(options.maxBufferedBytes)}`,
    );
  }
}
