// Security: the wire server binds to loopback unless told otherwise; tokens are verified; an
// app's sessions never see another app's users or channels; transcripts are data and never
// evaluated as code.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { codes, createCloud, replay, signalingToken, type Session } from 'agora-signaling-emulator';
import { replayFile } from 'agora-signaling-emulator/node';
import { connect } from '../wire/raw-client.js';

/** An address of this machine that is not loopback, if it has one. */
function externalAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

function tryConnect(host: string, port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port, timeout: 1_000 }, () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    socket.on('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
  });
}

describe('the wire server binds to loopback unless told otherwise', () => {
  it('listens on 127.0.0.1 by default: another address of this machine does not reach it', async () => {
    const cloud = createCloud({ clock: 'global' });
    const server = await cloud.listen();
    try {
      expect(server.host).toBe('127.0.0.1');
      expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/$/);
      expect(await tryConnect('127.0.0.1', server.port)).toBe('connected');
      const external = externalAddress();
      // On a machine with no other address there is nothing else to try: loopback is all there is.
      expect(external === undefined ? 'ECONNREFUSED' : await tryConnect(external, server.port)).toMatch(/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|timeout/);
    } finally {
      await server.close();
      cloud.dispose();
    }
  });

  it('binds another interface only when asked (host: "0.0.0.0")', async () => {
    const cloud = createCloud({ clock: 'global' });
    const server = await cloud.listen({ host: '0.0.0.0' });
    try {
      expect(server.host).toBe('0.0.0.0');
      expect(await tryConnect('127.0.0.1', server.port)).toBe('connected');
    } finally {
      await server.close();
      cloud.dispose();
    }
  });
});

describe('tokens are verified', () => {
  const app = { appId: 'secure', certificate: '5CFd2fd1755d40ecb72977518be15d3b' };
  const inAnHour = () => Math.floor(Date.UTC(2024, 0, 1) / 1000) + 3600;

  const cases: Array<[what: string, token: (cloud: ReturnType<typeof createCloud>) => unknown, code: number]> = [
    ['a valid token', (c) => c.token('secure', 'alice'), 0],
    ['a token signed with another certificate', () => signalingToken('secure', 'another-certificate', 'alice', inAnHour()), codes.LOGIN_E_TOKENWRONG],
    ['a token made for another account', (c) => c.token('secure', 'mallory'), 206],
    ['a token made for another app', () => signalingToken('other', app.certificate, 'alice', inAnHour()), 206],
    ['a token whose expiry was changed', (c) => (c.token('secure', 'alice') as string).replace(/:(\d+):/, (_m, ts: string) => `:${Number(ts) + 86_400}:`), 206],
    ['an expired token', (c) => c.token('secure', 'alice', { expiresIn: -1 }), 204],
    ['_no_need_token on an app with a certificate', () => '_no_need_token', 206],
    ['an empty token', () => '', 206],
    ['a token of another version', (c) => (c.token('secure', 'alice') as string).replace(/^1:/, '2:'), 206],
    ['a token that is not a string', () => 42, 206],
  ];

  for (const [what, token, code] of cases) {
    it(`${what}: ${code === 0 ? 'logs in' : `onLoginFailed(${code})`}, in-process and over the wire`, async () => {
      const cloud = createCloud({ apps: [app] });
      const session: Session = cloud.Signal('secure').login('alice', token(cloud) as string);
      const failed = vi.fn();
      session.onLoginFailed = failed;
      await cloud.advance(100);
      if (code === 0) expect(session.getStatus()).toBe(2);
      else expect(failed).toHaveBeenCalledWith(code);

      // Over the wire the clock is real time: the token is made on the wire cloud's clock.
      const wireCloud = createCloud({ clock: 'global', apps: [app] });
      const server = await wireCloud.listen();
      try {
        const client = await connect(server.url);
        const [err] = await client.login('alice', { vid: 'secure', token: token(wireCloud) as string });
        expect(err === '' ? 0 : err === 'TokenErrorExpired' ? 204 : err.startsWith('TokenError') ? 206 : -1).toBe(code);
      } finally {
        await server.close();
        wireCloud.dispose();
        cloud.dispose();
      }
    });
  }
});

describe("an app's sessions never see another app's users or channels", () => {
  async function twoApps() {
    const cloud = createCloud();
    const a = cloud.Signal('app-a');
    const b = cloud.Signal('app-b');
    const aliceA = a.login('alice', '_no_need_token');
    const bobA = a.login('bob', '_no_need_token');
    const bobB = b.login('bob', '_no_need_token');
    const carolB = b.login('carol', '_no_need_token');
    for (const s of [aliceA, bobA, bobB, carolB]) s.onMessageInstantReceive = vi.fn();
    await cloud.until(() => [aliceA, bobA, bobB, carolB].every((s) => s.getStatus() === 2));
    return { cloud, aliceA, bobA, bobB, carolB };
  }

  it('the same account in two apps is two users: no kick, messages stay in their app, presence is per app', async () => {
    const { cloud, aliceA, bobA, bobB } = await twoApps();
    expect(cloud.log.count({ name: 'kick' })).toBe(0);
    aliceA.messageInstantSend('bob', 'for bob of app-a');
    aliceA.messageInstantSend('carol', 'carol is in app-b only');
    const status: unknown[] = [];
    aliceA.invoke('io.agora.signal.user_query_user_status', { account: 'carol' }, (_e: string, r: unknown) => status.push(r));
    await cloud.advance(100);
    expect(bobA.onMessageInstantReceive).toHaveBeenCalledWith('alice', 0, 'for bob of app-a');
    expect(bobB.onMessageInstantReceive).not.toHaveBeenCalled();
    expect(status).toEqual([{ result: 'ok', status: 0 }]);
    // The message to carol waits for a carol of app-a, not the one online in app-b.
    expect(cloud.inspect().apps.find((x) => x.appId === 'app-a')!.storedMessages.map((m) => m.to)).toEqual(['carol']);
    cloud.dispose();
  });

  it('a channel of the same name is two channels: members, events, attributes, counts and special channels stay per app', async () => {
    const { cloud, aliceA, bobB, carolB } = await twoApps();
    const roomA = aliceA.channelJoin('room')!;
    const roomB = bobB.channelJoin('room')!;
    const onlineB = carolB.channelJoin('_agora_user_online')!;
    for (const ch of [roomA, roomB, onlineB]) {
      ch.onChannelUserJoined = vi.fn();
      ch.onMessageChannelReceive = vi.fn();
      ch.onChannelAttrUpdated = vi.fn();
    }
    await cloud.until(() => [roomA, roomB, onlineB].every((c) => c.state === 'joined'));
    roomA.messageChannelSend('in app-a');
    roomA.channelSetAttr('topic', 'a');
    cloud.Signal('app-a').login('dave', '_no_need_token');
    const counts: unknown[] = [];
    bobB.invoke('io.agora.signal.channel_query_userlist', { name: 'room' }, (_e: string, r: unknown) => counts.push(r));
    await cloud.advance(200);
    expect(roomB.onMessageChannelReceive).not.toHaveBeenCalled();
    expect(roomB.onChannelAttrUpdated).not.toHaveBeenCalled();
    expect(roomB.onChannelUserJoined).not.toHaveBeenCalled();
    expect(onlineB.onMessageChannelReceive).not.toHaveBeenCalledWith('dave', expect.anything(), expect.anything());
    expect(counts).toEqual([{ result: 'ok', num: 1, list: [['bob', 1]] }]);
    expect(cloud.channels('app-a').find((c) => c.name === 'room')!.members.map((m) => m.account)).toEqual(['alice']);
    expect(cloud.channels('app-b').find((c) => c.name === 'room')!.attrs).not.toHaveProperty('topic');
    cloud.dispose();
  });

  it('an invite to an account of another app never rings there', async () => {
    const { cloud, aliceA, carolB } = await twoApps();
    carolB.onInviteReceived = vi.fn();
    const call = aliceA.channelInviteUser2('call', 'carol', { _require_peer_online: 1 });
    call.onInviteFailed = vi.fn();
    await cloud.advance(100);
    expect(carolB.onInviteReceived).not.toHaveBeenCalled();
    expect(JSON.parse((call.onInviteFailed as ReturnType<typeof vi.fn>).mock.calls[0]![0] as string)).toMatchObject({ reason: 'peer_offline' });
    cloud.dispose();
  });
});

describe('transcripts are data, never code', () => {
  const PWNED = join(mkdtempSync(join(tmpdir(), 'pwned-')), 'pwned');
  const payload = `require('node:fs').writeFileSync(${JSON.stringify(PWNED)}, 'x')`;
  const malicious: { version: number; name: string; steps: unknown[]; expect: unknown } = {
    version: 1,
    name: 'a transcript that tries to run code',
    steps: [
      { client: 'alice', call: 'login', args: ['alice', payload] },
      { advance: 100 },
      { client: 'alice', call: 'messageInstantSend', args: ['bob', `\${${payload}}`, { $cb: { do: [{ cloud: 'kick', args: [payload] }] } }] },
      { client: 'alice', call: 'constructor', args: [payload] },
      { client: 'alice', call: '__proto__', args: [] },
      { client: 'alice', set: { onLogout: true, __proto__: true, constructor: true } },
      { cloud: 'net.constructor', args: [payload] },
      // Parsed, as from a file: "__proto__" is an own key (in a JS literal it would set the prototype).
      { client: 'alice', call: 'invoke', args: [`io.agora.signal.${payload}`, JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}'), { $cb: true }] },
      { advance: 100 },
    ],
    expect: { match: 'subsequence', log: [{ client: 'alice', name: 'login', args: ['alice', payload] }] },
  };

  it('a transcript whose strings are code, and whose names reach for constructors, runs nothing and pollutes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'transcript-'));
    const file = join(dir, 'malicious.json');
    // As JSON text, "__proto__" is an own key (in a JS literal it would set the prototype).
    const text = JSON.stringify(malicious).replace('"constructor":{"prototype"', '"__proto__":{"polluted":1},"constructor":{"prototype"');
    expect(text).toContain('"__proto__":{"polluted":1}');
    writeFileSync(file, text);
    const evalSpy = vi.spyOn(globalThis, 'eval');
    const functionSpy = vi.spyOn(globalThis, 'Function');
    try {
      const outcome = await replayFile(file).then(
        (r) => ({ pass: r.pass, failure: r.failure?.message ?? '' }),
        (e: Error) => ({ pass: false, failure: `${e.name}: ${e.message}` }),
      );
      expect(outcome.pass).toBe(false);
      // Refused before anything runs: the validator names the first bad field.
      expect(outcome.failure).toMatch(/TranscriptError: .*malicious\.json: steps\[\d+\]/);
      expect(existsSync(PWNED)).toBe(false);
      expect(evalSpy).not.toHaveBeenCalled();
      expect(functionSpy).not.toHaveBeenCalled();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    } finally {
      evalSpy.mockRestore();
      functionSpy.mockRestore();
    }
  });

  it('each dangerous step on its own is refused (by the validator, or as a step at run time) and runs no code', async () => {
    const outcomes: string[] = [];
    for (const step of malicious.steps.slice(2)) {
      const transcript = { ...malicious, steps: [malicious.steps[0], malicious.steps[1], step], expect: { match: 'subsequence', log: [] } };
      const outcome = await replay(transcript).then(
        (r) => (r.failure ? `failed at ${r.failure.path}` : 'ran as data'),
        (e: Error) => `${e.name}: ${e.message.slice(0, 150)}`,
      );
      outcomes.push(outcome);
      expect(existsSync(PWNED)).toBe(false);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
    expect(outcomes.map((o) => o.replace(/:.*/s, ''))).toEqual([
      'failed at steps[2].args[2].$cb.do[0].cloud', // the text that looks like code is sent as text; the kick of an account named like code is refused
      'TranscriptError', // call: "constructor": not a method of the 1.4.0 SDK
      'TranscriptError', // call: "__proto__": not a method of the 1.4.0 SDK
      'TranscriptError', // set: constructor: not a callback name
      'TranscriptError', // cloud: "net.constructor": not a verb
      'ran as data', // invoke with a name and arguments that look like code: data, answered "unknown function"
      'ran as data', // advance
    ]);
  });
});
