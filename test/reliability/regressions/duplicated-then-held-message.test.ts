// Regression: a message a duplicate rule copied and a hold rule then kept was held once: the log
// said "duplicated", yet only one copy arrived when the hold was released. Found by the fuzz
// (test/reliability/fuzz): a duplicated channel_join, held, answered once.
import { describe, expect, it } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

describe('a message that is duplicated, then held', () => {
  it('is held twice, and both copies arrive when the hold is released', async () => {
    const cloud = createCloud();
    const signal = cloud.Signal('app');
    const alice = signal.login('alice', '_no_need_token');
    const bob = signal.login('bob', '_no_need_token');
    const got: string[] = [];
    bob.onMessageInstantReceive = (_from: string, _uid: number, msg: string) => got.push(msg);
    await cloud.until(() => alice.getStatus() === 2 && bob.getStatus() === 2);
    cloud.net.duplicate(1, { account: 'alice', direction: 'up', kind: 'user_sendmsg' });
    const hold = cloud.net.hold({ account: 'alice', direction: 'up' });
    const told: boolean[] = [];
    alice.messageInstantSend('bob', 'twice', (isError: boolean) => told.push(isError));
    await cloud.advance(100);
    expect(hold.held).toBe(2);
    hold.release();
    await cloud.advance(100);
    // The server handled both copies: bob hears it twice, alice's cb runs twice.
    expect(got).toEqual(['twice', 'twice']);
    expect(told).toEqual([false, false]);
    const perMessage = cloud.log.filter({ kind: 'fault', name: 'hold', client: 'alice', args: (a) => a.length === 3 });
    expect(perMessage.map((e) => e.args[2])).toEqual(['held', 'held', 'released', 'released']);
    cloud.dispose();
  });
});
