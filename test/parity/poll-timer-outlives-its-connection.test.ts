// 1.4.0's poll timer of a connection outlives it: after a reconnect the old connection's timer
// still polls (through the session's current call2) with its own mark, and hands what comes
// back to the app by its own count, so messages the new connection already delivered arrive
// again. An app sees duplicates after a reconnect; the emulator did not. Compared with the
// real SDK over the wire.
import { describe, expect, it } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';
import { expectParity, type Scenario } from './harness.js';

const duplicatesAfterAReconnect: Scenario = async (w) => {
  const alice = w.Signal('app').login('alice', '_no_need_token');
  alice.onLoginSuccess = (uid: number) => w.note('alice', 'onLoginSuccess', uid);
  alice.onMessageInstantReceive = (from: string, _uid: number, msg: string) => w.note('alice', 'message', from, msg);
  await w.loggedIn(alice);
  const bob = w.login('bob');
  await w.loggedIn(bob);
  // Three messages pushed on the first connection, not yet acknowledged (that waits 1 s)...
  for (const m of ['1', '2', '3']) bob.messageInstantSend('alice', m);
  await w.until(() => w.count('alice', 'message') === 3, 'three messages');
  // ...when the connection drops; the SDK reconnects.
  w.cloud.net.disconnect('alice', { for: 300 });
  await w.until(() => alice.getStatus() === 3, 'the reconnect');
  await w.until(() => alice.getStatus() === 2, 'logged in again');
  for (const m of ['4', '5', '6', '7', '8']) bob.messageInstantSend('alice', m);
  // The old timer polls about 1 s after its last activity, with mark 3.
  await w.wait(2500);
};

describe('parity: the poll timer of a connection outlives it, as in 1.4.0', () => {
  it('after a reconnect, the old connection polls with its own mark and delivers again what the new one had delivered', async () => {
    const recording = await expectParity('duplicates after a reconnect', duplicatesAfterAReconnect);
    const messages = recording.get('alice')!.filter((r) => r.name === 'message').map((r) => r.args[1]);
    // The new session's seqs 4 and 5 are above the old mark (3): messages 7 and 8 come twice.
    expect(messages).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '7', '8']);
  });

  it('the old timer polls while logged in, and stops at logout', async () => {
    const cloud = createCloud();
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    alice.onLogout = () => {};
    await cloud.until(() => alice.getStatus() === 2 && bob.getStatus() === 2);
    const polls: number[] = [];
    cloud.net.rule((m) => {
      if (m.account === 'alice' && m.kind === 'user_getmsg') polls.push(m.link);
      return 'pass';
    });
    bob.messageInstantSend('alice', '1');
    await cloud.advance(10);
    cloud.net.disconnect('alice', { for: 300 });
    await cloud.until(() => alice.getStatus() === 2, { what: 'logged in again', within: 5000 });
    // Both timers poll on the new link. The old one still has message 1 to acknowledge, and
    // the server answers its mark with no more than the new session has sent (0): by 1.4.0's
    // rule (acknowledged < taken, quiet for over 1 s) it polls again every 1.1 s, for as long
    // as the session stays logged in.
    await cloud.advance(110_000);
    const link = polls.at(-1)!;
    expect(polls.every((l) => l === link)).toBe(true);
    expect(polls.length).toBeGreaterThanOrEqual(100);
    alice.logout();
    await cloud.until(() => alice.getStatus() === 0);
    const atLogout = polls.length;
    await cloud.advance(5 * 60_000);
    expect(polls.length).toBe(atLogout);
    cloud.dispose();
  });
});
