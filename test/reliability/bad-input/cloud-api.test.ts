// Misuse of the emulator's own API, row by row: every public Cloud verb with wrong types,
// missing values, out-of-range numbers and unknown names. Each throws an EmulatorError at once,
// whose message says what was wrong (the value it got) and how to fix it; none throws a bare
// TypeError from deep inside, and none is silently accepted.
import { describe, expect, it } from 'vitest';
import { createCloud, EmulatorError, type Cloud } from 'agora-signaling-emulator';

type Row = [what: string, call: (cloud: Cloud) => unknown, message: RegExp];

/** A cloud with alice logged in to app 'app', and a declared app 'secure' with a certificate. */
function fresh(): Cloud {
  const cloud = createCloud({ apps: [{ appId: 'secure', certificate: 'cert' }] });
  cloud.Signal('app').login('alice', '_no_need_token');
  cloud.flushSync();
  return cloud;
}

const rows: Row[] = [
  // createCloud
  ['createCloud with options that are not an object', () => createCloud('fast' as never), /options must be an object, got "fast"/],
  ['createCloud with an unknown option', () => createCloud({ sead: 1 } as never), /unknown option 'sead' \(known: seed, /],
  ['createCloud with a fractional seed', () => createCloud({ seed: 1.5 }), /seed must be an integer, got 1\.5/],
  ['createCloud with a string seed', () => createCloud({ seed: '7' as never }), /seed must be an integer, got "7"/],
  ['createCloud with a negative latency', () => createCloud({ latency: -5 }), /latency must be a non-negative number of milliseconds, got -5/],
  ['createCloud with NaN latency', () => createCloud({ latency: Number.NaN }), /latency must be a non-negative number of milliseconds, got NaN/],
  ['createCloud with an unknown clock', () => createCloud({ clock: 'wall' as never }), /clock must be 'virtual' or 'global', got "wall"/],
  ['createCloud with a startTime that is not a number', () => createCloud({ startTime: 'now' as never }), /startTime must be Unix ms, got "now"/],
  ['createCloud with apps that are not a list', () => createCloud({ apps: 'app' as never }), /apps must be a list like \[\{ appId, certificate\? \}\], got "app"/],
  ['createCloud with an app without appId', () => createCloud({ apps: [{} as never] }), /appId must be a non-empty string, got undefined/],
  ['createCloud with a loop limit of 0', () => createCloud({ loopLimit: 0 }), /loopLimit must be a whole number of at least 1, got 0/],
  ['createCloud with an unknown log level', () => createCloud({ log: { level: 'verbose' as never } }), /level/],
  ['createCloud with a negative log capacity', () => createCloud({ log: { capacity: -1 } }), /capacity/],
  ['createCloud with autoAdvance that is not a boolean', () => createCloud({ autoAdvance: 'yes' as never }), /autoAdvance must be true or false, got "yes"/],
  ['createCloud with autoAdvance on the global clock', () => createCloud({ autoAdvance: true, clock: 'global' }), /autoAdvance needs clock: 'virtual'/],
  // apps and tokens
  ['createApp without options', (c) => c.createApp(undefined as never), /expected \{ appId, certificate\? \}, got undefined/],
  ['createApp with an empty appId', (c) => c.createApp({ appId: '' }), /appId must be a non-empty string, got ""/],
  ['createApp with an empty certificate', (c) => c.createApp({ appId: 'x', certificate: '' }), /certificate must be a non-empty string/],
  ['createApp twice', (c) => c.createApp({ appId: 'secure' }), /app 'secure': it already exists/],
  ['token for an undeclared app', (c) => c.token('nope', 'alice'), /app 'nope' is not declared \(declared: secure, app\)\. Declare it with cloud\.createApp/],
  ['token for an app without a certificate', (c) => (c.createApp({ appId: 'open' }), c.token('open', 'alice')), /app 'open' has no certificate, so it takes '_no_need_token'/],
  ['token with expiresIn that is not a number', (c) => c.token('secure', 'alice', { expiresIn: 'soon' as never }), /expiresIn must be a number of seconds, got "soon"/],
  ['token for an account that is not a string', (c) => c.token('secure', 42 as never), /account must be a string, got 42/],
  ['install on something that is not an object', (c) => c.install(null as never), /install\(target\): the target must be an object \(globalThis, window\), got null/],
  // time
  ['advance by a negative time', (c) => c.advanceSync(-1), /non-negative number of milliseconds, got -1/],
  ['advance by NaN', (c) => c.advanceSync(Number.NaN), /non-negative number of milliseconds, got NaN/],
  ['advance by a string', (c) => c.advanceSync('10' as never), /non-negative number of milliseconds, got "10"/],
  ['advance by Infinity', (c) => c.advanceSync(Number.POSITIVE_INFINITY), /non-negative number of milliseconds, got Infinity/],
  // channels
  ['setChannelLimits without an object', (c) => c.setChannelLimits(null as never), /expected an object, got null/],
  ['setChannelLimits with an unknown limit', (c) => c.setChannelLimits({ maxUsers: 3 } as never), /unknown limit 'maxUsers' \(known: maxMembers/],
  ['setChannelLimits with 0 members', (c) => c.setChannelLimits({ maxMembers: 0 }), /maxMembers must be a whole number of at least 1, got 0/],
  ['channels of an app id that is not a string', (c) => c.channels(42 as never), /appId must be a string, got 42/],
  // calls
  ['phone with a number that is not digits', (c) => c.phone('call-me'), /phone/i],
  ['phone with an unknown answer', (c) => c.phone('+15551234', { answer: 'maybe' as never }), /answer/],
  ['phone registered twice', (c) => (c.phone('+15551234'), c.phone('+15551234')), /already/],
  // service verbs
  ['kick of an account that is not a string', (c) => c.kick(undefined as never), /expected an account name/],
  ['kick of an account nobody is logged in as', (c) => c.kick('bob'), /Cannot kick 'bob': no session of 'bob' is logged in \(online: alice\)/],
  ['kick in an app that does not exist', (c) => c.kick('alice', { appId: 'nope' }), /there is no app 'nope' \(apps: /],
  ['closeSession of nobody', (c) => c.closeSession('bob'), /Cannot close the session of 'bob'/],
  ['expireToken with an unknown effect', (c) => c.expireToken('alice', { effect: 'explode' as never }), /effect must be 'next-login', 'kick' or 'close', got "explode"/],
  ['failNext of a request the server does not have', (c) => c.failNext('user_fly', { reason: 'x' }), /handles no request of that name \(known: login, user_logout/],
  ['failNext without options', (c) => c.failNext('login', undefined as never), /expected options \{ reason, account\?, appId\?, times\? \}/],
  ['failNext without a reason', (c) => c.failNext('login', {} as never), /reason must be a non-empty string/],
  ['failNext zero times', (c) => c.failNext('login', { reason: 'x', times: 0 }), /times must be a whole number of at least 1, got 0/],
  ['refuseLogin of an empty account', (c) => c.refuseLogin('', 'TokenErrorWrong'), /expected an account name, got/],
  ['an outage of negative length', (c) => c.outage(-1), /'for' must be a non-negative number of milliseconds, got -1/],
  ['a second outage while one is under way', (c) => (c.outage(), c.outage()), /one is already under way\. End it first/],
  // the network
  ['latency below zero', (c) => c.net.latency(-1), /expected ms >= 0 or a range \[min, max\]/],
  ['a latency range upside down', (c) => c.net.latency([300, 20]), /range \[min, max\] with 0 <= min <= max, got \[300, 20\]/],
  ['loss with a probability above 1', (c) => c.net.loss(2), /probability must be a number from 0 to 1, got 2/],
  ['loss with a filter field that does not exist', (c) => c.net.loss(0.5, { acount: 'bob' } as never), /unknown filter field 'acount' \(known: account, direction, kind\)/],
  ['a filter with an unknown direction', (c) => c.net.duplicate(1, { direction: 'sideways' as never }), /direction must be 'up' .* got "sideways"/],
  ['a filter that is not an object', (c) => c.net.hold('bob' as never), /the filter must be an object like \{ account, direction, kind \}, got "bob"/],
  ['a custom rule that is not a function', (c) => c.net.rule('drop' as never), /expected a function .* got string/],
  ['a custom rule with an empty name', (c) => c.net.rule(() => 'pass', { name: '' }), /name must be a non-empty string/],
  ['disconnect of an empty account', (c) => c.net.disconnect(''), /expected an account name, got/],
  ['disconnect twice', (c) => (c.net.disconnect('alice'), c.net.disconnect('alice')), /already disconnected .* Call cloud\.net\.reconnect\('alice'\) first/],
  ['disconnect with an unknown option', (c) => c.net.disconnect('alice', { forever: true } as never), /unknown option 'forever' \(known: for, how, attempts\)/],
  ['reconnect of an account that is not down', (c) => c.net.reconnect('alice'), /its network is not disconnected \(disconnected: none\)/],
  // the log
  ['until with neither a predicate nor a match', (c) => c.until(42 as never), /expected a predicate function or a log match/],
  ['until within a negative time', (c) => c.until(() => true, { within: -1 }), /within must be a non-negative number/],
  ['settle within NaN', (c) => c.settle({ within: Number.NaN }), /within must be a non-negative number/],
  // the wire
  ['listen on a port out of range', (c) => c.listen({ port: 70_000 }), /port must be an integer from 0 to 65535 .* got 70000/],
  ['listen with a host that is not a string', (c) => c.listen({ host: 127 as never }), /host must be a non-empty string, got 127/],
  ['listen with an unknown option', (c) => c.listen({ interface: 'lo' } as never), /unknown option 'interface' \(known: port, host/],
];

/** Verbs called on a disposed cloud: each says so. */
const afterDispose: Array<[string, (c: Cloud) => unknown]> = [
  ['flush', (c) => c.flushSync()],
  ['advance', (c) => c.advanceSync(1)],
  ['until', (c) => c.until(() => true)],
  ['settle', (c) => c.settle()],
  ['kick', (c) => c.kick('alice')],
  ['failNext', (c) => c.failNext('login', { reason: 'x' })],
  ['outage', (c) => c.outage(10)],
  ['listen', (c) => c.listen()],
  ['net.disconnect', (c) => c.net.disconnect('alice')],
  ['Signal().login', (c) => c.Signal('app').login('bob', '_no_need_token')],
  ['phone', (c) => c.phone('+15551234')],
];

/** Runs a call that may be async: the error of a rejected promise counts as thrown. */
async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('misuse of the emulator API throws an EmulatorError that says what was wrong and how to fix it', () => {
  for (const [what, call, message] of rows) {
    it(what, async () => {
      const cloud = fresh();
      try {
        const error = await thrown(() => call(cloud));
        expect(error, 'it was accepted without a word').toBeInstanceOf(EmulatorError);
        expect((error as Error).message).toMatch(message);
      } finally {
        cloud.dispose();
      }
    });
  }
});

describe('a disposed cloud refuses every verb, saying it has been disposed', () => {
  for (const [what, call] of afterDispose) {
    it(what, async () => {
      const cloud = fresh();
      cloud.dispose();
      const error = await thrown(() => call(cloud));
      expect(error).toBeInstanceOf(EmulatorError);
      expect((error as Error).message).toMatch(/disposed/);
    });
  }
});

export const cloudApiRows = rows.length + afterDispose.length;
