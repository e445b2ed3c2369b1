/**
 * The addresses of Agora's that the Signaling web SDKs reach, as patterns a browser context
 * routes to a local cloud.
 *
 * - LBS lookups: `GET https://lbs-{1..4}-sig.agora.io/getaddr?vid=APPID` (1.3.0 and 1.4.0), and
 *   `https://lbs100-{1..4}-sig.agora.io` (1.4.0's `setup_debugging('env', 'lbs100')`).
 * - WebSockets: `wss://IP-WITH-DASHES-sig-web.agora.io:PORT/`, which both SDKs build from an
 *   `[ip, port]` LBS entry (and 1.3.0 from `setup_debugging('ap', ip)`); `ws://` too.
 * - 1.4.0's login report: `POST https://wsrp-sig.agora.io/` after every login.
 */

/** Any http(s) URL on an `agora.io` host (the login report, and anything else the SDK asks). */
export const AGORA_HTTP = /^https?:\/\/(?:[\w-]+\.)*agora\.io(?::\d+)?(?:[/?#]|$)/i;

/** An LBS lookup: `https://lbs-1-sig.agora.io/getaddr?vid=…`, `https://lbs100-4-sig.agora.io/getaddr?vid=…`. */
export const AGORA_LBS = /^https?:\/\/lbs(?:100)?-\d+-sig\.agora\.io(?::\d+)?\/getaddr(?:[?#]|$)/i;

/** A WebSocket to an `agora.io` host, `ws://` or `wss://`. */
export const AGORA_WEBSOCKET = /^wss?:\/\/(?:[\w-]+\.)*agora\.io(?::\d+)?(?:[/?#]|$)/i;

/** The LBS lookup of `url` on the local server at `lbsUrl` (`http://127.0.0.1:PORT`): same path and query. */
export function localLbsUrl(url: string, lbsUrl: string): string {
  const original = new URL(url);
  return `${lbsUrl}${original.pathname}${original.search}`;
}
