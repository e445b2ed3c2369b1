/**
 * Example scenario: alice calls bob, who accepts; they exchange DTMF and alice hangs up. Then
 * alice dials a scripted phone that picks up after 2 s, and an offline carol, whose invite
 * fails after 20 s.
 */
import { createCloud, type Cloud } from 'agora-signaling-emulator';

export async function call(seed = 1): Promise<Cloud> {
  const cloud = createCloud({ seed, latency: 40 });
  const signal = cloud.Signal('demo-app');

  const alice = signal.login('alice', '_no_need_token');
  const bob = signal.login('bob', '_no_need_token');
  bob.onInviteReceived = (incoming) => {
    incoming.onInviteMsg = () => {};
    incoming.onInviteEndByPeer = () => {};
    incoming.channelInviteAccept();
  };
  await cloud.until(() => alice.getStatus() === 2 && bob.getStatus() === 2, { what: 'both logins' });

  const toBob = alice.channelInviteUser2('room-1', 'bob', { topic: 'lunch' });
  toBob.onInviteReceivedByPeer = () => {};
  toBob.onInviteAcceptedByPeer = () => toBob.channelInviteDTMF('42#');
  toBob.onInviteEndByMyself = () => {};
  await cloud.advance(1000);
  toBob.channelInviteEnd();
  await cloud.advance(1000);

  cloud.phone('+15551234', { answer: 'accept', after: 2000, hangUpAfter: 5000 });
  const toPhone = alice.channelInviteUser2('room-2', '+15551234', { srcNum: '+15550000' });
  toPhone.onInviteAcceptedByPeer = () => {};
  toPhone.onInviteEndByPeer = () => {};
  await cloud.advance(8000);

  const toCarol = alice.channelInviteUser2('room-3', 'carol');
  toCarol.onInviteFailed = () => {};
  await cloud.advance(21_000);
  return cloud;
}
