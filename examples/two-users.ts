/**
 * Example scenario: two users log in and exchange messages; then alice logs in on a second
 * device, which kicks her first session (onLogout(103)).
 */
import { createCloud, type Cloud } from 'agora-signaling-emulator';

export async function twoUsers(seed = 1): Promise<Cloud> {
  const cloud = createCloud({ seed, latency: 40 });
  const signal = cloud.Signal('demo-app');

  const alice = signal.login('alice', '_no_need_token');
  const bob = signal.login('bob', '_no_need_token');
  bob.onMessageInstantReceive = (from, _uid, msg) => bob.messageInstantSend(from, `re: ${msg}`);
  alice.onMessageInstantReceive = () => {};
  alice.onLogout = () => {};
  await cloud.until(() => alice.getStatus() === 2 && bob.getStatus() === 2, { what: 'both logins' });

  alice.messageInstantSend('bob', 'hello bob', () => {});
  await cloud.advance(1000);

  const aliceOnPhone = signal.login('alice', '_no_need_token');
  aliceOnPhone.onLoginSuccess = () => {};
  await cloud.advance(1000);
  return cloud;
}
