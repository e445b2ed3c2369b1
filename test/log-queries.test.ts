import { describe, expect, it } from 'vitest';
import { createCloud, EmulatorError, EventLog, type CloudOptions, type LogEntry } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

/** alice and bob log in; alice sends bob two messages; bob's handler throws on the second. */
async function chat() {
  const { cloud, sessions } = await loggedIn(['alice', 'bob'], { latency: 10 });
  const { alice, bob } = sessions as { alice: NonNullable<(typeof sessions)['alice']>; bob: NonNullable<(typeof sessions)['bob']> };
  bob.onMessageInstantReceive = (_from, _uid, msg) => {
    if (msg === 'boom') throw new Error('app bug');
  };
  const errors = console.error;
  console.error = () => {};
  try {
    alice.messageInstantSend('bob', JSON.stringify({ type: 'greeting', body: { text: 'hello bob', lang: 'en' } }));
    await cloud.advance(100);
    alice.messageInstantSend('bob', 'boom');
    await cloud.advance(100);
  } finally {
    console.error = errors;
  }
  return { cloud, alice, bob };
}

describe('log queries', () => {
  it('select by client, kind and name, each as a string, a list or a RegExp', async () => {
    const { cloud } = await chat();
    expect(cloud.log.filter({ client: 'bob', kind: 'callback' }).map((e) => e.name)).toEqual([
      'onLoginSuccess',
      'onMessageInstantReceive',
      'onMessageInstantReceive',
    ]);
    expect(cloud.log.count({ kind: ['call', 'callback'], client: ['alice', 'bob'] })).toBe(cloud.log.count({ kind: ['call', 'callback'] }));
    expect(cloud.log.filter({ name: /^onLogin/ }).map((e) => e.client)).toEqual(['alice', 'bob']);
    expect(cloud.log.count({ client: 'carol' })).toBe(0);
  });

  it('select by session: which login of the account', async () => {
    const cloud = createCloud();
    const signal = cloud.Signal('app');
    signal.login('alice', '_no_need_token');
    await cloud.flush();
    signal.login('alice', '_no_need_token');
    await cloud.flush();
    expect(cloud.log.filter({ client: 'alice', session: 1, kind: 'callback' }).map((e) => e.name)).toEqual(['onLoginSuccess', 'onLogout']);
    expect(cloud.log.filter({ client: 'alice', session: 2, kind: 'callback' }).map((e) => e.name)).toEqual(['onLoginSuccess']);
  });

  it('select by object: the channel a Channel entry concerns', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    sessions.alice!.channelJoin('lobby');
    sessions.bob!.channelJoin('maths');
    await cloud.flush();
    expect(cloud.log.filter({ object: 'channel:lobby', kind: 'callback' }).map((e) => `${e.client} ${e.name}`)).toContain('alice onChannelJoined');
    expect(cloud.log.clients().filter((c) => cloud.log.count({ client: c, object: 'channel:maths' }) > 0)).toEqual(['bob']);
  });

  it('select by object: the Channel or Call an entry concerns, from the entry shape alone', () => {
    const log = new EventLog(() => 0);
    log.append({ kind: 'call', client: 'alice', name: 'channelJoin', args: ['lobby'], session: 1, object: 'channel:lobby' });
    log.append({ kind: 'callback', client: 'alice', name: 'onInviteAcceptedByPeer', args: ['{}'], session: 1, object: 'call:lobby/bob' });
    log.append({ kind: 'callback', client: 'alice', name: 'onLoginSuccess', args: [1], session: 1 });
    expect(log.filter({ object: 'channel:lobby' }).map((e) => e.name)).toEqual(['channelJoin']);
    expect(log.filter({ object: /^call:/ }).map((e) => e.name)).toEqual(['onInviteAcceptedByPeer']);
    expect(log.count({ object: /./ })).toBe(2);
  });

  it('select by a virtual time range, both ends included', async () => {
    const { cloud } = await chat();
    const sent = cloud.log.last({ name: 'messageInstantSend', args: ['bob', 'boom'] })!;
    expect(cloud.log.filter({ from: sent.t, client: 'bob' }).map((e) => e.name)).toEqual(['onMessageInstantReceive']);
    expect(cloud.log.count({ from: sent.t, to: sent.t })).toBeGreaterThanOrEqual(1);
    expect(cloud.log.count({ to: cloud.startTime - 1 })).toBe(0);
  });

  it('match arguments as a prefix, objects partially and deeply, strings by RegExp', () => {
    const log = new EventLog(() => 0);
    log.append({ kind: 'callback', client: 'bob', name: 'onMessage', args: ['alice', { type: 'greeting', body: { text: 'hello', lang: 'en' }, tags: ['a', 'b'] }], session: 1 });
    const count = (args: unknown[]) => log.count({ args });
    expect(count(['alice'])).toBe(1);
    expect(count([/^ali/])).toBe(1);
    expect(count(['alice', { body: { lang: 'en' } }])).toBe(1);
    expect(count(['alice', { tags: ['a', 'b'] }])).toBe(1);
    expect(count(['alice', { tags: ['a'] }])).toBe(0); // arrays match element by element, whole
    expect(count(['alice', { body: { lang: 'fr' } }])).toBe(0);
    expect(count(['bob'])).toBe(0);
    expect(count(['alice', {}, 'more than it has'])).toBe(0);
  });

  it('match arguments with asymmetric matchers and with a predicate', async () => {
    const { cloud } = await chat();
    expect(cloud.log.count({ name: 'onMessageInstantReceive', args: ['alice', expect.any(Number), expect.stringContaining('greeting')] })).toBe(1);
    expect(cloud.log.count({ name: 'onMessageInstantReceive', args: (args) => JSON.parse(String(args[2]) === 'boom' ? '{}' : String(args[2])).body?.lang === 'en' })).toBe(1);
  });

  it('select callbacks that threw, and callbacks the app had not set', async () => {
    const { cloud } = await chat();
    expect(cloud.log.filter({ error: true }).map((e) => e.args[2])).toEqual(['boom']);
    expect(cloud.log.count({ error: /app bug/ })).toBe(1);
    expect(cloud.log.count({ error: 'Error: app bug' })).toBe(1);
    expect(cloud.log.count({ kind: 'callback', unhandled: true })).toBe(2); // both onLoginSuccess
    expect(cloud.log.count({ kind: 'callback', error: false, unhandled: false })).toBe(1);
  });

  it('take a predicate over whole entries, alone or with a match', async () => {
    const { cloud } = await chat();
    expect(cloud.log.filter((e) => e.kind === 'call' && e.client === 'alice').map((e) => e.name)).toEqual(['login', 'messageInstantSend', 'messageInstantSend']);
    expect(cloud.log.count({ client: 'bob', where: (e) => e.args.length === 3 })).toBe(2);
  });

  it('first, last and count agree with filter', async () => {
    const { cloud } = await chat();
    const all = cloud.log.filter({ name: 'onMessageInstantReceive' });
    expect(cloud.log.first({ name: 'onMessageInstantReceive' })).toBe(all[0]);
    expect(cloud.log.last({ name: 'onMessageInstantReceive' })).toBe(all[1]);
    expect(cloud.log.count({ name: 'onMessageInstantReceive' })).toBe(2);
    expect(cloud.log.first({ name: 'nothing' })).toBeUndefined();
    expect(cloud.log.last({ name: 'nothing' })).toBeUndefined();
  });

  it('lists the callbacks of a client and the accounts in the log', async () => {
    const { cloud } = await chat();
    expect(cloud.log.callbacks('alice')).toEqual(['onLoginSuccess']); // no cb given to messageInstantSend
    expect(cloud.log.callbacks('bob')).toEqual(['onLoginSuccess', 'onMessageInstantReceive', 'onMessageInstantReceive']);
    expect(cloud.log.clients()).toEqual(['alice', 'bob']);
  });
});

describe('marks', () => {
  it('since(mark) holds what happened after the mark, and stays live', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const m = cloud.log.mark();
    const since = cloud.log.since(m);
    expect(since.entries).toEqual([]);
    sessions.alice!.messageInstantSend('bob', 'hi');
    await cloud.flush();
    expect(since.filter({ kind: 'callback' }).map((e) => `${e.client} ${e.name}`)).toEqual(['bob onMessageInstantReceive']);
    expect(since.entries[0]!.seq).toBe(m.seq);
    expect(m.t).toBe(cloud.now());
  });

  it('since(entry) holds what came after that entry, and views narrow further', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    sessions.alice!.messageInstantSend('bob', 'one');
    await cloud.flush();
    const first = cloud.log.last({ name: 'onMessageInstantReceive' })!;
    sessions.alice!.messageInstantSend('bob', 'two');
    await cloud.flush();
    expect(cloud.log.since(first).filter({ name: 'onMessageInstantReceive' }).map((e) => e.args[2])).toEqual(['two']);
    const later = cloud.log.mark();
    sessions.alice!.messageInstantSend('bob', 'three');
    await cloud.flush();
    expect(cloud.log.since(first).since(later).filter({ name: 'onMessageInstantReceive' }).map((e) => e.args[2])).toEqual(['three']);
    expect(cloud.log.since(later).since(first).count({ name: 'onMessageInstantReceive' })).toBe(1); // the later bound wins
  });

  it('clear() forgets what was kept; seq keeps counting, so marks stay valid', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const before = cloud.log.total;
    const m = cloud.log.mark();
    cloud.log.clear();
    expect(cloud.log.entries).toEqual([]);
    sessions.alice!.messageInstantSend('bob', 'after the clear');
    await cloud.flush();
    expect(cloud.log.entries[0]!.seq).toBe(before);
    expect(cloud.log.since(m).entries).toEqual(cloud.log.entries);
    expect(cloud.timeline()).not.toContain('not kept'); // the user cleared it: nothing to explain
  });
});

describe('subscribe', () => {
  it('sees every recorded entry until unsubscribed', async () => {
    const cloud = createCloud();
    const seen: LogEntry[] = [];
    const stop = cloud.log.subscribe((e) => seen.push(e));
    cloud.Signal('app').login('alice', '_no_need_token');
    await cloud.flush();
    stop();
    cloud.Signal('app').login('bob', '_no_need_token');
    await cloud.flush();
    expect(seen.map((e) => e.name)).toEqual(['login', 'onLoginSuccess']);
  });
});

describe('log level and capacity', () => {
  async function run(log: CloudOptions['log']) {
    const cloud = createCloud({ log });
    const signal = cloud.Signal('app');
    const alice = signal.login('alice', '_no_need_token');
    signal.login('bob', '_no_need_token');
    await cloud.flush();
    for (let i = 0; i < 50; i++) alice.messageInstantSend('bob', `m${i}`);
    alice.messageInstantSend('carol', 'stored for later'); // a server note
    await cloud.flush();
    signal.login('alice', '_no_need_token'); // a kick: server notes
    await cloud.flush();
    return cloud;
  }

  it('keeps everything by default', async () => {
    const cloud = await run(undefined);
    expect(cloud.log.level).toBe('all');
    expect(cloud.log.entries.length).toBe(cloud.log.total);
    expect(cloud.log.count({ kind: 'server' })).toBeGreaterThan(0);
  });

  it("'calls-and-callbacks' leaves out server notes and faults", async () => {
    const all = await run(undefined);
    const cloud = await run({ level: 'calls-and-callbacks' });
    expect(cloud.log.count({ kind: ['server', 'fault'] })).toBe(0);
    expect(cloud.log.entries.map((e) => `${e.client} ${e.name}`)).toEqual(all.log.filter({ kind: ['call', 'callback'] }).map((e) => `${e.client} ${e.name}`));
    expect(cloud.log.entries.map((e) => e.seq)).toEqual(cloud.log.entries.map((_, i) => i));
  });

  it("'off' records nothing, and the run behaves the same", async () => {
    const seen: LogEntry[] = [];
    const cloud = await run({ level: 'off' });
    cloud.log.subscribe((e) => seen.push(e));
    expect(cloud.log.entries).toEqual([]);
    expect(cloud.log.total).toBe(0);
    expect(cloud.inspect().apps[0]!.online.map((u) => u.account)).toEqual(['bob', 'alice']);
    expect(seen).toEqual([]);
  });

  it('capacity keeps the latest entries, and the timeline says how many were let go', async () => {
    const all = await run(undefined);
    const cloud = await run({ capacity: 20 });
    expect(cloud.log.entries).toHaveLength(20);
    expect(cloud.log.total).toBe(all.log.total);
    expect(cloud.log.entries.map((e) => e.seq)).toEqual(all.log.entries.slice(-20).map((e) => e.seq));
    expect(cloud.timeline().split('\n')[0]).toBe(`(${all.log.total - 20} earlier entries not kept: log capacity 20)`);
  });

  it('capacity bounds memory over a long run while subscribers see everything', async () => {
    const cloud = createCloud({ log: { capacity: 100 } });
    let seen = 0;
    cloud.log.subscribe(() => seen++);
    const signal = cloud.Signal('app');
    const alice = signal.login('alice', '_no_need_token');
    signal.login('bob', '_no_need_token');
    await cloud.flush();
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 500; i++) alice.messageInstantSend('bob', `m${i}`);
      await cloud.flush();
      expect(cloud.log.entries.length).toBeLessThanOrEqual(100);
    }
    expect(cloud.log.total).toBe(seen);
    expect(cloud.log.total).toBeGreaterThan(20 * 500 * 2);
    expect(cloud.log.last()!.seq).toBe(cloud.log.total - 1);
  });

  it('bad log options throw an EmulatorError that names the fix', () => {
    expect(() => createCloud({ log: { level: 'verbose' as never } })).toThrow(EmulatorError);
    expect(() => createCloud({ log: { level: 'verbose' as never } })).toThrow(/log.level must be 'all', 'calls-and-callbacks', 'off'; got "verbose"/);
    expect(() => createCloud({ log: { capacity: 0 } })).toThrow(/log.capacity must be a positive integer \(or Infinity/);
    expect(() => createCloud({ log: { size: 1 } as never })).toThrow(/unknown log option 'size' \(known: level, capacity\)/);
    expect(() => createCloud({ log: 'off' as never })).toThrow(/log must be an object/);
  });
});
