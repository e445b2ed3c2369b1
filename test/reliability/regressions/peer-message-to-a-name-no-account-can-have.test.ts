// Regression: a peer message to a name no account can have ("", "b o b", 129 characters) was
// stored for 3600 s for an account that can never log in, and the sender got cb(false). Now the
// server refuses it: cb(true). Found by the bad-input table (test/reliability/bad-input).
import { describe, expect, it } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

describe('a peer message to a name no account can have', () => {
  it('is refused: the sender gets cb(true), and nothing is stored', async () => {
    const cloud = createCloud();
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    await cloud.until(() => alice.getStatus() === 2);
    const told: boolean[] = [];
    for (const peer of ['', 'b o b', 'x'.repeat(129), 'tab\there']) alice.messageInstantSend(peer, 'hi', (isError: boolean) => told.push(isError));
    alice.messageInstantSend('x'.repeat(128), 'kept for later', (isError: boolean) => told.push(isError));
    await cloud.advance(100);
    expect(told).toEqual([true, true, true, true, false]);
    expect(cloud.inspect().apps[0]!.storedMessages.map((m) => m.to)).toEqual(['x'.repeat(128)]);
    cloud.dispose();
  });
});
