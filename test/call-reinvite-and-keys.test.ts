import { describe, expect, it, vi } from 'vitest';
import { codes, type Call } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

describe('a re-invite of the same callee to the same channel', () => {
  it('while ringing: the callee\'s old call gets onInviteFailed reinvite, then onInviteReceived brings the new one', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const bobCalls: Call[] = [];
    const order: string[] = [];
    sessions.bob!.onInviteReceived = (c) => {
      bobCalls.push(c);
      order.push(`received ${String(c.extra)}`);
      c.onInviteFailed = (extra: string) => order.push(`call ${bobCalls.indexOf(c) + 1} failed ${JSON.parse(extra).reason} ${JSON.parse(extra).code}`);
    };
    const first = sessions.alice!.channelInviteUser2('room-1', 'bob', '{"n":1}');
    first.onInviteReceivedByPeer = vi.fn();
    await cloud.flush();
    const second = sessions.alice!.channelInviteUser2('room-1', 'bob', '{"n":2}');
    second.onInviteReceivedByPeer = vi.fn();
    second.onInviteAcceptedByPeer = vi.fn();
    first.onInviteAcceptedByPeer = vi.fn();
    first.onInviteFailed = vi.fn();
    await cloud.flush();
    expect(order).toEqual(['received {"n":1}', `call 1 failed reinvite ${codes.INVITE_E_REINVITE}`, 'received {"n":2}']);
    expect(cloud.inspect().apps[0]!.invites.map((i) => i.extra)).toEqual(['{"n":2}']);

    bobCalls[1]!.channelInviteAccept();
    await cloud.flush();
    // The caller's SDK replaced its first Call under the same key: only the second hears more.
    expect(second.onInviteAcceptedByPeer).toHaveBeenCalled();
    expect(first.onInviteAcceptedByPeer).not.toHaveBeenCalled();
    expect(first.onInviteFailed).not.toHaveBeenCalled();
  });

  it('during a call: the same, the callee\'s call ends with reinvite', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const failed = vi.fn();
    let n = 0;
    sessions.bob!.onInviteReceived = (c) => {
      n++;
      c.onInviteFailed = failed;
      if (n === 1) c.channelInviteAccept();
    };
    sessions.alice!.channelInviteUser2('room-1', 'bob');
    await cloud.flush();
    sessions.alice!.channelInviteUser2('room-1', 'bob');
    await cloud.flush();
    expect(n).toBe(2);
    expect(JSON.parse(failed.mock.calls[0]![0]).reason).toBe('reinvite');
    expect(cloud.inspect().apps[0]!.invites.map((i) => i.state)).toEqual(['ringing']);
  });

  it('to another channel is a second, independent invite', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    sessions.bob!.onInviteReceived = vi.fn();
    sessions.alice!.channelInviteUser2('room-1', 'bob');
    sessions.alice!.channelInviteUser2('room-2', 'bob');
    await cloud.flush();
    expect(cloud.inspect().apps[0]!.invites.map((i) => i.channel)).toEqual(['room-1', 'room-2']);
  });
});

describe('the calls map of 1.4.0', () => {
  it('keys calls by channel + peer concatenated, so room "ab" with "c" and room "a" with "bc" are one call (quirk)', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'c', 'bc']);
    sessions.c!.onInviteReceived = (call) => call.channelInviteAccept('from c');
    sessions.bc!.onInviteReceived = () => {};
    const toC = sessions.alice!.channelInviteUser2('ab', 'c');
    toC.onInviteAcceptedByPeer = vi.fn();
    const toBc = sessions.alice!.channelInviteUser2('a', 'bc');
    toBc.onInviteAcceptedByPeer = vi.fn();
    await cloud.flush();
    // c's accept lands on the Call registered last under "abc".
    expect(toBc.onInviteAcceptedByPeer).toHaveBeenCalledWith('from c');
    expect(toC.onInviteAcceptedByPeer).not.toHaveBeenCalled();
  });

  it('ignores a call event for a call this connection does not know', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob');
    call.onInviteAcceptedByPeer = vi.fn();
    await cloud.flush();
    // A hand-made voip message about another channel, sent as a plain user message.
    sessions.bob!.call2('user_sendmsg', {
      line: sessions.bob!.line,
      peer: 'alice',
      flag: 'v1:E:3600',
      t: 'voip_invite_accept',
      content: JSON.stringify({ channel: 'room-9', peer: 'bob', extra: '' }),
    });
    await cloud.flush();
    expect(call.onInviteAcceptedByPeer).not.toHaveBeenCalled();
    expect(cloud.log.callbacks('alice')).toEqual(['onLoginSuccess', 'onInviteReceivedByPeer']);
  });

  it('call.channelInviteUser2() sends the invite again with the same extra (1.4.0 has the method on the Call too)', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const received = vi.fn();
    sessions.bob!.onInviteReceived = (c) => received(c.extra);
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob', '{"k":1}');
    await cloud.flush();
    call.channelInviteUser2();
    await cloud.flush();
    expect(received.mock.calls).toEqual([['{"k":1}'], ['{"k":1}']]);
  });

  it('sends what the app asks in any state: a refuse after the call ended reaches the cloud, which refuses it in the log', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    let bobCall: Call | undefined;
    sessions.bob!.onInviteReceived = (c) => (bobCall = c);
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob');
    call.onInviteRefusedByPeer = vi.fn();
    await cloud.flush();
    bobCall!.channelInviteEnd();
    bobCall!.channelInviteRefuse();
    await cloud.flush();
    expect(call.onInviteRefusedByPeer).not.toHaveBeenCalled();
    expect(cloud.log.filter({ kind: 'call', client: 'bob' }).map((e) => e.name)).toEqual(['login', 'channelInviteEnd', 'channelInviteRefuse']);
    expect(cloud.log.last({ kind: 'server', name: 'refused' })?.args[0]).toBe('voip_invite_refuse');
  });

  it('a second accept is refused by the cloud: the caller hears one', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    sessions.bob!.onInviteReceived = (c) => {
      c.channelInviteAccept();
      c.channelInviteAccept();
    };
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob');
    call.onInviteAcceptedByPeer = vi.fn();
    await cloud.flush();
    expect(call.onInviteAcceptedByPeer).toHaveBeenCalledTimes(1);
    expect(cloud.log.last({ kind: 'server', name: 'refused' })?.args).toEqual(['voip_invite_accept', 'the call has already been accepted']);
  });
});
