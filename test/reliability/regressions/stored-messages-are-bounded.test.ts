// Regression (issue 16, item 5, cloud side): the store of messages for offline users had no
// bound (1 000 000 stored messages: 467 MiB in serve) and took any `flag` ("v1:E:999999999":
// kept for 31 years). It now keeps at most 1 000 messages per account and 10 000 per app by
// default (serve included); one more is refused, which the sender's SDK sees (`cb(true)`) and
// the log says. The storage time is clamped to the 3600 s the SDK sends; a malformed flag is
// refused.
import { describe, expect, it, vi } from 'vitest';
import { createCloud, EmulatorError, type Cloud, type Session } from 'agora-signaling-emulator';
import { connect } from '../../wire/raw-client.js';

async function withAlice(): Promise<{ cloud: Cloud; alice: Session }> {
  const cloud = createCloud();
  const alice = cloud.Signal('app').login('alice', '_no_need_token');
  await cloud.flush();
  return { cloud, alice };
}

describe('the store of messages for offline users', () => {
  it('keeps at most 1 000 per account by default: the 1 001st is refused, cb(true), and logged', async () => {
    const { cloud, alice } = await withAlice();
    const results: boolean[] = [];
    for (let i = 0; i < 1_001; i++) alice.messageInstantSend('bob', `m${i}`, (isError) => results.push(isError));
    await cloud.flush();
    expect(results.filter((e) => !e)).toHaveLength(1_000);
    expect(results[1_000]).toBe(true);
    expect(cloud.inspect().apps[0]!.storedMessages).toHaveLength(1_000);
    expect(cloud.log.last({ kind: 'server', name: 'refused' })?.args).toEqual(['user_sendmsg', 'too many stored messages for the peer']);
    cloud.dispose();
  });

  it('keeps at most 10 000 per app by default, over all its accounts', async () => {
    const { cloud, alice } = await withAlice();
    const refused = vi.fn();
    for (let i = 0; i < 10_001; i++) alice.messageInstantSend(`user${i % 20}`, 'x', (isError) => isError && refused());
    await cloud.flush();
    expect(cloud.inspect().apps[0]!.storedMessages).toHaveLength(10_000);
    expect(refused).toHaveBeenCalledTimes(1);
    expect(cloud.log.last({ kind: 'server', name: 'refused' })?.args).toEqual(['user_sendmsg', 'too many stored messages in the app']);
    cloud.dispose();
  });

  it('frees room as messages are delivered: the caps count what is kept now', async () => {
    const { cloud, alice } = await withAlice();
    cloud.setStoredMessageLimits({ perAccount: 2 });
    const results: boolean[] = [];
    const send = () => alice.messageInstantSend('bob', 'x', (isError) => results.push(isError));
    send();
    send();
    send();
    await cloud.flush();
    expect(results).toEqual([false, false, true]);
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    await cloud.flush();
    bob.logout();
    await cloud.flush();
    send();
    await cloud.flush();
    expect(results).toEqual([false, false, true, false]);
    cloud.dispose();
  });

  it('setStoredMessageLimits checks its limits like every option', () => {
    const cloud = createCloud();
    expect(cloud.setStoredMessageLimits({ perApp: 50 })).toEqual({ perAccount: 1_000, perApp: 50 });
    expect(() => cloud.setStoredMessageLimits({ perAcount: 5 } as never)).toThrow(new EmulatorError("Failed to set the stored-message limits: unknown limit 'perAcount' (known: perAccount, perApp)"));
    expect(() => cloud.setStoredMessageLimits({ perAccount: 0 })).toThrow(/perAccount must be a whole number of at least 1, got 0/);
    cloud.dispose();
  });

  it('clamps the storage time to the 3600 s the SDK sends, and refuses a malformed flag', async () => {
    const cloud = createCloud();
    const server = await cloud.listen();
    const alice = await connect(server.url);
    await alice.login('alice');
    expect(await alice.call2('user_sendmsg', { peer: 'bob', flag: 'v1:E:999999999', t: 'instant', content: 'a' })).toEqual(['', expect.any(String)]);
    expect(cloud.inspect().apps[0]!.storedMessages[0]).toMatchObject({ to: 'bob', expiresAt: cloud.now() + 3_600_000 });
    expect(cloud.log.first({ kind: 'server', name: 'message stored' })?.args).toEqual(['alice', 'instant', 3600]);
    for (const flag of ['v1:E:-5', 'v1:E:abc', 'v2:E:60', 'v1:E:1e9', 'v1:E:', 'v1:E:1234567890123456']) {
      expect((await alice.call2('user_sendmsg', { peer: 'bob', flag, t: 'instant', content: 'b' }))[0], JSON.stringify(flag)).toBe('invalid arguments');
    }
    expect(cloud.inspect().apps[0]!.storedMessages).toHaveLength(1);
    // No flag: kept for nobody, as before.
    expect((await alice.call2('user_sendmsg', { peer: 'bob', t: 'instant', content: 'c' }))[0]).toBe('peer offline');
    alice.ws.close();
    await server.close();
    cloud.dispose();
  });
});
