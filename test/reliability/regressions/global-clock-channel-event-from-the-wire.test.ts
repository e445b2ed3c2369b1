// Regression: on the global clock, a channel event the server sent to in-process members from
// outside the cloud's own run (a wire client's request) never arrived. A new fan-out was
// scheduled before it held its first delivery, and on the global clock scheduling looks for
// the next item due, which dropped the empty batch from the scheduler; the deliveries then
// added to it were never run (`cloud.net.inspect()` still listed them in flight). Found by the
// mixed wire/in-process channel test in test/parity/mixed.test.ts.
import { expect, it } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';
import { connect } from '../../wire/raw-client.js';

it('a wire client\'s channel message reaches the in-process members on the global clock', async () => {
  const cloud = createCloud({ clock: 'global', latency: 5 });
  const server = await cloud.listen();
  try {
    const signal = cloud.Signal('app');
    const sessions = ['bob', 'carol'].map((a) => signal.login(a, '_no_need_token'));
    const alice = await connect(server.url);
    await alice.login('alice');
    await cloud.until(() => sessions.every((s) => s.getStatus() === 2), { within: 2_000 });
    const got: string[] = [];
    const channels = sessions.map((s) => {
      const c = s.channelJoin('room')!;
      c.onMessageChannelReceive = (account: string, _uid: number, msg: string) => got.push(`${s.account} got ${msg} from ${account}`);
      return c;
    });
    await cloud.until(() => channels.every((c) => c.state === 'joined'), { within: 2_000 });
    expect((await alice.call2('channel_join', { name: 'room' }))[0]).toBe('');
    expect(await alice.call2('channel_sendmsg', { name: 'room', msg: 'from the wire' })).toEqual(['', '{"result":"ok"}']);
    await cloud.until(() => got.length === 2, { within: 2_000 });
    expect(got).toEqual(['bob got from the wire from alice', 'carol got from the wire from alice']);
    expect(cloud.net.inspect().inFlight.filter((f) => f.kind.startsWith('channel2'))).toEqual([]);
  } finally {
    await server.close();
    cloud.dispose();
  }
});
