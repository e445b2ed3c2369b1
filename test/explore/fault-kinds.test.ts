// Each kind of fault a schedule can hold strikes the cloud as its verb does (docs/faults.md), at
// its trigger: a virtual time (once that instant's deliveries have run) or a callback delivery
// (as it is handed to the app). Faults that last end after their duration, and every fault
// still under way ends when the scenario does.
import { checkFaultTolerance, EmulatorError, replay, type Cloud, type LogEntry, type ScheduledFault } from 'agora-signaling-emulator';
import { describe, expect, it } from 'vitest';

/** Alice and bob log in; at +1 s alice writes to bob; the run ends at +3 s. */
function twoUsers(runs: Cloud[]) {
  return (cloud: Cloud): void => {
    runs.push(cloud);
    const signal = cloud.Signal('app');
    const alice = signal.login('alice', '_no_need_token');
    const bob = signal.login('bob', '_no_need_token');
    for (const s of [alice, bob]) {
      s.onLoginSuccess = () => {};
      s.onLoginFailed = () => {};
      s.onLogout = () => {};
      s.onMessageInstantReceive = () => {};
    }
    cloud.advanceSync(1_000);
    alice.messageInstantSend('bob', 'hello', () => {});
    cloud.advanceSync(2_000);
  };
}

/** Runs the scenario under `schedule` and gives the log of that run. */
async function logUnder(...schedule: ScheduledFault[]): Promise<{ log: readonly LogEntry[]; start: number; tally: Awaited<ReturnType<typeof checkFaultTolerance>>['tally'] }> {
  const runs: Cloud[] = [];
  const report = await checkFaultTolerance(twoUsers(runs), { schedule, shrink: false, cloud: { latency: 20 } });
  expect(report.ok, report.message).toBe(true);
  const cloud = runs[runs.length - 1]!;
  return { log: cloud.log.entries, start: cloud.startTime, tally: report.tally };
}

const at = (log: readonly LogEntry[], start: number, q: Partial<LogEntry>) =>
  log.filter((e) => Object.entries(q).every(([k, v]) => JSON.stringify(e[k as keyof LogEntry]) === JSON.stringify(v))).map((e) => e.t - start);

describe('the faults of a schedule', () => {
  it('disconnect drops the account for its time; 1.4.0 logs in again after', async () => {
    const { log, start } = await logUnder({ kind: 'disconnect', account: 'bob', for: 500, how: 'close', attempts: 'refused', at: 500 });
    expect(at(log, start, { kind: 'fault', name: 'disconnect', args: [{ how: 'close', attempts: 'refused', for: 500 }] })).toEqual([500]);
    expect(at(log, start, { kind: 'fault', name: 'reconnect', client: 'bob' })).toEqual([1_000]);
    expect(at(log, start, { kind: 'callback', name: 'onLoginSuccess', client: 'bob' }).length).toBe(2);
  });

  it('disconnect with tokenExpires has the re-login refused', async () => {
    const { log, start } = await logUnder({ kind: 'disconnect', account: 'bob', for: 300, how: 'close', attempts: 'refused', tokenExpires: true, at: 500 });
    expect(at(log, start, { kind: 'fault', name: 'expireToken', client: 'bob', args: ['next-login'] })).toEqual([500]);
    expect(at(log, start, { kind: 'fault', name: 'expireToken', client: 'bob', args: ['login refused', 'TokenErrorExpired'] }).length).toBe(1);
    expect(at(log, start, { kind: 'callback', name: 'onLoginSuccess', client: 'bob' }).length).toBe(1);
  });

  it('kick, closeSession and expireToken end the session with 103, 102 and 103', async () => {
    for (const [fault, code] of [
      [{ kind: 'kick', account: 'bob', at: 500 }, 103],
      [{ kind: 'closeSession', account: 'bob', at: 500 }, 102],
      [{ kind: 'expireToken', account: 'bob', effect: 'kick', at: 500 }, 103],
    ] as const) {
      const { log, start } = await logUnder(fault);
      expect(at(log, start, { kind: 'callback', name: 'onLogout', client: 'bob' }), fault.kind).toEqual([520]);
      expect(log.find((e) => e.client === 'bob' && e.name === 'onLogout')!.args).toEqual([code]);
    }
  });

  it('an outage takes the whole cloud down for its time', async () => {
    const { log, start } = await logUnder({ kind: 'outage', for: 700, how: 'close', attempts: 'refused', at: 500 });
    expect(at(log, start, { kind: 'fault', name: 'outage', args: ['started', { how: 'close', attempts: 'refused', for: 700 }] })).toEqual([500]);
    expect(at(log, start, { kind: 'fault', name: 'outage', args: ['ended'] })).toEqual([1_200]);
  });

  it('latency, loss and duplication are rules installed for their time', async () => {
    const latency = await logUnder({ kind: 'latency', ms: [300, 300], account: 'bob', direction: 'down', for: 1_000, at: 900 });
    expect(at(latency.log, latency.start, { kind: 'fault', name: 'latency', args: ['removed'] })).toEqual([1_900]);
    expect(at(latency.log, latency.start, { kind: 'callback', name: 'onMessageInstantReceive' })).toEqual([1_320]);

    const loss = await logUnder({ kind: 'loss', p: 1, account: 'bob', direction: 'down', for: 500, at: 900 });
    expect(at(loss.log, loss.start, { kind: 'fault', name: 'loss', args: ['down', 'msg instant', 'dropped'] })).toEqual([1_020]);

    const duplicate = await logUnder({ kind: 'duplicate', p: 1, account: 'alice', direction: 'down', for: 500, at: 900 });
    expect(at(duplicate.log, duplicate.start, { kind: 'callback', name: 'messageInstantSend:cb', client: 'alice' }).length).toBe(2);
  });

  it('a hold keeps messages back for its time, then releases them in order', async () => {
    const { log, start } = await logUnder({ kind: 'hold', account: 'bob', direction: 'down', for: 500, at: 900 });
    expect(at(log, start, { kind: 'fault', name: 'hold', args: ['released'] })).toEqual([1_400]);
    expect(at(log, start, { kind: 'callback', name: 'onMessageInstantReceive' })).toEqual([1_400]);
  });

  it('failNext and refuseLogin make the server refuse the next request of that name', async () => {
    const send = await logUnder({ kind: 'failNext', request: 'user_sendmsg', account: 'alice', reason: 'server error', at: 900 });
    expect(send.log.find((e) => e.name === 'messageInstantSend:cb')!.args).toEqual([true]);

    const login = await logUnder({ kind: 'refuseLogin', account: 'bob', reason: 'TokenErrorWrong', at: 0 });
    expect(login.log.find((e) => e.client === 'bob' && e.kind === 'callback' && e.name.startsWith('onLogin'))).toMatchObject({ name: 'onLoginFailed', args: [206] });
  });

  it('a fault at a time strikes once the deliveries due at that instant have run', async () => {
    // alice's message (sent at +1 s, 20 ms each way) reaches bob at +1.040s; the kick at +1.040s comes after it.
    const { log } = await logUnder({ kind: 'kick', account: 'bob', at: 1_040 });
    const received = log.findIndex((e) => e.name === 'onMessageInstantReceive');
    const kick = log.findIndex((e) => e.kind === 'fault' && e.name === 'kick');
    expect(received).toBeGreaterThan(-1);
    expect(kick).toBeGreaterThan(received);
    expect(log[kick]!.t).toBe(log[received]!.t);
  });

  it('a fault on a callback strikes as that delivery is handed to the app, before its handler runs', async () => {
    const { log } = await logUnder({ kind: 'kick', account: 'alice', on: { account: 'bob', name: 'onMessageInstantReceive', nth: 1 } });
    const received = log.findIndex((e) => e.name === 'onMessageInstantReceive');
    expect(log[received + 1]).toMatchObject({ kind: 'fault', name: 'kick', client: 'alice' });
  });

  it('a fault on the nth delivery waits for that one', async () => {
    const { log } = await logUnder({ kind: 'kick', account: 'bob', on: { account: 'bob', name: 'onLoginSuccess', nth: 2 } }, { kind: 'disconnect', account: 'bob', for: 200, how: 'close', attempts: 'refused', at: 300 });
    const second = log.filter((e) => e.client === 'bob' && e.name === 'onLoginSuccess')[1]!;
    expect(log[log.indexOf(second) + 1]).toMatchObject({ kind: 'fault', name: 'kick', client: 'bob' });
  });

  it('faults still under way when the scenario ends stop there', async () => {
    const { log, start } = await logUnder(
      { kind: 'latency', ms: [50, 80], direction: 'both', for: 30_000, at: 500 },
      { kind: 'disconnect', account: 'bob', for: 30_000, how: 'close', attempts: 'unanswered', at: 2_000 },
      { kind: 'failNext', request: 'channel_join', reason: 'server error', at: 2_500 },
    );
    expect(at(log, start, { kind: 'fault', name: 'latency', args: ['removed'] })).toEqual([3_000]);
    expect(at(log, start, { kind: 'fault', name: 'reconnect', client: 'bob' })).toEqual([3_000]);
    // Time then settles: bob's SDK logs in again once the network is back.
    expect(at(log, start, { kind: 'callback', name: 'onLoginSuccess', client: 'bob' }).length).toBe(2);
  });

  it('counts a fault that could not strike, and one whose moment never came', async () => {
    const { tally } = await logUnder({ kind: 'kick', account: 'carol', at: 500 }, { kind: 'closeSession', account: 'bob', at: 60_000 });
    expect(tally).toEqual([
      { kind: 'kick', drawn: 1, struck: 0, missed: 1, unreached: 0 },
      { kind: 'closeSession', drawn: 1, struck: 0, missed: 0, unreached: 1 },
    ]);
  });

  it("a fault on a Session callback counts its every firing, though each names the Call it delivers, and replays from its transcript", async () => {
    // Regression: onInviteReceived's entries name the Call (call:CHANNEL/PEER), yet the callback is the Session's.
    const calls = (cloud: Cloud): void => {
      const signal = cloud.Signal('app');
      const alice = signal.login('alice', '_no_need_token');
      const bob = signal.login('bob', '_no_need_token');
      bob.onInviteReceived = (call) => call.channelInviteAccept('');
      cloud.advanceSync(500);
      alice.channelInviteUser2('first', 'bob', '');
      cloud.advanceSync(500);
      alice.channelInviteUser2('second', 'bob', '');
      cloud.advanceSync(500);
    };
    const runs: Cloud[] = [];
    const report = await checkFaultTolerance(
      (cloud) => {
        runs.push(cloud);
        calls(cloud);
      },
      { schedule: [{ kind: 'kick', account: 'alice', on: { account: 'bob', name: 'onInviteReceived', nth: 2 } }], shrink: false, cloud: { latency: 20 } },
    );
    expect(report.ok).toBe(true);
    const log = runs[runs.length - 1]!.log.entries;
    const second = log.filter((e) => e.name === 'onInviteReceived')[1]!;
    expect(second.object).toBe('call:second/alice');
    expect(log[log.indexOf(second) + 1]).toMatchObject({ kind: 'fault', name: 'kick', client: 'alice' });

    const failing = await checkFaultTolerance(
      (cloud) => {
        calls(cloud);
        if (cloud.log.count({ kind: 'fault', name: 'kick' }) > 0) throw new Error('alice was kicked');
      },
      { schedule: [{ kind: 'kick', account: 'alice', on: { account: 'bob', name: 'onInviteReceived', nth: 2 } }], shrink: false, cloud: { latency: 20 } },
    );
    expect(failing.failure!.replay).toEqual({ reproduces: true });
    expect((await replay(failing.failure!.transcript)).pass).toBe(true);
  });

  it('a trigger that names an object for a Session callback is refused, as it could never fire', async () => {
    await expect(
      checkFaultTolerance(() => {}, { schedule: [{ kind: 'kick', account: 'bob', on: { account: 'bob', name: 'onInviteReceived', nth: 1, object: 'call:x/alice' } }] }),
    ).rejects.toThrow(new EmulatorError('Failed to check fault tolerance: schedule[0].on: onInviteReceived is a callback of the Session: leave out "object"'));
  });
});
