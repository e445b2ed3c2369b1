// What a test can still do with a disposed cloud and the SDK objects it holds, generated: a
// cloud brought to some point (logins, joins, an invite, messages in flight, a fault), disposed,
// then any sequence of SDK calls, cloud verbs and reads. What each one returns, throws and logs
// is pinned here, so that a change to what dispose lets go of cannot change it unnoticed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCloud, EmulatorError, type Cloud } from 'agora-signaling-emulator';

type Held = ReturnType<ReturnType<Cloud['Signal']>['login']>;
type Channel = NonNullable<ReturnType<Held['channelJoin']>>;
type Call = ReturnType<Held['channelInviteUser2']>;

interface Setup {
  latency: number;
  autoAdvance: boolean;
  /** 0: logins sent; 1: logged in; 2: joined; 3: an invite made; 4: a message in flight too. */
  progress: number;
  fault: 'none' | 'hold-up' | 'hold-down' | 'loss' | 'disconnect' | 'outage' | 'kick' | 'logout';
  onLogout: boolean;
  pending: boolean;
}

/** An SDK call on a held object: what it is called on, which one, the method (arguments: see {@link argsOf}). */
type SdkOp = { on: 'session' | 'channel' | 'call' | 'signal'; index: number; method: string };
type CloudOp = { verb: string };
type Op = SdkOp | CloudOp;

const accounts = ['alice', 'bob', 'carol'] as const;

const sdkOps: fc.Arbitrary<SdkOp> = fc.oneof(
  fc.record({
    on: fc.constant('session' as const),
    index: fc.nat(2),
    method: fc.constantFrom('messageInstantSend', 'invoke', 'channelJoin', 'channelInviteUser2', 'logout', 'getStatus'),
  }),
  fc.record({
    on: fc.constant('channel' as const),
    index: fc.nat(2),
    method: fc.constantFrom('messageChannelSend', 'channelLeave', 'channelSetAttr', 'channelDelAttr', 'channelClearAttr'),
  }),
  fc.record({
    on: fc.constant('call' as const),
    index: fc.nat(1),
    method: fc.constantFrom('channelInviteUser2', 'channelInviteAccept', 'channelInviteRefuse', 'channelInviteDTMF', 'channelInviteEnd'),
  }),
  fc.record({ on: fc.constant('signal' as const), index: fc.nat(1), method: fc.constant('login') }),
);

/** Verbs that drive the cloud or change it: each throws that the cloud has been disposed. */
const refused: Record<string, (c: Cloud) => unknown> = {
  flush: (c) => c.flush(),
  flushSync: (c) => c.flushSync(),
  advance: (c) => c.advance(10),
  advanceSync: (c) => c.advanceSync(10),
  until: (c) => c.until(() => true),
  untilEntry: (c) => c.until({ client: 'alice' }),
  settle: (c) => c.settle(),
  kick: (c) => c.kick('alice'),
  closeSession: (c) => c.closeSession('alice'),
  expireToken: (c) => c.expireToken('alice'),
  failNext: (c) => c.failNext('login', { reason: 'x' }),
  refuseLogin: (c) => c.refuseLogin('alice', 'x'),
  outage: (c) => c.outage(10),
  phone: (c) => c.phone('+15551234'),
  setChannelLimits: (c) => c.setChannelLimits({ maxMembers: 2 }),
  setStoredMessageLimits: (c) => c.setStoredMessageLimits({ perAccount: 2 }),
  'net.disconnect': (c) => c.net.disconnect('alice'),
  'net.latency': (c) => c.net.latency(5),
  'net.hold': (c) => c.net.hold({ account: 'alice' }),
};

/** Reads of the server and the clock: they answer as they did right after dispose. */
const reads: Record<string, (c: Cloud) => unknown> = {
  inspect: (c) => c.inspect(),
  channels: (c) => c.channels(),
  now: (c) => c.now(),
  token: (c) => c.token('certified', 'alice', { expiresIn: 60 }),
};

const cloudOps: fc.Arbitrary<CloudOp> = fc.constantFrom(...Object.keys(refused), ...Object.keys(reads), 'timeline', 'net.inspect', 'createApp').map((verb) => ({ verb }));

const setups: fc.Arbitrary<Setup> = fc.record({
  latency: fc.constantFrom(0, 20, 80),
  autoAdvance: fc.boolean(),
  progress: fc.nat(4),
  fault: fc.constantFrom('none', 'hold-up', 'hold-down', 'loss', 'disconnect', 'outage', 'kick', 'logout'),
  onLogout: fc.boolean(),
  pending: fc.boolean(),
});

interface World {
  cloud: Cloud;
  signals: ReturnType<Cloud['Signal']>[];
  sessions: Held[];
  channels: Channel[];
  calls: Call[];
  /** Settles to what a flush, an advance and an until queued before dispose came to. */
  queued: Promise<string[]>;
}

async function build(setup: Setup): Promise<World> {
  const cloud = createCloud({ latency: setup.latency, autoAdvance: setup.autoAdvance, apps: [{ appId: 'certified', certificate: 'cert' }] });
  const signals = [cloud.Signal('app'), cloud.Signal('other')];
  const sessions = accounts.map((name) => signals[0]!.login(name, '_no_need_token'));
  if (setup.onLogout) for (const s of sessions) s.onLogout = () => {};
  const channels: Channel[] = [];
  const calls: Call[] = [];
  sessions[1]!.onInviteReceived = (call: Call) => {
    calls.push(call);
    call.channelInviteAccept('');
  };
  if (setup.progress >= 1) await cloud.until(() => sessions.every((s) => s.getStatus() === 2));
  if (setup.progress >= 2) {
    for (const s of sessions) channels.push(s.channelJoin('room')!);
    await cloud.advance(200);
  }
  if (setup.progress >= 3) {
    calls.push(sessions[0]!.channelInviteUser2('call-1', 'bob', ''));
    await cloud.advance(setup.latency);
  }
  if (setup.progress >= 4) {
    sessions[0]!.messageInstantSend('bob', 'in flight');
    channels[2]?.messageChannelSend('in flight');
  }
  if (setup.progress >= 1) {
    if (setup.fault === 'hold-up') cloud.net.hold({ account: 'alice', direction: 'up' });
    if (setup.fault === 'hold-down') cloud.net.hold({ account: 'bob', direction: 'down' });
    if (setup.fault === 'loss') cloud.net.loss(1, { account: 'alice' });
    if (setup.fault === 'disconnect') cloud.net.disconnect('carol', { for: 5_000 });
    if (setup.fault === 'outage') cloud.outage(5_000);
    if (setup.fault === 'kick') cloud.kick('carol');
    if (setup.fault === 'logout') sessions[2]!.logout();
  }
  const settled = (p: Promise<unknown>): Promise<string> => p.then(
    () => 'resolved',
    (e: unknown) => `rejected: ${(e as Error).message.split('\n')[0]}`,
  );
  const queued = setup.pending ? Promise.all([settled(cloud.flush()), settled(cloud.advance(1_000)), settled(cloud.until(() => false, { within: 1_000 }))]) : Promise.resolve([]);
  return { cloud, signals, sessions, channels, calls, queued };
}

/** Arguments of each SDK method (a call's `channelInviteUser2` takes none; a login, its account). */
const argsByMethod: Record<string, unknown[]> = {
  messageInstantSend: ['bob', 'after dispose', () => {}],
  invoke: ['io.agora.signal.user_query_user_status', { account: 'bob' }, () => {}],
  channelJoin: ['room'],
  channelInviteUser2: ['call-2', 'carol', ''],
  channelSetAttr: ['k', 'v', () => {}],
  channelDelAttr: ['k', () => {}],
  channelClearAttr: [() => {}],
  channelLeave: [() => {}],
  messageChannelSend: ['after dispose', () => {}],
  channelInviteDTMF: ['1'],
  channelInviteAccept: [''],
  channelInviteRefuse: [''],
  channelInviteEnd: [''],
};

function argsOf(op: SdkOp, client: string | undefined): unknown[] {
  if (op.on === 'signal') return [client, '_no_need_token'];
  if (op.on === 'call' && op.method === 'channelInviteUser2') return [];
  return argsByMethod[op.method] ?? [];
}

/** The SDK calls that return an SDK object (a Channel, a Call, a Session). */
function returnsObject(op: SdkOp): boolean {
  return op.method === 'channelJoin' || op.method === 'login' || (op.on === 'session' && op.method === 'channelInviteUser2');
}

/** Runs an op; what it returned or threw. */
async function run(op: () => unknown): Promise<{ threw?: unknown; value?: unknown }> {
  try {
    return { value: await op() };
  } catch (threw) {
    return { threw };
  }
}

describe('after dispose, a test still holds its cloud and SDK objects', () => {
  it('each SDK call logs itself and then throws that the cloud has been disposed (or sends nothing); each verb throws; the reads answer as at dispose', async () => {
    await fc.assert(
      fc.asyncProperty(setups, fc.array(fc.oneof(sdkOps, cloudOps), { minLength: 1, maxLength: 12 }), async (setup, ops: Op[]) => {
        const w = await build(setup);
        const { cloud } = w;
        cloud.dispose();
        const before = structuredClone(cloud.log.entries);
        let late = 0;
        const atDispose: Record<string, string> = Object.fromEntries(Object.entries(reads).map(([k, f]) => [k, JSON.stringify(f(cloud))]));
        for (const op of ops) {
          const length = cloud.log.entries.length;
          if ('verb' in op) {
            if (op.verb === 'timeline') {
              expect(cloud.timeline()).toBe(cloud.log.timeline());
            } else if (op.verb === 'createApp') {
              // Declaring an app still works, and the server's reads show it from then on.
              const appId = `late-${++late}`;
              cloud.createApp({ appId });
              expect(cloud.inspect().apps.map((a) => a.appId)).toContain(appId);
              atDispose.inspect = JSON.stringify(reads.inspect!(cloud));
            } else if (op.verb === 'net.inspect') {
              // The network still answers (a message sent after dispose under a hold is held).
              expect(cloud.net.inspect().rules.length).toBe(setup.fault.startsWith('hold') || setup.fault === 'loss' ? Number(setup.progress >= 1) : 0);
            } else if (op.verb in reads) {
              expect(JSON.stringify(reads[op.verb]!(cloud)), op.verb).toBe(atDispose[op.verb]);
            } else {
              const r = await run(() => refused[op.verb]!(cloud));
              expect(r.threw, op.verb).toBeInstanceOf(EmulatorError);
              expect((r.threw as Error).message, op.verb).toMatch(/: the cloud has been disposed$/);
            }
            expect(cloud.log.entries.length, op.verb).toBe(length);
            continue;
          }
          const target = op.on === 'session' ? w.sessions[op.index] : op.on === 'channel' ? w.channels[op.index] : op.on === 'call' ? w.calls[op.index] : w.signals[op.index];
          if (target === undefined) continue;
          const method = (target as unknown as Record<string, unknown>)[op.method];
          const client = op.on === 'signal' ? `new${op.index}` : op.on === 'session' ? accounts[op.index]! : op.on === 'channel' ? accounts[op.index]! : undefined;
          const args = argsOf(op, client);
          const r = await run(() => (method as (...a: unknown[]) => unknown).apply(target, args));
          const added = cloud.log.entries.slice(length);
          if (typeof method !== 'function') {
            // A Session's features come with its connection: before it, they are not there.
            expect(r.threw, op.method).toBeInstanceOf(TypeError);
            expect(added).toEqual([]);
            continue;
          }
          if (op.method === 'getStatus') {
            expect(added).toEqual([]);
            continue;
          }
          // The call's own entry first, under its client; then only what the call itself did
          // (a fault rule applied to what it sent, a callback the SDK fires in the call).
          expect(added[0], op.method).toMatchObject({ kind: 'call', name: op.method, ...(client !== undefined ? { client } : {}) });
          for (const e of added.slice(1)) {
            expect(e, op.method).toMatchObject({ client: added[0]!.client });
            expect(['fault', 'callback'], op.method).toContain(e.kind);
          }
          if (r.threw !== undefined) {
            expect(r.threw, op.method).toBeInstanceOf(EmulatorError);
            expect((r.threw as Error).message, op.method).toMatch(/^Failed to schedule "[^"]+": the cloud has been disposed$/);
          } else if (returnsObject(op) && r.value !== undefined) {
            // Sent nothing to schedule (a fault rule dropped or held it): the SDK's object.
            expect(r.value, op.method).toBeTypeOf('object');
          } else {
            expect(r.value, op.method).toBeUndefined();
          }
        }
        // Nothing runs afterwards: what was queued before dispose settles, nothing is pending,
        // and the log up to dispose is what it was.
        const queued = await w.queued;
        for (const q of queued) expect(q).toMatch(/^resolved$|^rejected: Failed to until: the cloud was disposed before it ran$|went idle first|nothing made it true/);
        await new Promise((resolve) => setTimeout(resolve, 0));
        expect(cloud.time.scheduler.pending()).toEqual([]);
        expect(cloud.log.entries.slice(0, before.length)).toEqual(before);
        for (const [k, f] of Object.entries(reads)) expect(JSON.stringify(f(cloud)), k).toBe(atDispose[k]);
      }),
      { numRuns: 150 },
    );
  });
});
