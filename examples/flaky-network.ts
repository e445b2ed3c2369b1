/**
 * Example scenario: bob's network drops for 3 s while alice writes to him; the SDK reconnects
 * (state 3, then a new login), and the server hands bob what alice sent meanwhile. Then the
 * network turns lossy, and 1.4.0's numbering recovers a lost message.
 */
import { createCloud, type Cloud } from 'agora-signaling-emulator';

export async function flakyNetwork(seed = 1): Promise<Cloud> {
  const cloud = createCloud({ seed, latency: 40 });
  const signal = cloud.Signal('demo-app');

  const alice = signal.login('alice', '_no_need_token');
  const bob = signal.login('bob', '_no_need_token');
  bob.onLoginSuccess = () => {};
  bob.onMessageInstantReceive = () => {};
  await cloud.until(() => alice.getStatus() === 2 && bob.getStatus() === 2, { what: 'both logins' });

  cloud.net.disconnect('bob', { for: 3_000 });
  await cloud.advance(500);
  alice.messageInstantSend('bob', 'are you there?', () => {});
  await cloud.until({ client: 'bob', name: 'onMessageInstantReceive' }, { within: 10_000 });

  const loss = cloud.net.loss(1, { account: 'bob', kind: 'instant' });
  alice.messageInstantSend('bob', 'this one is lost on the way', () => {});
  await cloud.advance(500);
  loss.remove();
  alice.messageInstantSend('bob', 'and this one reveals the gap', () => {});
  await cloud.settle();
  return cloud;
}
