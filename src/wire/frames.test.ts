import { describe, expect, it } from 'vitest';
import { channelEventMsg, decodeClientFrame, encodeLoginRet, msgV2, UNPARSEABLE_MSG, userMessageMsg } from './frames.js';

/** The SDK's split of a MSG: the first six space-separated fields, then the rest. */
function sdkSplit(msg: string): string[] {
  const head = msg.split(' ', 6);
  return [...head, msg.slice(head.reduce((n, f) => n + f.length + 1, 0))];
}

describe('wire frames', () => {
  it('decode the four events a 1.4.0 client sends', () => {
    expect(decodeClientFrame('["login",{"vid":"app","account":"me","uid":0,"token":"t","device":"websdk","ip":""}]')).toEqual({
      kind: 'request',
      request: { type: 'login', vid: 'app', account: 'me', token: 't', uid: 0 },
    });
    expect(decodeClientFrame('["ping",3]')).toEqual({ kind: 'request', request: { type: 'ping', n: 3 } });
    expect(decodeClientFrame('["set_flag",{"binary":1}]')).toEqual({ kind: 'set_flag', flags: { binary: 1 } });
    expect(decodeClientFrame('["call2",["user_getmsg",2,{"line":"L","ver_clear":0,"max":30}]]')).toEqual({
      kind: 'request',
      request: { type: 'call2', name: 'user_getmsg', id: 2, args: { line: 'L', ver_clear: 0, max: 30 } },
    });
  });

  it('check the shape of every frame before reading it: depth, number of values, the type of each field', () => {
    const deep = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
    expect(decodeClientFrame(`["call2",["f",1,{"v":${deep(29)}}]]`).kind).toBe('request');
    expect(decodeClientFrame(`["call2",["f",1,{"v":${deep(30)}}]]`)).toEqual({ kind: 'malformed', why: 'frame nested deeper than 32 levels' });
    expect(decodeClientFrame(`["call2",["f",1,{"v":[${Array(4089).fill(0).join(',')}]}]]`).kind).toBe('request');
    expect(decodeClientFrame(`["call2",["f",1,{"v":[${Array(4090).fill(0).join(',')}]}]]`)).toEqual({ kind: 'malformed', why: 'frame more than 4096 values' });
    expect(decodeClientFrame('["login",{"account":{"toString":1}}]')).toEqual({ kind: 'malformed', why: 'login account is not a string' });
    expect(decodeClientFrame('["login",{"account":7}]')).toEqual({ kind: 'malformed', why: 'login account is not a string' });
    expect(decodeClientFrame('["login",{"vid":{"toString":1},"account":"a","token":{"toString":1}}]')).toEqual({
      kind: 'request',
      request: { type: 'login', vid: '', account: 'a', token: '{"toString":1}', uid: 0 },
    });
    expect(decodeClientFrame('["login",{"vid":42,"account":"a","token":42}]')).toMatchObject({ request: { vid: '42', token: '42' } });
    // 1.4.0 leaves undefined out: the server refuses the missing account (209), takes any token.
    expect(decodeClientFrame('["login",{"vid":"app"}]')).toEqual({ kind: 'request', request: { type: 'login', vid: 'app', account: undefined, token: undefined, uid: 0 } });
    expect(decodeClientFrame('["ping","x"]')).toEqual({ kind: 'malformed', why: 'ping payload is not a number' });
    expect(decodeClientFrame('["set_flag",1]')).toEqual({ kind: 'malformed', why: 'set_flag payload is not an object' });
    expect(decodeClientFrame('["call2",["f",1e999,{}]]').kind).toBe('malformed');
    expect(decodeClientFrame('["call2",["f",1,"not an object"]]')).toMatchObject({ request: { args: {} } });
    expect(decodeClientFrame(JSON.stringify(['call2', ['user_sendmsg', 1, { peer: 'b', t: 't'.repeat(100), content: 'x' }]]))).toMatchObject({
      request: { args: { peer: 'b', t: `${'t'.repeat(64)}… (100 chars)`, content: 'x' } },
    });
    // Inherited names are never read as fields.
    expect(decodeClientFrame('["set_flag",{"__proto__":{"binary":1}}]')).toEqual({ kind: 'set_flag', flags: { binary: undefined } });
  });

  it('call anything else unknown or malformed, never throwing', () => {
    expect(decodeClientFrame('["line_login",{}]')).toEqual({ kind: 'unknown', event: 'line_login' });
    for (const text of ['', 'nope', '{}', '[]', '[1,2]', 'null', '["login","x"]', '["call2",["n","1",{}]]', '["call2",{}]']) {
      expect(decodeClientFrame(text).kind).toBe('malformed');
    }
  });

  it('login_ret always carries JSON in its second slot', () => {
    expect(JSON.parse(encodeLoginRet('', 7, 'L'))).toEqual(['login_ret', ['', '{"result":"ok","uid":7,"line":"L"}']]);
    const [, [err, data]] = JSON.parse(encodeLoginRet('TokenErrorExpired', 0, '')) as [string, [string, string]];
    expect(err).toBe('TokenErrorExpired');
    expect(JSON.parse(data)).toEqual({ result: 'failed', reason: 'TokenErrorExpired' });
  });

  it('a MSG splits, as the SDK splits it, into sender (1), type (4) and content (6)', () => {
    const parts = sdkSplit(msgV2('alice', 1, 1700000000000, 'instant', 5, '  two  spaces msg-v2 x '));
    expect(parts).toHaveLength(7);
    expect([parts[1], parts[4], parts[6]]).toEqual(['alice', 'instant', '  two  spaces msg-v2 x ']);
    expect(sdkSplit(msgV2('a', 1, 2, 'instant', 3, ''))).toHaveLength(7);
  });

  it('a user message the SDK would choke on is refused by the encoder', () => {
    const base = { seq: 1, from: 'bob', fromUid: 2, type: 'instant', content: 'x', sentAt: 0 };
    expect(userMessageMsg(base)).toEqual({ msg: 'msg-v2 bob 2 0 instant 1 x' });
    expect(userMessageMsg({ ...base, type: 'voip_invite', content: '{"channel":"c"}' })).toHaveProperty('msg');
    expect(userMessageMsg({ ...base, type: 'voip_invite', content: 'nope' })).toEqual({ unsafe: 'voip content is not JSON' });
    expect(userMessageMsg({ ...base, type: 'two words' })).toEqual({ unsafe: 'type is not a space-free token' });
    expect(userMessageMsg({ ...base, type: '' })).toEqual({ unsafe: 'type is not a space-free token' });
    // What is sent instead does not split into 7 fields: 1.4.0 drops it and moves its seq on.
    expect(sdkSplit(UNPARSEABLE_MSG).filter((f) => f !== '').length).toBeLessThan(7);
  });

  it('channel events carry the JSON content 1.4.0 reads', () => {
    const content = (msg: string) => JSON.parse(sdkSplit(msg)[6]!) as unknown;
    expect(content(channelEventMsg({ type: 'channel_msg', account: 'a', uid: 1, msg: 'hi there' }, 3, 0))).toEqual({ account: 'a', uid: 1, msg: 'hi there' });
    expect(content(channelEventMsg({ type: 'channel_user_leave', account: 'a', uid: 1 }, 3, 0))).toEqual({ account: 'a', uid: 1 });
    expect(content(channelEventMsg({ type: 'channel_attr_update', name: 'k', value: 'v w', change: 'update' }, 3, 0))).toEqual({ name: 'k', value: 'v w', type: 'update' });
    expect(sdkSplit(channelEventMsg({ type: 'channel_user_join', account: 'a', uid: 1 }, 3, 0))[4]).toBe('channel_user_join');
  });
});
