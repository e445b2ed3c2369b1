// Regression: `cloud.inspect()` lists the server's invites through the internal `cloud.invites`,
// which the recorder took for a holder of verbs, so a recorded run that inspected the cloud
// wrote `invites.list` / `invites.snapshot` steps (with server state in them) that no replay
// can run. Found by the fuzz (test/reliability/fuzz).
import { describe, expect, it } from 'vitest';
import { createCloud, record, replay } from 'agora-signaling-emulator';

describe('recording a run that inspects the cloud', () => {
  it('records no step for the inspection, and the transcript replays to the same log', async () => {
    const cloud = createCloud({ seed: 3 });
    const recorder = record(cloud, { name: 'an invite to an offline peer, inspected' });
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    cloud.flushSync();
    alice.channelInviteUser2('room', 'bob', { topic: 'x' });
    cloud.flushSync();
    expect(cloud.inspect().apps[0]!.invites).toHaveLength(1);
    cloud.closeSession('alice');
    cloud.advanceSync(1_000);
    const transcript = recorder.transcript();
    expect(JSON.stringify(transcript.steps)).not.toContain('invites.');
    const result = await replay(transcript);
    expect(result.pass, result.diff ? JSON.stringify(result.diff) : result.failure?.message).toBe(true);
    cloud.dispose();
  });
});
