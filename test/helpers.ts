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
