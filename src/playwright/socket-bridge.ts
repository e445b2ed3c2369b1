import type { WebSocketRoute } from '@playwright/test';
import WebSocket from 'ws';
import { failureReason, type ConsoleLevel } from './page-shim.js';
import type { WireRecord } from './wire-record.js';

/**
 * Carries one routed page WebSocket to the wire server, frame for frame, from Node (so neither
 * TLS nor the browser's Local Network Access checks stand in the way; the server sees a
 * loopback `Host` and no `Origin`).
 *
 * The page's socket opens only when the server's does (Playwright opens it when the route
 * handler returns), and every way the server's side ends is shown to the page as the browser
 * would show it: a close the server sends is passed on with its code and reason; a connection
 * that drops is `close` 1006; a refused or broken one is a failure (console line, `error`,
 * `close` 1006; see page-shim.ts).
 *
 * @returns when the page's socket has opened or failed.
 */
export function bridgeSocket(route: WebSocketRoute, target: string, record?: WireRecord): Promise<void> {
  const label = record?.socket(route.url()) ?? '';
  const note = (what: string, text: string): void => record?.add(label, what, text);
  const upstream = new WebSocket(target, { perMessageDeflate: false });
  let opened = false;
  let heard = false;
  let pageClosed = false;
  let failure: { why: string; level: ConsoleLevel } | undefined;
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));

  route.onMessage((message) => {
    note('→', typeof message === 'string' ? message : `(${message.length} bytes)`);
    if (upstream.readyState === WebSocket.OPEN) upstream.send(message);
  });
  route.onClose((code, reason) => {
    pageClosed = true;
    note('close', `by the page${code === undefined ? '' : ` ${code}`}${reason ? ` ${reason}` : ''}`);
    if (upstream.readyState === WebSocket.CONNECTING) {
      // Chromium's words (a warning) when a page closes a socket still connecting.
      failure = { why: 'WebSocket is closed before the connection is established.', level: 'warning' };
      upstream.terminate();
    } else if (upstream.readyState === WebSocket.OPEN) {
      upstream.close(code, reason);
    }
  });

  upstream.on('open', () => {
    opened = true;
    settle();
  });
  upstream.on('message', (data: Buffer, isBinary: boolean) => {
    heard = true;
    const message = isBinary ? data : data.toString('utf8');
    note('←', typeof message === 'string' ? message : `(${message.length} bytes)`);
    void route.send(message);
  });
  upstream.on('error', (error: Error & { code?: string }) => {
    failure ??= { why: chromiumText(error, { opened, heard }), level: 'error' };
  });
  upstream.on('close', (code: number, reasonBuffer: Buffer) => {
    const reason = reasonBuffer.toString('utf8');
    settle();
    if (pageClosed && failure === undefined) {
      // The answer to the page's own close: its close handshake completes.
      void route.close({ code, reason });
      return;
    }
    if (failure !== undefined) {
      note('fail', failure.why);
      void route.close({ code: 1006, reason: failureReason(failure.why, failure.level) });
    } else if (code === 1006) {
      note('drop', 'connection lost');
      void route.close({ code: 1006, reason: failureReason('') });
    } else {
      note('close', `by the cloud ${code}${reason ? ` ${reason}` : ''}`);
      void route.close({ code, reason });
    }
  });
  return settled;
}

/**
 * What Chromium prints after `WebSocket connection to 'URL' failed: ` for the failure the `ws`
 * client saw.
 *
 * The wire server breaks a connection "with an error" (`cloud.net.disconnect(…, { how: 'error' })`,
 * and every login of an account whose network is down) by sending a frame with a reserved
 * opcode, the one way to make a browser's WebSocket fire `error`. What that stands for is a
 * network gone, so the page reads Chromium's words for an offline network, not for the device:
 * as a failed connection when the server had not answered on it yet (a retry refused at its
 * login), else as a connection lost.
 */
export function chromiumText(error: Error & { code?: string }, seen: { opened: boolean; heard: boolean }): string {
  const status = /^Unexpected server response: (\d+)/.exec(error.message);
  if (status) return `Error during WebSocket handshake: Unexpected response code: ${status[1]}`;
  if (/invalid opcode \d+/i.test(error.message)) {
    return seen.heard ? 'net::ERR_INTERNET_DISCONNECTED' : 'Error in connection establishment: net::ERR_INTERNET_DISCONNECTED';
  }
  if (!seen.opened && error.code === 'ECONNREFUSED') return 'Error in connection establishment: net::ERR_CONNECTION_REFUSED';
  if (!seen.opened && error.code === 'ECONNRESET') return 'Error in connection establishment: net::ERR_CONNECTION_RESET';
  return error.message;
}
