import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCloud, type Call, type Cloud, type Session, type WireServer } from 'agora-signaling-emulator';
import { useRealSdk } from './use-real-sdk.js';

const realSdk = useRealSdk();
let cloud: Cloud;
let server: WireServer;

afterEach(async () => {
  realSdk.stopSessions();
  await server.close();
  cloud.dispose();
  expect(realSdk.errors).toEqual([]);
});

/** A session of the real SDK, connected to the cloud over the wire. */
function realLogin(account: string): Session {
  return realSdk.login(server.url, account);
}

const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 3000, interval: 5 });

describe('a real-SDK client and an in-process client on one cloud', () => {
  it('see each other online and exchange peer messages both ways', async () => {
    // In-process links with a real-time latency: their deliveries run on the global timer.
    cloud = createCloud({ clock: 'global', latency: 5 });
    server = await cloud.listen();
    const alice = realLogin('alice');
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    const got = { alice: [] as unknown[][], bob: [] as unknown[][] };
    alice.onMessageInstantReceive = (...args: unknown[]) => got.alice.push(args);
    bob.onMessageInstantReceive = (...args: unknown[]) => got.bob.push(args);
    await waitFor(() => expect([alice.getStatus(), bob.getStatus()]).toEqual([2, 2]));

    const sent: unknown[][] = [];
    alice.messageInstantSend('bob', 'hello from the real SDK', (...a: unknown[]) => sent.push(['alice', ...a]));
    bob.messageInstantSend('alice', 'hello from in-process', (...a: unknown[]) => sent.push(['bob', ...a]));
    await waitFor(() => expect(got.alice.length + got.bob.length + sent.length).toBe(4));
    expect(got.bob).toEqual([['alice', 0, 'hello from the real SDK']]);
    expect(got.alice).toEqual([['bob', 0, 'hello from in-process']]);
    expect(sent).toEqual(expect.arrayContaining([['alice', false], ['bob', false]]));

    const status: unknown[][] = [];
    alice.invoke('io.agora.signal.user_query_user_status', { account: 'bob' }, (...a: unknown[]) => status.push(a));
    bob.invoke('io.agora.signal.user_query_user_status', { account: 'alice' }, (...a: unknown[]) => status.push(a));
    await waitFor(() => expect(status).toEqual([['', { result: 'ok', status: 1 }], ['', { result: 'ok', status: 1 }]]));
  });

  it('an in-process login kicks the real-SDK session of the same account (onLogout(103))', async () => {
    cloud = createCloud({ clock: 'global' });
    server = await cloud.listen();
    const onWire = realLogin('alice');
    const logouts: number[] = [];
    onWire.onLogout = (code: number) => logouts.push(code);
    await waitFor(() => expect(onWire.getStatus()).toBe(2));
    const inProcess = cloud.Signal('app').login('alice', '_no_need_token');
    await waitFor(() => expect([onWire.getStatus(), inProcess.getStatus()]).toEqual([0, 2]));
    expect(logouts).toEqual([103]);
    expect(cloud.log.first({ kind: 'server', name: 'kick', client: 'alice' })).toBeDefined();
  });

  it('a message the in-process client sent while the real-SDK user was offline arrives at its login', async () => {
    cloud = createCloud({ clock: 'global' });
    server = await cloud.listen();
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    await waitFor(() => expect(bob.getStatus()).toBe(2));
    bob.messageInstantSend('alice', 'see you later');
    await waitFor(() => expect(cloud.inspect().apps[0]!.storedMessages).toHaveLength(1));
    const alice = realLogin('alice');
    const order: string[] = [];
    alice.onLoginSuccess = () => order.push('login');
    alice.onMessageInstantReceive = (from: string, _uid: number, msg: string) => order.push(`${from}: ${msg}`);
    await waitFor(() => expect(order).toEqual(['login', 'bob: see you later']));
  });

  it('a channel message reaches in-process and real-SDK members alike, in join order, whichever kind sends it', async () => {
    // The in-process members around the real-SDK one are batched into fan-outs; the wire
    // member in the middle of the list is pushed to on its own, and the batching resumes.
    cloud = createCloud({ clock: 'global', latency: 5 });
    server = await cloud.listen();
    const signal = cloud.Signal('app');
    const inProcess = ['m0', 'm1', 'm3', 'm4'].map((a) => signal.login(a, '_no_need_token'));
    const real = realLogin('m2');
    await waitFor(() => expect([...inProcess, real].map((s) => s.getStatus())).toEqual([2, 2, 2, 2, 2]));
    const got: string[] = [];
    const join = (session: Session, name: string) => {
      const channel = session.channelJoin('room')!;
      channel.onMessageChannelReceive = (account: string, _uid: number, msg: string) => got.push(`${name} got ${msg} from ${account}`);
      return channel;
    };
    const channels = [join(inProcess[0]!, 'm0'), join(inProcess[1]!, 'm1')];
    await waitFor(() => expect(channels.map((c) => c.state)).toEqual(['joined', 'joined']));
    channels.push(join(real, 'm2'));
    await waitFor(() => expect(channels[2]!.state).toBe('joined'));
    channels.push(join(inProcess[2]!, 'm3'), join(inProcess[3]!, 'm4'));
    await waitFor(() => expect(channels.map((c) => c.state)).toEqual(['joined', 'joined', 'joined', 'joined', 'joined']));
    got.length = 0;
    channels[0]!.messageChannelSend('one');
    await waitFor(() => expect(got).toHaveLength(5));
    channels[2]!.messageChannelSend('two');
    await waitFor(() => expect(got).toHaveLength(10));
    const members = ['m0', 'm1', 'm2', 'm3', 'm4'];
    expect(got.slice(0, 5).sort()).toEqual(members.map((m) => `${m} got one from m0`));
    expect(got.slice(5).sort()).toEqual(members.map((m) => `${m} got two from m2`));
    // The in-process members get each message in join order (the wire one in real time).
    expect(got.filter((g) => !g.startsWith('m2')).slice(0, 4)).toEqual(['m0', 'm1', 'm3', 'm4'].map((m) => `${m} got one from m0`));
  });

  it('cloud.dispose() with both kinds of client in a channel ends quietly: nothing runs afterwards', async () => {
    cloud = createCloud({ clock: 'global' });
    server = await cloud.listen();
    const alice = realLogin('alice');
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    await waitFor(() => expect([alice.getStatus(), bob.getStatus()]).toEqual([2, 2]));
    const a = alice.channelJoin('room')!;
    const b = bob.channelJoin('room')!;
    await waitFor(() => expect([a.state, b.state]).toEqual(['joined', 'joined']));
    const uncaught: unknown[] = [];
    const onError = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onError);
    const entries = cloud.log.entries.length;
    cloud.dispose();
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.off('uncaughtException', onError);
    expect(uncaught).toEqual([]);
    expect(cloud.log.entries.slice(entries)).toEqual([]);
  });
});

describe('calls over the wire', () => {
  it('a real-SDK caller and an in-process callee: ack, accept, DTMF and end reach each side', async () => {
    cloud = createCloud({ clock: 'global', latency: 5 });
    server = await cloud.listen();
    const alice = realLogin('alice');
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    await waitFor(() => expect([alice.getStatus(), bob.getStatus()]).toEqual([2, 2]));
    const seen: string[] = [];
    bob.onInviteReceived = (call: Call) => {
      seen.push(`bob received ${call.channelName}/${call.peer} ${JSON.stringify(call.extra)}`);
      call.onInviteMsg = (extra: unknown) => seen.push(`bob msg ${String(extra)}`);
      call.onInviteEndByPeer = (extra: unknown) => seen.push(`bob end ${String(extra)}`);
      call.channelInviteAccept('ok');
    };
    const call = alice.channelInviteUser2('room-1', 'bob', { topic: 'wire' });
    call.onInviteReceivedByPeer = () => seen.push('alice ack');
    call.onInviteAcceptedByPeer = (extra: unknown) => {
      seen.push(`alice accepted ${String(extra)}`);
      call.channelInviteDTMF('5#');
      call.channelInviteEnd('bye');
    };
    await waitFor(() => expect(seen).toContain('bob end bye'));
    expect(seen).toEqual(['bob received room-1/alice {"topic":"wire"}', 'alice ack', 'alice accepted ok', 'bob msg {"msgtype":"dtmf","msgdata":"5#"}', 'bob end bye']);
  });

  it('a real-SDK caller dials a scripted phone, which records the extra and the DTMF digits', async () => {
    cloud = createCloud({ clock: 'global' });
    server = await cloud.listen();
    const phone = cloud.phone('+15551234', { answer: 'accept' });
    const alice = realLogin('alice');
    await waitFor(() => expect(alice.getStatus()).toBe(2));
    const call = alice.channelInviteUser2('room-1', '+15551234', { srcNum: '+15550000', destMediaUid: 7 });
    const ended: unknown[] = [];
    call.onInviteAcceptedByPeer = () => call.channelInviteDTMF('1234');
    call.onInviteEndByPeer = (extra: unknown) => ended.push(extra);
    await waitFor(() => expect(phone.dtmf).toBe('1234'));
    expect(phone.received[0]).toMatchObject({ from: 'alice', srcNum: '+15550000', destMediaUid: 7 });
    phone.hangUp();
    await waitFor(() => expect(ended).toEqual(['']));
  });
});
