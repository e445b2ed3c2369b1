// The operations of the differential fuzzer: what an app does with the SDK (login, logout,
// messages, invoke, channels, calls, and calls made from inside callbacks) and what a test does
// to the cloud (the faults that reach both transports), for 2 to 6 clients. Plain data, so
// that fast-check can shrink a sequence and a failure can print it.
import fc from 'fast-check';

/** What a client does from inside one of its callbacks, chosen at its login. */
export type Inside =
  | 'nothing'
  /** `session.logout()` inside `onLogout`. */
  | 'logout in onLogout'
  /** `messageInstantSend` and `channelJoin` inside `onLogout` (they act in the state 1.4.0 still has). */
  | 'send and join in onLogout'
  /** `channelJoin('ch1')` inside `onLoginSuccess`. */
  | 'join in onLoginSuccess'
  /** `channelJoin('ch1')` inside `onLoginSuccess`, and `channelInviteUser2` to each joiner inside `onChannelUserJoined`. */
  | 'invite in onChannelUserJoined'
  /** `getStatus()` and a peer message inside `onLoginFailed`. */
  | 'send in onLoginFailed';

export type TokenKind = 'none' | 'valid' | 'wrong' | 'expired' | 'expires in 2 s';
export type TextKind = 'short' | 'spaces and json' | '8 KB - 1' | '8 KB' | '8 KB + 1' | 'empty';
export type ExtraKind = 'none' | 'object' | 'text' | 'require online' | 'timeout 1' | 'require online + timeout 1';

export type Op =
  | { op: 'login'; c: number; as: number; token: TokenKind; inside: Inside; unset: 'none' | 'onLogout' | 'onLoginFailed'; then: 'nothing' | 'logout' | 'send' | 'join' | 'status' }
  | { op: 'logout'; c: number }
  | { op: 'send'; c: number; to: number | 'self' | 'nobody'; text: TextKind }
  | { op: 'invoke'; c: number; fn: InvokeFn; about: number; ch: Ch }
  | { op: 'join'; c: number; ch: Ch }
  | { op: 'leave'; c: number; cb: boolean }
  | { op: 'channel send'; c: number; text: TextKind }
  | { op: 'set attr'; c: number; key: string; value: string }
  | { op: 'del attr'; c: number; key: string }
  | { op: 'clear attr'; c: number }
  | { op: 'invite'; c: number; to: number; ch: Ch; extra: ExtraKind }
  | { op: 'answer'; c: number; how: 'accept' | 'refuse' | 'end' | 'dtmf' | 'reinvite' }
  | { op: 'kick'; as: number }
  | { op: 'close session'; as: number }
  | { op: 'expire token'; as: number; effect: 'none' | 'kick' | 'close' }
  | { op: 'refuse login'; as: number; reason: string }
  | { op: 'fail next'; as: number; fn: string; reason: string }
  | { op: 'disconnect'; as: number; for: number; how: 'close' | 'error' }
  | { op: 'outage'; ms: number }
  | { op: 'latency'; as: number; direction: 'up' | 'down'; ms: number }
  | { op: 'clear latency' }
  | { op: 'wait'; ms: number };

export type Ch = 'ch1' | 'ch2';

export const INVOKE_FNS = [
  'user_query_user_status',
  'user_set_attr',
  'user_get_attr',
  'user_get_attr_all',
  'channel_query_num',
  'channel_query_user_isin',
  'channel_query_userlist',
  'channel_query_userlist_all',
  'channel_set_attr',
  'channel_del_attr',
  'channel_clear_attr',
  'no_such_function',
  'without the io.agora.signal. prefix',
] as const;
export type InvokeFn = (typeof INVOKE_FNS)[number];

/** A generated sequence: how many clients, and what happens. */
export interface Sequence {
  clients: number;
  ops: Op[];
}

/** The account of slot `i` (a client may log in as another slot's account: "an account twice"). */
export const accountOf = (i: number): string => `u${i}`;

const inside = fc.constantFrom<Inside>('nothing', 'nothing', 'nothing', 'logout in onLogout', 'send and join in onLogout', 'join in onLoginSuccess', 'invite in onChannelUserJoined', 'send in onLoginFailed');
const text = fc.constantFrom<TextKind>('short', 'short', 'spaces and json', '8 KB - 1', '8 KB', '8 KB + 1', 'empty');
const ch = fc.constantFrom<Ch>('ch1', 'ch1', 'ch2');

// Fault durations lie off the 100 ms grid of 1.4.0's own timers (back-off 200, 400, …, 2000;
// connect timeout 6 s; ping 10 s): a cloud task and an SDK timer due at the same millisecond
// run in schedule order in-process, but on the wire in the order the cloud re-armed its one
// global timer (src/time/timekeeper.ts armGlobalTimer), a tie no real network has.
function opArb(clients: number): fc.Arbitrary<Op> {
  const c = fc.integer({ min: 0, max: clients - 1 });
  // Accounts: mostly the slot's own, sometimes one more than there are slots (never logged in).
  const as = fc.integer({ min: 0, max: clients });
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ op: fc.constant('login' as const), c, as: fc.oneof({ weight: 5, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: as }), token: fc.constantFrom<TokenKind>('none', 'none', 'none', 'valid', 'wrong', 'expired', 'expires in 2 s'), inside, unset: fc.constantFrom('none', 'none', 'none', 'onLogout', 'onLoginFailed') as fc.Arbitrary<'none' | 'onLogout' | 'onLoginFailed'>, then: fc.constantFrom('nothing', 'nothing', 'nothing', 'nothing', 'logout', 'send', 'join', 'status') as fc.Arbitrary<'nothing' | 'logout' | 'send' | 'join' | 'status'> }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('logout' as const), c }) },
    { weight: 6, arbitrary: fc.record({ op: fc.constant('send' as const), c, to: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: clients - 1 }) }, { weight: 1, arbitrary: fc.constantFrom<'self' | 'nobody'>('self', 'nobody') }), text }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('invoke' as const), c, fn: fc.constantFrom(...INVOKE_FNS), about: fc.integer({ min: 0, max: clients - 1 }), ch }) },
    { weight: 6, arbitrary: fc.record({ op: fc.constant('join' as const), c, ch }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('leave' as const), c, cb: fc.boolean() }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('channel send' as const), c, text }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('set attr' as const), c, key: fc.constantFrom('k1', 'k2'), value: fc.constantFrom('v1', 'v2', 'v 3') }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('del attr' as const), c, key: fc.constantFrom('k1', 'k2') }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('clear attr' as const), c }) },
    { weight: 5, arbitrary: fc.record({ op: fc.constant('invite' as const), c, to: fc.integer({ min: 0, max: clients - 1 }), ch, extra: fc.constantFrom<ExtraKind>('none', 'object', 'text', 'require online', 'timeout 1', 'require online + timeout 1') }) },
    { weight: 6, arbitrary: fc.record({ op: fc.constant('answer' as const), c, how: fc.constantFrom('accept', 'accept', 'refuse', 'end', 'dtmf', 'reinvite') as fc.Arbitrary<'accept' | 'refuse' | 'end' | 'dtmf' | 'reinvite'> }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('kick' as const), as }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('close session' as const), as }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('expire token' as const), as, effect: fc.constantFrom('none', 'kick', 'close') as fc.Arbitrary<'none' | 'kick' | 'close'> }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('refuse login' as const), as, reason: fc.constantFrom('TokenErrorWrong', 'TokenErrorExpired', 'wrong account', 'kick', 'busy') }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('fail next' as const), as, fn: fc.constantFrom('user_sendmsg', 'channel_join', 'channel_sendmsg', 'voip_invite', 'user_query_user_status', 'channel_leave', 'user_logout'), reason: fc.constantFrom('busy', 'peer offline') }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('disconnect' as const), as, for: fc.constantFrom(0, 350, 4950, 30_050), how: fc.constantFrom('close', 'close', 'error') as fc.Arbitrary<'close' | 'error'> }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('outage' as const), ms: fc.constantFrom(150, 1050, 3950) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('latency' as const), as, direction: fc.constantFrom('up', 'down') as fc.Arbitrary<'up' | 'down'>, ms: fc.constantFrom(1, 50, 200) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('clear latency' as const) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('wait' as const), ms: fc.constantFrom(1, 100, 250, 1000, 2500, 7000) }) },
  );
}

/** A sequence: 2 to 6 clients, everyone logged in first (most sequences), then `maxOps` operations at most. */
export function sequenceArb(maxOps = 30): fc.Arbitrary<Sequence> {
  return fc.integer({ min: 2, max: 6 }).chain((clients) =>
    fc.record({
      clients: fc.constant(clients),
      ops: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.array(opArb(clients), { minLength: 1, maxLength: maxOps, size: 'medium' })).map(([start, ops]) => [
        // Most sequences (3 in 4) start with every client logged in, so that the rest meets a live cloud.
        ...(start === 0 ? [] : Array.from({ length: clients }, (_, c): Op => ({ op: 'login', c, as: -1, token: 'none', inside: 'nothing', unset: 'none', then: 'nothing' }))),
        ...ops,
      ]),
    }),
  );
}
