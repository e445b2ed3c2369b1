import { describe, expect, it, vi } from 'vitest';
import { createCloud, formatReplayFailure, formatTranscript, record, replay, validateTranscript, type Cloud, type Transcript } from 'agora-signaling-emulator';

/** Runs `scenario` under a recorder, then replays the transcript on a fresh cloud. */
async function roundTrip(scenario: (cloud: Cloud) => Promise<void>, options: Parameters<typeof createCloud>[0] = {}) {
  const cloud = createCloud(options);
  const recorder = record(cloud, { name: 'round trip' });
  await scenario(cloud);
  await cloud.flush();
  const transcript = recorder.transcript();
  recorder.stop();
  expect(validateTranscript(transcript)).toEqual([]);
  const result = await replay(transcript);
  return { cloud, transcript, result, recorder };
}

describe('record → replay gives the same log', () => {
  it('a second login that kicks the first, driven by awaiting callbacks', async () => {
    const { cloud, result, transcript } = await roundTrip(async (cloud) => {
      const signal = cloud.Signal('my-app-id');
      const phone = signal.login('alice', '_no_need_token');
      phone.onLogout = () => {};
      await new Promise((resolve) => (phone.onLoginSuccess = resolve));
      signal.login('alice', '_no_need_token');
      await cloud.flush();
    });
    expect(result.pass).toBe(true);
    expect(result.log.map((e) => [e.t, e.client, e.kind, e.name, e.args])).toEqual(cloud.log.entries.map((e) => [e.t, e.client, e.kind, e.name, e.args]));
    expect(transcript.app).toBe('my-app-id');
    expect(transcript.steps).toContainEqual({ client: 'alice-2', call: 'login', args: ['alice', '_no_need_token'] });
  });

  it('reactions: calls an app makes inside its callbacks, and a callback that throws', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { result, transcript } = await roundTrip(
      async (cloud) => {
        const signal = cloud.Signal('app');
        const alice = signal.login('alice', '_no_need_token');
        const bob = signal.login('bob', '_no_need_token');
        let n = 0;
        bob.onMessageInstantReceive = (from, _uid, msg) => {
          if (++n === 2) throw new TypeError('bob is confused');
          bob.messageInstantSend(from, `re: ${msg}`);
        };
        alice.onMessageInstantReceive = function (this: unknown) {};
        await cloud.advance(200);
        alice.messageInstantSend('bob', 'one', () => alice.messageInstantSend('bob', 'two'));
        await cloud.advance(200);
        alice.messageInstantSend('bob', 'three');
        await cloud.advance(200);
      },
      { latency: 20 },
    );
    vi.restoreAllMocks();
    expect(result.pass).toBe(true);
    expect(transcript.steps.filter((s) => 'on' in s)).toEqual([
      { on: 'onMessageInstantReceive', client: 'bob', nth: 1, do: [{ client: 'bob', call: 'messageInstantSend', args: ['alice', 're: one'] }] },
      { on: 'onMessageInstantReceive', client: 'bob', nth: 2, throw: { name: 'TypeError', message: 'bob is confused' } },
      { on: 'onMessageInstantReceive', client: 'bob', nth: 3, do: [{ client: 'bob', call: 'messageInstantSend', args: ['alice', 're: three'] }] },
    ]);
    expect(transcript.steps).toContainEqual({
      client: 'alice',
      call: 'messageInstantSend',
      args: ['bob', 'one', { $cb: { do: [{ client: 'alice', call: 'messageInstantSend', args: ['bob', 'two'] }] } }],
    });
  });

  it('callbacks set late and unset, which change what the log records', async () => {
    const { result, transcript } = await roundTrip(async (cloud) => {
      const signal = cloud.Signal('app');
      const alice = signal.login('alice', '_no_need_token');
      const bob = signal.login('bob', '_no_need_token');
      await cloud.advance(100);
      alice.messageInstantSend('bob', 'unheard');
      await cloud.advance(100);
      bob.onMessageInstantReceive = () => {};
      alice.messageInstantSend('bob', 'heard');
      await cloud.advance(100);
      bob.onMessageInstantReceive = '';
      bob.onLogout = () => {};
      bob.logout();
      await cloud.advance(100);
    });
    expect(result.pass).toBe(true);
    expect(result.entries.filter((e) => e.name === 'onMessageInstantReceive').map((e) => e.unhandled ?? false)).toEqual([true, false]);
    expect(transcript.steps).toContainEqual({ client: 'bob', set: { onMessageInstantReceive: false, onLogout: true } });
  });

  it('cloud verbs, tokens, and an app declared up front', async () => {
    const { result, transcript } = await roundTrip(
      async (cloud) => {
        cloud.createApp({ appId: 'late', certificate: 'c2' });
        const a = cloud.Signal('secure').login('alice', cloud.token('secure', 'alice', { expiresIn: 5 }));
        a.onLoginFailed = () => {};
        await cloud.advance(6000);
        cloud.Signal('late').login('bob', cloud.token('late', 'bob')).onLoginSuccess = () => {};
        await cloud.advance(100);
      },
      { apps: [{ appId: 'secure', certificate: 'cert' }], seed: 7, startTime: 0, latency: 5 },
    );
    expect(result.pass).toBe(true);
    expect(transcript).toMatchObject({ seed: 7, startTime: 0, latency: 5, apps: [{ appId: 'secure', certificate: 'cert' }], app: 'secure' });
    expect(transcript.steps[0]).toEqual({ cloud: 'createApp', args: [{ appId: 'late', certificate: 'c2' }] });
    expect(transcript.steps).toContainEqual(expect.objectContaining({ client: 'bob', call: 'login', app: 'late' }));
  });

  it('Channels: named objects, callbacks set on them, reactions inside them', async () => {
    const { result, transcript } = await roundTrip(async (cloud) => {
      const signal = cloud.Signal('app');
      const host = signal.login('host', '_no_need_token');
      const guest = signal.login('guest', '_no_need_token');
      await cloud.advance(100);
      const lobby = host.channelJoin('lobby')!;
      lobby.onChannelUserJoined = (account) => lobby.messageChannelSend(`welcome ${account}`, () => {});
      await cloud.advance(100);
      const room = guest.channelJoin('lobby')!;
      room.onMessageChannelReceive = () => {};
      await cloud.advance(100);
      room.channelLeave();
      await cloud.advance(100);
    });
    expect(formatReplayFailure(result)).toBe('');
    expect(transcript.steps).toContainEqual({ on: 'onChannelUserJoined', client: 'host', object: 'channel:lobby', nth: 1, do: [{ client: 'host', object: 'channel:lobby', call: 'messageChannelSend', args: ['welcome guest', { $cb: true }] }] });
    expect(transcript.steps).toContainEqual({ client: 'guest', object: 'channel:lobby', call: 'channelLeave', args: [] });
  });

  it('Calls: the Call onInviteReceived delivers is named, and what the callee does with it is a reaction', async () => {
    const { result, transcript } = await roundTrip(
      async (cloud) => {
        const signal = cloud.Signal('app');
        const alice = signal.login('alice', '_no_need_token');
        const bob = signal.login('bob', '_no_need_token');
        bob.onInviteReceived = (call: { onInviteEndByPeer: unknown; channelInviteAccept(extra: string): void }) => {
          call.onInviteEndByPeer = () => {};
          call.channelInviteAccept('sure');
        };
        await cloud.advance(100);
        const call = alice.channelInviteUser2('room', 'bob', '')!;
        call.onInviteAcceptedByPeer = () => call.channelInviteEnd('done');
        await cloud.advance(500);
      },
      { latency: 10 },
    );
    expect(formatReplayFailure(result)).toBe('');
    expect(transcript.steps).toContainEqual({
      on: 'onInviteReceived',
      client: 'bob',
      nth: 1,
      do: [
        { client: 'bob', object: 'call:room/alice', set: { onInviteEndByPeer: true } },
        { client: 'bob', object: 'call:room/alice', call: 'channelInviteAccept', args: ['sure'] },
      ],
    });
    expect(result.entries.find((e) => e.name === 'onInviteReceived')!.args).toEqual([{ $object: 'call:room/alice' }]);
  });

  it('calls that are not SDK API calls (getStatus) are not steps', async () => {
    const { transcript, result } = await roundTrip(async (cloud) => {
      const alice = cloud.Signal('app').login('alice', '_no_need_token');
      await cloud.until(() => alice.getStatus() === 2);
      alice.getStatus();
    });
    expect(result.pass).toBe(true);
    expect(transcript.steps).toEqual([{ client: 'alice', call: 'login', args: ['alice', '_no_need_token'] }]);
  });

  it('writes the same text for the same run (stable key order, one step or entry per line)', async () => {
    const run = async () => {
      const cloud = createCloud({ latency: 10 });
      const recorder = record(cloud);
      const s = cloud.Signal('app').login('alice', '_no_need_token');
      s.onLoginSuccess = () => s.messageInstantSend('alice', 'me');
      await cloud.advance(100);
      return formatTranscript(recorder.transcript());
    };
    const [a, b] = [await run(), await run()];
    expect(a).toBe(b);
    expect(a.split('\n')).toContain('    { "on": "onLoginSuccess", "client": "alice", "nth": 1, "do": [{ "client": "alice", "call": "messageInstantSend", "args": ["alice", "me"] }] },');
    expect(JSON.parse(a) as Transcript).toMatchObject({ version: 1, handlers: 'declared', expect: { match: 'exact' } });
  });
});

describe('record', () => {
  it('must start before anything happens on the cloud', async () => {
    const cloud = createCloud();
    cloud.Signal('app').login('alice', '_no_need_token');
    expect(() => record(cloud)).toThrow('Failed to record: the cloud has already run (1 log entries, 0 ms). Call record(cloud) right after createCloud');
  });

  it('stop() gives the cloud its own Signal and verbs back', () => {
    const cloud = createCloud();
    const { Signal, createApp } = cloud;
    const recorder = record(cloud);
    expect(cloud.Signal).not.toBe(Signal);
    recorder.stop();
    expect(cloud.Signal).toBe(Signal);
    expect(cloud.createApp).toBe(createApp);
  });

  it('the SDK objects the app gets still look like the SDK\'s', async () => {
    const cloud = createCloud();
    const recorder = record(cloud);
    const signal = new cloud.Signal('app');
    const s = signal.login('alice', '_no_need_token');
    const handler = () => {};
    s.onLoginSuccess = handler;
    expect(s.onLoginSuccess).toBe(handler);
    expect(signal.getSDKVersion()).toBe('1.4.0');
    expect(s.getStatus()).toBe(1);
    await cloud.flush();
    expect(s.state).toBe(2);
    recorder.stop();
  });
});
