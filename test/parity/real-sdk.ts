// Loads the unmodified real SDK (npm `agora-signaling-sdk@1.4.0`) in Node.
//
// The SDK is a browser UMD bundle. It needs, before it is required: `window` (its UMD wrapper
// passes `window` unconditionally), `WebSocket` (the `ws` client works: it uses `new
// WebSocket(url)` and the on* properties), `navigator.userAgent` (read unguarded in its
// onerror), and an `XMLHttpRequest` (it POSTs a login report after every login_ret, and asks
// the LBS with a GET when no `ap_url` is set). Nothing else: no document, no localStorage.
import { get, type ClientRequest } from 'node:http';
import { createRequire } from 'node:module';
import type { Signal } from 'agora-signaling-emulator';
import WebSocket from 'ws';

const require = createRequire(import.meta.url);

/** The real SDK's `Signal` factory, typed with the emulator's surface (which copies it). */
export type RealSignalFactory = (appid?: string) => Signal;

/** An XMLHttpRequest that sends nothing (the login report goes to Agora; we drop it). */
export class SilentXhr {
  open(): void {}
  setRequestHeader(): void {}
  send(): void {}
  abort(): void {}
}

const GLOBALS = ['window', 'WebSocket', 'navigator', 'XMLHttpRequest'] as const;

/**
 * Installs the globals the SDK needs; returns the function that restores the previous ones.
 * `xhr` is the XMLHttpRequest class (default: one that sends nothing).
 */
export function installGlobals(xhr: unknown = SilentXhr): () => void {
  const g = globalThis as Record<string, unknown>;
  const saved = GLOBALS.map((k) => [k, Object.getOwnPropertyDescriptor(g, k)] as const);
  const set = (k: string, v: unknown) => Object.defineProperty(g, k, { value: v, writable: true, configurable: true });
  set('window', globalThis);
  set('WebSocket', WebSocket);
  set('navigator', { userAgent: 'node' });
  set('XMLHttpRequest', xhr);
  return () => {
    for (const [k, d] of saved) {
      if (d) Object.defineProperty(g, k, d);
      else delete g[k];
    }
  };
}

/** Requires the SDK (once per process; the globals must be installed). */
export function loadSdk(): RealSignalFactory {
  return require('agora-signaling-sdk') as RealSignalFactory;
}

/**
 * Quirk of 1.4.0 under `ws`: an exception escaping the SDK's `onmessage` (a throwing call2 cb,
 * a frame it cannot handle) becomes an uncaughtException and wedges that client's socket. The
 * guard records such errors so that a parity test can fail with them instead of hanging; the
 * server must never send a frame that causes one.
 */
export function guardUncaught(): { errors: unknown[]; remove(): void } {
  const errors: unknown[] = [];
  const onError = (error: unknown) => errors.push(error);
  process.on('uncaughtException', onError);
  return { errors, remove: () => process.off('uncaughtException', onError) };
}

/**
 * 1.4.0 prints every WebSocket URL it connects to with console.log, unconditionally. Keeps the
 * test output readable by dropping just those lines; returns the restore function.
 */
export function quietUrlLogs(): () => void {
  const original = console.log;
  console.log = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === 'string' && /^wss?:\/\/\S+$/.test(args[0])) return;
    original(...args);
  };
  return () => {
    console.log = original;
  };
}

/**
 * Stops a real Session's timers after a test: 1.4.0 has no API for it, and its 100 ms poll
 * timer runs while the state is not 0 (a later close of its socket then does nothing either).
 */
export function stopRealSession(session: { state: number }): void {
  session.state = 0;
}

/**
 * A small XMLHttpRequest that does real HTTP with node:http: enough for the SDK's LBS GET
 * (open, send, onreadystatechange, onerror, abort). `route` may rewrite the URL; the login
 * report POST (to Agora) is dropped.
 */
export function nodeXhr(route: (url: string) => string, seen: string[]) {
  return class NodeXhr {
    readyState = 0;
    status = 0;
    responseText = '';
    onreadystatechange: (() => void) | null = null;
    onerror: ((e: unknown) => void) | null = null;
    private method = 'GET';
    private url = '';
    private req: ClientRequest | undefined;
    open(method: string, url: string) {
      this.method = method;
      this.url = url;
      this.readyState = 1;
    }
    setRequestHeader() {}
    send() {
      if (this.method !== 'GET') return;
      seen.push(this.url);
      this.req = get(route(this.url), (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          this.status = res.statusCode ?? 0;
          this.responseText = text;
          this.readyState = 4;
          this.onreadystatechange?.();
        });
      });
      this.req.on('error', (e) => this.onerror?.(e));
    }
    abort() {
      this.req?.destroy();
    }
  };
}
