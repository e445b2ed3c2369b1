import { createCloud } from 'agora-signaling-emulator';
import { clockNow, secondsSince, type Benchmark } from './harness.js';

/**
 * One test of the 20 s offline rule, as an app's test suite writes it: a fresh cloud, alice
 * logs in and invites bob, who is offline; 20 s of virtual time later the invite fails.
 */
async function inviteToOfflineCallee(seed: number): Promise<void> {
  const cloud = createCloud({ seed });
  const alice = cloud.Signal('app').login('alice', '_no_need_token');
  await cloud.flush();
  let failed = '';
  const call = alice.channelInviteUser2('room-1', 'bob', '');
  call.onInviteFailed = (extra: string) => (failed = extra);
  await cloud.advance(20_000);
  if (!failed.includes('peer_offline')) throw new Error(`expected onInviteFailed with peer_offline, got ${JSON.stringify(failed)}`);
  cloud.dispose();
}

/** 3. 1 000 such scenarios, one after the other: wall time per scenario. */
export const inviteTimeout: Benchmark = {
  name: '3. invite to an offline callee, 20 s timeout',
  unit: 'ms per scenario',
  target: '< 1 ms',
  meets: (ms) => ms < 1,
  async run(scale) {
    const scenarios = Math.max(3, Math.round(1_000 * scale));
    const start = clockNow();
    for (let i = 0; i < scenarios; i++) await inviteToOfflineCallee(i);
    return (secondsSince(start) * 1e3) / scenarios;
  },
};
