import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCloud, type Cloud, type WireServer } from 'agora-signaling-emulator';
import { connect, maskedFrame, rawUpgrade, type RawClient } from './raw-client.js';

let cloud: Cloud;
let server: WireServer;
/** A well-behaved pair that must keep working whatever the faulty client does. */
let alice: RawClient;
let bob: RawClient;

beforeEach(async () => {
  cloud = createCloud({ clock: 'global' });
  server = await cloud.listen();
  alice = await connect(server.url);
  await alice.login('alice');
  bob = await connect(server.url);
  await bob.login('bob');
});

afterEach(async () => {
  await server.close();
  cloud.dispose();
});

let checks = 0;

/** The others still talk: a message from alice reaches bob, and both stay online. */
async function othersUnaffected(): Promise<void> {
  const text = `still fine ${++checks}`;
  expect(await alice.call2('user_sendmsg', { peer: 'bob', t: 'instant', content: text })).toEqual(['', '{"result":"ok"}']);
  await bob.next(([e, p]) => e === 'notify' && JSON.stringify(p).includes(text), 'the message');
  expect(cloud.inspect().apps[0]!.online.map((u) => u.account)).toEqual(expect.arrayContaining(['alice', 'bob']));
}

async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !predicate(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(predicate()).toBe(true);
}

describe('the wire server keeps serving everyone else', () => {
  it('when a client sends malformed JSON: logged and ignored, the connection stays usable', async () => {
    const mallory = await connect(server.url);
    await mallory.login('mallory');
    mallory.sendText('{"this is": not json');
    mallory.sendText('{"an":"object, not a frame"}');
    mallory.send('call2', 'not [name, id, args]');
    expect(await mallory.call2('user_query_user_status', { account: 'alice' })).toEqual(['', '{"result":"ok","status":1}']);
    expect(cloud.log.filter({ kind: 'server', name: 'malformed frame' }).map((e) => [e.client, e.args[0]])).toEqual([
      ['mallory', 'not JSON'],
      ['mallory', 'not an [event, payload] array'],
      ['mallory', 'call2 payload is not [name, id, args]'],
    ]);
    await othersUnaffected();
  });

  it('when a client sends an unknown event: logged and ignored', async () => {
    const mallory = await connect(server.url);
    mallory.send('line_login', { line: 'whatever' });
    mallory.send('__proto__', {});
    expect((await mallory.login('mallory'))[0]).toBe('');
    expect(cloud.log.filter({ kind: 'server', name: 'unknown event' }).map((e) => e.args[0])).toEqual(['line_login', '__proto__']);
    await othersUnaffected();
  });

  it('when a client sends an oversize frame: logged, that connection closed with 1009, its session ended', async () => {
    const mallory = await connect(server.url);
    await mallory.login('mallory');
    mallory.send('call2', ['user_sendmsg', 1, { peer: 'bob', t: 'instant', content: 'x'.repeat(70 * 1024) }]);
    expect(await mallory.closed).toBe(1009);
    await until(() => cloud.log.count({ name: 'session ended', client: 'mallory' }) === 1);
    expect(cloud.log.first({ kind: 'server', name: 'frame too large' })?.client).toBe('mallory');
    expect(cloud.inspect().apps[0]!.online.map((u) => u.account)).toEqual(['alice', 'bob']);
    await othersUnaffected();
  });

  it('when a client drops its socket right after a request: its session ends, the log says the connection was lost', async () => {
    const mallory = await connect(server.url);
    await mallory.login('mallory');
    mallory.send('call2', ['user_sendmsg', 1, { peer: 'bob', t: 'instant', content: 'last words' }]);
    mallory.ws.terminate();
    await until(() => cloud.log.count({ name: 'session ended', client: 'mallory' }) === 1);
    expect(cloud.log.first({ kind: 'fault', name: 'connection lost' })?.args[0]).toBe(1006);
    await othersUnaffected();
  });

  it('when a client drops its socket in the middle of a frame', async () => {
    const socket = await rawUpgrade(server.port);
    socket.write(maskedFrame(JSON.stringify(['login', { vid: 'app', account: 'mallory', uid: 0, token: 't', device: 'websdk', ip: '' }])));
    await until(() => cloud.inspect().apps[0]!.online.some((u) => u.account === 'mallory'));
    const partial = maskedFrame(JSON.stringify(['call2', ['user_sendmsg', 1, { peer: 'bob', content: 'x'.repeat(100) }]]));
    socket.write(partial.subarray(0, 20));
    socket.destroy();
    await until(() => cloud.log.count({ name: 'session ended', client: 'mallory' }) === 1);
    expect(cloud.log.first({ kind: 'fault', name: 'connection lost', client: 'mallory' })).toBeDefined();
    await othersUnaffected();
  });

  it('when a client breaks the WebSocket framing: logged as a protocol error', async () => {
    const socket = await rawUpgrade(server.port);
    socket.write(Buffer.from([0x83, 0x80, 0, 0, 0, 0])); // reserved opcode 3
    await until(() => cloud.log.count({ kind: 'server', name: 'protocol error' }) === 1);
    socket.destroy();
    await othersUnaffected();
  });

  it('when a client stops reading: past maxBufferedBytes its connection is closed and logged, its session ends', async () => {
    const limited = await cloud.listen({ maxBufferedBytes: 256 * 1024 });
    try {
      const mallory = await connect(limited.url);
      await mallory.login('mallory');
      // Mallory's client stops reading its socket; alice floods it (8 KB peer messages).
      (mallory.ws as unknown as { _socket: Socket })._socket.pause();
      const content = 'z'.repeat(8000);
      for (let i = 0; i < 8000 && cloud.log.count({ kind: 'fault', name: 'slow reader' }) === 0; i += 50) {
        await Promise.all(Array.from({ length: 50 }, () => alice.call2('user_sendmsg', { peer: 'mallory', t: 'instant', content })));
      }
      await until(() => cloud.log.count({ name: 'session ended', client: 'mallory' }) === 1);
      const fault = cloud.log.first({ kind: 'fault', name: 'slow reader' })!;
      expect(fault.client).toBe('mallory');
      expect(fault.args[0]).toMatch(/^\d+ bytes queued, more than 262144$/);
      expect(fault.args[1]).toBe('connection closed');
      expect(cloud.log.count({ kind: 'fault', name: 'connection lost', client: 'mallory' })).toBe(0); // one fault says why
      expect(cloud.inspect().apps[0]!.online.map((u) => u.account)).toEqual(['alice', 'bob']);
      await othersUnaffected();
    } finally {
      await limited.close();
    }
  });

  it('refuses a maxBufferedBytes below one frame', async () => {
    await expect(cloud.listen({ maxBufferedBytes: 1000 })).rejects.toThrow(/maxBufferedBytes must be a whole number of bytes, at least one frame \(65536\), got 1000/);
  });
});
