// A bare WebSocket client that speaks the 1.4.0 frames by hand, to test the wire server.
import { connect as tcpConnect, type Socket } from 'node:net';
import WebSocket from 'ws';

export interface RawClient {
  readonly ws: WebSocket;
  /** Every frame received, parsed. */
  readonly frames: unknown[];
  send(event: string, payload: unknown): void;
  sendText(text: string): void;
  /** Resolves with the first received frame (past or future) that `match` accepts. */
  next(match: (frame: [string, unknown]) => boolean, what?: string): Promise<[string, unknown]>;
  /** Sends call2 and resolves with `[err, data]` of its call2-ret. */
  call2(name: string, args?: Record<string, unknown>): Promise<[string, string]>;
  /** Logs in and resolves with the parsed login_ret data. */
  login(account: string, options?: { vid?: string; token?: string }): Promise<[string, Record<string, unknown>]>;
  closed: Promise<number>;
}

/** `timeoutMs`: how long `next` (and so `call2`, `login`) waits for its frame (default 2 s; a flood of thousands may need more). */
export async function connect(url: string, options: { timeoutMs?: number } = {}): Promise<RawClient> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const ws = new WebSocket(url);
  const frames: unknown[] = [];
  const waiters: Array<{ match: (f: [string, unknown]) => boolean; resolve: (f: [string, unknown]) => void }> = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as [string, unknown];
    frames.push(frame);
    for (const w of [...waiters]) {
      if (w.match(frame)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(frame);
      }
    }
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 0;
  const client: RawClient = {
    ws,
    frames,
    closed,
    send: (event, payload) => ws.send(JSON.stringify([event, payload])),
    sendText: (text) => ws.send(text),
    next: (match, what = 'a frame') => {
      const seen = (frames as Array<[string, unknown]>).find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs / 1000} s; got ${JSON.stringify(frames).slice(0, 2000)}`)), timeoutMs);
        waiters.push({ match, resolve: (f) => (clearTimeout(timer), resolve(f)) });
      });
    },
    call2: async (name, args = {}) => {
      const id = ++nextId;
      client.send('call2', [name, id, { line: '', ...args }]);
      const [, data] = await client.next(([e, d]) => e === 'call2-ret' && (d as unknown[])[0] === id, `call2-ret ${id}`);
      const [, err, payload] = data as [number, string, string];
      return [err, payload];
    },
    login: async (account, options = {}) => {
      client.send('login', { vid: options.vid ?? 'app', account, uid: 0, token: options.token ?? '_no_need_token', device: 'websdk', ip: '' });
      const [, data] = await client.next(([e]) => e === 'login_ret', 'login_ret');
      const [err, json] = data as [string, string];
      return [err, JSON.parse(json) as Record<string, unknown>];
    },
  };
  return client;
}

/** A TCP socket that has done the WebSocket upgrade by hand, to send broken frames. */
export function rawUpgrade(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1', () => {
      socket.write(
        'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    socket.once('data', (data) => (String(data).startsWith('HTTP/1.1 101') ? resolve(socket) : reject(new Error(String(data)))));
    socket.on('error', () => {});
  });
}

/** A client text frame (clients must mask; a zero mask keeps the payload readable). */
export function maskedFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const header = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 255]);
  return Buffer.concat([header, Buffer.from([0, 0, 0, 0]), payload]);
}
