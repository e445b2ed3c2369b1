import { describe, expect, it } from 'vitest';
import { createCloud, EventLog, formatTimeline } from 'agora-signaling-emulator';
import { kickScenario } from './helpers.js';

describe('the timeline', () => {
  it('has one line per entry in aligned columns: time, client, kind, name, arguments', async () => {
    const cloud = await kickScenario();
    expect(cloud.timeline()).toMatchInlineSnapshot(`
      "+0.000s  alice    call      login                    "alice", "_no_need_token"
      +0.000s  bob      call      login                    "bob", "_no_need_token"
      +0.160s  alice    callback  onLoginSuccess           1  (not set)
      +0.160s  bob      callback  onLoginSuccess           2  (not set)
      +0.160s  alice    call      messageInstantSend       "bob", "hello bob"
      +0.240s  bob      callback  onMessageInstantReceive  "alice", 0, "hello bob"
      +0.240s  alice    callback  messageInstantSend:cb    false
      +1.160s  alice#2  call      login                    "alice", "_no_need_token"
      +1.280s  alice    server    kick                     "logged in elsewhere"
      +1.280s  alice    server    session ended            "kicked"
      +1.320s  alice    callback  onLogout                 103
      +1.320s  alice#2  callback  onLoginSuccess           1  (not set)"
    `);
  });

  it('is stable: the same run gives the same text', async () => {
    expect((await kickScenario()).timeline()).toBe((await kickScenario()).timeline());
  });

  it('filters by client (every Session of the account)', async () => {
    const cloud = await kickScenario();
    const text = cloud.timeline({ client: 'alice' });
    expect(text.split('\n').every((l) => / alice(#2)? /.test(l))).toBe(true);
    expect(text).toContain('alice#2');
    expect(cloud.timeline({ client: ['bob'] }).split('\n')).toHaveLength(3);
    expect(cloud.log.timeline({ kinds: ['server'] }).split('\n')).toHaveLength(2);
  });

  it('shows absolute virtual time on request', async () => {
    const cloud = await kickScenario();
    expect(cloud.timeline({ time: 'absolute', client: 'bob' })).toMatchInlineSnapshot(`
      "2024-01-01T00:00:00.000Z  bob  call      login                    "bob", "_no_need_token"
      2024-01-01T00:00:00.160Z  bob  callback  onLoginSuccess           2  (not set)
      2024-01-01T00:00:00.240Z  bob  callback  onMessageInstantReceive  "alice", 0, "hello bob""
    `);
  });

  it('right-aligns times so that long runs stay in columns', () => {
    const log = new EventLog(() => 0, { epoch: 0 });
    let now = 0;
    const timed = new EventLog(() => now, { epoch: 0 });
    now = 500;
    timed.append({ kind: 'server', client: '', name: 'tick', args: [] });
    now = 125_000;
    timed.append({ kind: 'server', client: '', name: 'tock', args: [] });
    expect(timed.timeline()).toBe(['  +0.500s  cloud  server  tick', '+125.000s  cloud  server  tock'].join('\n'));
    expect(log.timeline()).toBe('');
  });

  it('cuts long arguments sensibly: long strings in the middle, the whole column at a width', () => {
    const log = new EventLog(() => 0, { epoch: 0 });
    log.append({ kind: 'call', client: 'alice', name: 'messageInstantSend', args: ['bob', 'x'.repeat(30) + 'END'.padStart(8000, 'y')], session: 1 });
    log.append({ kind: 'call', client: 'alice', name: 'invoke', args: ['io.agora.signal.user_set_attr', { name: 'profile', value: 'v'.repeat(30), more: [1, 2, 3, 4, 5, 6, 7, 8, 9] }], session: 1 });
    const lines = log.timeline({ argsWidth: 60 }).split('\n');
    expect(lines[0]).toContain('"bob", "xxxxxxxxxxxxxxxxxxxxxxx…yyyyyyEND" (8030 chars)');
    expect(lines[1]!.endsWith('…')).toBe(true);
    const argsColumn = lines[0]!.indexOf('"bob"');
    expect(lines.map((l) => l.slice(argsColumn).length <= 60)).toEqual([true, true]);
  });

  it('shows the object an entry concerns, a callback that threw, and one not set', () => {
    const log = new EventLog(() => 0, { epoch: 0 });
    log.append({ kind: 'callback', client: 'alice', name: 'onChannelJoined', args: [], session: 1, object: 'channel:lobby' });
    log.append({ kind: 'callback', client: 'alice', name: 'onMessageChannelReceive', args: ['bob', 0, 'hi'], session: 1, object: 'channel:lobby', error: 'TypeError: x is undefined' });
    log.append({ kind: 'callback', client: 'bob', name: 'onInviteReceived', args: [], session: 1, unhandled: true, object: 'call:lobby/alice' });
    expect(log.timeline()).toMatchInlineSnapshot(`
      "+0.000s  alice  callback  onChannelJoined [channel:lobby]
      +0.000s  alice  callback  onMessageChannelReceive [channel:lobby]  "bob", 0, "hi"  !! threw TypeError: x is undefined
      +0.000s  bob    callback  onInviteReceived [call:lobby/alice]      (not set)"
    `);
  });

  it('points at entries with > when asked (the matchers use it)', async () => {
    const cloud = await kickScenario();
    const logout = cloud.log.first({ name: 'onLogout' })!;
    const text = formatTimeline(cloud.log.filter({ client: 'alice', kind: 'callback' }), { epoch: cloud.startTime, highlight: logout });
    expect(text.split('\n').filter((l) => l.startsWith('> '))).toEqual(['> +1.320s  alice    callback  onLogout               103']);
  });

  it('cloud.timeline takes entries or a view, relative to the cloud start', async () => {
    const cloud = await kickScenario();
    const kick = cloud.log.first({ name: 'kick' })!;
    expect(cloud.timeline(cloud.log.since(kick)).split('\n')[0]).toMatch(/^\+1\.280s +alice +server +session ended/);
    expect(cloud.timeline([kick])).toBe('+1.280s  alice  server  kick  "logged in elsewhere"');
    expect(formatTimeline([kick])).toBe('+0.000s  alice  server  kick  "logged in elsewhere"'); // a bare list counts from its first entry
  });
});

describe('SDK objects in the timeline', () => {
  it('a Call, Channel or Session argument shows as its label, not a dump of its fields', async () => {
    const { createCloud } = await import('agora-signaling-emulator');
    const cloud = createCloud();
    const signal = cloud.Signal('app');
    const alice = signal.login('alice', '_no_need_token');
    const bob = signal.login('bob', '_no_need_token');
    await cloud.until(() => alice.getStatus() === 2 && bob.getStatus() === 2);
    bob.onInviteReceived = () => {};
    const call = alice.channelInviteUser2('room', 'bob', '');
    await cloud.flush();
    expect(cloud.timeline()).toMatch(/onInviteReceived \[call:room\/alice\] +Call\(room\/alice\)$/m);
    expect(JSON.stringify(call)).toContain('"channelName":"room"'); // the app-visible object is unchanged
  });
});
