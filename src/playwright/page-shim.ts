/**
 * A script every routed page runs (after Playwright's own WebSocket mock): it lets a routed
 * socket fail the way a real one does.
 *
 * Playwright's `WebSocketRoute.close()` can only fire `close` (always with `wasClean: true`). A
 * socket whose network fails fires `error` first, then `close` with code 1006, and Chromium
 * prints `WebSocket connection to 'URL' failed: WHY` in the console. Apps and SDKs tell the two
 * apart: 1.4.0 backs off before it retries only after an `error`, and an `error` on a live
 * session logs it out with 102. So the bridge closes a failed socket with a marked reason, and
 * this script turns that one close into what the browser would have shown: the console line
 * at Chromium's level (it prints nothing for a connection that just drops, a warning for one
 * the page closes while connecting), the `error` event (not for a plain drop), and `close` 1006
 * with no reason and `wasClean: false`. The app never sees the marker.
 */

/** Starts the reason of a close that stands for a network failure: then the console level, `:`, and Chromium's text (may be empty). */
export const FAILURE_MARK = '\u0000agora-signaling-emulator:failed:';

/** How the browser reports a failure in its console: `error` mostly, `warning` for a socket closed while connecting. */
export type ConsoleLevel = 'error' | 'warning';

/** The reason the bridge closes a routed page socket with, for a failure described by `why` (`''`: a silent drop). */
export function failureReason(why: string, level: ConsoleLevel = 'error'): string {
  return `${FAILURE_MARK}${level}:${why}`;
}

/** The init script's source. */
export const PAGE_SHIM = `(() => {
  const MARK = ${JSON.stringify(FAILURE_MARK)};
  const Routed = globalThis.WebSocket;
  if (typeof Routed !== 'function' || Routed.__agoraSignalingEmulator) return;
  class WebSocket extends Routed {
    constructor(url, protocols) {
      super(url, protocols);
      // Registered first, so it runs before the app's own close listeners and onclose.
      this.addEventListener('close', (event) => {
        if (typeof event.reason !== 'string' || !event.reason.startsWith(MARK)) return;
        event.stopImmediatePropagation();
        const rest = event.reason.slice(MARK.length);
        const level = rest.slice(0, rest.indexOf(':'));
        const why = rest.slice(rest.indexOf(':') + 1);
        if (why) {
          (level === 'warning' ? console.warn : console.error)("WebSocket connection to '" + this.url + "' failed: " + why);
          this.dispatchEvent(new Event('error'));
        }
        this.dispatchEvent(new CloseEvent('close', { code: 1006, reason: '', wasClean: false }));
      });
    }
  }
  Object.defineProperty(WebSocket, '__agoraSignalingEmulator', { value: true });
  globalThis.WebSocket = WebSocket;
})();`;
