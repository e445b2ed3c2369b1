// The bad-input table of the SDK: every method and callback-setting path with wrong types,
// undefined/null, empty strings, spaces, 129-character names, 8 KB + 1 messages, invalid JSON
// extras, unicode and emoji, and calls made before login, after logout, on a left channel, on an
// ended call. Each row states what the app sees. The rows run as parity scenarios (see
// test/parity/harness.ts): in-process on virtual time, and with the real SDK 1.4.0 over the
// wire, and both runs must record the same thing, row by row.
import type { Call, Channel, Session } from 'agora-signaling-emulator';
import type { Scenario, World } from '../../parity/harness.js';

/** What a row gives its action: the sessions and objects of its group, and a recording cb. */
export interface Ctx {
  alice: Session;
  bob: Session;
  /** alice's Channel of `room` (groups with a channel). */
  room: Channel;
  /** alice's Call to bob (the ended-call group). */
  call: Call;
  /** bob's side of that Call. */
  bobCall: Call;
  /** A `cb` argument that records its calls for this row. */
  cb: (...args: unknown[]) => void;
  /** Records the callbacks of an SDK object the action made (a Channel, a Call). */
  watch<T extends object>(object: T, who: string): T;
}

export interface Row {
  /** The call, with its odd input: `messageInstantSend(peer undefined)`. */
  what: string;
  act: (x: Ctx) => unknown;
  /** What the app sees, in words. */
  sees: string;
  /**
   * What the row records, in order: `returned …` or `threw TypeError: …`, then the
   * callbacks (`cb(true)`, `alice.onLogout(101)`, `bob.onMessageInstantReceive("alice",0,"hi")`,
   * `console.error("…")`).
   */
  records: string[];
  /** What to wait for after the action (beyond the fences): the row's outcome has come when it holds. */
  until?: (x: Ctx, returned: unknown) => boolean;
  /** Sessions to fence after it, when not the group's (alice after her logout cannot answer). */
  fence?: Array<'alice' | 'bob'>;
}

export interface Group {
  /** Where the rows run: the state the app is in. */
  name: string;
  rows: Row[];
  /** Brings the app to that state. */
  setup: (w: World, rec: Recorder) => Promise<Partial<Ctx>>;
  /** Accounts to fence after each row (their replies come back in order, after the row's). */
  fence: Array<'alice' | 'bob'>;
}

const SESSION_CALLBACKS = ['onLoginSuccess', 'onLoginFailed', 'onLogout', 'onMessageInstantReceive', 'onInviteReceived'];
const CHANNEL_CALLBACKS = ['onChannelJoined', 'onChannelJoinFailed', 'onChannelLeaved', 'onChannelUserList', 'onChannelUserJoined', 'onChannelUserLeaved', 'onChannelAttrUpdated', 'onMessageChannelReceive'];
const CALL_CALLBACKS = ['onInviteReceivedByPeer', 'onInviteAcceptedByPeer', 'onInviteRefusedByPeer', 'onInviteFailed', 'onInviteEndByPeer', 'onInviteEndByMyself', 'onInviteMsg'];
const FENCE = 'fence';

/** Records everything a group sees under the row being run. */
export class Recorder {
  row = 'setup';
  constructor(private readonly w: World) {}

  note(event: string, ...args: unknown[]): void {
    this.w.note('table', `${this.row} → ${event}`, ...args);
  }

  watch<T extends object>(object: T, who: string, names: string[]): T {
    for (const name of names) (object as Record<string, unknown>)[name] = (...args: unknown[]) => this.note(`${who}.${name}`, ...args.map(plain));
    return object;
  }

  session(session: Session, who: string): Session {
    this.watch(session, who, SESSION_CALLBACKS);
    // A Call that arrives is watched too, as `<who>.call.<callback>`.
    session.onInviteReceived = (call: Call) => {
      this.note(`${who}.onInviteReceived`, plain(call));
      this.watch(call, `${who}.call`, CALL_CALLBACKS);
      this.received.set(who, call);
    };
    return session;
  }

  readonly received = new Map<string, Call>();

  channel(channel: Channel, who: string): Channel {
    return this.watch(channel, who, CHANNEL_CALLBACKS);
  }

  call(call: Call, who: string): Call {
    return this.watch(call, who, CALL_CALLBACKS);
  }
}

/** An SDK object's data fields (what a callback argument shows), or the value itself. */
function plain(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(plain);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v !== 'function' && !k.startsWith('on')) out[k] = plain(v);
  return out;
}

/** What a returned value looks like in a row (SDK objects by kind and name). */
function describeReturn(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const o = value as Record<string, unknown>;
  if ('channelName' in o) return `Call(${String(o.channelName)}/${String(o.peer)})`;
  if ('m_channel_msgid' in o) return `Channel(${String(o.name)})`;
  if (typeof o.getStatus === 'function') return `Session(${String(o.account)})`;
  return `object with ${Object.keys(o).join(', ') || 'no fields'}`;
}

/** Turns a group into a parity scenario: each row's outcome, callbacks and console errors recorded. */
export function groupScenario(group: Group): Scenario {
  return async (w) => {
    const rec = new Recorder(w);
    const ctx = (await group.setup(w, rec)) as Ctx;
    let fences = 0;
    for (const row of group.rows) {
      rec.row = row.what;
      const printError = console.error;
      console.error = (...args: unknown[]) => rec.note('console.error', ...args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))));
      try {
        const x: Ctx = {
          ...ctx,
          cb: (...args: unknown[]) => rec.note('cb', ...args.map(plain)),
          watch: (object, who) => rec.watch(object, who, 'channelName' in object ? CALL_CALLBACKS : 'getStatus' in object ? SESSION_CALLBACKS : CHANNEL_CALLBACKS),
        };
        let returned: unknown;
        try {
          returned = row.act(x);
          rec.note('returned', describeReturn(returned));
        } catch (error) {
          rec.note('threw', error instanceof Error ? `${error.name}: ${error.message}` : String(error));
        }
        if (row.until) await w.until(() => row.until!(x, returned), `${row.what}: its outcome`);
        // Replies come back in order: once a later request of each session is answered,
        // everything the row caused has arrived.
        for (const who of row.fence ?? group.fence) {
          const session = ctx[who];
          const n = ++fences;
          let done = false;
          session.invoke('io.agora.signal.user_query_user_status', { account: 'alice' }, () => (done = true));
          await w.until(() => done, `${row.what}: fence ${n} of ${who}`);
        }
      } finally {
        console.error = printError;
      }
    }
  };
}

/**
 * A row's records by who got them: bob's (`bob.…`) apart from the rest, each in order. The
 * order between two clients is not the SDK's to keep (on the wire, two sockets race).
 */
export function byActor(records: string[]): { app: string[]; bob: string[] } {
  return { app: records.filter((r) => !r.startsWith('bob.')), bob: records.filter((r) => r.startsWith('bob.')) };
}

/** The records of one row, as the `records` of the table write them. */
export function rowRecords(recorded: Array<{ name: string; args: unknown[] }>, row: Row): string[] {
  const prefix = `${row.what} → `;
  return recorded
    .filter((r) => r.name.startsWith(prefix) && !r.name.endsWith(FENCE))
    .map((r) => {
      const event = r.name.slice(prefix.length);
      // What the call itself did reads as text; callbacks show their arguments as JSON.
      if (event === 'returned' || event === 'threw') return `${event} ${String(r.args[0])}`;
      return `${event}(${r.args.map((a) => (a === undefined ? 'undefined' : JSON.stringify(a))).join(', ')})`;
    });
}

// ---- the groups ----

const long129 = 'x'.repeat(129);
const over8k = 'x'.repeat(8 * 1024 + 1);
const emoji2048 = '🎉'.repeat(2048); // 8192 bytes of UTF-8
const emoji2049 = '🎉'.repeat(2049); // 8196 bytes

async function aliceAndBob(w: World, rec: Recorder): Promise<{ alice: Session; bob: Session }> {
  const alice = rec.session(w.login('alice'), 'alice');
  await w.loggedIn(alice);
  const bob = rec.session(w.login('bob'), 'bob');
  await w.loggedIn(bob);
  return { alice, bob };
}

const recv = (from: string, text: string) => `bob.onMessageInstantReceive(${JSON.stringify(from)}, 0, ${JSON.stringify(text)})`;

export const groups: Group[] = [
  {
    name: 'before the WebSocket opens (right after login())',
    fence: [],
    setup: async (w, rec) => {
      const alice = rec.session(w.login('alice'), 'alice');
      return { alice };
    },
    rows: [
      { what: 'messageInstantSend before the socket opens', act: (x) => x.alice.messageInstantSend('bob', 'hi'), sees: 'a TypeError: 1.4.0 creates the method once the WebSocket has opened', records: ['threw TypeError: x.alice.messageInstantSend is not a function'] },
      { what: 'channelJoin before the socket opens', act: (x) => x.alice.channelJoin('room'), sees: 'a TypeError', records: ['threw TypeError: x.alice.channelJoin is not a function'] },
      { what: 'invoke before the socket opens', act: (x) => x.alice.invoke('io.agora.signal.user_query_user_status', { account: 'bob' }), sees: 'a TypeError', records: ['threw TypeError: x.alice.invoke is not a function'] },
      { what: 'channelInviteUser2 before the socket opens', act: (x) => x.alice.channelInviteUser2('room', 'bob'), sees: 'a TypeError', records: ['threw TypeError: x.alice.channelInviteUser2 is not a function'] },
      { what: 'getStatus while logging in', act: (x) => x.alice.getStatus(), sees: '1', records: ['returned 1'] },
    ],
  },
  {
    name: 'messageInstantSend, logged in',
    fence: ['alice', 'bob'],
    setup: aliceAndBob,
    rows: [
      { what: 'messageInstantSend(peer undefined)', act: (x) => x.alice.messageInstantSend(undefined as never, 'hi', x.cb), sees: 'cb(true): the server refuses a peer that is not a string', records: ['returned undefined', 'cb(true)'] },
      { what: 'messageInstantSend(peer null)', act: (x) => x.alice.messageInstantSend(null as never, 'hi', x.cb), sees: 'cb(true)', records: ['returned undefined', 'cb(true)'] },
      { what: 'messageInstantSend(peer 42)', act: (x) => x.alice.messageInstantSend(42 as never, 'hi', x.cb), sees: 'cb(true)', records: ['returned undefined', 'cb(true)'] },
      { what: 'messageInstantSend(peer "")', act: (x) => x.alice.messageInstantSend('', 'hi', x.cb), sees: 'cb(true): no account can have that name', records: ['returned undefined', 'cb(true)'] },
      { what: 'messageInstantSend(peer "b o b")', act: (x) => x.alice.messageInstantSend('b o b', 'hi', x.cb), sees: 'cb(true): accounts have no spaces', records: ['returned undefined', 'cb(true)'] },
      { what: 'messageInstantSend(peer of 129 characters)', act: (x) => x.alice.messageInstantSend(long129, 'hi', x.cb), sees: 'cb(true): accounts have at most 128', records: ['returned undefined', 'cb(true)'] },
      { what: 'messageInstantSend(msg undefined)', act: (x) => x.alice.messageInstantSend('bob', undefined as never, x.cb), sees: 'cb(true): the server refuses a message that is not a string', records: ['returned undefined', 'cb(true)'] },
      { what: 'messageInstantSend(msg null)', act: (x) => x.alice.messageInstantSend('bob', null as never, x.cb), sees: 'cb(true)', records: ['returned undefined', 'cb(true)'] },
      { what: 'messageInstantSend(msg 42)', act: (x) => x.alice.messageInstantSend('bob', 42 as never, x.cb), sees: 'cb(true)', records: ['returned undefined', 'cb(true)'] },
      { what: 'messageInstantSend(msg an object)', act: (x) => x.alice.messageInstantSend('bob', { text: 'hi' } as never, x.cb), sees: 'cb(true)', records: ['returned undefined', 'cb(true)'] },
      { what: 'messageInstantSend(msg of 8 KB + 1)', act: (x) => x.alice.messageInstantSend('bob', over8k, x.cb), sees: 'cb(true): over 8 KB', records: ['returned undefined', 'cb(true)'] },
      { what: 'messageInstantSend(msg of 2048 emoji, 8 KB of UTF-8)', act: (x) => x.alice.messageInstantSend('bob', emoji2048, x.cb), sees: 'delivered, cb(false): the limit counts UTF-8 bytes', records: ['returned undefined', 'cb(false)', recv('alice', emoji2048)] },
      { what: 'messageInstantSend(msg of 2049 emoji, 8 KB + 4)', act: (x) => x.alice.messageInstantSend('bob', emoji2049, x.cb), sees: 'cb(true)', records: ['returned undefined', 'cb(true)'] },
      { what: 'messageInstantSend(msg with spaces, unicode and emoji)', act: (x) => x.alice.messageInstantSend('bob', '  é 中文 👩‍👩‍👧 \t end ', x.cb), sees: 'delivered as sent', records: ['returned undefined', 'cb(false)', recv('alice', '  é 中文 👩‍👩‍👧 \t end ')] },
      { what: 'messageInstantSend(cb undefined)', act: (x) => x.alice.messageInstantSend('bob', 'no cb'), sees: 'delivered; nothing for the sender', records: ['returned undefined', recv('alice', 'no cb')] },
      { what: 'messageInstantSend(cb null)', act: (x) => x.alice.messageInstantSend('bob', 'null cb', null as never), sees: 'delivered; nothing for the sender', records: ['returned undefined', recv('alice', 'null cb')] },
      { what: 'messageInstantSend(no arguments)', act: (x) => (x.alice.messageInstantSend as () => void)(), sees: 'nothing: refused, and there is no cb', records: ['returned undefined'] },
    ],
  },
  {
    name: 'invoke, logged in',
    fence: ['alice'],
    setup: aliceAndBob,
    rows: [
      { what: 'invoke(func undefined)', act: (x) => x.alice.invoke(undefined as never, {}, x.cb), sees: 'a TypeError (1.4.0 calls func.startsWith)', records: ["threw TypeError: Cannot read properties of undefined (reading 'startsWith')"] },
      { what: 'invoke(func 42)', act: (x) => x.alice.invoke(42 as never, {}, x.cb), sees: 'a TypeError', records: ['threw TypeError: e.startsWith is not a function'] },
      { what: 'invoke(func "io.agora.signal.")', act: (x) => x.alice.invoke('io.agora.signal.', {}, x.cb), sees: 'cb("unknown function", "")', records: ['returned undefined', 'cb("unknown function", "")'] },
      { what: 'invoke(func in capitals)', act: (x) => x.alice.invoke('IO.AGORA.SIGNAL.user_query_user_status', { account: 'bob' }, x.cb), sees: 'nothing: the prefix is case-sensitive, the call is ignored', records: ['returned undefined'] },
      { what: 'invoke(func with a 5th segment)', act: (x) => x.alice.invoke('io.agora.signal.user_query_user_status.extra', { account: 'bob' }, x.cb), sees: 'the 4th segment names the function', records: ['returned undefined', 'cb("", {"result":"ok","status":1})'] },
      { what: 'invoke(args undefined)', act: (x) => x.alice.invoke('io.agora.signal.user_query_user_status', undefined as never, x.cb), sees: 'a TypeError (1.4.0 writes args.line)', records: ["threw TypeError: Cannot set properties of undefined (setting 'line')"] },
      { what: 'invoke(args null)', act: (x) => x.alice.invoke('io.agora.signal.user_query_user_status', null as never, x.cb), sees: 'a TypeError', records: ["threw TypeError: Cannot set properties of null (setting 'line')"] },
      { what: 'invoke(args a string)', act: (x) => x.alice.invoke('io.agora.signal.user_query_user_status', 'bob' as never, x.cb), sees: 'a TypeError', records: ["threw TypeError: Cannot create property 'line' on string 'bob'"] },
      { what: 'invoke(args an array)', act: (x) => x.alice.invoke('io.agora.signal.user_query_user_status', [] as never, x.cb), sees: 'cb("invalid arguments", "")', records: ['returned undefined', 'cb("invalid arguments", "")'] },
      { what: 'invoke(args without the account)', act: (x) => x.alice.invoke('io.agora.signal.user_query_user_status', { account: undefined }, x.cb), sees: 'cb("invalid arguments", "")', records: ['returned undefined', 'cb("invalid arguments", "")'] },
      { what: 'invoke(args with a function and NaN)', act: (x) => x.alice.invoke('io.agora.signal.user_query_user_status', { account: 'bob', f: () => 1, n: Number.NaN }, x.cb), sees: 'the reply: values JSON cannot carry are dropped (a function) or null (NaN)', records: ['returned undefined', 'cb("", {"result":"ok","status":1})'] },
      { what: 'invoke(args that cannot become JSON)', act: (x) => { const args: Record<string, unknown> = { account: 'bob' }; args.self = args; return x.alice.invoke('io.agora.signal.user_query_user_status', args, x.cb); }, sees: 'a TypeError from JSON.stringify, as the SDK sends the frame', records: ["threw TypeError: Converting circular structure to JSON\n    --> starting at object with constructor 'Object'\n    --- property 'self' closes the circle"] },
      { what: 'invoke(user_set_attr of a NaN value)', act: (x) => x.alice.invoke('io.agora.signal.user_set_attr', { name: 'n', value: Number.NaN }, x.cb), sees: 'the value reaches the server as null, which deletes the attribute', records: ['returned undefined', 'cb("", {"result":"ok"})'] },
      { what: 'invoke(cb undefined)', act: (x) => x.alice.invoke('io.agora.signal.user_query_user_status', { account: 'bob' }), sees: 'nothing', records: ['returned undefined'] },
    ],
  },
  {
    name: 'channelJoin, logged in',
    fence: ['alice'],
    setup: aliceAndBob,
    rows: (
      [
        ['channelJoin(name undefined)', undefined, 'a Channel whose name is undefined; onChannelJoinFailed("invalid channel name")', ['returned Channel(undefined)', 'room.onChannelJoinFailed("invalid channel name")']],
        ['channelJoin(name null)', null, 'the name is JSON: "null"', ['returned Channel(null)', 'room.onChannelJoined()', 'room.onChannelUserList([["alice",1]])']],
        ['channelJoin(name 42)', 42, 'the name is JSON: "42"', ['returned Channel(42)', 'room.onChannelJoined()', 'room.onChannelUserList([["alice",1]])']],
        ['channelJoin(name an object)', { a: 1 }, 'the name is JSON: \'{"a":1}\'', ['returned Channel({"a":1})', 'room.onChannelJoined()', 'room.onChannelUserList([["alice",1]])']],
        ['channelJoin(name "")', '', 'onChannelJoinFailed("invalid channel name")', ['returned Channel()', 'room.onChannelJoinFailed("invalid channel name")']],
        ['channelJoin(name " ")', ' ', 'joined: channel names may have spaces', ['returned Channel( )', 'room.onChannelJoined()', 'room.onChannelUserList([["alice",1]])']],
        ['channelJoin(name of 128 characters)', 'c'.repeat(128), 'joined', ['returned Channel(' + 'c'.repeat(128) + ')', 'room.onChannelJoined()', 'room.onChannelUserList([["alice",1]])']],
        ['channelJoin(name of 129 characters)', long129, 'onChannelJoinFailed("invalid channel name")', ['returned Channel(' + long129 + ')', 'room.onChannelJoinFailed("invalid channel name")']],
        ['channelJoin(name an emoji)', '🎉', 'joined', ['returned Channel(🎉)', 'room.onChannelJoined()', 'room.onChannelUserList([["alice",1]])']],
        ['channelJoin(name with a newline)', 'a\nb', 'onChannelJoinFailed("invalid channel name")', ['returned Channel(a\nb)', 'room.onChannelJoinFailed("invalid channel name")']],
      ] as Array<[string, unknown, string, string[]]>
    )
      .map(([what, name, sees, records]): Row => ({ what, act: (x) => { const c = x.alice.channelJoin(name); if (c) x.watch(c, 'room'); return c; }, sees, records }))
      .concat([
        {
          what: 'channelJoin(name a BigInt)',
          act: (x) => x.alice.channelJoin(BigInt(7)),
          sees: 'undefined, and two console errors: 1.4.0 cannot make the name JSON',
          records: ['console.error("Invalid channel name type, should be a string.")', 'console.error("TypeError: Do not know how to serialize a BigInt")', 'returned undefined'],
        },
      ]),
  },
];

const SECURE = { appId: 'secure', certificate: '5CFd2fd1755d40ecb72977518be15d3b' };
/** `Signal()` with no app id at all (a default parameter would take `undefined` for 'app'). */
const NO_APP_ID = Symbol('no app id');

/** A login row: `login(account, token, …)` on `app`; its outcome has come once the state left 1. */
function loginRow(what: string, args: unknown[], sees: string, records: string[], app: unknown = 'app'): Row {
  return {
    what,
    sees,
    records,
    act: (x) => {
      const appId = app === NO_APP_ID ? undefined : app;
      const session = (x.alice as unknown as { __signal: (app: unknown) => { login: (...a: unknown[]) => Session } }).__signal(appId).login(...args);
      (x.alice as unknown as { __made: (s: Session) => void }).__made(session);
      if (typeof session.getStatus === 'function') x.watch(session as never, 'session');
      (x as { last?: Session }).last = session;
      return session;
    },
    until: (_x, s) => typeof (s as Session).getStatus !== 'function' || (s as Session).getStatus() !== 1,
  };
}

groups.push(
  {
    name: 'login',
    fence: [],
    setup: async (w) => {
      w.cloud.createApp(SECURE);
      // The rows log in through the world's Signal (in-process or the real one).
      // A real Session made here is stopped at the end like the world's own (its timers run while state is not 0).
      const made = (s: Session) => (w as unknown as { sessions?: Session[] }).sessions?.push(s);
      return { alice: { __signal: (app: string) => w.Signal(app), __made: made } as unknown as Session };
    },
    rows: [
      loginRow('login(account undefined)', [undefined, '_no_need_token'], 'onLoginFailed(209): 1.4.0 sends no account at all', ['returned Session(undefined)', 'session.onLoginFailed(209)']),
      loginRow('login(account null)', [null, '_no_need_token'], 'logged in as "null" (the account is JSON)', ['returned Session(null)', 'session.onLoginSuccess(1)']),
      loginRow('login(account "")', ['', '_no_need_token'], 'onLoginFailed(209)', ['returned Session()', 'session.onLoginFailed(209)']),
      loginRow('login(account " ")', [' ', '_no_need_token'], 'onLoginFailed(209)', ['returned Session( )', 'session.onLoginFailed(209)']),
      loginRow('login(account with a tab)', ['a\tb', '_no_need_token'], 'onLoginFailed(209)', ['returned Session(a\tb)', 'session.onLoginFailed(209)']),
      loginRow('login(account of 128 characters)', ['a'.repeat(128), '_no_need_token'], 'logged in', [`returned Session(${'a'.repeat(128)})`, 'session.onLoginSuccess(2)']),
      loginRow('login(account of 129 characters)', ['a'.repeat(129), '_no_need_token'], 'onLoginFailed(209)', [`returned Session(${'a'.repeat(129)})`, 'session.onLoginFailed(209)']),
      loginRow('login(account an emoji)', ['🎉', '_no_need_token'], 'logged in', ['returned Session(🎉)', 'session.onLoginSuccess(3)']),
      loginRow('login(account an object)', [{ id: 7 }, '_no_need_token'], 'logged in as its JSON', ['returned Session({"id":7})', 'session.onLoginSuccess(4)']),
      loginRow('login(account a function)', [() => 1, '_no_need_token'], 'onLoginFailed(209): JSON has no function', ['returned Session(undefined)', 'session.onLoginFailed(209)']),
      {
        what: 'login(account a BigInt)',
        act: (x) => (x.alice as unknown as { __signal: (app: string) => { login: (...a: unknown[]) => unknown } }).__signal('app').login(BigInt(7), '_no_need_token'),
        sees: 'two console errors and an object with the five callbacks only (no logout, no getStatus): 1.4.0 cannot make the account JSON',
        records: ['console.error("Invalid account type, should be a string.")', 'console.error("TypeError: Do not know how to serialize a BigInt")', 'returned object with onLoginSuccess, onLoginFailed, onLogout, onInviteReceived, onMessageInstantReceive'],
      },
      loginRow('login(token undefined) to an app without a certificate', ['tok1', undefined], 'logged in: any token works', ['returned Session(tok1)', 'session.onLoginSuccess(5)']),
      loginRow('login(token 42) to an app without a certificate', ['tok2', 42], 'logged in', ['returned Session(tok2)', 'session.onLoginSuccess(6)']),
      loginRow('login(token undefined) to an app with a certificate', ['sec1', undefined], 'onLoginFailed(206)', ['returned Session(sec1)', 'session.onLoginFailed(206)'], 'secure'),
      loginRow('login(token "") to an app with a certificate', ['sec2', ''], 'onLoginFailed(206)', ['returned Session(sec2)', 'session.onLoginFailed(206)'], 'secure'),
      loginRow('login(token of another app)', ['sec3', '1:app:4102444800:00000000000000000000000000000000'], 'onLoginFailed(206)', ['returned Session(sec3)', 'session.onLoginFailed(206)'], 'secure'),
      loginRow('login(reconnect_count -1, reconnect_time "soon")', ['rc', '_no_need_token', -1, 'soon'], 'logged in (they matter only when the connection breaks)', ['returned Session(rc)', 'session.onLoginSuccess(7)']),
    ],
  },
  {
    name: 'channelInviteUser2, logged in',
    fence: ['alice', 'bob'],
    setup: aliceAndBob,
    rows: (
      [
        ['channelInviteUser2(channel undefined)', [undefined, 'bob'], 'onInviteFailed with reason invalid_arguments', ['returned Call(undefined/bob)', 'call.onInviteFailed("{\\"reason\\":\\"invalid_arguments\\",\\"code\\":1004,\\"detail\\":\\"channelName must be a string of 1 to 128 characters, got undefined\\"}")']],
        ['channelInviteUser2(channel of 129 characters)', [long129, 'bob'], 'onInviteFailed invalid_arguments', [`returned Call(${long129}/bob)`, `call.onInviteFailed("{\\"reason\\":\\"invalid_arguments\\",\\"code\\":1004,\\"detail\\":\\"channelName must be a string of 1 to 128 characters, got \\\\\\"${'x'.repeat(40)}…\\\\\\"\\"}")`]],
        ['channelInviteUser2(peer undefined)', ['c1', undefined], 'onInviteFailed invalid_arguments', ['returned Call(c1/undefined)', 'call.onInviteFailed("{\\"reason\\":\\"invalid_arguments\\",\\"code\\":1004,\\"detail\\":\\"peer must be an account (up to 128 visible characters, no spaces) or a phone number, got undefined\\"}")']],
        ['channelInviteUser2(peer "")', ['c2', ''], 'onInviteFailed invalid_arguments', ['returned Call(c2/)', 'call.onInviteFailed("{\\"reason\\":\\"invalid_arguments\\",\\"code\\":1004,\\"detail\\":\\"peer must be an account (up to 128 visible characters, no spaces) or a phone number, got \\\\\\"\\\\\\"\\"}")']],
        ['channelInviteUser2(peer oneself)', ['c3', 'alice'], 'onInviteFailed peer_is_self', ['returned Call(c3/alice)', 'call.onInviteFailed("{\\"reason\\":\\"peer_is_self\\",\\"code\\":1004,\\"detail\\":\\"an account cannot invite itself\\"}")']],
        ['channelInviteUser2(extra not JSON)', ['c4', 'bob', 'not json'], 'onInviteFailed invalid_extra', ['returned Call(c4/bob)', 'call.onInviteFailed("{\\"reason\\":\\"invalid_extra\\",\\"code\\":1004,\\"detail\\":\\"extra must be JSON text, got \\\\\\"not json\\\\\\"\\"}")']],
        ['channelInviteUser2(extra with _timeout 0)', ['c5', 'bob', '{"_timeout":0}'], 'onInviteFailed invalid_extra', ['returned Call(c5/bob)', 'call.onInviteFailed("{\\"reason\\":\\"invalid_extra\\",\\"code\\":1004,\\"detail\\":\\"_timeout must be a number of seconds, at least 1, got number 0\\"}")']],
        ['channelInviteUser2(extra of 8 KB + 1)', ['c6', 'bob', JSON.stringify({ pad: 'x'.repeat(8183) })], 'onInviteFailed extra_too_long', ['returned Call(c6/bob)', 'call.onInviteFailed("{\\"reason\\":\\"extra_too_long\\",\\"code\\":1005,\\"detail\\":\\"extra is 8193 bytes; the limit is 8192\\"}")']],
        ['channelInviteUser2(extra a number)', ['c7', 'bob', 42], 'the invite rings; the callee\'s call.extra is 42', ['returned Call(c7/bob)', 'bob.onInviteReceived({"channelName":"c7","peer":"alice","extra":42})', 'call.onInviteReceivedByPeer("")']],
        ['channelInviteUser2(extra with a function)', ['c8', 'bob', { topic: 'x', f: () => 1 }], 'the invite rings; the function is not sent (JSON)', ['returned Call(c8/bob)', 'bob.onInviteReceived({"channelName":"c8","peer":"alice","extra":{"topic":"x"}})', 'call.onInviteReceivedByPeer("")']],
        ['channelInviteUser2(emoji channel and extra)', ['🎉', 'bob', '{"t":"中文 🎉"}'], 'the invite rings', ['returned Call(🎉/bob)', 'bob.onInviteReceived({"channelName":"🎉","peer":"alice","extra":"{\\"t\\":\\"中文 🎉\\"}"})', 'call.onInviteReceivedByPeer("")']],
      ] as Array<[string, unknown[], string, string[]]>
    )
      .map(([what, args, sees, records]): Row => ({ what, sees, records, act: (x) => x.watch((x.alice.channelInviteUser2 as (...a: unknown[]) => Call)(...args), 'call') }))
      .concat([
        {
          what: 'channelInviteUser2(extra that cannot become JSON)',
          act: (x) => {
            const extra: Record<string, unknown> = {};
            extra.self = extra;
            return x.alice.channelInviteUser2('c9', 'bob', extra);
          },
          sees: 'a TypeError from JSON.stringify: no Call is returned, nothing is sent',
          records: ["threw TypeError: Converting circular structure to JSON\n    --> starting at object with constructor 'Object'\n    --- property 'self' closes the circle"],
        },
      ]),
  },
);

/** alice and bob logged in and in `room` (alice's Channel recorded as `room`, bob's as `bob.room`). */
async function bothInRoom(w: World, rec: Recorder): Promise<Partial<Ctx>> {
  const { alice, bob } = await aliceAndBob(w, rec);
  const room = rec.channel(alice.channelJoin('room')!, 'room');
  await w.until(() => room.state === 'joined', 'alice in room');
  const bobs = rec.channel(bob.channelJoin('room')!, 'bob.room');
  await w.until(() => bobs.state === 'joined', 'bob in room');
  // alice hears bob join: wait for it, so that it is not taken for a row's.
  await w.until(() => seenInSetup(w, 'room.onChannelUserJoined'), 'alice sees bob join');
  return { alice, bob, room };
}

/** The group's setup has recorded this event. */
function seenInSetup(w: World, event: string): boolean {
  return w.events('table').some((r) => r.name === `setup → ${event}`);
}

const both = (event: string) => [`room.${event}`, `bob.room.${event}`];

groups.push(
  {
    name: 'Channel methods, both in the channel',
    fence: ['alice', 'bob'],
    setup: bothInRoom,
    rows: [
      { what: 'messageChannelSend(msg undefined)', act: (x) => x.room.messageChannelSend(undefined as never, x.cb), sees: 'cb(): refused (not a string); nobody hears it', records: ['returned undefined', 'cb()'] },
      { what: 'messageChannelSend(msg 42)', act: (x) => x.room.messageChannelSend(42 as never, x.cb), sees: 'cb(): refused', records: ['returned undefined', 'cb()'] },
      { what: 'messageChannelSend(msg "")', act: (x) => x.room.messageChannelSend('', x.cb), sees: 'cb(), and every member hears ""', records: ['returned undefined', 'cb()', ...both('onMessageChannelReceive("alice", 1, "")')] },
      { what: 'messageChannelSend(msg of 8 KB + 1)', act: (x) => x.room.messageChannelSend(over8k, x.cb), sees: 'cb(): refused, nobody hears it', records: ['returned undefined', 'cb()'] },
      { what: 'messageChannelSend(msg with emoji)', act: (x) => x.room.messageChannelSend('🎉 中文', x.cb), sees: 'cb(), every member hears it', records: ['returned undefined', 'cb()', ...both('onMessageChannelReceive("alice", 1, "🎉 中文")')] },
      { what: 'messageChannelSend(cb undefined)', act: (x) => x.room.messageChannelSend('no cb'), sees: 'every member hears it', records: ['returned undefined', ...both('onMessageChannelReceive("alice", 1, "no cb")')] },
      { what: 'channelSetAttr(name undefined)', act: (x) => x.room.channelSetAttr(undefined as never, 'v', x.cb), sees: 'cb(): refused', records: ['returned undefined', 'cb()'] },
      { what: 'channelSetAttr(name "")', act: (x) => x.room.channelSetAttr('', 'v', x.cb), sees: 'cb(): refused', records: ['returned undefined', 'cb()'] },
      { what: 'channelSetAttr(name of 129 characters)', act: (x) => x.room.channelSetAttr(long129, 'v', x.cb), sees: 'cb(): refused', records: ['returned undefined', 'cb()'] },
      { what: 'channelSetAttr(value undefined)', act: (x) => x.room.channelSetAttr('k', undefined as never, x.cb), sees: 'cb(): refused', records: ['returned undefined', 'cb()'] },
      { what: 'channelSetAttr(value null)', act: (x) => x.room.channelSetAttr('k', null as never, x.cb), sees: 'cb(): refused', records: ['returned undefined', 'cb()'] },
      { what: 'channelSetAttr(value NaN)', act: (x) => x.room.channelSetAttr('k', Number.NaN as never, x.cb), sees: 'cb(): refused (NaN is null in JSON)', records: ['returned undefined', 'cb()'] },
      { what: 'channelSetAttr(value 42)', act: (x) => x.room.channelSetAttr('n', 42 as never, x.cb), sees: 'stored as "42"', records: ['returned undefined', 'cb()', ...both('onChannelAttrUpdated("n", "42", "update")')] },
      { what: 'channelSetAttr(value an object)', act: (x) => x.room.channelSetAttr('o', { a: 1 } as never, x.cb), sees: 'stored as its JSON', records: ['returned undefined', 'cb()', ...both('onChannelAttrUpdated("o", "{\\"a\\":1}", "update")')] },
      { what: 'channelSetAttr(value of 8 KB + 1)', act: (x) => x.room.channelSetAttr('big', over8k, x.cb), sees: 'cb(): refused', records: ['returned undefined', 'cb()'] },
      { what: 'channelSetAttr(_member_num)', act: (x) => x.room.channelSetAttr('_member_num', '5', x.cb), sees: 'cb(): refused (the server keeps it)', records: ['returned undefined', 'cb()'] },
      { what: 'channelSetAttr(emoji name and value)', act: (x) => x.room.channelSetAttr('🎉', '中文', x.cb), sees: 'stored', records: ['returned undefined', 'cb()', ...both('onChannelAttrUpdated("🎉", "中文", "update")')] },
      { what: 'channelDelAttr(name undefined)', act: (x) => x.room.channelDelAttr(undefined as never, x.cb), sees: 'cb(): refused', records: ['returned undefined', 'cb()'] },
      { what: 'channelDelAttr(an attribute nobody set)', act: (x) => x.room.channelDelAttr('missing', x.cb), sees: 'cb(), nobody is told (nothing changed)', records: ['returned undefined', 'cb()'] },
      { what: 'channelClearAttr(cb undefined)', act: (x) => x.room.channelClearAttr(), sees: 'every member hears the clear', records: ['returned undefined', ...both('onChannelAttrUpdated("", "", "clear")')] },
      { what: 'channelClearAttr() of nothing', act: (x) => x.room.channelClearAttr(x.cb), sees: 'cb(), nobody is told', records: ['returned undefined', 'cb()'] },
    ],
  },
  {
    name: 'a channel alice has left',
    fence: ['alice', 'bob'],
    setup: async (w, rec) => {
      const ctx = await bothInRoom(w, rec);
      ctx.room!.channelLeave();
      await w.until(() => ctx.room!.state === 'leaved', 'alice left');
      await w.until(() => seenInSetup(w, 'bob.room.onChannelUserLeaved'), 'bob sees alice leave');
      return ctx;
    },
    rows: [
      { what: 'messageChannelSend on a left channel', act: (x) => x.room.messageChannelSend('after leaving', x.cb), sees: 'cb(): refused (not in channel); nobody hears it', records: ['returned undefined', 'cb()'] },
      { what: 'channelLeave() of a left channel', act: (x) => x.room.channelLeave(), sees: 'onChannelLeaved(0) again (1.4.0 does it on any reply)', records: ['returned undefined', 'room.onChannelLeaved(0)'] },
      { what: 'channelLeave(cb) of a left channel', act: (x) => x.room.channelLeave(x.cb), sees: 'cb()', records: ['returned undefined', 'cb()'] },
      { what: 'channelSetAttr on a left channel', act: (x) => x.room.channelSetAttr('k', 'v', x.cb), sees: 'cb(); the members (bob) hear it: attributes need no membership', records: ['returned undefined', 'cb()', 'bob.room.onChannelAttrUpdated("k", "v", "update")'] },
      { what: 'channelDelAttr on a left channel', act: (x) => x.room.channelDelAttr('k', x.cb), sees: 'cb(); bob hears it', records: ['returned undefined', 'cb()', 'bob.room.onChannelAttrUpdated("k", "", "del")'] },
    ],
  },
  {
    name: 'after logout',
    fence: ['bob'],
    setup: async (w, rec) => {
      const ctx = await bothInRoom(w, rec);
      const call = rec.call(ctx.alice!.channelInviteUser2('call-1', 'bob'), 'call');
      await w.until(() => rec.received.has('bob'), 'the invite rings');
      ctx.alice!.logout();
      await w.until(() => ctx.alice!.getStatus() === 0, 'alice logged out');
      await w.until(() => seenInSetup(w, 'bob.call.onInviteFailed'), 'bob hears alice went');
      return { ...ctx, call };
    },
    rows: [
      { what: 'messageInstantSend after logout', act: (x) => x.alice.messageInstantSend('bob', 'too late', x.cb), sees: 'nothing: the socket is closed, the request is dropped (no cb)', records: ['returned undefined'] },
      { what: 'invoke after logout', act: (x) => x.alice.invoke('io.agora.signal.user_query_user_status', { account: 'bob' }, x.cb), sees: 'nothing', records: ['returned undefined'] },
      { what: 'channelJoin after logout', act: (x) => x.alice.channelJoin('room'), sees: 'undefined (not logged in)', records: ['returned undefined'] },
      { what: 'channelInviteUser2 after logout', act: (x) => x.watch(x.alice.channelInviteUser2('call-2', 'bob'), 'call2'), sees: 'a Call; nothing else happens', records: ['returned Call(call-2/bob)'] },
      { what: 'messageChannelSend on the old Channel after logout', act: (x) => x.room.messageChannelSend('stale', x.cb), sees: 'nothing', records: ['returned undefined'] },
      { what: 'channelInviteEnd on the old Call after logout', act: (x) => x.call.channelInviteEnd(), sees: 'onInviteEndByMyself("") at once (1.4.0 checks no state); bob hears nothing', records: ['call.onInviteEndByMyself("")', 'returned undefined'] },
      { what: 'logout() again', act: (x) => x.alice.logout(), sees: 'nothing', records: ['returned undefined'] },
      { what: 'getStatus after logout', act: (x) => x.alice.getStatus(), sees: '0', records: ['returned 0'] },
    ],
  },
  {
    name: 'an ended call',
    fence: ['alice', 'bob'],
    setup: async (w, rec) => {
      const { alice, bob } = await aliceAndBob(w, rec);
      const call = rec.call(alice.channelInviteUser2('call-1', 'bob', '{"n":1}'), 'call');
      await w.until(() => rec.received.has('bob'), 'the invite rings');
      const bobCall = rec.received.get('bob')!;
      bobCall.channelInviteAccept();
      await w.until(() => seenInSetup(w, 'call.onInviteAcceptedByPeer'), 'accepted');
      call.channelInviteEnd('bye');
      await w.until(() => seenInSetup(w, 'bob.call.onInviteEndByPeer'), 'ended');
      return { alice, bob, call, bobCall };
    },
    rows: [
      { what: 'channelInviteEnd on an ended call', act: (x) => x.call.channelInviteEnd(), sees: 'onInviteEndByMyself("") at once; the server refuses it, bob hears nothing', records: ['call.onInviteEndByMyself("")', 'returned undefined'] },
      { what: 'channelInviteAccept by the caller on an ended call', act: (x) => x.call.channelInviteAccept(), sees: 'nothing (refused; 1.4.0 gives it no callback)', records: ['returned undefined'] },
      { what: 'channelInviteDTMF on an ended call', act: (x) => x.call.channelInviteDTMF('1'), sees: 'nothing (refused)', records: ['returned undefined'] },
      { what: 'channelInviteDTMF(undefined) on an ended call', act: (x) => x.call.channelInviteDTMF(undefined as never), sees: 'nothing', records: ['returned undefined'] },
      { what: 'channelInviteRefuse by the callee on an ended call', act: (x) => x.bobCall.channelInviteRefuse('late'), sees: 'nothing (refused)', records: ['returned undefined'] },
      { what: 'channelInviteEnd by the callee on an ended call', act: (x) => x.bobCall.channelInviteEnd(), sees: 'onInviteEndByMyself("") at once on bob\'s side', records: ['bob.call.onInviteEndByMyself("")', 'returned undefined'] },
      { what: 'channelInviteUser2() again on the ended Call', act: (x) => x.call.channelInviteUser2(), sees: 'the invite goes out again: bob gets a new Call, alice onInviteReceivedByPeer', records: ['returned undefined', 'bob.onInviteReceived({"channelName":"call-1","peer":"alice","extra":"{\\"n\\":1}"})', 'call.onInviteReceivedByPeer("")'] },
    ],
  },
  {
    name: 'callbacks set to something that is not a function',
    fence: ['alice', 'bob'],
    setup: bothInRoom,
    rows: [
      { what: 'onMessageInstantReceive = "yes"', act: (x) => { x.bob.onMessageInstantReceive = 'yes' as never; x.alice.messageInstantSend('bob', 'hi'); }, sees: '1.4.0 calls it: a TypeError it catches and prints', records: ['returned undefined', 'console.error("TypeError: h.onMessageInstantReceive is not a function")'] },
      { what: 'onMessageInstantReceive = 0', act: (x) => { x.bob.onMessageInstantReceive = 0 as never; x.alice.messageInstantSend('bob', 'hi'); }, sees: 'nothing: a falsy value is "not set"', records: ['returned undefined'] },
      { what: 'onMessageChannelReceive = 42', act: (x) => { x.room.onMessageChannelReceive = 42 as never; x.room.messageChannelSend('hello'); }, sees: 'a TypeError, caught and printed; bob hears it', records: ['returned undefined', 'console.error("TypeError: p.onMessageChannelReceive is not a function")', 'bob.room.onMessageChannelReceive("alice", 1, "hello")'] },
      { what: 'onChannelAttrUpdated = {}', act: (x) => { x.room.onChannelAttrUpdated = {} as never; x.room.channelSetAttr('k', 'v'); }, sees: 'a TypeError, caught and printed', records: ['returned undefined', 'console.error("TypeError: p.onChannelAttrUpdated is not a function")', 'bob.room.onChannelAttrUpdated("k", "v", "update")'] },
      { what: 'onInviteReceived = "ring"', act: (x) => { x.bob.onInviteReceived = 'ring' as never; x.watch(x.alice.channelInviteUser2('c1', 'bob'), 'call'); }, sees: 'bob\'s SDK acknowledges, then the TypeError is caught and printed', records: ['returned undefined', 'console.error("TypeError: h.onInviteReceived is not a function")', 'call.onInviteReceivedByPeer("")'] },
      { what: 'onInviteEndByMyself = "x"', act: (x) => { const call = x.alice.channelInviteUser2('c2', 'bob'); call.onInviteEndByMyself = 'x' as never; call.channelInviteEnd(); }, sees: 'a TypeError printed before channelInviteEnd returns', records: ['console.error("TypeError: r.onInviteEndByMyself is not a function")', 'returned undefined', 'console.error("TypeError: h.onInviteReceived is not a function")'] },
      { what: 'onLogout = "bye", then logout()', act: (x) => { x.alice.onLogout = 'bye' as never; x.alice.logout(); }, sees: 'user_logout goes out (the property is truthy), then the TypeError is caught and printed; state 0', fence: ['bob'], records: ['returned undefined', 'console.error("TypeError: h.onLogout is not a function")', 'bob.room.onChannelUserLeaved("alice", 1)'] },
    ],
  },
);

groups.push({
  name: 'Signal',
  fence: [],
  setup: async (w) => {
    const made = (s: Session) => (w as unknown as { sessions?: Session[] }).sessions?.push(s);
    return { alice: { __signal: (app: string) => w.Signal(app), __made: made } as unknown as Session };
  },
  rows: [
    loginRow('Signal(appid undefined).login', ['u1', '_no_need_token'], 'onLoginFailed(201): no app id reaches the server', ['returned Session(u1)', 'session.onLoginFailed(201)'], NO_APP_ID),
    loginRow('Signal(appid "").login', ['u2', '_no_need_token'], 'onLoginFailed(201)', ['returned Session(u2)', 'session.onLoginFailed(201)'], ''),
    loginRow('Signal(appid 42).login', ['u3', '_no_need_token'], 'logged in to app "42" (JSON carries the number)', ['returned Session(u3)', 'session.onLoginSuccess(1)'], 42),
    loginRow('Signal(appid with spaces and emoji).login', ['u4', '_no_need_token'], 'logged in: an app id is whatever the app was given', ['returned Session(u4)', 'session.onLoginSuccess(1)'], 'my app 🎉'),
    { what: 'setDoLog(true, "VERBOSE")', act: (x) => (x.alice as unknown as { __signal: (app: string) => { setDoLog: (...a: unknown[]) => void } }).__signal('app').setDoLog(true, 'VERBOSE'), sees: 'a console message, nothing changed', records: ['returned undefined'] },
  ],
});
