// Regression: one frame ended the process. `["login",{"vid":"x","account":{"toString":1},"token":"t"}]`
// (or `vid`/`token` as `{"toString":1}`, or an account nested 10 000 deep) made `String(...)`
// throw while the wire server read the frame; the exception escaped the `ws` message handler:
// `serve` exited with code 1, dropping every client, and under `cloud.listen()` it was an
// uncaughtException. Now every frame's shape is checked before anything reads it, and one
// guard per frame keeps whatever fails to that one connection.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCloud, type Cloud, type WireServer } from 'agora-signaling-emulator';
import { connect, type RawClient } from '../../wire/raw-client.js';

const TO_STRING = { toString: 1 };
const deep = (n: number): string => `${'['.repeat(n)}"a"${']'.repeat(n)}`;

let cloud: Cloud;
let server: WireServer;
let alice: RawClient;
let bob: RawClient;
const uncaught: unknown[] = [];
const onUncaught = (error: unknown): void => void uncaught.push(error);

beforeEach(async () => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
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
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
});

async function stillServed(): Promise<void> {
  const text = `after the frame ${Math.random()}`;
  expect(await alice.call2('user_sendmsg', { peer: 'bob', t: 'instant', content: text })).toEqual(['', '{"result":"ok"}']);
  await bob.next(([e, p]) => e === 'notify' && JSON.stringify(p).includes(text), 'the message');
}

describe('a frame whose values throw when read as text', () => {
  it('an account {"toString":1}: a malformed frame, logged; nothing escapes; everyone else is served', async () => {
    const mallory = await connect(server.url);
    mallory.sendText(JSON.stringify(['login', { vid: 'x', account: TO_STRING, token: 't' }]));
    await stillServed();
    expect(cloud.log.filter({ kind: 'server', name: 'malformed frame' }).map((e) => e.args[0])).toEqual(['login account is not a string']);
    // The connection itself stays usable: a later login on it works.
    expect((await mallory.login('mallory'))[0]).toBe('');
    expect(uncaught).toEqual([]);
  });

  it('an app id {"toString":1}: refused as an invalid app id (1.4.0: onLoginFailed(201))', async () => {
    const mallory = await connect(server.url);
    mallory.sendText(JSON.stringify(['login', { vid: TO_STRING, account: 'mallory', token: 't' }]));
    const [, [err]] = (await mallory.next(([e]) => e === 'login_ret')) as [string, [string]];
    expect(err).toBe('invalid vid');
    await stillServed();
    expect(uncaught).toEqual([]);
  });

  it('a token {"toString":1}: taken as its JSON text (any token logs in to an app without a certificate)', async () => {
    const mallory = await connect(server.url);
    mallory.sendText(JSON.stringify(['login', { vid: 'app', account: 'mallory', token: TO_STRING }]));
    const [, [err]] = (await mallory.next(([e]) => e === 'login_ret')) as [string, [string]];
    expect(err).toBe('');
    await stillServed();
    expect(uncaught).toEqual([]);
  });

  it('an account nested 10 000 deep: refused by its depth before anything reads it', async () => {
    const mallory = await connect(server.url);
    mallory.sendText(`["login",{"vid":"x","account":${deep(10_000)},"token":"t"}]`);
    mallory.sendText(`["call2",["user_set_attr",1,{"name":"n","value":${deep(10_000)}}]]`);
    await stillServed();
    expect(cloud.log.filter({ kind: 'server', name: 'malformed frame' }).map((e) => e.args[0])).toEqual([
      'frame nested deeper than 32 levels',
      'frame nested deeper than 32 levels',
    ]);
    expect(uncaught).toEqual([]);
  });

  it('call2 arguments and unknown events with such values: answered or ignored, never thrown', async () => {
    alice.send('call2', ['user_query_user_status', 7, { account: TO_STRING }]);
    alice.send('call2', ['channel_join', 8, { name: TO_STRING }]);
    alice.send('call2', ['user_set_attr', 9, { name: 'n', value: { toString: 1, valueOf: 1, toJSON: 1 } }]);
    alice.send('ping', TO_STRING);
    alice.send('set_flag', TO_STRING);
    alice.send(JSON.stringify(TO_STRING), TO_STRING);
    const replies = await Promise.all([7, 8, 9].map((id) => alice.next(([e, d]) => e === 'call2-ret' && (d as unknown[])[0] === id)));
    expect(replies.map(([, d]) => (d as unknown[])[1])).toEqual(['invalid arguments', 'invalid channel name', '']);
    await stillServed();
    expect(uncaught).toEqual([]);
  });

  it('a very long account or function name is refused as before, and the log keeps a cut of it', async () => {
    const mallory = await connect(server.url);
    const [err] = await mallory.login('m'.repeat(60_000));
    expect(err).toBe('wrong account');
    expect(cloud.log.last({ name: 'login refused' })?.client).toBe(`${'m'.repeat(64)}… (60000 chars)`);
    expect(await alice.call2('f'.repeat(60_000))).toEqual(['unknown function', '']);
    expect(cloud.log.last({ name: 'refused' })?.args[0]).toBe(`${'f'.repeat(64)}… (60000 chars)`);
  });
});

describe('the serve command', () => {
  it('keeps running and serving after such frames (it exited with code 1)', async () => {
    const cli = join(fileURLToPath(new URL('../../..', import.meta.url)), 'dist', 'cli.js');
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--quiet']);
    try {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      let port = '';
      for (let i = 0; i < 200 && !port; i++) {
        port = /ws:\/\/127\.0\.0\.1:(\d+)\//.exec(out)?.[1] ?? '';
        await new Promise((r) => setTimeout(r, 50));
      }
      const url = `ws://127.0.0.1:${port}/`;
      const mallory = await connect(url);
      for (const payload of [{ vid: 'x', account: TO_STRING, token: 't' }, { vid: TO_STRING, account: 'x', token: 't' }, { vid: 'x', account: 'x', token: TO_STRING }]) {
        mallory.sendText(JSON.stringify(['login', payload]));
      }
      mallory.sendText(`["login",{"vid":"x","account":${deep(10_000)},"token":"t"}]`);
      const carol = await connect(url);
      expect((await carol.login('carol'))[0]).toBe('');
      expect(await carol.call2('user_query_user_status', { account: 'carol' })).toEqual(['', '{"result":"ok","status":1}']);
      expect(child.exitCode).toBeNull();
      carol.ws.terminate();
      mallory.ws.terminate();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
