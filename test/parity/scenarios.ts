import { CALL_CALLBACKS } from '../../src/sdk/callback-names.js';
// Parity scenarios: each is written once against the SDK's surface and runs with both kinds of
// client (see harness.ts). Clients log in one after another, so uids are the same in both runs.
// Where a scenario must show that something does NOT happen, it sends a later request on the
// same socket and waits for that reply: replies come back in order, so the absence is proven
// without a real-time wait.
import type { Call, Session } from 'agora-signaling-emulator';
import type { Scenario } from './harness.js';

const SECURE = { appId: 'secure', certificate: '5CFd2fd1755d40ecb72977518be15d3b' };

export const scenarios: Record<string, Scenario> = {
  'login succeeds with the server uid, state 1 then 2': async (w) => {
    const alice = w.login('alice');
    w.note('alice', 'status', alice.getStatus());
    await w.loggedIn(alice);
    w.note('alice', 'status', alice.getStatus());
    w.note('alice', 'uid', alice.uid);
  },

  'session fields, and methods that exist only once the socket has opened': async (w) => {
    const alice = w.login('alice');
    const surface = () => [alice.account, alice.state, alice.line, alice.uid, typeof alice.messageInstantSend, typeof alice.invoke, typeof alice.logout];
    w.note('alice', 'right after login()', ...surface());
    await w.loggedIn(alice);
    w.note('alice', 'logged in', ...surface());
  },

  'a non-string account is JSON-stringified': async (w) => {
    const session = w.login('42', { account: 42 as unknown as string });
    await w.loggedIn(session);
    w.note('42', 'account', session.account);
  },

  'two accounts get two uids': async (w) => {
    const alice = w.login('alice');
    await w.loggedIn(alice);
    const bob = w.login('bob');
    await w.loggedIn(bob);
  },

  'a wrong token fails with 206': async (w) => {
    w.cloud.createApp(SECURE);
    const alice = w.login('alice', { app: 'secure', token: `1:secure:4102444800:${'0'.repeat(32)}` });
    await w.until(() => alice.getStatus() === 0, 'the refusal');
    w.note('alice', 'status', alice.getStatus());
  },

  '_no_need_token on an app with a certificate fails with 206': async (w) => {
    w.cloud.createApp(SECURE);
    const alice = w.login('alice', { app: 'secure' });
    await w.until(() => alice.getStatus() === 0, 'the refusal');
  },

  'a valid token logs in': async (w) => {
    w.cloud.createApp(SECURE);
    const alice = w.login('alice', { app: 'secure', token: w.cloud.token('secure', 'alice') });
    await w.loggedIn(alice);
  },

  'an expired token fails with 204': async (w) => {
    w.cloud.createApp(SECURE);
    const alice = w.login('alice', { app: 'secure', token: w.cloud.token('secure', 'alice', { expiresIn: -60 }) });
    await w.until(() => alice.getStatus() === 0, 'the refusal');
  },

  // Time-based: on the wire this waits 2 s of real time (a token expires on a whole second, so
  // `expiresIn: 2` leaves between 1 and 2 s).
  'a token works until it expires, then fails with 204': async (w) => {
    w.cloud.createApp(SECURE);
    const token = w.cloud.token('secure', 'alice', { expiresIn: 2 });
    const before = w.login('alice#1', { app: 'secure', token });
    await w.loggedIn(before);
    await w.wait(2000);
    const after = w.login('alice#2', { app: 'secure', token });
    await w.until(() => after.getStatus() === 0, 'the refusal');
    w.note('alice#1', 'status', before.getStatus());
  },

  'an invalid account fails with 209': async (w) => {
    const spaced = w.login('spaced', { account: 'has space' });
    await w.until(() => spaced.getStatus() === 0, 'the refusal');
    const long = w.login('long', { account: 'x'.repeat(129) });
    await w.until(() => long.getStatus() === 0, 'the refusal');
  },

  'a refused login with no onLoginFailed stays in state 1': async (w) => {
    w.cloud.createApp(SECURE);
    const alice = w.login('alice', { app: 'secure', except: ['onLoginFailed'] });
    // The refusal has come back once a second client, logged in after, is in.
    const bob = w.login('bob');
    await w.loggedIn(bob);
    await w.settle();
    w.note('alice', 'status', alice.getStatus());
  },

  'a second login kicks the first with onLogout(103)': async (w) => {
    const first = w.login('alice#1');
    await w.loggedIn(first);
    const second = w.login('alice#2');
    await w.until(() => second.getStatus() === 2 && first.getStatus() === 0, 'the kick');
    w.note('alice#1', 'status', first.getStatus());
    w.note('alice#2', 'status', second.getStatus());
  },

  'logout() with onLogout: onLogout(101), and the user is offline': async (w) => {
    const alice = w.login('alice');
    await w.loggedIn(alice);
    const bob = w.login('bob');
    await w.loggedIn(bob);
    alice.logout();
    await w.until(() => alice.getStatus() === 0, 'the logout');
    bob.invoke('io.agora.signal.user_query_user_status', { account: 'alice' }, w.cb('bob', 'status of alice'));
    await w.until(() => w.events('bob').length === 2, 'the status reply');
  },

  'logout() without onLogout does nothing: still online': async (w) => {
    const alice = w.login('alice', { except: ['onLogout'] });
    await w.loggedIn(alice);
    alice.logout();
    // A request sent after logout() comes back after anything logout() could have caused.
    alice.invoke('io.agora.signal.user_query_user_status', { account: 'alice' }, w.cb('alice', 'own status'));
    await w.until(() => w.events('alice').length === 2, 'the status reply');
    w.note('alice', 'status', alice.getStatus());
  },

  'logout() twice: onLogout(101) once': async (w) => {
    const alice = w.login('alice');
    await w.loggedIn(alice);
    alice.logout();
    alice.logout();
    await w.until(() => alice.getStatus() === 0, 'the logout');
    await w.settle();
  },

  'logout() while logging in: state 0 and no callback ever': async (w) => {
    const alice = w.login('alice');
    alice.logout();
    w.note('alice', 'status', alice.getStatus());
    const bob = w.login('bob');
    await w.loggedIn(bob);
    await w.settle();
    bob.invoke('io.agora.signal.user_query_user_status', { account: 'alice' }, w.cb('bob', 'status of alice'));
    await w.until(() => w.events('bob').length === 2, 'the status reply');
    w.note('alice', 'status', alice.getStatus());
  },

  'peer messages both ways, with cb(false) to each sender': async (w) => {
    const alice = w.login('alice');
    await w.loggedIn(alice);
    const bob = w.login('bob');
    await w.loggedIn(bob);
    alice.messageInstantSend('bob', 'hello bob', w.cb('alice', 'sent'));
    await w.until(() => w.events('bob').length === 2, 'bob receives');
    bob.messageInstantSend('alice', 'hi alice', w.cb('bob', 'sent'));
    await w.until(() => w.events('alice').length === 3 && w.events('bob').length === 3, 'alice receives');
  },

  'peer messages keep their order, and any text survives the wire': async (w) => {
    const alice = w.login('alice');
    await w.loggedIn(alice);
    const bob = w.login('bob');
    await w.loggedIn(bob);
    const texts = ['one', 'two  spaced  out ', '', ' leading', 'line\nbreak', '{"json":[1,2]}', 'msg-v2 a b c d e f', 'é ü 中文 🎉', 'three'];
    for (const text of texts) alice.messageInstantSend('bob', text, w.cb('alice', 'sent'));
    await w.until(() => w.events('bob').length === 1 + texts.length && w.events('alice').length === 1 + texts.length, 'every message');
  },

  'a callback that throws is caught and printed, and the next message still arrives': async (w) => {
    const alice = w.login('alice');
    await w.loggedIn(alice);
    const bob = w.login('bob');
    await w.loggedIn(bob);
    const printError = console.error;
    console.error = (...args: unknown[]) => w.note('bob', 'console.error', ...args.map(String));
    try {
      bob.onMessageInstantReceive = (from: string, uid: number, msg: string) => {
        w.note('bob', 'onMessageInstantReceive', from, uid, msg);
        throw new Error(`app bug on ${msg}`);
      };
      alice.messageInstantSend('bob', 'one');
      alice.messageInstantSend('bob', 'two');
      await w.until(() => w.events('bob').length === 5, 'both messages');
    } finally {
      console.error = printError;
    }
  },

  'a message to oneself is delivered': async (w) => {
    const alice = w.login('alice');
    await w.loggedIn(alice);
    alice.messageInstantSend('alice', 'note to self', w.cb('alice', 'sent'));
    await w.until(() => w.events('alice').length === 3, 'the message');
  },

  'a message over 8 KB is refused with cb(true)': async (w) => {
    const alice = w.login('alice');
    await w.loggedIn(alice);
    const bob = w.login('bob');
    await w.loggedIn(bob);
    alice.messageInstantSend('bob', 'x'.repeat(8 * 1024 + 1), w.cb('alice', 'sent too long'));
    alice.messageInstantSend('bob', 'x'.repeat(8 * 1024), w.cb('alice', 'sent 8 KB'));
    await w.until(() => w.events('alice').length === 3 && w.events('bob').length === 2, 'both replies');
    w.note('bob', 'length', (w.events('bob')[1]!.args[2] as string).length);
  },

  'a message to an offline peer is delivered right after its next onLoginSuccess': async (w) => {
    const alice = w.login('alice');
    await w.loggedIn(alice);
    alice.messageInstantSend('bob', 'while you were out', w.cb('alice', 'sent'));
    alice.messageInstantSend('bob', 'and another', w.cb('alice', 'sent'));
    await w.until(() => w.events('alice').length === 3, 'the sends');
    const bob = w.login('bob');
    await w.until(() => w.events('bob').length === 3, 'the stored messages');
  },

  'invoke replies: status, user attributes, unknown and unprefixed functions': async (w) => {
    const alice = w.login('alice');
    await w.loggedIn(alice);
    const bob = w.login('bob');
    await w.loggedIn(bob);
    const status = 'io.agora.signal.user_query_user_status';
    alice.invoke(status, { account: 'bob' }, w.cb('alice', 'status of bob'));
    alice.invoke(status, { account: 'nobody' }, w.cb('alice', 'status of nobody'));
    alice.invoke('io.agora.signal.user_set_attr', { name: 'mood', value: 'sunny' }, w.cb('alice', 'set mood'));
    alice.invoke('io.agora.signal.user_set_attr', { name: 'city', value: 'Oslo' }, w.cb('alice', 'set city'));
    alice.invoke('user_query_user_status', { account: 'bob' }, w.cb('alice', 'unprefixed (never called)'));
    alice.invoke('io.agora.signal.no_such_function', {}, w.cb('alice', 'unknown function'));
    alice.invoke('io.agora.signal.user_get_attr', { account: 7 }, w.cb('alice', 'bad arguments'));
    await w.until(() => w.events('alice').length === 7, "alice's replies");
    bob.invoke('io.agora.signal.user_get_attr', { account: 'alice', name: 'mood' }, w.cb('bob', 'get mood'));
    bob.invoke('io.agora.signal.user_get_attr', { account: 'alice', name: 'none' }, w.cb('bob', 'get missing'));
    bob.invoke('io.agora.signal.user_get_attr_all', { account: 'alice' }, w.cb('bob', 'get all'));
    bob.invoke('io.agora.signal.user_get_attr_all', { account: 'nobody' }, w.cb('bob', 'get all of nobody'));
    await w.until(() => w.events('bob').length === 5, "bob's replies");
  },

  'invoke writes args.line into the caller object': async (w) => {
    const alice = w.login('alice');
    await w.loggedIn(alice);
    const args: Record<string, unknown> = { account: 'alice' };
    alice.invoke('io.agora.signal.user_query_user_status', args, w.cb('alice', 'status'));
    w.note('alice', 'line written', args.line === alice.line && alice.line !== '');
    await w.until(() => w.events('alice').length === 3, 'the reply');
  },
};

/** Alice and bob logged in, one after the other (so alice is uid 1, bob uid 2). */
async function aliceAndBob(w: Parameters<Scenario>[0]) {
  const alice = w.login('alice');
  await w.loggedIn(alice);
  const bob = w.login('bob');
  await w.loggedIn(bob);
  return { alice, bob };
}

export const channelScenarios: Record<string, Scenario> = {
  'a join gives onChannelJoined, the user list, then each attribute; the others see onChannelUserJoined': async (w) => {
    const { alice, bob } = await aliceAndBob(w);
    const room = w.join('alice', alice, 'room');
    await w.until(() => room.state === 'joined', 'alice joined');
    room.channelSetAttr('color', 'red', w.cb('alice', 'set color'));
    room.channelSetAttr('size', '3', w.cb('alice', 'set size'));
    await w.until(() => w.count('alice', 'room.onChannelAttrUpdated') === 2, 'both attributes');
    const bobsRoom = w.join('bob', bob, 'room');
    await w.until(() => w.count('bob', 'room.onChannelAttrUpdated') === 2 && w.count('alice', 'room.onChannelUserJoined') === 1, 'bob joined');
    w.note('bob', 'channel', bobsRoom.name, bobsRoom.state);
  },

  'a channel message reaches every member, its sender too, and the sender gets cb()': async (w) => {
    const { alice, bob } = await aliceAndBob(w);
    const a = w.join('alice', alice, 'room');
    await w.until(() => a.state === 'joined', 'alice joined');
    const b = w.join('bob', bob, 'room');
    await w.until(() => b.state === 'joined' && w.count('alice', 'room.onChannelUserJoined') === 1, 'bob joined');
    a.messageChannelSend('hello  room {"x":1}', w.cb('alice', 'sent'));
    await w.until(() => w.count('alice', 'room.onMessageChannelReceive') === 1 && w.count('bob', 'room.onMessageChannelReceive') === 1, 'the message');
    b.messageChannelSend('x'.repeat(8 * 1024 + 1), w.cb('bob', 'sent too long'));
    await w.until(() => w.count('bob', 'sent too long') === 1, 'the refusal');
  },

  'channel attributes: set, delete, clear reach every member; a delete of nothing tells nobody': async (w) => {
    const { alice, bob } = await aliceAndBob(w);
    const a = w.join('alice', alice, 'room');
    await w.until(() => a.state === 'joined', 'alice joined');
    const b = w.join('bob', bob, 'room');
    await w.until(() => b.state === 'joined' && w.count('alice', 'room.onChannelUserJoined') === 1, 'bob joined');
    a.channelSetAttr('topic', 'cats', w.cb('alice', 'set'));
    await w.until(() => w.count('bob', 'room.onChannelAttrUpdated') === 1, 'the update');
    b.channelDelAttr('nothing', w.cb('bob', 'del nothing'));
    b.channelDelAttr('topic', w.cb('bob', 'del'));
    await w.until(() => w.count('alice', 'room.onChannelAttrUpdated') === 2 && w.count('bob', 'del') === 1, 'the delete');
    a.channelSetAttr('k1', 'v1');
    a.channelSetAttr('k2', 'v2');
    a.channelClearAttr(w.cb('alice', 'clear'));
    await w.until(() => w.count('alice', 'room.onChannelAttrUpdated') === 5 && w.count('bob', 'room.onChannelAttrUpdated') === 5, 'the clear');
  },

  'channelLeave(cb): cb() and no onChannelLeaved; channelLeave(): onChannelLeaved(0); the others see them go': async (w) => {
    const { alice, bob } = await aliceAndBob(w);
    const carol = w.login('carol');
    await w.loggedIn(carol);
    const a = w.join('alice', alice, 'room');
    await w.until(() => a.state === 'joined', 'alice joined');
    const b = w.join('bob', bob, 'room');
    await w.until(() => b.state === 'joined', 'bob joined');
    const c = w.join('carol', carol, 'room');
    await w.until(() => c.state === 'joined' && w.count('alice', 'room.onChannelUserJoined') === 2 && w.count('bob', 'room.onChannelUserJoined') === 1, 'carol joined');
    b.channelLeave(w.cb('bob', 'left'));
    await w.until(() => b.state === 'leaved' && w.count('alice', 'room.onChannelUserLeaved') === 1 && w.count('carol', 'room.onChannelUserLeaved') === 1, 'bob left');
    c.channelLeave();
    await w.until(() => c.state === 'leaved' && w.count('alice', 'room.onChannelUserLeaved') === 2, 'carol left');
    w.note('bob', 'state', b.state);
  },

  'a member whose session ends leaves the channel: logout and kick': async (w) => {
    const { alice, bob } = await aliceAndBob(w);
    const a = w.join('alice', alice, 'room');
    await w.until(() => a.state === 'joined', 'alice joined');
    const b = w.join('bob', bob, 'room');
    await w.until(() => b.state === 'joined' && w.count('alice', 'room.onChannelUserJoined') === 1, 'bob joined');
    bob.logout();
    await w.until(() => w.count('alice', 'room.onChannelUserLeaved') === 1, 'bob logged out');
    const bob2 = w.login('bob#2', { account: 'bob' });
    await w.loggedIn(bob2);
    const b2 = w.join('bob#2', bob2, 'room');
    await w.until(() => b2.state === 'joined' && w.count('alice', 'room.onChannelUserJoined') === 2, 'bob back');
    w.login('bob#3', { account: 'bob' });
    await w.until(() => w.count('alice', 'room.onChannelUserLeaved') === 2 && w.count('bob#2', 'onLogout') === 1, 'bob kicked');
  },

  'a refused join fires onChannelJoinFailed with the reason': async (w) => {
    const { alice } = await aliceAndBob(w);
    const long = w.join('alice', alice, 'x'.repeat(129));
    await w.until(() => w.events('alice').length === 2, 'the refusal');
    w.note('alice', 'state', long.state);
  },

  'one current Channel (quirk of 1.4.0): join a then b, and b hears both replies and every event': async (w) => {
    const { alice, bob } = await aliceAndBob(w);
    const a = w.join('alice', alice, 'a');
    const b = w.join('alice', alice, 'b');
    await w.until(() => w.count('alice', 'b.onChannelJoined') === 2, 'both replies');
    const bobInA = w.join('bob', bob, 'a');
    await w.until(() => bobInA.state === 'joined' && w.count('alice', 'b.onChannelUserJoined') === 1, 'bob joined a');
    a.channelLeave();
    await w.until(() => b.state === 'leaved', 'the leave reply');
    w.note('alice', 'states', a.state, b.state);
  },

  'channel invoke queries: num, isin, userlist': async (w) => {
    const { alice, bob } = await aliceAndBob(w);
    const a = w.join('alice', alice, 'room');
    await w.until(() => a.state === 'joined', 'alice joined');
    const q = 'io.agora.signal.';
    bob.invoke(`${q}channel_query_num`, { name: 'room' }, w.cb('bob', 'num'));
    bob.invoke(`${q}channel_query_user_isin`, { name: 'room', account: 'alice' }, w.cb('bob', 'isin alice'));
    bob.invoke(`${q}channel_query_user_isin`, { name: 'room', account: 'bob' }, w.cb('bob', 'isin bob'));
    bob.invoke(`${q}channel_query_userlist`, { name: 'room' }, w.cb('bob', 'userlist'));
    bob.invoke(`${q}channel_query_num`, { name: 'nowhere' }, w.cb('bob', 'num of nowhere'));
    await w.until(() => w.events('bob').length === 6, 'the replies');
  },
};

/** Every callback of `call` records under `client` as `label.callback`. */
function recordCall(w: Parameters<Scenario>[0], client: string, call: Call, label: string): Call {
  for (const name of CALL_CALLBACKS) {
    (call as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => w.note(client, `${label}.${name}`, ...args);
  }
  return call;
}

/** `session.onInviteReceived` records the Call (its data fields), records its callbacks, then runs `answer`. */
function onInvite(w: Parameters<Scenario>[0], client: string, session: Session, answer: (call: Call) => void = () => {}): Call[] {
  const calls: Call[] = [];
  session.onInviteReceived = (call: Call) => {
    w.note(client, 'onInviteReceived', call);
    calls.push(recordCall(w, client, call, `call${calls.length + 1}`));
    answer(call);
  };
  return calls;
}

export const callScenarios: Record<string, Scenario> = {
  'a call: invite → ack → accept → the caller ends it (onInviteEndByMyself before channelInviteEnd returns)': async (w) => {
    const { alice, bob } = await aliceAndBob(w);
    onInvite(w, 'bob', bob, (call) => call.channelInviteAccept('{"ok":1}'));
    const call = recordCall(w, 'alice', alice.channelInviteUser2('room-1', 'bob', { topic: 'lunch' }), 'call');
    w.note('alice', 'call', call.channelName, call.peer, call.extra);
    await w.until(() => w.count('alice', 'call.onInviteAcceptedByPeer') === 1, 'the accept');
    call.channelInviteEnd('bye');
    w.note('alice', 'channelInviteEnd returned');
    await w.until(() => w.count('bob', 'call1.onInviteEndByPeer') === 1, 'the end');
  },

  'a call: invite → ack → accept → the callee ends it': async (w) => {
    const { alice, bob } = await aliceAndBob(w);
    const bobCalls = onInvite(w, 'bob', bob, (call) => call.channelInviteAccept());
    recordCall(w, 'alice', alice.channelInviteUser2('room-1', 'bob', '{"topic":"text extra"}'), 'call');
    await w.until(() => w.count('alice', 'call.onInviteAcceptedByPeer') === 1, 'the accept');
    bobCalls[0]!.channelInviteEnd();
    w.note('bob', 'channelInviteEnd returned');
    await w.until(() => w.count('alice', 'call.onInviteEndByPeer') === 1, 'the end');
  },

  'a refused invite: onInviteRefusedByPeer with the extra': async (w) => {
    const { alice, bob } = await aliceAndBob(w);
    onInvite(w, 'bob', bob, (call) => call.channelInviteRefuse('{"busy":true}'));
    recordCall(w, 'alice', alice.channelInviteUser2('room-1', 'bob'), 'call');
    await w.until(() => w.count('alice', 'call.onInviteRefusedByPeer') === 1, 'the refusal');
  },

  'an invite with _require_peer_online to an offline callee fails at once': async (w) => {
    const { alice } = await aliceAndBob(w);
    const call = recordCall(w, 'alice', alice.channelInviteUser2('room-1', 'carol', { _require_peer_online: 1 }), 'call');
    await w.until(() => w.count('alice', 'call.onInviteFailed') === 1, 'the failure');
    w.note('alice', 'reason', JSON.parse(w.events('alice').at(-1)!.args[0] as string).reason, call.peer);
  },

  'DTMF both ways: onInviteMsg with {"msgtype":"dtmf","msgdata":…}': async (w) => {
    const { alice, bob } = await aliceAndBob(w);
    const bobCalls = onInvite(w, 'bob', bob, (call) => call.channelInviteAccept());
    const call = recordCall(w, 'alice', alice.channelInviteUser2('room-1', 'bob'), 'call');
    await w.until(() => w.count('alice', 'call.onInviteAcceptedByPeer') === 1, 'the accept');
    call.channelInviteDTMF('12#');
    call.channelInviteDTMF('*0');
    await w.until(() => w.count('bob', 'call1.onInviteMsg') === 2, 'the digits');
    bobCalls[0]!.channelInviteDTMF('9');
    await w.until(() => w.count('alice', 'call.onInviteMsg') === 1, 'the digit back');
  },

  'a re-invite: the callee\'s old call fails with reinvite, then the new one arrives': async (w) => {
    const { alice, bob } = await aliceAndBob(w);
    onInvite(w, 'bob', bob);
    recordCall(w, 'alice', alice.channelInviteUser2('room-1', 'bob', '{"n":1}'), 'first');
    await w.until(() => w.count('alice', 'first.onInviteReceivedByPeer') === 1, 'the first ack');
    recordCall(w, 'alice', alice.channelInviteUser2('room-1', 'bob', '{"n":2}'), 'second');
    await w.until(() => w.count('alice', 'second.onInviteReceivedByPeer') === 1, 'the second ack');
  },

  // Time-based: on the wire this waits about 1 s of real time.
  'an unanswered invite with _timeout: 1 fails with timeout on both sides': async (w) => {
    const { alice, bob } = await aliceAndBob(w);
    onInvite(w, 'bob', bob);
    recordCall(w, 'alice', alice.channelInviteUser2('room-1', 'bob', { _timeout: 1 }), 'call');
    await w.until(() => w.count('alice', 'call.onInviteReceivedByPeer') === 1, 'the ack');
    await w.wait(1000);
    await w.until(() => w.count('alice', 'call.onInviteFailed') === 1 && w.count('bob', 'call1.onInviteFailed') === 1, 'the timeout');
  },

  'onInviteFailed left unset when the invite request fails: 1.4.0 prints a TypeError': async (w) => {
    const { alice } = await aliceAndBob(w);
    const printError = console.error;
    console.error = (...args: unknown[]) => w.note('alice', 'console.error', ...args.map(String));
    try {
      alice.channelInviteUser2('room-1', 'carol', { _require_peer_online: 1 });
      await w.until(() => w.count('alice', 'console.error') === 1, 'the failure');
    } finally {
      console.error = printError;
    }
  },
};
