// listen({ onFrame }): the traffic of the served connections, as the dashboard's wire rows.
import { describe, expect, it } from 'vitest';
import { createCloud, type WireFrame } from 'agora-signaling-emulator';
import { connect } from './raw-client.js';

describe('listen({ onFrame })', () => {
  it("sees each request and push of a real client but the SDK's keep-alives, stamped with the cloud's time", async () => {
    const cloud = createCloud({ clock: 'global' });
    const frames: WireFrame[] = [];
    const server = await cloud.listen({ onFrame: (f) => frames.push(f) });
    try {
      const alice = await connect(server.url);
      await alice.login('alice');
      alice.send('ping', 1);
      await alice.next(([e]) => e === 'pong');
      await alice.call2('user_getmsg', { ver_clear: 0, max: 30 });
      await alice.call2('user_sendmsg', { peer: 'bob', t: 'instant', content: 'hi' });
      expect(frames.map((f) => [f.account, f.direction, f.name])).toEqual([
        ['alice', 'up', 'login'],
        ['alice', 'down', 'login_ret'],
        ['alice', 'up', 'user_sendmsg'],
        ['alice', 'down', 'user_sendmsg ret'],
      ]);
      expect(frames[2]!.args).toEqual([{ peer: 'bob', t: 'instant', content: 'hi' }]);
      expect(frames.every((f) => Math.abs(f.t - cloud.now()) < 10_000)).toBe(true);
      alice.ws.terminate();
    } finally {
      await server.close();
      cloud.dispose();
    }
  });

  it('an onFrame that throws is logged once and changes nothing for the connections', async () => {
    const cloud = createCloud({ clock: 'global' });
    const server = await cloud.listen({
      onFrame: () => {
        throw new Error('printer on fire');
      },
    });
    try {
      const alice = await connect(server.url);
      expect((await alice.login('alice'))[0]).toBe('');
      expect(await alice.call2('user_query_user_status', { account: 'alice' })).toEqual(['', '{"result":"ok","status":1}']);
      expect(cloud.log.filter({ name: 'onFrame threw' }).map((e) => e.args)).toEqual([['Error: printer on fire', 'later errors of it are not logged']]);
      alice.ws.terminate();
    } finally {
      await server.close();
      cloud.dispose();
    }
  });

  it('must be a function', async () => {
    const cloud = createCloud({ clock: 'global' });
    await expect(cloud.listen({ onFrame: 'print' as never })).rejects.toThrow('Failed to listen: onFrame must be a function, got "print"');
    cloud.dispose();
  });
});
