import { describe, expect, it, vi } from 'vitest';
import { codes, inviteFailures, type Call } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

const reason = (fn: ReturnType<typeof vi.fn>) => fn.mock.calls.map((c) => JSON.parse(c[0] as string).reason as string);

describe('an invite to an offline callee', () => {
  it('fails after the callee has stayed offline for 20 s: nothing at 19 s, onInviteFailed peer_offline by 21 s', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob');
    call.onInviteFailed = vi.fn();
    call.onInviteReceivedByPeer = vi.fn();
    await cloud.flush();
    const invite = cloud.inspect().apps[0]!.invites[0]!;
    expect(invite).toMatchObject({ caller: 'alice', callee: 'bob', state: 'waiting', deadlineReason: 'peer_offline' });
    expect(invite.deadline! - invite.since).toBe(20_000);

    await cloud.advance(19_000);
    expect(call.onInviteFailed).not.toHaveBeenCalled();
    await cloud.advance(2_000);
    expect(call.onInviteFailed).toHaveBeenCalledTimes(1);
    expect(JSON.parse((call.onInviteFailed as ReturnType<typeof vi.fn>).mock.calls[0]![0])).toEqual({
      reason: 'peer_offline',
      code: codes.INVITE_E_PEEROFFLINE,
    });
    expect(call.onInviteReceivedByPeer).not.toHaveBeenCalled();
    expect(cloud.inspect().apps[0]!.invites).toEqual([]);
  });

  it('reaches a callee who logs in 10 s later, after its onLoginSuccess, and the call goes on', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob', '{"topic":"late"}');
    call.onInviteFailed = vi.fn();
    call.onInviteAcceptedByPeer = vi.fn();
    await cloud.advance(10_000);
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    const order: string[] = [];
    bob.onLoginSuccess = () => order.push('login');
    bob.onInviteReceived = (c: Call) => {
      order.push(`invite ${String(c.extra)}`);
      c.channelInviteAccept();
    };
    await cloud.advance(30_000);
    expect(order).toEqual(['login', 'invite {"topic":"late"}']);
    expect(call.onInviteAcceptedByPeer).toHaveBeenCalled();
    expect(call.onInviteFailed).not.toHaveBeenCalled();
  });

  it('with {"_require_peer_online":1} fails at once through the request, with the same JSON', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob', { _require_peer_online: 1 });
    call.onInviteFailed = vi.fn();
    await cloud.flush();
    expect(cloud.now() - cloud.startTime).toBeLessThan(1000);
    expect(reason(call.onInviteFailed as ReturnType<typeof vi.fn>)).toEqual(['peer_offline']);
    expect(cloud.inspect().apps[0]!.invites).toEqual([]);
  });

  it('with {"_require_peer_online":1} as JSON text rings an online callee as usual', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    sessions.bob!.onInviteReceived = vi.fn();
    sessions.alice!.channelInviteUser2('room-1', 'bob', '{"_require_peer_online":1}');
    await cloud.flush();
    expect(sessions.bob!.onInviteReceived).toHaveBeenCalled();
  });

  it('is dropped without a word when the caller logs out before the callee comes online', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    sessions.alice!.onLogout = () => {};
    sessions.alice!.channelInviteUser2('room-1', 'bob');
    await cloud.advance(1000);
    sessions.alice!.logout();
    await cloud.advance(1000);
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    bob.onInviteReceived = vi.fn();
    await cloud.advance(30_000);
    expect(bob.onInviteReceived).not.toHaveBeenCalled();
    expect(cloud.log.first({ kind: 'server', name: 'invite dropped' })?.client).toBe('alice');
  });

  it('cancelled by the caller before the callee logs in never reaches the callee', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob');
    call.onInviteFailed = vi.fn();
    await cloud.advance(5000);
    call.channelInviteEnd();
    await cloud.advance(1000);
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    bob.onInviteReceived = vi.fn();
    await cloud.advance(30_000);
    expect(bob.onInviteReceived).not.toHaveBeenCalled();
    expect(call.onInviteFailed).not.toHaveBeenCalled();
    expect(cloud.log.first({ kind: 'server', name: 'invite cancelled' })).toBeDefined();
  });
});

describe('_timeout', () => {
  it('ends an unanswered invite after that many seconds: onInviteFailed timeout on both sides', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    let bobCall: Call | undefined;
    sessions.bob!.onInviteReceived = (c) => {
      bobCall = c;
      c.onInviteFailed = vi.fn();
    };
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob', { _timeout: 5 });
    call.onInviteFailed = vi.fn();
    await cloud.advance(4_900);
    expect(call.onInviteFailed).not.toHaveBeenCalled();
    expect(cloud.inspect().apps[0]!.invites[0]).toMatchObject({ state: 'ringing', deadlineReason: 'timeout' });
    await cloud.advance(200);
    expect(reason(call.onInviteFailed as ReturnType<typeof vi.fn>)).toEqual(['timeout']);
    expect(reason(bobCall!.onInviteFailed as ReturnType<typeof vi.fn>)).toEqual(['timeout']);
    expect(JSON.parse((call.onInviteFailed as ReturnType<typeof vi.fn>).mock.calls[0]![0]).code).toBe(codes.INVITE_E_TIMEOUT);
  });

  it('does not end a call accepted in time', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    sessions.bob!.onInviteReceived = (c) => c.channelInviteAccept();
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob', '{"_timeout":"3"}');
    call.onInviteFailed = vi.fn();
    await cloud.advance(60_000);
    expect(call.onInviteFailed).not.toHaveBeenCalled();
    expect(cloud.inspect().apps[0]!.invites[0]).toMatchObject({ state: 'active', deadline: null });
  });

  it('shorter than 20 s ends an invite to an offline callee with timeout', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob', { _timeout: 8 });
    call.onInviteFailed = vi.fn();
    await cloud.advance(9_000);
    expect(reason(call.onInviteFailed as ReturnType<typeof vi.fn>)).toEqual(['timeout']);
  });

  it('longer than 20 s leaves the offline rule first: peer_offline at 20 s', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob', { _timeout: 60 });
    call.onInviteFailed = vi.fn();
    await cloud.advance(61_000);
    expect(reason(call.onInviteFailed as ReturnType<typeof vi.fn>)).toEqual(['peer_offline']);
  });

  it('without it, an invite that reached an online callee rings until someone answers', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    sessions.bob!.onInviteReceived = vi.fn();
    const call = sessions.alice!.channelInviteUser2('room-1', 'bob');
    call.onInviteFailed = vi.fn();
    await cloud.advance(600_000);
    expect(call.onInviteFailed).not.toHaveBeenCalled();
    expect(cloud.inspect().apps[0]!.invites[0]).toMatchObject({ state: 'ringing', deadline: null });
  });
});

describe('extra that the cloud refuses', () => {
  async function failedWith(extra: unknown, channel: unknown = 'room-1', peer: unknown = 'bob'): Promise<{ reason: string; code: number; detail?: string }> {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    sessions.bob!.onInviteReceived = vi.fn();
    const call = sessions.alice!.channelInviteUser2(channel as string, peer as string, extra);
    call.onInviteFailed = vi.fn();
    await cloud.flush();
    expect(sessions.bob!.onInviteReceived).not.toHaveBeenCalled();
    expect(call.onInviteFailed).toHaveBeenCalledTimes(1);
    return JSON.parse((call.onInviteFailed as ReturnType<typeof vi.fn>).mock.calls[0]![0]);
  }

  it('text that is not JSON: invalid_extra (1004)', async () => {
    const failure = await failedWith('hello');
    expect(failure).toMatchObject({ reason: 'invalid_extra', code: codes.GENERAL_E_WRONG_PARAM });
    expect(failure.detail).toContain('JSON');
  });

  it('more than 8 KB: extra_too_long (1005); exactly 8 KB goes through', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(8 * 1024) });
    expect(await failedWith(big)).toMatchObject({ reason: 'extra_too_long', code: codes.GENERAL_E_LARGE_PARAM });
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    sessions.bob!.onInviteReceived = vi.fn();
    const exact = JSON.stringify({ pad: 'x'.repeat(8 * 1024 - 10) });
    expect(exact.length).toBe(8 * 1024);
    sessions.alice!.channelInviteUser2('room-1', 'bob', exact);
    await cloud.flush();
    expect(sessions.bob!.onInviteReceived).toHaveBeenCalled();
  });

  it('a _timeout below 1 s, or not a number: invalid_extra', async () => {
    expect((await failedWith({ _timeout: 0.5 })).reason).toBe('invalid_extra');
    expect((await failedWith({ _timeout: 'soon' })).detail).toContain('_timeout');
  });

  it('a channel name that is not a string, or a peer that is not an account: invalid_arguments', async () => {
    expect((await failedWith('', 42)).reason).toBe('invalid_arguments');
    expect((await failedWith('', 'room-1', 'bob smith')).reason).toBe('invalid_arguments');
  });

  it('inviting oneself: peer_is_self', async () => {
    expect((await failedWith('', 'room-1', 'alice')).reason).toBe('peer_is_self');
  });

  it('every reason has a documented code', () => {
    expect(inviteFailures).toMatchObject({ peer_offline: 703, timeout: 704, reinvite: 701 });
  });
});

describe('onInviteFailed left unset when the invite request fails', () => {
  it('prints a TypeError, as 1.4.0 calls it without checking (quirk)', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    sessions.alice!.channelInviteUser2('room-1', 'bob', { _require_peer_online: 1 });
    await cloud.flush();
    expect(String(printed.mock.calls[0]![0])).toBe('TypeError: r.onInviteFailed is not a function');
    expect(cloud.log.last({ name: 'onInviteFailed' })).toMatchObject({ unhandled: true, error: 'TypeError: r.onInviteFailed is not a function' });
    printed.mockRestore();
  });
});
