// What an app reads and does inside onLoginFailed and onLogout, compared with the real SDK 1.4.0
// over the wire: its fire_login_failed / fire_logout set state 0 only after the callback
// returns, so getStatus() there is 1, 2 or 3, and calls made there act in that state.
import { describe, expect, it } from 'vitest';
import type { Session } from 'agora-signaling-emulator';
import { expectParity, type Scenario, type World } from './harness.js';

/** What an app can read of a Session: its fields, getStatus() and which methods it has. */
function sessionSeen(session: Session): unknown[] {
  const s = session as unknown as Record<string, unknown>;
  return [session.getStatus(), session.state, session.line !== '', session.uid, ...['messageInstantSend', 'invoke', 'channelJoin', 'channelInviteUser2'].map((m) => typeof s[m])];
}

/** `alice` logged in, whose onLogout records what she sees there and then runs `inside`. */
async function aliceWhoLooksInsideOnLogout(w: World, inside: (alice: Session) => void = () => {}, reconnectCount?: number): Promise<Session> {
  const alice = w.Signal('app').login('alice', '_no_need_token', reconnectCount);
  alice.onLoginSuccess = (uid: number) => w.note('alice', 'onLoginSuccess', uid);
  alice.onLogout = (code: number) => {
    w.note('alice', 'onLogout', code, ...sessionSeen(alice));
    inside(alice);
  };
  await w.loggedIn(alice);
  return alice;
}

const scenarios: Record<string, Scenario> = {
  'state inside onLoginFailed(206) is 1': async (w) => {
    w.cloud.refuseLogin('alice', 'TokenErrorWrong');
    const alice = w.Signal('app').login('alice', '_no_need_token');
    alice.onLoginFailed = (code: number) => w.note('alice', 'onLoginFailed', code, alice.getStatus(), alice.state);
    await w.until(() => w.count('alice', 'onLoginFailed') === 1, 'the refusal');
    w.note('alice', 'after', alice.getStatus());
  },

  'state inside onLoginFailed(201) of a refused connection is 1, with no methods yet': async (w) => {
    const outage = w.cloud.outage();
    const alice = w.Signal('app').login('alice', '_no_need_token');
    alice.onLoginFailed = (code: number) => w.note('alice', 'onLoginFailed', code, ...sessionSeen(alice));
    await w.until(() => w.count('alice', 'onLoginFailed') === 1, 'the refusal');
    outage.end();
    w.note('alice', 'after', alice.getStatus());
  },

  'state inside onLogout(101) is 2': async (w) => {
    const alice = await aliceWhoLooksInsideOnLogout(w);
    alice.logout();
    await w.until(() => alice.getStatus() === 0, 'the logout');
  },

  'state inside onLogout(103) is 2, and channelJoin there returns a Channel': async (w) => {
    const alice = await aliceWhoLooksInsideOnLogout(w, (a) => {
      const channel = a.channelJoin('room');
      w.note('alice', 'channelJoin inside onLogout', channel?.name, channel?.state);
    });
    w.cloud.kick('alice');
    await w.until(() => alice.getStatus() === 0, 'the kick');
    await w.settle();
  },

  'state inside onLogout(102) after a server close is 2': async (w) => {
    const alice = await aliceWhoLooksInsideOnLogout(w);
    w.cloud.closeSession('alice');
    await w.until(() => alice.getStatus() === 0, 'the close');
    await w.settle();
  },

  'state inside onLogout(102) after the retries ran out is 3, and channelJoin there returns undefined': async (w) => {
    const alice = await aliceWhoLooksInsideOnLogout(
      w,
      (a) => {
        w.note('alice', 'channelJoin inside onLogout', a.channelJoin('room'));
        a.logout();
        w.note('alice', 'after logout() inside onLogout', a.getStatus());
      },
      1,
    );
    w.cloud.net.disconnect('alice');
    await w.until(() => alice.getStatus() === 0, 'the retries to run out');
  },
};

describe('parity: state inside onLoginFailed and onLogout is the state before, as in 1.4.0', () => {
  for (const [name, scenario] of Object.entries(scenarios)) {
    it(name, async () => {
      const recording = await expectParity(name, scenario);
      // Each scenario reads the state inside the callback (not 0).
      const inside = recording.get('alice')!.find((r) => r.name === 'onLogout' || r.name === 'onLoginFailed')!;
      expect(inside.args[1]).not.toBe(0);
    });
  }
});
