import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cloud } from '../create-cloud.js';
import { EmulatorError } from '../errors.js';
import { requestUrl, type HttpHook, type WireServer } from '../wire/listen.js';
import { describeError } from '../wire/wire-port.js';
import { runControl, type ControlState } from './controls.js';
import { dashboardPage } from './page.js';
import { dashboardState, entryView, wireView, type EntryView } from './state.js';

/** Entries a newly opened page gets at once; later ones stream in. */
const BACKLOG = 1000;
/** Longest gap between state updates while a page is open (wire fault countdowns, connections). */
const STATE_EVERY_MS = 1000;
/** Shortest gap between state updates, however busy the log. */
const STATE_THROTTLE_MS = 100;
/** Largest control request body. */
const MAX_BODY = 16 * 1024;
/** Most event streams open at once (pages, tabs); one more is answered 503. */
export const MAX_STREAMS = 16;

/**
 * The dashboard of a served cloud, on the wire server's port: `GET /` (the page),
 * `GET /_dashboard/events` (Server-Sent Events: `hello` with the recent log and the state,
 * then `entry` for each log entry and `state` when anything may have changed),
 * `GET /_dashboard/state` (JSON) and `POST /_dashboard/control` (JSON: `{verb, account, …}`).
 */
export function dashboardFor(cloud: Cloud): (server: Pick<WireServer, 'url' | 'lbsUrl' | 'connections'>, limits: { maxBufferedBytes: number }) => HttpHook {
  return (server, limits) => {
    /**
     * Most bytes an event stream may have queued for a page that does not read them (a paused
     * tab, a stuck proxy): the server's `maxBufferedBytes`, as for a WebSocket connection. Past
     * it the stream is closed and the log says so; the page's EventSource reconnects afresh.
     */
    const maxStreamBytes = limits.maxBufferedBytes;
    const controls: ControlState = {};
    const state = () => dashboardState(cloud, server, controls);
    const streams = new Set<ServerResponse>();
    /** The latest wire rows, for pages opened later (the log keeps its own entries). */
    const wireRows: EntryView[] = [];
    let stateTimer: ReturnType<typeof setTimeout> | undefined;
    let ticker: ReturnType<typeof setInterval> | undefined;
    let unsubscribe: (() => void) | undefined;
    let closed = false;

    const send = (res: ServerResponse, event: string, data: unknown): void => {
      if (res.destroyed) return;
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      if (res.writableLength > maxStreamBytes) cutOff(res);
    };
    /** A page that does not read its stream: closed rather than kept growing. */
    const cutOff = (res: ServerResponse): void => {
      const queued = res.writableLength;
      streams.delete(res);
      if (streams.size === 0) stopStreaming();
      res.destroy();
      cloud.log.append({ kind: 'fault', client: '', name: 'slow reader', args: [`${queued} bytes queued, more than ${maxStreamBytes}`, 'dashboard event stream closed'] });
    };
    const broadcastState = (): void => {
      stateTimer = undefined;
      if (streams.size === 0) return;
      const now = state();
      for (const res of streams) send(res, 'state', now);
    };
    const stateSoon = (): void => {
      stateTimer ??= setTimeout(broadcastState, STATE_THROTTLE_MS);
    };
    const startStreaming = (): void => {
      unsubscribe = cloud.log.subscribe((entry) => {
        const view = entryView(entry, cloud.startTime);
        for (const res of streams) send(res, 'entry', view);
        stateSoon();
      });
      ticker = setInterval(broadcastState, STATE_EVERY_MS);
      ticker.unref?.();
    };
    const stopStreaming = (): void => {
      unsubscribe?.();
      unsubscribe = undefined;
      if (ticker) clearInterval(ticker);
      ticker = undefined;
      if (stateTimer) clearTimeout(stateTimer);
      stateTimer = undefined;
    };

    const openStream = (req: IncomingMessage, res: ServerResponse): void => {
      if (streams.size >= MAX_STREAMS) return json(res, 503, { error: `${MAX_STREAMS} dashboard pages are open already; close one` });
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write('retry: 1000\n\n');
      const entries = cloud.log.entries;
      const backlog = entries.slice(-BACKLOG).map((e) => entryView(e, cloud.startTime));
      send(res, 'hello', {
        entries: mergeByTime(backlog, wireRows),
        earlier: Math.max(0, cloud.log.total - Math.min(entries.length, BACKLOG)),
        state: state(),
      });
      if (streams.size === 0) startStreaming();
      streams.add(res);
      req.on('close', () => {
        streams.delete(res);
        if (streams.size === 0) stopStreaming();
      });
    };

    const control = (req: IncomingMessage, res: ServerResponse): void => {
      // Only this page may send controls: a JSON body (which a cross-site form cannot send
      // without a preflight this server never grants) from this origin.
      const origin = req.headers.origin;
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '') || (origin !== undefined && origin !== `http://${req.headers.host}`)) {
        return json(res, 403, { error: 'controls take a JSON body from the dashboard page' });
      }
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        if (res.headersSent) return;
        body += chunk;
        // Answered at once: the rest of a too large body is not kept.
        if (body.length > MAX_BODY) {
          body = '';
          json(res, 413, { error: 'control request too large' }, true);
        }
      });
      req.on('end', () => {
        if (res.headersSent) return;
        let request: unknown;
        try {
          request = JSON.parse(body);
        } catch {
          return json(res, 400, { error: 'the control request is not JSON' });
        }
        try {
          const done = runControl(cloud, controls, request);
          stateSoon();
          json(res, 200, { ok: true, done });
        } catch (error) {
          // Outside the server's own guard (this runs later): nothing thrown here may escape.
          if (error instanceof EmulatorError) return json(res, 400, { error: error.message });
          cloud.log.append({ kind: 'fault', client: '', name: 'http request failed', args: [describeError(error), '/_dashboard/control'] });
          json(res, 500, { error: `the control failed: ${describeError(error)}` });
        }
      });
    };

    return {
      handle(req, res) {
        if (closed) return false;
        const path = requestUrl(req)?.pathname;
        if (path === undefined) return false;
        if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
          res.writeHead(200, {
            'Content-Type': 'text/html; charset=utf-8',
            'Cache-Control': 'no-store',
            // Self-contained: nothing is fetched but this server's own event stream and controls.
            'Content-Security-Policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
          });
          res.end(dashboardPage({ seed: cloud.seed, wsUrl: server.url }));
          return true;
        }
        if (req.method === 'GET' && path === '/_dashboard/events') {
          openStream(req, res);
          return true;
        }
        if (req.method === 'GET' && path === '/_dashboard/state') {
          json(res, 200, state());
          return true;
        }
        if (path === '/_dashboard/control') {
          if (req.method !== 'POST') json(res, 405, { error: 'POST a JSON control' });
          else control(req, res);
          return true;
        }
        return false;
      },
      frame(account, direction, name, args) {
        const view = wireView(cloud.now() - cloud.startTime, account, direction, name, args);
        wireRows.push(view);
        if (wireRows.length > BACKLOG) wireRows.splice(0, wireRows.length - BACKLOG);
        for (const res of streams) send(res, 'entry', view);
      },
      close() {
        closed = true;
        stopStreaming();
        for (const res of streams) res.end();
        streams.clear();
      },
    };
  };
}

/** Two time-ordered lists as one, log entries first at equal times. */
function mergeByTime(a: readonly EntryView[], b: readonly EntryView[]): EntryView[] {
  const out: EntryView[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.t <= b[j]!.t)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

function json(res: ServerResponse, status: number, body: unknown, close = false): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...(close ? { Connection: 'close' } : {}) });
  res.end(JSON.stringify(body));
}
