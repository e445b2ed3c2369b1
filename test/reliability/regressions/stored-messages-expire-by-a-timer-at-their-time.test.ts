// Regression (issue 16, item 7): a stored message did not expire at its time. Two hours later it
// was still in `inspect()` with a negative time left, and `stored message expired` was logged
// only at the peer's next login, stamped with that time. Each message now expires by a timer at
// its time: logged then, gone from `inspect()`, whose `expiresIn` is never negative.
import { describe, expect, it } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

describe('a message stored for an offline peer', () => {
  it('expires 3600 s after it was sent, logged at that time, with nobody logging in', async () => {
    const cloud = createCloud();
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    await cloud.flush();
    const sentAt = cloud.now();
    alice.messageInstantSend('bob', 'too late');
    await cloud.flush();
    expect(cloud.inspect().apps[0]!.storedMessages).toEqual([{ to: 'bob', from: 'alice', type: 'instant', expiresAt: sentAt + 3_600_000, expiresIn: 3_600_000 }]);
    await cloud.advance(1_800_000);
    expect(cloud.inspect().apps[0]!.storedMessages[0]!.expiresIn).toBe(1_800_000);
    await cloud.advance(7_200_000);
    expect(cloud.inspect().apps[0]!.storedMessages).toEqual([]);
    const expired = cloud.log.filter({ kind: 'server', name: 'stored message expired' });
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ client: 'bob', args: ['alice', 'instant'], t: sentAt + 3_600_000 });
    cloud.dispose();
  });

  it('expires each message at its own time (one timer per account, re-armed for the next)', async () => {
    const cloud = createCloud();
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    await cloud.flush();
    alice.messageInstantSend('bob', 'first');
    await cloud.advance(1_000_000);
    alice.messageInstantSend('bob', 'second');
    await cloud.advance(5_000_000);
    const times = cloud.log.filter({ kind: 'server', name: 'stored message expired' }).map((e) => e.t - cloud.startTime);
    expect(times).toEqual([3_600_000, 4_600_000]);
    cloud.dispose();
  });

  it('is no work settle() waits for: the expiry is housekeeping, like a channel\'s TTL', async () => {
    const cloud = createCloud();
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    await cloud.flush();
    alice.messageInstantSend('bob', 'stored');
    const settledAt = await cloud.settle();
    expect(settledAt - cloud.startTime).toBeLessThan(1_000);
    expect(cloud.inspect().apps[0]!.storedMessages).toHaveLength(1);
    cloud.dispose();
  });

  it('delivered at the next login is no longer due to expire', async () => {
    const cloud = createCloud();
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    await cloud.flush();
    alice.messageInstantSend('bob', 'in time');
    await cloud.advance(1_000);
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    const got: string[] = [];
    bob.onMessageInstantReceive = (_from, _uid, msg) => got.push(msg);
    await cloud.advance(4_000_000);
    expect(got).toEqual(['in time']);
    expect(cloud.log.count({ kind: 'server', name: 'stored message expired' })).toBe(0);
    cloud.dispose();
  });
});
