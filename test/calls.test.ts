import { describe, expect, it, vi } from 'vitest';
import { Call } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

describe('a call between two accounts', () => {
  it('goes invite → ack → accept → end (caller hangs up), each callback on its side in order', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob'], { latency: 20 });
    const events: string[] = [];
    let bobCall: Call | undefined;
    sessions.bob!.onInviteReceived = (call) => {
      bobCall = call;
      events.push(`bob onInviteReceived ${call.channelName}/${call.peer} ${JSON.stringify(call.extra)}`);
      call.onInviteEndByPeer = (extra) => events.push(`bob onInviteEndByPeer ${JSON.stringify(extra)}`);
    };
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob', '{"topic":"lunch"}');
    expect(call).toBeInstanceOf(Call);
    expect([call.channelName, call.peer, call.extra]).toEqual(['room-1', 'bob', '{"topic":"lunch"}']);
    call.onInviteReceivedByPeer = (extra) => events.push(`alice onInviteReceivedByPeer ${JSON.stringify(extra)}`);
    call.onInviteAcceptedByPeer = (extra) => events.push(`alice onInviteAcceptedByPeer ${JSON.stringify(extra)}`);
    call.onInviteEndByMyself = (extra) => events.push(`alice onInviteEndByMyself ${JSON.stringify(extra)}`);

    await cloud.until(() => bobCall !== undefined);
    bobCall!.channelInviteAccept('{"ok":1}');
    await cloud.until(() => events.some((e) => e.startsWith('alice onInviteAccepted')));
    call.channelInviteEnd('bye-now');
    await cloud.advance(1000);

    expect(events).toEqual([
      'bob onInviteReceived room-1/alice "{\\"topic\\":\\"lunch\\"}"',
      'alice onInviteReceivedByPeer ""',
      'alice onInviteAcceptedByPeer "{\\"ok\\":1}"',
      'alice onInviteEndByMyself ""',
      'bob onInviteEndByPeer "bye-now"',
    ]);
    expect(cloud.inspect().apps[0]!.invites).toEqual([]);
  });

  it('goes invite → ack → accept → end (callee hangs up)', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    let bobCall: Call | undefined;
    sessions.bob!.onInviteReceived = (c) => {
      bobCall = c;
      c.channelInviteAccept();
    };
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob');
    call.onInviteEndByPeer = vi.fn();
    call.onInviteAcceptedByPeer = vi.fn();
    await cloud.flush();
    expect(call.onInviteAcceptedByPeer).toHaveBeenCalledWith('');
    expect(cloud.inspect().apps[0]!.invites.map((i) => i.state)).toEqual(['active']);

    const mine = vi.fn();
    bobCall!.onInviteEndByMyself = mine;
    bobCall!.channelInviteEnd();
    expect(mine).toHaveBeenCalledWith(''); // synchronously, before channelInviteEnd returned
    expect(call.onInviteEndByPeer).not.toHaveBeenCalled();
    await cloud.flush();
    expect(call.onInviteEndByPeer).toHaveBeenCalledWith('');
    expect(cloud.log.callbacks('alice')).toEqual(['onLoginSuccess', 'onInviteReceivedByPeer', 'onInviteAcceptedByPeer', 'onInviteEndByPeer']);
    expect(cloud.log.callbacks('bob')).toEqual(['onLoginSuccess', 'onInviteReceived', 'onInviteEndByMyself']);
  });

  it('refused: the caller gets onInviteRefusedByPeer(extra) and the cloud forgets the invite', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    sessions.bob!.onInviteReceived = (c) => c.channelInviteRefuse('{"busy":true}');
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob');
    call.onInviteRefusedByPeer = vi.fn();
    await cloud.flush();
    expect(call.onInviteRefusedByPeer).toHaveBeenCalledWith('{"busy":true}');
    expect(cloud.inspect().apps[0]!.invites).toEqual([]);
    expect(cloud.log.first({ kind: 'server', name: 'invite refused' })?.object).toBe('call:room-1/bob');
  });

  it('the callee acknowledges before its app hears of the invite: the ack reaches the caller before an accept made inside onInviteReceived', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob'], { latency: 5 });
    sessions.bob!.onInviteReceived = (c) => c.channelInviteAccept();
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob');
    const order: string[] = [];
    call.onInviteReceivedByPeer = () => order.push('ack');
    call.onInviteAcceptedByPeer = () => order.push('accept');
    await cloud.advance(100);
    expect(order).toEqual(['ack', 'accept']);
  });

  it('DTMF reaches the other side as onInviteMsg with {"msgtype":"dtmf","msgdata":…}, both ways', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    let bobCall: Call | undefined;
    sessions.bob!.onInviteReceived = (c) => {
      bobCall = c;
      c.onInviteMsg = vi.fn();
      c.channelInviteAccept();
    };
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob');
    call.onInviteMsg = vi.fn();
    await cloud.flush();
    call.channelInviteDTMF('12#');
    bobCall!.channelInviteDTMF('*9');
    await cloud.flush();
    expect(bobCall!.onInviteMsg).toHaveBeenCalledWith('{"msgtype":"dtmf","msgdata":"12#"}');
    expect(call.onInviteMsg).toHaveBeenCalledWith('{"msgtype":"dtmf","msgdata":"*9"}');
  });

  it('an object extra stays an object on the wire and in the callee\'s call.extra; the caller\'s call.extra is what it gave', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const received = vi.fn();
    sessions.bob!.onInviteReceived = received;
    const extra = { topic: 'lunch', n: 2 };
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob', extra);
    expect(call.extra).toBe(extra);
    await cloud.flush();
    const bobCall = received.mock.calls[0]![0] as Call;
    expect(bobCall.extra).toEqual({ topic: 'lunch', n: 2 });
    expect(bobCall.extra).not.toBe(extra); // a copy, as over the wire
    expect(cloud.inspect().apps[0]!.invites[0]!.extra).toEqual({ topic: 'lunch', n: 2 });
  });

  it('without extra, the caller keeps undefined and the callee gets ""', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const received = vi.fn();
    sessions.bob!.onInviteReceived = received;
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob');
    expect(call.extra).toBeUndefined();
    await cloud.flush();
    expect((received.mock.calls[0]![0] as Call).extra).toBe('');
  });

  it('has the 1.4.0 shape: three fields and seven callbacks, all "" until set', async () => {
    const { sessions } = await loggedIn(['alice']);
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob');
    expect(JSON.parse(JSON.stringify(call))).toEqual({
      onInviteReceivedByPeer: '',
      onInviteAcceptedByPeer: '',
      onInviteRefusedByPeer: '',
      onInviteFailed: '',
      onInviteEndByPeer: '',
      onInviteEndByMyself: '',
      onInviteMsg: '',
      channelName: 'room-1',
      peer: 'bob',
    });
    for (const m of ['channelInviteUser2', 'channelInviteAccept', 'channelInviteRefuse', 'channelInviteEnd', 'channelInviteDTMF']) {
      expect(typeof (call as unknown as Record<string, unknown>)[m]).toBe('function');
    }
  });

  it('does not exist before the WebSocket opens (quirk of 1.4.0)', async () => {
    const { cloud } = await loggedIn([]);
    const session = cloud.Signal('app').login('carol', '_no_need_token');
    expect(session.channelInviteUser2).toBeUndefined();
    await cloud.flush();
    expect(typeof session.channelInviteUser2).toBe('function');
  });

  it('logs every call and callback with object call:CHANNEL/PEER, from each side', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    sessions.bob!.onInviteReceived = (c) => c.channelInviteAccept();
    sessions.alice!.channelInviteUser2('room-1', 'bob');
    await cloud.flush();
    expect(cloud.log.filter({ client: 'alice', object: 'call:room-1/bob' }).map((e) => `${e.kind} ${e.name}`)).toEqual([
      'call channelInviteUser2',
      'server invite delivered',
      'callback onInviteReceivedByPeer',
      'callback onInviteAcceptedByPeer',
    ]);
    expect(cloud.log.filter({ client: 'bob', object: 'call:room-1/alice' }).map((e) => `${e.kind} ${e.name}`)).toEqual([
      'callback onInviteReceived',
      'call channelInviteAccept',
    ]);
  });

  it('a Call callback that throws is caught and printed, as 1.4.0 does, and the call goes on', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    sessions.bob!.onInviteReceived = (c) => c.channelInviteAccept();
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob');
    call.onInviteReceivedByPeer = () => {
      throw new Error('app bug');
    };
    call.onInviteAcceptedByPeer = vi.fn();
    await cloud.flush();
    expect(call.onInviteAcceptedByPeer).toHaveBeenCalled();
    expect(cloud.log.first({ name: 'onInviteReceivedByPeer' })?.error).toBe('Error: app bug');
    expect(printed).toHaveBeenCalled();
    printed.mockRestore();
  });
});
