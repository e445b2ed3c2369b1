// The LBS answers in the form the asking SDK reads: `[[ip, port]]` to a lookup routed from
// Agora's LBS host names (both 1.3.0 and 1.4.0 read it, and build the same wss:// URL from it),
// the string URL to an app that asks this server directly (1.4.0 uses it with no routing).
import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloud, type Cloud, type WireServer } from 'agora-signaling-emulator';
import { AGORA_LBS_HOST, lbsAnswer } from '../../src/wire/lbs-answer.js';

let cloud: Cloud;
let server: WireServer;

beforeAll(async () => {
  cloud = createCloud({ clock: 'global' });
  // A proxy that keeps Agora's name in Host reaches the server only when that name is allowed
  // (against DNS rebinding, only loopback names are answered by default).
  server = await cloud.listen({ allowHosts: ['*.agora.io'] });
});
afterAll(async () => {
  await server.close();
  cloud.dispose();
});

function getaddr(headers: Record<string, string>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: '/getaddr?vid=tutorial', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.on('error', reject);
    req.end();
  });
}

/** What both SDKs connect to for an `[ip, port]` entry (FIDELITY.md: 1.3.0 always, 1.4.0 for an IPv4 address). */
const sdkUrl = ([ip, port]: [string, number]) => `wss://${ip.replace(/\./g, '-')}-sig-web.agora.io:${port + 1}/`;

describe('the LBS answer to a lookup routed from Agora', () => {
  it('is [[ip, port - 1]] when X-Forwarded-Host names an Agora LBS host; the SDK then connects to PORT', async () => {
    for (const forwarded of ['lbs-1-sig.agora.io', 'lbs-4-sig.agora.io:443', 'lbs100-2-sig.agora.io']) {
      const answer = (await getaddr({ 'X-Forwarded-Host': forwarded })) as { web: Array<[string, number]> };
      expect(answer).toEqual({ web: [['127.0.0.1', server.port - 1]] });
      expect(sdkUrl(answer.web[0]!)).toBe(`wss://127-0-0-1-sig-web.agora.io:${server.port}/`);
    }
  });

  it('is the same when the Host itself is Agora\'s (a proxy that keeps it)', async () => {
    expect(await getaddr({ Host: 'lbs-3-sig.agora.io' })).toEqual({ web: [['127.0.0.1', server.port - 1]] });
  });

  it('stays the string URL for a lookup made to this server, or forwarded from any other host', async () => {
    expect(await getaddr({})).toEqual({ web: [`ws://127.0.0.1:${server.port}/`] });
    expect(await getaddr({ 'X-Forwarded-Host': 'example.com' })).toEqual({ web: [`ws://127.0.0.1:${server.port}/`] });
    expect(await getaddr({ 'X-Forwarded-Host': 'lbs-1-sig.agora.io.evil.test' })).toEqual({ web: [`ws://127.0.0.1:${server.port}/`] });
  });

  it('is logged as an LBS lookup either way', () => {
    expect(cloud.log.count({ kind: 'server', name: 'lbs getaddr', args: ['tutorial'] })).toBe(7);
  });
});

describe('lbsAnswer, for any headers a client sends', () => {
  const where = { wsUrl: 'ws://127.0.0.1:8765/', boundHost: '127.0.0.1', port: 8765 };
  const header = fc.option(fc.oneof(fc.string(), fc.constantFrom('lbs-1-sig.agora.io', 'lbs100-4-sig.agora.io:443', 'LBS-2-SIG.AGORA.IO', 'localhost:8765')), { nil: undefined });

  it('answers one entry: [ip, port - 1] exactly when the original host is an Agora LBS name, else a ws:// URL', () => {
    fc.assert(
      fc.property(header, header, (host, forwardedHost) => {
        const answer = lbsAnswer({ host, forwardedHost, ...where });
        expect(answer.web).toHaveLength(1);
        const entry = answer.web[0]!;
        const original = (forwardedHost ?? host ?? '').split(',')[0]!.trim().replace(/:\d{1,5}$/, '');
        if (AGORA_LBS_HOST.test(original)) expect(entry).toEqual(['127.0.0.1', 8764]);
        else expect(entry).toMatch(/^ws:\/\/[\w.\-:[\]]+\/$/);
      }),
      { seed: 19, numRuns: 500 },
    );
  });

  it('has no [ip, port] entry for a server on IPv6 (neither SDK could read it) and gives its URL', () => {
    expect(lbsAnswer({ host: '[::1]:8765', forwardedHost: 'lbs-1-sig.agora.io', wsUrl: 'ws://[::1]:8765/', boundHost: '::1', port: 8765 })).toEqual({ web: ['ws://[::1]:8765/'] });
  });
});
