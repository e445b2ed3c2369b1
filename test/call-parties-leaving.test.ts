import { describe, expect, it, vi } from 'vitest';
import type { Call, Cloud, Session } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

type How = 'logs out' | 'is kicked' | 'disconnects';
type Who = 'caller' | 'callee';
type Phase = 'ringing' | 'in a call';

const REASON: Record<How, string> = {
  'logs out': 'peer_logged_out',
  'is kicked': 'peer_kicked',
  disconnects: 'peer_disconnected',
};

/** Makes `account`'s session go away the given way. */
function leave(cloud: Cloud, sessions: Record<string, Session>, account: string, how: How): void {
  if (how === 'logs out') {
    sessions[account]!.onLogout = () => {};
    sessions[account]!.logout();
  } else if (how === 'is kicked') {
    // A login elsewhere is the one kick a user can cause without the fault API.
    cloud.Signal('app').login(account, '_no_need_token');
  } else {
    // The connection drops: close the in-process link under the session.
    const link = cloud.net.openLinks().find((l) => l.label === account);
    expect(link, `an open link for ${account}`).toBeDefined();
    link!.close();
  }
}

async function callSetUp(phase: Phase) {
  const { cloud, sessions } = await loggedIn(['alice', 'bob'], { latency: 10 });
  const calls: Record<Who, Call | undefined> = { caller: undefined, callee: undefined };
  sessions.bob!.onInviteReceived = (c) => {
    calls.callee = c;
    if (phase === 'in a call') c.channelInviteAccept();
  };
  calls.caller = sessions.alice!.channelInviteUser2('room-1', 'bob');
  await cloud.advance(200);
  expect(cloud.inspect().apps[0]!.invites.map((i) => i.state)).toEqual([phase === 'ringing' ? 'ringing' : 'active']);
  const names = ['onInviteFailed', 'onInviteEndByPeer', 'onInviteRefusedByPeer', 'onInviteAcceptedByPeer', 'onInviteMsg'] as const;
  for (const side of ['caller', 'callee'] as const) for (const n of names) calls[side]![n] = vi.fn();
  return { cloud, sessions, calls };
}

describe.each<Phase>(['ringing', 'in a call'])('while %s', (phase) => {
  describe.each<Who>(['caller', 'callee'])('when the %s', (who) => {
    it.each<How>(['logs out', 'is kicked', 'disconnects'])('%s, the other side gets onInviteFailed with the reason, and the cloud forgets the call', async (how) => {
      const { cloud, sessions, calls } = await callSetUp(phase);
      const other: Who = who === 'caller' ? 'callee' : 'caller';
      leave(cloud, sessions, who === 'caller' ? 'alice' : 'bob', how);
      await cloud.advance(1000);
      const failed = calls[other]!.onInviteFailed as ReturnType<typeof vi.fn>;
      expect(failed).toHaveBeenCalledTimes(1);
      expect(JSON.parse(failed.mock.calls[0]![0] as string)).toEqual({ reason: REASON[how], code: 703 });
      expect(calls[other]!.onInviteEndByPeer).not.toHaveBeenCalled();
      // The party that left hears nothing more of the call.
      expect(calls[who]!.onInviteFailed).not.toHaveBeenCalled();
      expect(calls[who]!.onInviteEndByPeer).not.toHaveBeenCalled();
      expect(cloud.inspect().apps[0]!.invites).toEqual([]);
    });
  });
});

describe('the service closing a session', () => {
  it('during a call gives the other side onInviteFailed peer_session_closed', async () => {
    const { cloud, calls } = await callSetUp('in a call');
    const bob = cloud.server.apps.get('app')!.sessions.get('bob')!;
    cloud.server.close(bob, 'maintenance');
    await cloud.advance(1000);
    const failed = calls.caller!.onInviteFailed as ReturnType<typeof vi.fn>;
    expect(JSON.parse(failed.mock.calls[0]![0] as string).reason).toBe('peer_session_closed');
  });
});

describe('after the other side has left', () => {
  it('hanging up an ended call is sent (1.4.0 checks no state) and the cloud refuses it in the log', async () => {
    const { cloud, sessions, calls } = await callSetUp('in a call');
    leave(cloud, sessions, 'bob', 'logs out');
    await cloud.advance(1000);
    const mine = vi.fn();
    calls.caller!.onInviteEndByMyself = mine;
    calls.caller!.channelInviteEnd();
    expect(mine).toHaveBeenCalledWith('');
    await cloud.advance(1000);
    expect(cloud.log.last({ kind: 'server', name: 'refused' })?.args).toEqual([
      'voip_invite_bye',
      "no such call: alice has no call with bob on channel 'room-1'",
    ]);
  });
});
