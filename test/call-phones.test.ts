import { describe, expect, it, vi } from 'vitest';
import { EmulatorError, ScriptedPhone } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

describe('a SIP call to a scripted phone', () => {
  it('answer "accept" after 2 s: the caller gets the ack at once and onInviteAcceptedByPeer at 2 s; srcNum and destMediaUid pass through', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const phone = cloud.phone('+15551234', { answer: 'accept', after: 2000 });
    expect(phone).toBeInstanceOf(ScriptedPhone);
    const start = cloud.now();
    const call = sessions.alice!.channelInviteUser2('room-1', '+15551234', { srcNum: '+15550000', destMediaUid: 42 });
    call.onInviteReceivedByPeer = vi.fn();
    call.onInviteAcceptedByPeer = vi.fn();
    await cloud.advance(100);
    expect(call.onInviteReceivedByPeer).toHaveBeenCalledWith('');
    expect(phone.state).toBe('ringing');
    expect(phone.peer).toBe('alice');
    await cloud.advance(1800);
    expect(call.onInviteAcceptedByPeer).not.toHaveBeenCalled();
    await cloud.advance(200);
    expect(call.onInviteAcceptedByPeer).toHaveBeenCalledWith('');
    expect(phone.state).toBe('connected');
    expect(phone.received).toEqual([
      { from: 'alice', channel: 'room-1', extra: { srcNum: '+15550000', destMediaUid: 42 }, srcNum: '+15550000', destMediaUid: 42, at: start },
    ]);
    expect(cloud.log.filter({ client: '+15551234' }).map((e) => `${e.name} ${JSON.stringify(e.args)}`)).toEqual([
      'phone ringing [{"srcNum":"+15550000","destMediaUid":42}]',
      'phone accept ["","by script"]',
    ]);
  });

  it('answer "refuse": the caller gets onInviteRefusedByPeer', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const phone = cloud.phone('+15551234', { answer: 'refuse', after: 500 });
    const call = sessions.alice!.channelInviteUser2('room-1', '+15551234');
    call.onInviteRefusedByPeer = vi.fn();
    await cloud.advance(1000);
    expect(call.onInviteRefusedByPeer).toHaveBeenCalledWith('');
    expect(phone.state).toBe('idle');
    expect(cloud.inspect().apps[0]!.invites).toEqual([]);
  });

  it('hangUpAfter: the phone hangs up that long after accepting, and the caller gets onInviteEndByPeer', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const phone = cloud.phone('+15551234', { answer: 'accept', hangUpAfter: 30_000 });
    const call = sessions.alice!.channelInviteUser2('room-1', '+15551234');
    call.onInviteEndByPeer = vi.fn();
    await cloud.advance(29_000);
    expect(call.onInviteEndByPeer).not.toHaveBeenCalled();
    await cloud.advance(2_000);
    expect(call.onInviteEndByPeer).toHaveBeenCalledWith('');
    expect(phone.state).toBe('idle');
  });

  it('is driven by the test with accept(), then hangUp(), each reaching the caller', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const phone = cloud.phone('+15551234'); // answer: 'ignore' by default
    const call = sessions.alice!.channelInviteUser2('room-1', '+15551234');
    call.onInviteAcceptedByPeer = vi.fn();
    call.onInviteEndByPeer = vi.fn();
    await cloud.until(() => phone.state === 'ringing');
    await cloud.advance(60_000);
    expect(phone.state).toBe('ringing');
    phone.accept('{"codec":"opus"}');
    await cloud.flush();
    expect(call.onInviteAcceptedByPeer).toHaveBeenCalledWith('{"codec":"opus"}');
    phone.hangUp();
    await cloud.flush();
    expect(call.onInviteEndByPeer).toHaveBeenCalledWith('');
    expect(cloud.log.filter({ client: '+15551234' }).map((e) => e.name)).toEqual(['phone ringing', 'phone accept', 'phone hang up']);
  });

  it('refuse() declines a ringing call', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const phone = cloud.phone('+15551234');
    const call = sessions.alice!.channelInviteUser2('room-1', '+15551234');
    call.onInviteRefusedByPeer = vi.fn();
    await cloud.flush();
    phone.refuse('{"reason":"declined"}');
    await cloud.flush();
    expect(call.onInviteRefusedByPeer).toHaveBeenCalledWith('{"reason":"declined"}');
  });

  it('records the DTMF digits it receives, across messages', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const phone = cloud.phone('+15551234', { answer: 'accept' });
    const call = sessions.alice!.channelInviteUser2('room-1', '+15551234');
    await cloud.flush();
    call.channelInviteDTMF('12');
    call.channelInviteDTMF('3#');
    await cloud.flush();
    expect(phone.dtmf).toBe('123#');
    expect(cloud.log.filter({ client: '+15551234', name: 'phone got DTMF' }).map((e) => e.args[0])).toEqual(['12', '3#']);
  });

  it('stops ringing when the caller hangs up first', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const phone = cloud.phone('+15551234', { answer: 'accept', after: 10_000 });
    const call = sessions.alice!.channelInviteUser2('room-1', '+15551234');
    call.onInviteAcceptedByPeer = vi.fn();
    await cloud.advance(1000);
    call.channelInviteEnd();
    await cloud.advance(20_000);
    expect(phone.state).toBe('idle');
    expect(call.onInviteAcceptedByPeer).not.toHaveBeenCalled();
    expect(cloud.log.last({ client: '+15551234' })?.args[0]).toBe('the caller hung up');
  });

  it('left ringing ("ignore") ends with the invite\'s _timeout', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const phone = cloud.phone('+15551234', { answer: 'ignore' });
    const call = sessions.alice!.channelInviteUser2('room-1', '+15551234', '{"_timeout":30}');
    call.onInviteFailed = vi.fn();
    await cloud.advance(31_000);
    expect(JSON.parse((call.onInviteFailed as ReturnType<typeof vi.fn>).mock.calls[0]![0]).reason).toBe('timeout');
    expect(phone.state).toBe('idle');
  });

  it('is reachable whatever _require_peer_online says', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const phone = cloud.phone('+15551234');
    sessions.alice!.channelInviteUser2('room-1', '+15551234', { _require_peer_online: 1 });
    await cloud.flush();
    expect(phone.state).toBe('ringing');
  });

  it('takes one call at a time: a second caller is refused with {"reason":"busy"}', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'carol']);
    const phone = cloud.phone('+15551234', { answer: 'accept' });
    sessions.alice!.channelInviteUser2('room-1', '+15551234');
    await cloud.flush();
    const second = sessions.carol!.channelInviteUser2('room-2', '+15551234');
    second.onInviteRefusedByPeer = vi.fn();
    await cloud.flush();
    expect(second.onInviteRefusedByPeer).toHaveBeenCalledWith('{"reason":"busy"}');
    expect(phone.peer).toBe('alice');
    expect(phone.received.map((r) => r.from)).toEqual(['alice', 'carol']);
  });

  it('hears of a caller who logs out during the call, and is idle again', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const phone = cloud.phone('+15551234', { answer: 'accept' });
    sessions.alice!.channelInviteUser2('room-1', '+15551234');
    await cloud.flush();
    sessions.alice!.onLogout = () => {};
    sessions.alice!.logout();
    await cloud.flush();
    expect(phone.state).toBe('idle');
    expect(cloud.log.last({ client: '+15551234' })).toMatchObject({ name: 'phone call ended', args: ['peer_logged_out'] });
  });

  it('shows in cloud.inspect()', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    cloud.phone('+15551234');
    sessions.alice!.channelInviteUser2('room-1', '+15551234');
    await cloud.flush();
    const snapshot = cloud.inspect();
    expect(snapshot.phones).toEqual([{ number: '+15551234', state: 'ringing', peer: 'alice', received: 1, dtmf: '' }]);
    expect(snapshot.apps[0]!.invites[0]).toMatchObject({ callee: '+15551234', phone: true, state: 'ringing' });
  });
});

describe('a phone number nobody registered', () => {
  it('is an account like any other: offline, so peer_offline after 20 s, and the log says how to script it', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const call = sessions.alice!.channelInviteUser2('room-1', '+15559999');
    call.onInviteFailed = vi.fn();
    await cloud.advance(21_000);
    expect(JSON.parse((call.onInviteFailed as ReturnType<typeof vi.fn>).mock.calls[0]![0]).reason).toBe('peer_offline');
    expect(cloud.log.first({ name: 'invite waiting' })?.args[2]).toBe("no phone is registered as '+15559999': cloud.phone('+15559999') scripts one");
  });
});

describe('misusing a scripted phone', () => {
  it('accept() with nothing ringing throws, saying what to wait for', async () => {
    const { cloud } = await loggedIn([]);
    const phone = cloud.phone('+15551234');
    expect(() => phone.accept()).toThrow(EmulatorError);
    expect(() => phone.accept()).toThrow("Cannot accept on phone '+15551234': it is idle, not ringing (it has received 0 invites)");
    expect(() => phone.hangUp()).toThrow(/Cannot hang up on phone '\+15551234': it is idle/);
  });

  it('a number that is not a phone number, a second registration, or an unknown option throws', async () => {
    const { cloud } = await loggedIn([]);
    expect(() => cloud.phone('bob')).toThrow(/is not a phone number/);
    cloud.phone('+15551234');
    expect(() => cloud.phone('+15551234')).toThrow(/already registered/);
    expect(() => cloud.phone('+15550001', { answr: 'accept' } as never)).toThrow(/unknown script option 'answr'/);
    expect(() => cloud.phone('+15550002', { answer: 'pickup' } as never)).toThrow(/answer must be/);
    expect(() => cloud.phone('+15550003', { after: -1 })).toThrow(/after must be a non-negative number/);
  });
});
