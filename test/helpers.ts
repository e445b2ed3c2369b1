import { createCloud, type Cloud, type CloudOptions, type Session } from 'agora-signaling-emulator';

/** A cloud plus a logged-in session per account (app 'app' unless given). */
export async function loggedIn(accounts: string[], options: CloudOptions = {}, appId = 'app'): Promise<{ cloud: Cloud; sessions: Record<string, Session> }> {
  const cloud = createCloud(options);
  const signal = cloud.Signal(appId);
  const sessions: Record<string, Session> = {};
  for (const a of accounts) sessions[a] = signal.login(a, '_no_need_token');
  await cloud.until(() => Object.values(sessions).every((s) => s.getStatus() === 2), { what: 'every login' });
  return { cloud, sessions };
}

/** alice and bob log in and chat; then alice logs in again elsewhere, which kicks her first session. */
export async function kickScenario(): Promise<Cloud> {
  const cloud = createCloud({ latency: 40 });
  const signal = cloud.Signal('demo-app');
  const alice = signal.login('alice', '_no_need_token');
  const bob = signal.login('bob', '_no_need_token');
  bob.onMessageInstantReceive = () => {};
  alice.onLogout = () => {};
  await cloud.until(() => alice.getStatus() === 2 && bob.getStatus() === 2);
  alice.messageInstantSend('bob', 'hello bob', () => {});
  await cloud.advance(1000);
  signal.login('alice', '_no_need_token');
  await cloud.advance(1000);
  return cloud;
}
