// Parity for faults: the same scripted failure, seen by the in-process SDK on virtual time and
// by the unmodified real SDK 1.4.0 over the wire on real time (short waits: 1.4.0's first
// reconnect attempt comes 200 ms after the drop), must give each client the same callbacks.
import { describe, expect, it } from 'vitest';
import { expectParity, type Scenario } from './harness.js';

const faultScenarios: Record<string, Scenario> = {
  'the server kicks a session: onLogout(103), and the user is offline': async (w) => {
    const alice = w.login('alice');
    await w.loggedIn(alice);
    const bob = w.login('bob');
    await w.loggedIn(bob);
    w.cloud.kick('bob');
    await w.until(() => bob.getStatus() === 0, 'the kick');
    alice.invoke('io.agora.signal.user_query_user_status', { account: 'bob' }, w.cb('alice', 'status of bob'));
    await w.until(() => w.count('alice', 'status of bob') === 1, 'the status reply');
  },

  'the server closes a session: onLogout(102), and 1.4.0 does not reconnect': async (w) => {
    const bob = w.login('bob');
    await w.loggedIn(bob);
    w.cloud.closeSession('bob');
    await w.until(() => bob.getStatus() === 0, 'the close');
    await w.wait(600); // past 1.4.0's first reconnect attempts, had it made any
    w.note('bob', 'status', bob.getStatus());
  },

  'a dropped connection: state 3, then 1.4.0 logs in again (onLoginSuccess twice)': async (w) => {
    const alice = w.login('alice');
    await w.loggedIn(alice);
    const bob = w.login('bob');
    await w.loggedIn(bob);
    w.cloud.net.disconnect('bob', { for: 0 });
    await w.until(() => bob.getStatus() !== 2, 'the drop');
    w.note('bob', 'status', bob.getStatus());
    await w.loggedIn(bob, 'the reconnect');
    w.note('bob', 'status', bob.getStatus());
    // The new session works: a message reaches it.
    alice.messageInstantSend('bob', 'welcome back', w.cb('alice', 'sent'));
    await w.until(() => w.count('bob', 'onMessageInstantReceive') === 1, 'the message');
  },

  'a connection broken with an error: onLogout(102), and 1.4.0 does not reconnect': async (w) => {
    const bob = w.login('bob');
    await w.loggedIn(bob);
    w.cloud.net.disconnect('bob', { how: 'error', for: 0 });
    await w.until(() => bob.getStatus() === 0, 'the logout');
    await w.wait(600);
    w.note('bob', 'status', bob.getStatus());
  },

  'a reconnect whose re-login is refused (token expired): state 0, and no callback': async (w) => {
    const bob = w.login('bob');
    await w.loggedIn(bob);
    w.cloud.expireToken('bob');
    w.cloud.net.disconnect('bob', { for: 0 });
    await w.until(() => bob.getStatus() === 0, 'the refused re-login');
    await w.settle();
    w.note('bob', 'status', bob.getStatus());
  },

  'an outage: every client reconnects when it ends': async (w) => {
    const alice = w.login('alice');
    await w.loggedIn(alice);
    const bob = w.login('bob');
    await w.loggedIn(bob);
    w.cloud.outage(300);
    await w.until(() => alice.getStatus() === 3 && bob.getStatus() === 3, 'the outage');
    await w.until(() => alice.getStatus() === 2 && bob.getStatus() === 2, 'the reconnects');
  },

  'failNext and refuseLogin: the server refusal reaches the SDK as 1.4.0 reports it': async (w) => {
    w.cloud.refuseLogin('bob', 'TokenErrorWrong');
    const refused = w.login('bob#1', { account: 'bob' });
    await w.until(() => refused.getStatus() === 0, 'the refused login');
    const alice = w.login('alice');
    await w.loggedIn(alice);
    w.cloud.failNext('user_sendmsg', { account: 'alice', reason: 'peer offline' });
    alice.messageInstantSend('carol', 'one', w.cb('alice', 'sent one'));
    alice.messageInstantSend('carol', 'two', w.cb('alice', 'sent two'));
    await w.until(() => w.count('alice', 'sent two') === 1, 'both replies');
  },
};

describe('parity of faults: the in-process SDK and the real SDK 1.4.0 over the wire see the same failure the same way', () => {
  for (const [name, scenario] of Object.entries(faultScenarios)) {
    it(name, async () => {
      const recording = await expectParity(name, scenario);
      expect(recording.size).toBeGreaterThan(0);
    });
  }
});
