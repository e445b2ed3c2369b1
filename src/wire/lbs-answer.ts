/**
 * What the LBS endpoint (`GET /getaddr?vid=APPID`) answers, for the SDK that asks.
 *
 * Both SDKs read `{"web": [entry, …]}`, but not the same entries:
 * - 1.4.0 takes a string entry as the WebSocket URL as it is (`"ws://127.0.0.1:8765/"`), so the
 *   unmodified SDK reaches a local server with no routing at all.
 * - 1.3.0 (and 1.4.0 too, for an entry whose address is an IPv4) reads `[ip, port]` and connects
 *   to `wss://` + the ip with its dots as dashes + `-sig-web.agora.io:` + (port + 1) + `/`: a host
 *   name of Agora's, so that socket reaches a local cloud only when something routes it here
 *   (the Playwright fixture, a proxy).
 *
 * Neither SDK says which it is when it asks. What tells is how the request arrived: one that
 * was sent to Agora's LBS host name (`lbs-1-sig.agora.io`, `lbs100-3-sig.agora.io`…) and routed
 * here, by a proxy that keeps `Host` or by one that says so in `X-Forwarded-Host` (the fixture
 * does), comes from an app whose Agora traffic is routed: it gets `[[ip, port - 1]]`, which both
 * SDKs read. A request made to this server's own address (an app that set `lbs_url1`) gets the
 * string URL, the one answer that needs no routing (1.4.0 only: 1.3.0 cannot connect without it).
 */

/** Agora's LBS host names: `lbs-N-sig.agora.io` (1.3.0 and 1.4.0) and `lbs100-N-sig.agora.io` (1.4.0's `env: lbs100`). */
export const AGORA_LBS_HOST = /^lbs(?:100)?-\d+-sig\.agora\.io$/i;

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;

/** What the answer is made from: how the request arrived, and where this server listens. */
export interface LbsRequest {
  /** The request's `Host` header. */
  host: string | undefined;
  /** The request's `X-Forwarded-Host` header (its first value), set by a proxy or the fixture. */
  forwardedHost: string | undefined;
  /** The server's own WebSocket URL (`ws://127.0.0.1:PORT/`). */
  wsUrl: string;
  /** The address the server listens on, and its port. */
  boundHost: string;
  port: number;
}

/** The LBS answer's `web` list for this request (see the file's comment). */
export function lbsAnswer(request: LbsRequest): { web: Array<string | [string, number]> } {
  const original = hostName(request.forwardedHost ?? request.host);
  if (original !== undefined && AGORA_LBS_HOST.test(original)) {
    const ip = ipv4Of(request.boundHost);
    // The SDK adds 1 to the port; an IPv6-only server has no entry 1.3.0 can read.
    if (ip !== undefined && request.port > 0) return { web: [[ip, request.port - 1]] };
  }
  // The address the client reached us at (a browser on "localhost" gets "localhost" back).
  const host = request.host;
  return { web: [host && /^[\w.\-:[\]]+$/.test(host) ? `ws://${host}/` : request.wsUrl] };
}

/** `lbs-1-sig.agora.io:443` → `lbs-1-sig.agora.io`; undefined for a missing or odd value. */
function hostName(header: string | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const first = header.split(',')[0]!.trim();
  const match = /^([\w.-]+)(?::\d{1,5})?$/.exec(first);
  return match ? match[1] : undefined;
}

/** The IPv4 address a `[ip, port]` entry can carry for a server bound to `host`. */
function ipv4Of(host: string): string | undefined {
  if (host === '0.0.0.0' || host === '' || host === 'localhost') return '127.0.0.1';
  return IPV4.test(host) ? host : undefined;
}
