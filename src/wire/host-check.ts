import { isIP } from 'node:net';

/**
 * Which `Host` headers the wire server answers, against DNS rebinding: a web page on a name the
 * attacker controls (`evil.example`) can make that name resolve to 127.0.0.1 and then read and
 * drive a loopback server as its own origin; its requests still carry `Host: evil.example`. So
 * the server answers only names it knows to be its own: `localhost` (and `*.localhost`, which
 * browsers resolve to loopback themselves), loopback addresses, the address it is bound to,
 * any IP address when it is bound to every interface (an address cannot be rebound: only a
 * name can), and the names the user allows.
 */
export interface HostPolicy {
  /** Is a request with this `Host` header (`undefined`: none) answered? */
  allows(host: string | undefined): boolean;
  /** The names answered, for the refusal's text. */
  readonly described: string;
}

/** A `--allow-host` / `allowHosts` entry: a name (`my-laptop.lan`), `*.example.com` (any name under it), or `*` (any Host). */
export const ALLOW_HOST_PATTERN = /^(\*|(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*|\[[0-9a-f:.]+\]|[0-9.]+)$/i;

/**
 * The policy of a server bound to `boundHost`, allowing `extra` names besides.
 *
 * @example
 * hostPolicy('127.0.0.1', ['*.agora.io']).allows('lbs-1-sig.agora.io') // true
 * hostPolicy('127.0.0.1', []).allows('evil.example:8765')               // false
 */
export function hostPolicy(boundHost: string, extra: readonly string[]): HostPolicy {
  const bound = hostName(boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost);
  const wildcard = bound === '0.0.0.0' || bound === '[::]' || bound === '';
  const exact = new Set<string>(['localhost', '127.0.0.1', '[::1]']);
  if (!wildcard && bound !== undefined) exact.add(bound);
  const suffixes = ['.localhost'];
  let any = false;
  for (const pattern of extra) {
    const p = pattern.toLowerCase();
    if (p === '*') any = true;
    else if (p.startsWith('*.')) suffixes.push(p.slice(1));
    else exact.add(hostName(p) ?? p);
  }
  return {
    described: [...exact, ...suffixes.map((s) => `*${s}`), ...(wildcard ? ['any IP address'] : [])].join(', '),
    allows(header) {
      // A request without Host is not a browser's (HTTP/1.1 browsers always send it).
      if (any || header === undefined) return true;
      const name = hostName(header);
      if (name === undefined) return false;
      if (exact.has(name) || suffixes.some((s) => name.endsWith(s))) return true;
      // Every loopback address (127.0.0.0/8), and with a wildcard bind every address.
      const bare = name.startsWith('[') ? name.slice(1, -1) : name;
      const family = isIP(bare);
      if (family === 0) return false;
      return wildcard || (family === 4 && bare.startsWith('127.')) || bare === '::1';
    },
  };
}

/**
 * The name of a `Host` header, lower case, without its port or a trailing dot:
 * `LocalHost.:8765` → `localhost`, `[::1]:80` → `[::1]`; `undefined` when it is not a host.
 */
export function hostName(header: string): string | undefined {
  const h = header.trim().toLowerCase();
  if (h.length === 0 || h.length > 255) return undefined;
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end < 0) return undefined;
    const rest = h.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
    return h.slice(0, end + 1);
  }
  const colon = h.indexOf(':');
  const name = colon < 0 ? h : h.slice(0, colon);
  if (colon >= 0 && !/^\d{1,5}$/.test(h.slice(colon + 1))) return undefined;
  if (!/^[a-z0-9_.-]+$/.test(name)) return undefined;
  return name.endsWith('.') ? name.slice(0, -1) : name;
}
