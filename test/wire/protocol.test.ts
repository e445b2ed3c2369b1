import { afterEach, describe, expect, it } from 'vitest';
import { createCloud, type Cloud, type WireServer } from 'agora-signaling-emulator';
import { connect } from './raw-client.js';

let cloud: Cloud;
let server: WireServer;

async function start(options: Parameters<typeof createCloud>[0] = {}) {
  cloud = createCloud({ clock: 'global', ...options });
  server = await cloud.listen();
}

afterEach(async () => {
  await server?.close();
  cloud?.dispose();
});

describe('the wire protocol, frame by frame', () => {
  it('login_ret is ["", JSON] with result ok, the uid and the line', async () => {
    await start();
    const alice = await connect(server.url);
    const [err, data] = await alice.login('alice');
    expect(err).toBe('');
    expect(data).toEqual({ result: 'ok', uid: 1, line: expect.any(String) });
    expect(cloud.inspect().apps[0]!.online.map((u) => u.account)).toEqual(['alice']);
  });

  it('a refused login puts the reason in err, and the data is still JSON (1.4.0 always parses it)', async () => {
    await start({ apps: [{ appId: 'secure', certificate: 'cert' }] });
    const client = await connect(server.url);
    const [err, data] = await client.login('alice', { vid: 'secure' });
    expect(err).toBe('TokenErrorFormat');
    expect(data).toEqual({ result: 'failed', reason: 'TokenErrorFormat' });
    const other = await connect(server.url);
    expect(await other.login('has space')).toEqual(['wrong account', { result: 'failed', reason: 'wrong account' }]);
  });

  it('ping gets the same number back in pong; set_flag is accepted and replies stay text', async () => {
    await start();
    const client = await connect(server.url);
    await client.login('alice');
    client.send('set_flag', { binary: 1 });
    client.send('ping', 7);
    expect(await client.next(([e]) => e === 'pong')).toEqual(['pong', 7]);
    expect(await client.call2('user_query_user_status', { account: 'alice' })).toEqual(['', '{"result":"ok","status":1}']);
  });

  it('call2-ret answers ok as a {"result":"ok",…} string and a refusal as [reason, ""]', async () => {
    await start();
    const client = await connect(server.url);
    await client.login('alice');
    expect(await client.call2('user_set_attr', { name: 'mood', value: 'sunny' })).toEqual(['', '{"result":"ok"}']);
    expect(await client.call2('user_get_attr', { account: 'alice', name: 'mood' })).toEqual(['', '{"result":"ok","value":"sunny"}']);
    expect(await client.call2('no_such_function')).toEqual(['unknown function', '']);
  });

  it('a call2 before login is refused with "not logged in"', async () => {
    await start();
    const client = await connect(server.url);
    expect(await client.call2('user_query_user_status', { account: 'x' })).toEqual(['not logged in', '']);
  });

  it('a peer message is pushed as notify recvmsg [seq, "msg-v2 <from> <uid> <time> instant <seq> <content>"]', async () => {
    await start();
    const alice = await connect(server.url);
    await alice.login('alice');
    const bob = await connect(server.url);
    await bob.login('bob');
    expect(await alice.call2('user_sendmsg', { peer: 'bob', flag: 'v1:E:3600', t: 'instant', content: 'hello  there' })).toEqual(['', '{"result":"ok"}']);
    const [, payload] = await bob.next(([e]) => e === 'notify');
    const [kind, json] = payload as [string, string];
    expect(kind).toBe('recvmsg');
    const [seq, msg] = JSON.parse(json) as [number, string];
    expect(seq).toBe(1);
    expect(msg).toMatch(/^msg-v2 alice 1 \d+ instant 1 hello {2}there$/);
  });

  it('user_getmsg answers {result, ver_clear, msgs: [[seq, MSG]…]} and forgets what ver_clear acknowledges', async () => {
    await start();
    const alice = await connect(server.url);
    await alice.login('alice');
    const bob = await connect(server.url);
    await bob.login('bob');
    for (const content of ['one', 'two', 'three']) await alice.call2('user_sendmsg', { peer: 'bob', t: 'instant', content });
    const [, first] = await bob.call2('user_getmsg', { ver_clear: 0, max: 30 });
    const reply = JSON.parse(first) as { result: string; ver_clear: number; msgs: Array<[number, string]> };
    expect(reply.result).toBe('ok');
    expect(reply.ver_clear).toBe(0);
    expect(reply.msgs.map(([seq, msg]) => [seq, msg.split(' ').slice(6).join(' ')])).toEqual([[1, 'one'], [2, 'two'], [3, 'three']]);
    const [, second] = await bob.call2('user_getmsg', { ver_clear: 2, max: 30 });
    expect(JSON.parse(second)).toMatchObject({ ver_clear: 2, msgs: [[3, expect.stringContaining('three')]] });
    const [, third] = await bob.call2('user_getmsg', { ver_clear: 3, max: 30 });
    expect(JSON.parse(third)).toEqual({ result: 'ok', ver_clear: 3, msgs: [] });
  });

  it('user_getmsg never acknowledges beyond the last seq sent, and its mark is always a whole number', async () => {
    await start();
    const bob = await connect(server.url);
    await bob.login('bob');
    const [, beyond] = await bob.call2('user_getmsg', { ver_clear: 18, max: 30 });
    expect(JSON.parse(beyond)).toEqual({ result: 'ok', ver_clear: 0, msgs: [] });
    const [, bogus] = await bob.call2('user_getmsg', { ver_clear: 'x', max: 30 });
    expect(JSON.parse(bogus)).toEqual({ result: 'ok', ver_clear: 0, msgs: [] });
  });

  it('a second login sends ["kick", …] to the first connection and closes it', async () => {
    await start();
    const first = await connect(server.url);
    await first.login('alice');
    const second = await connect(server.url);
    await second.login('alice');
    expect((await first.next(([e]) => e === 'kick'))[0]).toBe('kick');
    expect(await first.closed).toBe(1000);
    expect(await second.call2('user_query_user_status', { account: 'alice' })).toEqual(['', '{"result":"ok","status":1}']);
  });

  it('user_logout is answered before the session ends', async () => {
    await start();
    const client = await connect(server.url);
    await client.login('alice');
    expect(await client.call2('user_logout')).toEqual(['', '{"result":"ok"}']);
    expect(cloud.inspect().apps[0]!.online).toEqual([]);
  });
});
