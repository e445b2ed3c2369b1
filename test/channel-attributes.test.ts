import { describe, expect, it, vi } from 'vitest';
import type { Channel, Cloud, Session } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

async function join(cloud: Cloud, session: Session, name: string): Promise<Channel> {
  const channel = session.channelJoin(name)!;
  await cloud.until(() => channel.state === 'joined', { what: `${session.account} in ${name}` });
  return channel;
}

const attrs = (cloud: Cloud, name = 'room'): Record<string, string> | undefined => cloud.channels('app').find((c) => c.name === name)?.attrs;

describe('channel attributes', () => {
  it('set, del and clear reach every member, the author too (after its cb()), as update / del / clear', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const alice = await join(cloud, sessions.alice!, 'room');
    const bob = await join(cloud, sessions.bob!, 'room');
    const seen: string[] = [];
    alice.onChannelAttrUpdated = (k: string, v: string, t: string) => seen.push(`alice ${t} ${k}=${v}`);
    bob.onChannelAttrUpdated = (k: string, v: string, t: string) => seen.push(`bob ${t} ${k}=${v}`);
    const cb = (what: string) => (...args: unknown[]) => seen.push(`${what} cb(${args.length})`);
    alice.channelSetAttr('color', 'red', cb('set'));
    await cloud.flush();
    bob.channelDelAttr('color', cb('del'));
    await cloud.flush();
    alice.channelSetAttr('size', '3');
    alice.channelClearAttr(cb('clear'));
    await cloud.flush();
    expect(seen).toEqual([
      'set cb(0)',
      'alice update color=red',
      'bob update color=red',
      'del cb(0)',
      'alice del color=',
      'bob del color=',
      'alice update size=3',
      'bob update size=3',
      'clear cb(0)',
      'alice clear =',
      'bob clear =',
    ]);
    expect(attrs(cloud)).toEqual({ _member_num: '2', _total_member_num: '2' });
  });

  it('keeps a value that is not a string as its JSON text', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const alice = await join(cloud, sessions.alice!, 'room');
    alice.onChannelAttrUpdated = vi.fn();
    alice.channelSetAttr('seats', 4 as unknown as string);
    alice.channelSetAttr('layout', { cols: 2 } as unknown as string);
    await cloud.flush();
    expect(alice.onChannelAttrUpdated).toHaveBeenNthCalledWith(1, 'seats', '4', 'update');
    expect(alice.onChannelAttrUpdated).toHaveBeenNthCalledWith(2, 'layout', '{"cols":2}', 'update');
  });

  it('deleting an attribute that does not exist changes nothing and tells nobody', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const alice = await join(cloud, sessions.alice!, 'room');
    alice.onChannelAttrUpdated = vi.fn();
    const cb = vi.fn();
    alice.channelDelAttr('nothing', cb);
    alice.channelClearAttr(cb);
    await cloud.flush();
    expect(cb).toHaveBeenCalledTimes(2);
    expect(alice.onChannelAttrUpdated).not.toHaveBeenCalled();
  });

  it('the invoke twins work from outside the channel, with err "" on success and a reason on refusal', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'admin']);
    const alice = await join(cloud, sessions.alice!, 'room');
    const updates = vi.fn();
    alice.onChannelAttrUpdated = updates;
    const cb = vi.fn();
    const admin = sessions.admin!;
    admin.invoke('io.agora.signal.channel_set_attr', { channel: 'room', name: 'topic', value: 'maths' }, cb);
    admin.invoke('io.agora.signal.channel_del_attr', { channel: 'room', name: 'topic' }, cb);
    admin.invoke('io.agora.signal.channel_set_attr', { channel: 'room', name: 'mode', value: 'quiet' }, cb);
    admin.invoke('io.agora.signal.channel_clear_attr', { channel: 'room' }, cb);
    admin.invoke('io.agora.signal.channel_set_attr', { channel: 'room', name: '_member_num', value: '99' }, cb);
    await cloud.flush();
    expect(cb.mock.calls.map((c) => c[0])).toEqual(['', '', '', '', 'read-only attribute']);
    expect(updates.mock.calls).toEqual([
      ['topic', 'maths', 'update'],
      ['topic', '', 'del'],
      ['mode', 'quiet', 'update'],
      ['', '', 'clear'],
    ]);
  });

  it('setting an attribute of a channel nobody is in creates it; the joiner gets it', async () => {
    const { cloud, sessions } = await loggedIn(['admin', 'alice']);
    sessions.admin!.invoke('io.agora.signal.channel_set_attr', { channel: 'lecture', name: 'slides', value: 'intro.pdf' }, () => {});
    await cloud.flush();
    expect(cloud.channels('app')).toMatchObject([{ name: 'lecture', members: [] }]);
    const channel = sessions.alice!.channelJoin('lecture')!;
    channel.onChannelAttrUpdated = vi.fn();
    await cloud.flush();
    expect(channel.onChannelAttrUpdated).toHaveBeenCalledWith('slides', 'intro.pdf', 'update');
  });

  it("gives a joiner every attribute in an object's key order, __proto__ and constructor as ordinary names", async () => {
    const { cloud, sessions } = await loggedIn(['admin', 'alice']);
    const admin = await join(cloud, sessions.admin!, 'room');
    for (const [k, v] of [['b', '1'], ['__proto__', '2'], ['7', '3'], ['constructor', '4'], ['a', '5']] as const) admin.channelSetAttr(k, v);
    await cloud.flush();
    const channel = sessions.alice!.channelJoin('room')!;
    const updates: string[][] = [];
    channel.onChannelAttrUpdated = (k, v, how) => updates.push([k, v, how]);
    let raw: unknown;
    sessions.alice!.call2('channel_join', { line: sessions.alice!.line, name: 'room' }, (_err, data) => (raw = data));
    await cloud.flush();
    // As `for…in` walks a JSON object: integer-like names first, then the order they were set.
    const expected = [['7', '3'], ['b', '1'], ['__proto__', '2'], ['constructor', '4'], ['a', '5']];
    expect(updates).toEqual(expected.map(([k, v]) => [k, v, 'update']));
    const rawAttrs = (raw as { attrs: Record<string, string> }).attrs;
    expect(Object.getPrototypeOf(rawAttrs)).toBe(Object.prototype);
    expect(Object.entries(rawAttrs)).toEqual(expected);
  });

  it('refuses bad names and values longer than 8 KB', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const cb = vi.fn();
    const admin = sessions.alice!;
    admin.invoke('io.agora.signal.channel_set_attr', { channel: 'room', name: 'x'.repeat(129), value: '1' }, cb);
    admin.invoke('io.agora.signal.channel_set_attr', { channel: 'room', name: 'big', value: 'x'.repeat(8 * 1024 + 1) }, cb);
    admin.invoke('io.agora.signal.channel_set_attr', { channel: 'room', name: 'none' }, cb);
    admin.invoke('io.agora.signal.channel_set_attr', { channel: '', name: 'a', value: '1' }, cb);
    await cloud.flush();
    expect(cb.mock.calls.map((c) => c[0])).toEqual(['invalid attribute name', 'value too long', 'invalid arguments', 'invalid channel name']);
  });

  it('_setattr_limit: updates beyond n per second are refused (cb() all the same) and logged', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const alice = await join(cloud, sessions.alice!, 'room');
    alice.channelSetAttr('_setattr_limit', '2');
    await cloud.advance(1000);
    const updates = vi.fn();
    alice.onChannelAttrUpdated = updates;
    const cb = vi.fn();
    alice.channelSetAttr('a', '1', cb);
    alice.channelSetAttr('b', '2', cb);
    alice.channelSetAttr('c', '3', cb);
    await cloud.flush();
    expect(cb).toHaveBeenCalledTimes(3);
    expect(updates.mock.calls.map((c) => c[0])).toEqual(['a', 'b']);
    expect(cloud.log.last({ kind: 'server', name: 'rate limited' })?.args).toEqual(['room', '_setattr_limit 2/s']);
    expect(cloud.log.last({ kind: 'server', name: 'refused' })?.args).toEqual(['channel_set_attr', 'too many attribute updates']);
    await cloud.advance(1000);
    alice.channelSetAttr('c', '3');
    await cloud.flush();
    expect(updates).toHaveBeenLastCalledWith('c', '3', 'update');
  });
});

describe('_member_num and _total_member_num', () => {
  it('are kept current by the server', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    await join(cloud, sessions.alice!, 'room');
    const bob = await join(cloud, sessions.bob!, 'room');
    expect(attrs(cloud)).toMatchObject({ _member_num: '2', _total_member_num: '2' });
    bob.channelLeave();
    await cloud.flush();
    expect(attrs(cloud)).toMatchObject({ _member_num: '1', _total_member_num: '2' });
    await join(cloud, sessions.bob!, 'room');
    expect(attrs(cloud)).toMatchObject({ _member_num: '2', _total_member_num: '2' }); // distinct accounts
  });

  it('_total_member_num counts each account once through leaves, rejoins, a new login of a member and an emptied channel', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob', 'carol']);
    const signal = cloud.Signal('app');
    const alice = await join(cloud, sessions.alice!, 'room');
    alice.channelSetAttr('_channel_ttl', '3600');
    const counts = (): [string | undefined, string | undefined] => [attrs(cloud)?._member_num, attrs(cloud)?._total_member_num];
    const carol = await join(cloud, sessions.carol!, 'room');
    carol.channelLeave();
    await cloud.flush();
    await join(cloud, sessions.carol!, 'room');
    expect(counts()).toEqual(['2', '2']);
    // bob logs in a second time: his first session ends (and leaves nothing: he was not in), the new one joins.
    const bob2 = signal.login('bob', '_no_need_token');
    await cloud.until(() => bob2.state === 2, { what: 'bob logged in again' });
    await join(cloud, bob2, 'room');
    expect(counts()).toEqual(['3', '3']);
    // alice logs in again while a member: her first session leaves, the new one joins.
    const alice2 = signal.login('alice', '_no_need_token');
    await cloud.until(() => alice2.state === 2, { what: 'alice logged in again' });
    expect(counts()).toEqual(['2', '3']);
    await join(cloud, alice2, 'room');
    expect(counts()).toEqual(['3', '3']);
    // (1.4.0 sends no logout without an onLogout.)
    for (const s of [alice2, bob2, sessions.carol!]) {
      s.onLogout = () => {};
      s.logout();
    }
    await cloud.flush();
    expect(counts()).toEqual(['0', '3']);
    const dave = signal.login('dave', '_no_need_token');
    await cloud.until(() => dave.state === 2, { what: 'dave logged in' });
    await join(cloud, dave, 'room');
    expect(counts()).toEqual(['1', '4']);
  });

  it('are not among a joiner\'s attributes unless their _auto_update_* setting is on', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const alice = await join(cloud, sessions.alice!, 'room');
    const first = sessions.bob!.channelJoin('room')!;
    first.onChannelAttrUpdated = vi.fn();
    await cloud.flush();
    expect(first.onChannelAttrUpdated).not.toHaveBeenCalled();
    alice.channelSetAttr('_auto_update_num', '5');
    alice.channelSetAttr('_auto_update_total_num', '10');
    await cloud.flush();
    const again = sessions.bob!.channelJoin('room')!;
    const updates = vi.fn();
    again.onChannelAttrUpdated = updates;
    await cloud.flush();
    expect(updates.mock.calls).toEqual([
      ['_auto_update_num', '5', 'update'],
      ['_auto_update_total_num', '10', 'update'],
      ['_member_num', '2', 'update'],
      ['_total_member_num', '2', 'update'],
    ]);
  });

  it('_auto_update_num n pushes _member_num to the members every n seconds of virtual time', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob', 'carol']);
    const alice = await join(cloud, sessions.alice!, 'room');
    alice.channelSetAttr('_auto_update_num', '5');
    await cloud.flush();
    const counts: Array<[number, string]> = [];
    const start = cloud.now();
    alice.onChannelAttrUpdated = (k: string, v: string) => {
      if (k === '_member_num') counts.push([cloud.now() - start, v]);
    };
    await cloud.advance(4_999);
    expect(counts).toEqual([]);
    await cloud.advance(1);
    await join(cloud, sessions.bob!, 'room');
    await join(cloud, sessions.carol!, 'room');
    await cloud.advance(5_000);
    expect(counts).toEqual([
      [5_000, '1'],
      [10_000, '3'],
    ]);
  });

  it('_auto_update_total_num n pushes _total_member_num every n seconds', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const alice = await join(cloud, sessions.alice!, 'room');
    const bob = await join(cloud, sessions.bob!, 'room');
    alice.channelSetAttr('_auto_update_total_num', '2');
    await cloud.flush();
    bob.channelLeave();
    await cloud.flush();
    const updates = vi.fn();
    alice.onChannelAttrUpdated = updates;
    await cloud.advance(4_000);
    expect(updates.mock.calls).toEqual([
      ['_total_member_num', '2', 'update'],
      ['_total_member_num', '2', 'update'],
    ]);
  });

  it('auto-updates stop when the channel empties, start again with the next member, and stop when the setting goes', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    const alice = await join(cloud, sessions.alice!, 'room');
    alice.channelSetAttr('_auto_update_num', '1');
    await cloud.advance(3_000);
    const pushes = () => cloud.log.count({ name: 'onChannelAttrUpdated', args: ['_member_num'] });
    expect(pushes()).toBe(3);
    alice.channelLeave();
    await cloud.advance(10_000);
    expect(pushes()).toBe(3);
    expect(cloud.time.scheduler.pending().filter((t) => t.label.includes('_member_num'))).toEqual([]);
    const bob = await join(cloud, sessions.bob!, 'room');
    expect(pushes()).toBe(4); // bob's join reply carries _member_num too
    await cloud.advance(2_000);
    expect(pushes()).toBe(6);
    bob.channelDelAttr('_auto_update_num');
    await cloud.advance(5_000);
    expect(pushes()).toBe(6);
  });
});
