// The operations a fuzz sequence is made of, as plain data (so a failing sequence prints, and
// replays, as it is), and the fast-check arbitraries that generate them.
import fc from 'fast-check';

/** Channels the clients join: two rooms, one with spaces in its name, and a special channel. */
export const CHANNELS = ['room-a', 'room-b', 'room b c', '_agora_user_online'] as const;
/** Channels calls are made on. */
export const CALL_CHANNELS = ['call-1', 'call-2'] as const;
/** Attribute names the clients set and delete (a built-in among them). */
export const ATTR_NAMES = ['topic', 'mood', '_userNotification'] as const;
/** Requests `failNext` refuses. */
export const FAIL_NEXT = ['login', 'user_sendmsg', 'channel_join', 'channel_leave', 'channel_sendmsg', 'voip_invite', 'user_getmsg'] as const;

/** Texts with something odd in them, appended to the unique id of a message. */
export const TEXTS = ['', ' hello', ' two  spaces', ' é ü 中文', ' 🎉👩‍👩‍👧', ' {"json":1}', ' msg-v2 a b c d e f', ' line\nbreak'] as const;

export type Op =
  // ---- the app, through the SDK (`c`: the client; `old`: its previous Session instead of its latest) ----
  | { op: 'login'; c: number; onLogout: boolean; onLoginFailed: boolean; reconnectCount: number }
  | { op: 'logout'; c: number; old: boolean }
  | { op: 'send'; c: number; to: number; text: number; big: boolean; old: boolean }
  | { op: 'join'; c: number; ch: number }
  | { op: 'leave'; c: number; ch: number; withCb: boolean }
  | { op: 'channelSend'; c: number; ch: number; text: number; big: boolean }
  | { op: 'setAttr'; c: number; ch: number; key: number; value: number }
  | { op: 'delAttr'; c: number; ch: number; key: number }
  | { op: 'clearAttr'; c: number; ch: number }
  | { op: 'queryNum'; c: number; ch: number }
  | { op: 'invite'; c: number; to: number; ch: number; extra: 'none' | 'online' | 'timeout' | 'text' | 'bad' }
  | { op: 'answer'; c: number; call: number; how: 'accept' | 'refuse' | 'end' | 'dtmf' }
  // ---- time ----
  | { op: 'advance'; ms: number }
  // ---- faults: the network ----
  | { op: 'disconnect'; c: number; how: 'close' | 'error'; attempts: 'refused' | 'unanswered'; for: number | null }
  | { op: 'reconnect'; c: number }
  | { op: 'outage'; ms: number; how: 'close' | 'error' }
  | { op: 'loss'; p: number; c: number | null; direction: 'up' | 'down' | 'both'; kind: string | null }
  | { op: 'duplicate'; c: number | null; direction: 'up' | 'down' | 'both'; kind: string | null }
  | { op: 'jitter'; max: number }
  | { op: 'hold'; c: number; direction: 'up' | 'down' }
  | { op: 'removeRule'; i: number }
  | { op: 'release' }
  // ---- faults: the service ----
  | { op: 'kick'; c: number }
  | { op: 'closeSession'; c: number }
  | { op: 'expireToken'; c: number; effect: 'next-login' | 'kick' | 'close' }
  | { op: 'failNext'; name: number; c: number | null; times: number }
  | { op: 'limit'; maxMembers: number };

const client = fc.nat({ max: 19 });
const channel = fc.nat({ max: CHANNELS.length - 1 });
const text = fc.nat({ max: TEXTS.length - 1 });
const rare = fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 });
/** Kinds a loss or duplication rule may select (`null`: everything). */
const ruleKind = fc.constantFrom(null, 'msg', 'call2-ret', 'user_sendmsg', 'channel2', 'channel_sendmsg', 'user_getmsg', 'kick', 'login_ret', 'channel_join');
const direction = fc.constantFrom('up' as const, 'down' as const, 'both' as const);

const w = (weight: number, arbitrary: fc.Arbitrary<Op>) => ({ weight, arbitrary });
const sdkOps = [
  w(2, fc.record({ op: fc.constant('login' as const), c: client, onLogout: fc.boolean(), onLoginFailed: fc.boolean(), reconnectCount: fc.constantFrom(0, 2) })),
  w(1, fc.record({ op: fc.constant('logout' as const), c: client, old: rare })),
  w(3, fc.record({ op: fc.constant('send' as const), c: client, to: client, text, big: rare, old: rare })),
  w(2, fc.record({ op: fc.constant('join' as const), c: client, ch: channel })),
  w(1, fc.record({ op: fc.constant('leave' as const), c: client, ch: channel, withCb: fc.boolean() })),
  w(3, fc.record({ op: fc.constant('channelSend' as const), c: client, ch: channel, text, big: rare })),
  w(1, fc.record({ op: fc.constant('setAttr' as const), c: client, ch: channel, key: fc.nat({ max: ATTR_NAMES.length - 1 }), value: fc.nat({ max: 3 }) })),
  w(1, fc.record({ op: fc.constant('delAttr' as const), c: client, ch: channel, key: fc.nat({ max: ATTR_NAMES.length - 1 }) })),
  w(1, fc.record({ op: fc.constant('clearAttr' as const), c: client, ch: channel })),
  w(1, fc.record({ op: fc.constant('queryNum' as const), c: client, ch: channel })),
  w(2, fc.record({ op: fc.constant('invite' as const), c: client, to: client, ch: fc.nat({ max: CALL_CHANNELS.length - 1 }), extra: fc.constantFrom('none' as const, 'online' as const, 'timeout' as const, 'text' as const, 'bad' as const) })),
  w(2, fc.record({ op: fc.constant('answer' as const), c: client, call: fc.nat({ max: 3 }), how: fc.constantFrom('accept' as const, 'refuse' as const, 'end' as const, 'dtmf' as const) })),
];

const timeOps: fc.Arbitrary<Op>[] = [fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(0, 30, 200, 1_000, 5_000, 21_000, 61_000) })];

const faultOps: fc.Arbitrary<Op>[] = [
  fc.record({ op: fc.constant('disconnect' as const), c: client, how: fc.constantFrom('close' as const, 'error' as const), attempts: fc.constantFrom('refused' as const, 'unanswered' as const), for: fc.constantFrom(null, 500, 3_000) }),
  fc.record({ op: fc.constant('reconnect' as const), c: client }),
  fc.record({ op: fc.constant('outage' as const), ms: fc.constantFrom(300, 2_000, 8_000), how: fc.constantFrom('close' as const, 'error' as const) }),
  fc.record({ op: fc.constant('loss' as const), p: fc.constantFrom(0.3, 1), c: fc.option(client, { nil: null }), direction, kind: ruleKind }),
  fc.record({ op: fc.constant('duplicate' as const), c: fc.option(client, { nil: null }), direction, kind: ruleKind }),
  fc.record({ op: fc.constant('jitter' as const), max: fc.constantFrom(20, 300) }),
  fc.record({ op: fc.constant('hold' as const), c: client, direction: fc.constantFrom('up' as const, 'down' as const) }),
  fc.record({ op: fc.constant('removeRule' as const), i: fc.nat({ max: 5 }) }),
  fc.constant({ op: 'release' as const }),
  fc.record({ op: fc.constant('kick' as const), c: client }),
  fc.record({ op: fc.constant('closeSession' as const), c: client }),
  fc.record({ op: fc.constant('expireToken' as const), c: client, effect: fc.constantFrom('next-login' as const, 'kick' as const, 'close' as const) }),
  fc.record({ op: fc.constant('failNext' as const), name: fc.nat({ max: FAIL_NEXT.length - 1 }), c: fc.option(client, { nil: null }), times: fc.constantFrom(1, 2) }),
  fc.record({ op: fc.constant('limit' as const), maxMembers: fc.constantFrom(1, 2, 10_000) }),
];

/** One operation: mostly the app, then time, then faults. */
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.oneof(...sdkOps), weight: 14 },
  { arbitrary: fc.oneof(...timeOps), weight: 3 },
  { arbitrary: fc.oneof(...faultOps), weight: 4 },
);

/**
 * A whole sequence: how many clients, the cloud's seed and latency, how many clients log in
 * (and join a room) before the operations start, and the operations.
 */
export interface Sequence {
  clients: number;
  seed: number;
  latency: number;
  /** Clients 0…loggedIn-1 log in first (every callback set), and the even ones join `room-a`. */
  loggedIn: number;
  ops: Op[];
}

export function sequenceArb(maxOps = 40): fc.Arbitrary<Sequence> {
  return fc
    .record({
      clients: fc.integer({ min: 2, max: 20 }),
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      latency: fc.constantFrom(0, 0, 20, 80),
      loggedIn: fc.nat({ max: 20 }),
      ops: fc.array(opArb, { minLength: 1, maxLength: maxOps, size: 'max' }),
    })
    .map((s) => ({ ...s, loggedIn: Math.min(s.loggedIn, s.clients) }));
}
