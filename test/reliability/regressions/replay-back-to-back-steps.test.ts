// Regression: replay awaited every step, so the cloud's deliveries due now (which run by
// themselves on a microtask) slipped in between two calls the transcript makes back to back,
// at points that depended on how many microtask turns each step took. A recorded run whose
// app made several calls in a row then replayed to another log. Found by the fuzz
// (test/reliability/fuzz): four clients joining a room one after another.
import { describe, expect, it } from 'vitest';
import { createCloud, record, replay } from 'agora-signaling-emulator';

describe('replaying steps that ran back to back', () => {
  it('delivers nothing between them: a recorded burst of calls replays to the same log', async () => {
    const cloud = createCloud({ seed: 7 });
    const recorder = record(cloud, { name: 'four joins in a row' });
    const signal = cloud.Signal('app');
    const sessions = ['a', 'b', 'c', 'd'].map((account) => signal.login(account, '_no_need_token'));
    cloud.flushSync();
    for (const s of sessions) {
      const channel = s.channelJoin('room')!;
      channel.onChannelJoined = () => {};
      channel.onChannelUserJoined = () => {};
    }
    cloud.advanceSync(100);
    const result = await replay(recorder.transcript());
    expect(result.pass, result.diff ? JSON.stringify(result.diff.expected) : result.failure?.message).toBe(true);
    cloud.dispose();
  });
});
