import { describe, expect, it, vi } from 'vitest';
import { createCloud, EmulatorError, type Session } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

function inbox(session: Session): string[] {
  const got: string[] = [];
  session.onMessageInstantReceive = (_from: string, _uid: number, msg: string) => got.push(msg);
  return got;
}

describe('latency', () => {
  it('a fixed latency on one account and direction delays only those messages', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    cloud.net.latency(500, { account: 'bob', direction: 'down' });
    const got = inbox(sessions.bob!);
    const cb = vi.fn();
    const t0 = cloud.now();
    sessions.alice!.messageInstantSend('bob', 'slow', cb);
    await cloud.advance(499);
    expect(cb).toHaveBeenCalledWith(false); // alice's link is fast
    expect(got).toEqual([]);
    const at = await cloud.until(() => got.length === 1);
    expect(at - t0).toBe(500);
  });

  it('the latest latency rule that matches wins; removing it restores the one before', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob'], { latency: 10 });
    const got = inbox(sessions.bob!);
    const slow = cloud.net.latency(1_000);
    sessions.alice!.messageInstantSend('bob', 'a');
    let t0 = cloud.now();
    expect((await cloud.until(() => got.length === 1)) - t0).toBe(2_000);
    slow.remove();
    expect(slow.active).toBe(false);
    t0 = cloud.now();
    sessions.alice!.messageInstantSend('bob', 'b');
    expect((await cloud.until(() => got.length === 2)) - t0).toBe(20);
    expect(cloud.log.filter({ kind: 'fault', name: 'latency' }).map((e) => e.args[0])).toEqual(['installed', 'removed']);
  });

  it('jitter reorders messages across links, never on one link (a WebSocket keeps order)', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob', 'carol'], { seed: 3 });
    cloud.net.latency([10, 300]);
    const got = inbox(sessions.carol!);
    for (let i = 0; i < 10; i++) {
      sessions.alice!.messageInstantSend('carol', `a${i}`);
      sessions.bob!.messageInstantSend('carol', `b${i}`);
    }
    await cloud.settle();
    expect(got).toHaveLength(20);
    expect(got.filter((m) => m.startsWith('a'))).toEqual(Array.from({ length: 10 }, (_, i) => `a${i}`));
    expect(got.filter((m) => m.startsWith('b'))).toEqual(Array.from({ length: 10 }, (_, i) => `b${i}`));
    const interleaved = Array.from({ length: 10 }, (_, i) => [`a${i}`, `b${i}`]).flat();
    expect(got).not.toEqual(interleaved); // the order they were sent in
  });
});

describe('loss', () => {
  it('a lost request never reaches the server: 1.4.0 has no reply timeout, so the callback never comes', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    cloud.net.loss(1, { account: 'alice', kind: 'user_sendmsg' });
    const got = inbox(sessions.bob!);
    const cb = vi.fn();
    sessions.alice!.messageInstantSend('bob', 'lost', cb);
    await cloud.advance(120_000);
    expect(cb).not.toHaveBeenCalled();
    expect(got).toEqual([]);
    expect(cloud.log.last({ kind: 'fault', client: 'alice', name: 'loss' })?.args).toEqual(['up', 'user_sendmsg', 'dropped']);
  });

  it('a lost peer message reaches the app late: 1.4.0 fetches it when the next one shows the gap', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const got = inbox(sessions.bob!);
    const loss = cloud.net.loss(1, { account: 'bob', kind: 'instant' });
    sessions.alice!.messageInstantSend('bob', 'one');
    await cloud.advance(100);
    expect(got).toEqual([]);
    expect(cloud.log.last({ kind: 'fault', client: 'bob' })?.args).toEqual(['down', 'msg instant', 'dropped']);
    loss.remove();
    sessions.alice!.messageInstantSend('bob', 'two');
    await cloud.flush();
    expect(got).toEqual(['one', 'two']);
  });

  it('a lost last peer message arrives at the idle poll, 60 s later', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const got = inbox(sessions.bob!);
    const loss = cloud.net.loss(1, { account: 'bob', kind: 'instant' });
    sessions.alice!.messageInstantSend('bob', 'only');
    await cloud.flush();
    loss.remove();
    const t0 = cloud.now();
    const at = await cloud.until(() => got.length === 1, { within: 70_000 });
    expect(got).toEqual(['only']);
    expect(at - t0).toBeGreaterThan(55_000);
  });

  it('draws from the seeded rng: the same seed drops the same messages', async () => {
    const run = async (seed: number) => {
      const { cloud, sessions } = await loggedIn(['alice', 'bob'], { seed });
      cloud.net.loss(0.5, { account: 'alice', kind: 'user_sendmsg' });
      const acks: boolean[] = [];
      for (let i = 0; i < 30; i++) sessions.alice!.messageInstantSend('bob', `m${i}`, () => acks.push(true));
      await cloud.advance(1_000);
      return cloud.log.filter({ kind: 'fault', name: 'loss' }).length;
    };
    const a = await run(11);
    expect(await run(11)).toBe(a);
    expect(a).toBeGreaterThan(5);
    expect(a).toBeLessThan(25);
  });
});

describe('duplication', () => {
  it('a duplicated reply runs the callback twice (quirk of 1.4.0: pending replies are never removed)', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    cloud.net.duplicate(1, { account: 'alice', kind: 'call2-ret' });
    const cb = vi.fn();
    sessions.alice!.messageInstantSend('bob', 'hi', cb);
    await cloud.flush();
    expect(cb).toHaveBeenCalledTimes(2);
    expect(cloud.log.last({ kind: 'fault', name: 'duplicate' })?.args).toEqual(['down', 'call2-ret user_sendmsg', 'duplicated']);
  });

  it('a duplicated reply reaches a handler that already ran, whichever slot of the connection held it', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    cloud.net.duplicate(1, { account: 'alice', kind: 'call2-ret' });
    const first = vi.fn();
    const second = vi.fn();
    // Both outstanding at once: the connection keeps the first in its one reply slot, the second aside.
    sessions.alice!.messageInstantSend('bob', 'one', first);
    sessions.alice!.messageInstantSend('bob', 'two', second);
    await cloud.flush();
    expect(first.mock.calls).toEqual([[false], [false]]);
    expect(second.mock.calls).toEqual([[false], [false]]);
    // A later request on the same link: its copy too reaches the handler that ran.
    const third = vi.fn();
    sessions.alice!.messageInstantSend('bob', 'three', third);
    await cloud.flush();
    expect(third).toHaveBeenCalledTimes(2);
    expect(first).toHaveBeenCalledTimes(2);
  });

  it('a duplicated peer message is handed to the app once (1.4.0 numbers them)', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    cloud.net.duplicate(1, { direction: 'down', kind: 'msg' });
    const got = inbox(sessions.bob!);
    sessions.alice!.messageInstantSend('bob', 'once');
    await cloud.flush();
    expect(got).toEqual(['once']);
  });

  it('a duplicated request is handled twice by the server', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    cloud.net.duplicate(1, { account: 'alice', kind: 'user_sendmsg' });
    const got = inbox(sessions.bob!);
    sessions.alice!.messageInstantSend('bob', 'twice');
    await cloud.flush();
    expect(got).toEqual(['twice', 'twice']);
  });
});

describe('hold and release', () => {
  it('holds messages, those already in flight too, and releases them in the order they were sent', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob'], { latency: 100 });
    const got = inbox(sessions.bob!);
    sessions.alice!.messageInstantSend('bob', 'first');
    await cloud.advance(150); // at the server at 100 ms, on its way down to bob
    const hold = cloud.net.hold({ account: 'bob', direction: 'down' });
    sessions.alice!.messageInstantSend('bob', 'second');
    await cloud.advance(10_000);
    expect(got).toEqual([]);
    expect(hold.held).toBeGreaterThanOrEqual(2);
    expect(cloud.log.filter({ kind: 'fault', name: 'hold', client: 'bob' }).map((e) => e.args.slice(1))).toContainEqual(['msg instant', 'held in flight']);
    expect(hold.release()).toBeGreaterThanOrEqual(2);
    await cloud.flush();
    expect(got).toEqual(['first', 'second']);
    expect(hold.active).toBe(false);
  });

  it('a message held while its link breaks is lost when released, and the log says so', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    inbox(sessions.bob!);
    const hold = cloud.net.hold({ account: 'bob', kind: 'instant' });
    sessions.alice!.messageInstantSend('bob', 'doomed');
    await cloud.flush();
    cloud.net.disconnect('bob', { how: 'error' });
    await cloud.flush();
    hold.release();
    expect(cloud.log.last({ kind: 'fault', client: 'bob', name: 'hold' })?.args).toEqual(['down', 'msg instant', 'lost: the link closed while it was held']);
  });

  it('cloud.net.release() releases every hold', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const got = inbox(sessions.bob!);
    cloud.net.hold({ direction: 'up' });
    cloud.net.hold({ direction: 'down' });
    sessions.alice!.messageInstantSend('bob', 'x');
    await cloud.advance(1_000);
    expect(cloud.net.inspect().held).toBe(1);
    cloud.net.release();
    await cloud.flush();
    expect(got).toEqual(['x']);
    expect(cloud.net.inspect().rules).toEqual([]);
  });
});

describe('custom rules', () => {
  it("'drop' loses the message, and the log names the rule", async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const got = inbox(sessions.bob!);
    cloud.net.rule((m) => (m.push?.type === 'msg' && m.push.msg.content === 'secret' ? 'drop' : 'pass'), { name: 'censor', account: 'bob' });
    sessions.alice!.messageInstantSend('bob', 'secret');
    await cloud.flush();
    expect(got).toEqual([]);
    expect(cloud.log.last({ kind: 'fault', name: 'censor' })?.args).toEqual(['down', 'msg instant', 'dropped']);
  });

  it('{ delay } adds time to one message, and the link keeps its order', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const got = inbox(sessions.bob!);
    cloud.net.rule((m) => (m.direction === 'up' && m.request?.type === 'call2' && m.request.args.content === 'late' ? { delay: 3_000 } : 'pass'));
    sessions.alice!.messageInstantSend('bob', 'late');
    sessions.alice!.messageInstantSend('bob', 'behind it');
    await cloud.advance(2_999);
    expect(got).toEqual([]);
    await cloud.advance(1);
    expect(got).toEqual(['late', 'behind it']);
    expect(cloud.log.first({ kind: 'fault', name: 'rule', args: ['up'] })?.args).toEqual(['up', 'user_sendmsg', 'delayed 3000 ms']);
  });

  it("'fail' breaks the link with an error: a logged-in 1.4.0 session logs out with 102", async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    sessions.bob!.onLogout = vi.fn();
    cloud.net.rule(() => 'fail', { account: 'bob', kind: 'ping' });
    await cloud.advance(10_000);
    expect(sessions.bob!.onLogout).toHaveBeenCalledWith(102);
    expect(cloud.log.first({ kind: 'fault', client: 'bob', name: 'rule', args: ['up'] })?.args).toEqual(['up', 'ping', 'failed the link']);
  });

  it('sees connection attempts: failing them refuses every attempt', async () => {
    const cloud = createCloud();
    cloud.net.rule(() => 'fail', { kind: 'connect' });
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    bob.onLoginFailed = vi.fn();
    await cloud.settle();
    expect(bob.onLoginFailed).toHaveBeenCalledWith(201);
  });

  it('an answer that is not a verdict throws, naming the rule and the message', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    cloud.net.rule(() => 'maybe' as never, { name: 'confused', direction: 'up' });
    expect(() => sessions.alice!.messageInstantSend('bob', 'x')).toThrow(EmulatorError);
    expect(() => sessions.alice!.messageInstantSend('bob', 'x')).toThrow(/Rule 'confused' answered "maybe" for up user_sendmsg of 'alice'/);
  });
});

describe('rule filters', () => {
  it('refuse unknown fields and directions', () => {
    const cloud = createCloud();
    expect(() => cloud.net.loss(0.5, { acount: 'bob' } as never)).toThrow(/unknown filter field 'acount'/);
    expect(() => cloud.net.loss(0.5, { direction: 'sideways' as never })).toThrow(/direction must be 'up'/);
    expect(() => cloud.net.loss(2)).toThrow(/probability must be a number from 0 to 1/);
    expect(() => cloud.net.latency([300, 100])).toThrow(/0 <= min <= max/);
  });

  it('cloud.net.clear() removes every rule and brings every account back', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    cloud.net.loss(1);
    cloud.net.disconnect('bob');
    cloud.net.clear();
    expect(cloud.net.inspect()).toMatchObject({ rules: [], disconnected: [], held: 0, outage: false });
    await cloud.settle();
    expect(sessions.bob!.getStatus()).toBe(2);
  });
});
