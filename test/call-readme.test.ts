import { expect, it, vi } from 'vitest';
import { type Call } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

// The README's call examples, run as written.

it('README: alice calls bob, who accepts; onInviteFailed parses the reason', async () => {
  const { cloud, sessions } = await loggedIn(['alice', 'bob']);
  const { alice, bob } = sessions;
  const showRinging = vi.fn();
  const joinMedia = vi.fn();
  const leaveMedia = vi.fn();
  const showToast = vi.fn();
  const call = alice!.channelInviteUser2('room-1', 'bob', { topic: 'lunch', _timeout: 30 });
  call.onInviteReceivedByPeer = () => showRinging();
  call.onInviteAcceptedByPeer = () => joinMedia('room-1');
  call.onInviteFailed = (extra: string) => {
    const { reason } = JSON.parse(extra);
    if (reason === 'peer_offline') showToast('Bob is offline');
  };
  let received: Call | undefined;
  bob!.onInviteReceived = (c) => {
    received = c;
    c.onInviteEndByPeer = () => leaveMedia();
    c.channelInviteAccept();
  };
  await cloud.flush();
  expect(received!.peer).toBe('alice');
  expect(received!.extra).toEqual({ topic: 'lunch', _timeout: 30 });
  expect(showRinging).toHaveBeenCalled();
  expect(joinMedia).toHaveBeenCalledWith('room-1');
  call.channelInviteEnd();
  await cloud.flush();
  expect(leaveMedia).toHaveBeenCalled();

  // The same handler on a call to an offline callee.
  const again = alice!.channelInviteUser2('room-2', 'dave', { _require_peer_online: 1 });
  again.onInviteFailed = call.onInviteFailed;
  await cloud.flush();
  expect(showToast).toHaveBeenCalledWith('Bob is offline');
  expect(cloud.log.last({ name: 'onInviteFailed' })?.args).toEqual(['{"reason":"peer_offline","code":703}']);
});

it('README: a scripted phone accepts after 2 s, records srcNum, destMediaUid and DTMF, and hangs up', async () => {
  const { cloud, sessions } = await loggedIn(['alice']);
  const alice = sessions.alice!;
  const phone = cloud.phone('+15551234', { answer: 'accept', after: 2000, hangUpAfter: 60_000 });
  const call = alice.channelInviteUser2('room-1', '+15551234', { srcNum: '+15550000', destMediaUid: 42 });
  call.onInviteAcceptedByPeer = () => call.channelInviteDTMF('1234#');
  await cloud.advance(2000);

  expect(phone.state).toBe('connected');
  expect(phone.received[0]).toMatchObject({ from: 'alice', srcNum: '+15550000', destMediaUid: 42 });
  await cloud.flush();
  expect(phone.dtmf).toBe('1234#');
  call.onInviteEndByPeer = vi.fn();
  phone.hangUp();
  await cloud.flush();
  expect(call.onInviteEndByPeer).toHaveBeenCalledWith('');
});
