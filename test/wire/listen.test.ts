import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createCloud, EmulatorError } from 'agora-signaling-emulator';
import { connect } from './raw-client.js';

describe('cloud.listen()', () => {
  it('binds 127.0.0.1 on a free port by default and gives the ws:// URL and the LBS base', async () => {
    const cloud = createCloud({ clock: 'global' });
    const server = await cloud.listen();
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}/`);
    expect(server.lbsUrl).toBe(`http://127.0.0.1:${server.port}`);
    await server.close();
    cloud.dispose();
  });

  it('close() ends every connection and their sessions, and resolves when the port is free', async () => {
    const cloud = createCloud({ clock: 'global' });
    const server = await cloud.listen();
    const alice = await connect(server.url);
    await alice.login('alice');
    const idle = await connect(server.url);
    expect(server.connections).toBe(2);
    await server.close();
    expect(await alice.closed).toBe(1001);
    expect(await idle.closed).toBe(1001);
    expect(server.connections).toBe(0);
    expect(cloud.inspect().apps[0]!.online).toEqual([]);
    // The port is free: something else can bind it at once.
    const probe = createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(server.port, '127.0.0.1', resolve));
    await new Promise((resolve) => probe.close(resolve));
    await server.close(); // idempotent
    cloud.dispose();
  });

  it('close() cuts off a client that never answers the close handshake', async () => {
    const cloud = createCloud({ clock: 'global' });
    const server = await cloud.listen();
    const mute = await connect(server.url);
    mute.ws.pause(); // reads nothing, so it never answers
    await server.close();
    expect(server.connections).toBe(0);
    mute.ws.terminate();
    cloud.dispose();
  });

  it('listens on a given port, and says so clearly when the port is taken', async () => {
    const cloud = createCloud({ clock: 'global' });
    const first = await cloud.listen();
    const again = cloud.listen({ port: first.port });
    await expect(again).rejects.toThrow(EmulatorError);
    await expect(again).rejects.toThrow(/EADDRINUSE.*port: 0/);
    await first.close();
    const same = await cloud.listen({ port: first.port });
    expect(same.port).toBe(first.port);
    await same.close();
    cloud.dispose();
  });

  it('rejects bad options with what to pass instead', async () => {
    const cloud = createCloud({ clock: 'global' });
    await expect(cloud.listen({ prot: 1 } as never)).rejects.toThrow(/unknown option 'prot'/);
    await expect(cloud.listen({ port: -1 })).rejects.toThrow(/port must be an integer from 0 to 65535/);
    cloud.dispose();
    await expect(cloud.listen()).rejects.toThrow(/disposed/);
  });

  it('several servers and clouds in one process never interfere', async () => {
    const one = createCloud({ clock: 'global' });
    const two = createCloud({ clock: 'global' });
    const a1 = await one.listen();
    const a2 = await one.listen();
    const b = await two.listen();
    expect(new Set([a1.port, a2.port, b.port]).size).toBe(3);
    // Two ports of one cloud are one cloud: alice on a1 and bob on a2 talk.
    const alice = await connect(a1.url);
    await alice.login('alice');
    const bob = await connect(a2.url);
    await bob.login('bob');
    expect(await alice.call2('user_query_user_status', { account: 'bob' })).toEqual(['', '{"result":"ok","status":1}']);
    // Another cloud is another world: the same account logs in there without a kick.
    const otherAlice = await connect(b.url);
    expect((await otherAlice.login('alice'))[1]).toMatchObject({ result: 'ok', uid: 1 });
    expect(await otherAlice.call2('user_query_user_status', { account: 'bob' })).toEqual(['', '{"result":"ok","status":0}']);
    expect(alice.frames.some((f) => (f as unknown[])[0] === 'kick')).toBe(false);
    await a1.close();
    expect(await bob.call2('user_query_user_status', { account: 'bob' })).toEqual(['', '{"result":"ok","status":1}']);
    await Promise.all([a2.close(), b.close()]);
    one.dispose();
    two.dispose();
  });

  it('cloud.dispose() closes its servers', async () => {
    const cloud = createCloud({ clock: 'global' });
    const server = await cloud.listen();
    const client = await connect(server.url);
    cloud.dispose();
    expect(await client.closed).toBe(1001);
  });

  it('works as `await using`', async () => {
    const cloud = createCloud({ clock: 'global' });
    let port = 0;
    {
      await using server = await cloud.listen();
      port = server.port;
    }
    const probe = createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => probe.close(resolve));
    cloud.dispose();
  });

  it('serves a virtual-clock cloud too: the wire runs in real time, the cloud\'s own timers wait for advance()', async () => {
    const cloud = createCloud();
    const server = await cloud.listen();
    const alice = await connect(server.url);
    expect((await alice.login('alice'))[0]).toBe('');
    await alice.call2('user_sendmsg', { peer: 'bob', flag: 'v1:E:3600', t: 'instant', content: 'later' });
    expect(cloud.inspect().apps[0]!.storedMessages).toHaveLength(1);
    await cloud.advance(3600_000 + 1);
    const bob = await connect(server.url);
    await bob.login('bob');
    expect(cloud.log.first({ kind: 'server', name: 'stored message expired', client: 'bob' })).toBeDefined();
    await server.close();
    cloud.dispose();
  });
});
