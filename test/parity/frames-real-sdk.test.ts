// Frames checked against the real SDK 1.4.0 one by one, where no parity scenario reaches them
// yet: channel events the server leaves unnumbered, call signalling (its server side comes in a
// later issue), a server close, and the frames the wire holds back because 1.4.0 would throw.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCloud, type Cloud, type WireServer } from 'agora-signaling-emulator';
import { connect } from '../wire/raw-client.js';
import { guardUncaught, installGlobals, loadSdk, quietUrlLogs, stopRealSession, type RealSignalFactory } from './real-sdk.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type RealSession = Record<string, any>;

let RealSignal: RealSignalFactory;
let restore: Array<() => void> = [];
let guard: ReturnType<typeof guardUncaught>;
let cloud: Cloud;
let server: WireServer;
let alice: RealSession;

type Push = Parameters<Cloud['server']['push']>[1];
type ChannelEvent = Extract<Push, { type: 'channel2' }>['event'];
const seen: unknown[][] = [];

const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 3000, interval: 5 });
const serverSession = (account: string) => cloud.server.apps.get('app')!.sessions.get(account)!;
const record = (target: RealSession, names: string[]) => {
  for (const name of names) target[name] = (...args: unknown[]) => seen.push([name, ...args]);
};

beforeAll(() => {
  restore = [installGlobals(), quietUrlLogs()];
  guard = guardUncaught();
  RealSignal = loadSdk();
});

afterAll(() => {
  guard.remove();
  for (const r of restore) r();
});

beforeEach(async () => {
  seen.length = 0;
  cloud = createCloud({ clock: 'global' });
  server = await cloud.listen();
  const signal = RealSignal('app');
  signal.setup_debugging('ap_url', server.url);
  alice = signal.login('alice', '_no_need_token') as unknown as RealSession;
  record(alice, ['onLoginSuccess', 'onLogout', 'onMessageInstantReceive', 'onInviteReceived']);
  await waitFor(() => expect(alice.getStatus()).toBe(2));
});

afterEach(async () => {
  stopRealSession(alice as { state: number });
  await server.close();
  cloud.dispose();
  expect(guard.errors).toEqual([]);
});

describe('frames the real SDK 1.4.0 takes', () => {
  it('channel2 events of every kind reach the current Channel; unnumbered or non-increasing ones are numbered so that none is dropped', async () => {
    const channel = alice.channelJoin('room');
    record(channel, ['onChannelJoined', 'onChannelUserList', 'onChannelAttrUpdated', 'onMessageChannelReceive', 'onChannelUserJoined', 'onChannelUserLeaved']);
    await waitFor(() => expect(channel.state).toBe('joined'));
    const events: Array<[number, ChannelEvent]> = [
      [0, { type: 'channel_user_join', account: 'bob', uid: 2 }],
      [0, { type: 'channel_msg', account: 'bob', uid: 2, msg: 'hello  room {"x":1}' }],
      [10, { type: 'channel_attr_update', name: 'color', value: 'blue', change: 'update' }],
      [5, { type: 'channel_attr_update', name: 'color', value: '', change: 'del' }],
      [11, { type: 'channel_user_leave', account: 'bob', uid: 2 }],
    ];
    for (const [msgid, event] of events) cloud.server.push(serverSession('alice'), { type: 'channel2', channel: 'room', msgid, event });
    await waitFor(() => expect(seen).toHaveLength(1 + 2 + events.length));
    expect(seen.slice(1)).toEqual([
      ['onChannelJoined'],
      ['onChannelUserList', [['alice', 1]]],
      ['onChannelUserJoined', 'bob', 2],
      ['onMessageChannelReceive', 'bob', 2, 'hello  room {"x":1}'],
      ['onChannelAttrUpdated', 'color', 'blue', 'update'],
      ['onChannelAttrUpdated', 'color', '', 'del'],
      ['onChannelUserLeaved', 'bob', 2],
    ]);
  });

  it('a channel2 event for a connection that never called channelJoin is withheld and logged (1.4.0 would throw)', async () => {
    cloud.server.push(serverSession('alice'), { type: 'channel2', channel: 'room', msgid: 1, event: { type: 'channel_user_join', account: 'bob', uid: 2 } });
    expect(cloud.log.first({ kind: 'server', name: 'channel2 withheld' })?.args.slice(0, 2)).toEqual(['room', 'channel_user_join']);
    const bob = await connect(server.url);
    await bob.login('bob');
    await bob.call2('user_sendmsg', { peer: 'alice', t: 'instant', content: 'still fine' });
    await waitFor(() => expect(seen.at(-1)).toEqual(['onMessageInstantReceive', 'bob', 0, 'still fine']));
  });

  it('call signalling (voip_*) arrives as a user message: onInviteReceived with the Call', async () => {
    const bob = await connect(server.url);
    await bob.login('bob');
    const content = JSON.stringify({ channel: 'room1', peer: 'bob', extra: '{"k":1}' });
    await bob.call2('user_sendmsg', { peer: 'alice', t: 'voip_invite', content });
    await waitFor(() => expect(seen.at(-1)?.[0]).toBe('onInviteReceived'));
    expect(seen.at(-1)![1]).toMatchObject({ channelName: 'room1', peer: 'bob', extra: '{"k":1}' });
  });

  it('a voip_* message whose content is not JSON is made unreadable instead (1.4.0 would throw), and the next message still arrives', async () => {
    const bob = await connect(server.url);
    await bob.login('bob');
    await bob.call2('user_sendmsg', { peer: 'alice', t: 'voip_invite', content: 'not json' });
    await bob.call2('user_sendmsg', { peer: 'alice', t: 'instant', content: 'after' });
    await waitFor(() => expect(seen.at(-1)).toEqual(['onMessageInstantReceive', 'bob', 0, 'after']));
    expect(seen.map((s) => s[0])).toEqual(['onLoginSuccess', 'onMessageInstantReceive']);
    expect(cloud.log.first({ kind: 'server', name: 'message not encodable' })?.args.slice(0, 3)).toEqual(['bob', 'voip_invite', 'voip content is not JSON']);
  });

  it('a server close gives onLogout(102)', async () => {
    cloud.server.close(serverSession('alice'), 'maintenance');
    await waitFor(() => expect(seen.at(-1)).toEqual(['onLogout', 102]));
    expect(alice.getStatus()).toBe(0);
  });
});
