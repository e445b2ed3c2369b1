import { describe, expect, it } from 'vitest';
import { createCloud, formatReplayFailure, record, replay, validateTranscript } from 'agora-signaling-emulator';

describe('faults in transcripts', () => {
  it('a recorded run with a disconnect, a kick, a refusal and an outage replays to the same log', async () => {
    const cloud = createCloud({ seed: 4, latency: 20 });
    const recorder = record(cloud, { name: 'faults' });
    const signal = cloud.Signal('app');
    const alice = signal.login('alice', '_no_need_token');
    const bob = signal.login('bob', '_no_need_token');
    bob.onLoginSuccess = () => {};
    bob.onLogout = () => {};
    alice.onMessageInstantReceive = () => {};
    await cloud.advance(200);
    cloud.net.disconnect('bob', { for: 1_000 });
    await cloud.advance(3_000);
    cloud.failNext('user_sendmsg', { account: 'bob', reason: 'busy' });
    bob.messageInstantSend('alice', 'refused', () => {});
    bob.messageInstantSend('alice', 'accepted', () => {});
    await cloud.advance(200);
    cloud.outage(500);
    await cloud.advance(5_000);
    cloud.kick('bob');
    await cloud.advance(200);
    const transcript = recorder.transcript();
    recorder.stop();
    expect(validateTranscript(transcript)).toEqual([]);
    expect(transcript.steps).toContainEqual({ cloud: 'net.disconnect', args: ['bob', { for: 1_000 }] });
    const result = await replay(transcript);
    if (!result.pass) throw new Error(formatReplayFailure(result));
    expect(result.log.filter((e) => e.kind === 'fault').length).toBeGreaterThan(5);
  });
});
