// Regression: the in-process SDK handed request arguments to the server as objects, where 1.4.0
// JSON-encodes every request: a cyclic argument went through (1.4.0 throws a TypeError), and a
// NaN attribute value was stored as the text "null" (on the wire it is null, which the server
// refuses). Found by the bad-input table (test/reliability/bad-input), checked against the real SDK.
import { describe, expect, it } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

async function loggedIn() {
  const cloud = createCloud();
  const alice = cloud.Signal('app').login('alice', '_no_need_token');
  await cloud.until(() => alice.getStatus() === 2);
  return { cloud, alice };
}

describe('request arguments travel as JSON, as on the wire', () => {
  it('an argument with a cycle throws the TypeError of JSON.stringify, and nothing is sent', async () => {
    const { cloud, alice } = await loggedIn();
    const extra: Record<string, unknown> = { topic: 'lunch' };
    extra.self = extra;
    expect(() => alice.channelInviteUser2('room', 'bob', extra)).toThrow(/Converting circular structure to JSON/);
    await cloud.advance(100);
    expect(cloud.log.count({ kind: 'server', name: /^invite/ })).toBe(0);
    cloud.dispose();
  });

  it('a NaN attribute value reaches the server as null, and is refused', async () => {
    const { cloud, alice } = await loggedIn();
    const room = alice.channelJoin('room')!;
    await cloud.until(() => room.state === 'joined');
    room.channelSetAttr('n', Number.NaN as never);
    await cloud.advance(100);
    expect(cloud.channels('app')[0]!.attrs).not.toHaveProperty('n');
    expect(cloud.log.last({ kind: 'server', name: 'refused' })?.args).toEqual(['channel_set_attr', 'invalid arguments']);
    cloud.dispose();
  });

  it('values JSON drops or turns into text arrive as the wire would carry them', async () => {
    const { cloud, alice } = await loggedIn();
    const room = alice.channelJoin('room')!;
    await cloud.until(() => room.state === 'joined');
    room.channelSetAttr('when', new Date(Date.UTC(2024, 0, 2)) as never);
    await cloud.advance(100);
    expect(cloud.channels('app')[0]!.attrs.when).toBe('2024-01-02T00:00:00.000Z');
    cloud.dispose();
  });
});
