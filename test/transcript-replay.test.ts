import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatDiff, formatReplayFailure, replay, type Transcript } from 'agora-signaling-emulator';
import { loadTranscript } from 'agora-signaling-emulator/node';

const fixture = (name: string) => loadTranscript(fileURLToPath(new URL(`../fixtures/${name}.json`, import.meta.url)));

const twoUsers = (steps: Transcript['steps'], expect: Transcript['expect'], extra: Partial<Transcript> = {}): Transcript => ({
  version: 1,
  steps: [{ client: 'alice', call: 'login' }, { client: 'bob', call: 'login' }, { advance: 100 }, ...steps],
  expect,
  ...extra,
});

describe('replay: a tampered transcript fails with a diff at the first divergence', () => {
  it('names the expected entry, the actual one at that point, and the field that differed', async () => {
    const t = fixture('peer-message-reaches-the-peer');
    const i = t.expect.log.findIndex((e) => e.name === 'onMessageInstantReceive');
    t.expect.log[i] = { ...t.expect.log[i], args: ['alice', 0, 'hello bobby'] };
    const result = await replay(t);
    expect(result.pass).toBe(false);
    expect(result.diff).toMatchObject({ kind: 'mismatch', expectedIndex: i, matched: i, actual: { index: i, entry: { name: 'onMessageInstantReceive' } } });
    expect(result.diff!.candidates[0]).toMatchObject({ index: i, mismatches: [{ path: 'args[2]', expected: '"hello bobby"', actual: '"hello bob"' }] });
    expect(formatDiff(result.diff!)).toContain(`first divergence at expect.log[${i}]`);
    expect(formatDiff(result.diff!)).toContain('args[2]: expected "hello bobby", got "hello bob"');
  });

  it('an entry the log never had is missing; the nearest candidates say why they are not it', async () => {
    const t = fixture('second-login-kicks-the-first-with-103');
    t.expect.log.splice(5, 0, { t: 1160, client: 'alice', kind: 'callback', name: 'onLogout', args: [102], session: 1 });
    const result = await replay(t);
    expect(result.diff).toMatchObject({ kind: 'mismatch', expectedIndex: 5 });
    expect(result.diff!.candidates[0]).toMatchObject({ index: 5, mismatches: [{ path: 'args[0]', expected: '102', actual: '103' }] });
  });

  it('an entry that is not expected makes an exact match fail at the point it comes', async () => {
    const t = fixture('second-login-kicks-the-first-with-103');
    const removed = t.expect.log.splice(3, 1)[0]!;
    const result = await replay(t);
    expect(result.diff).toMatchObject({ kind: 'mismatch', expectedIndex: 3, actual: { index: 3, entry: { name: removed.name } } });
    expect(result.diff!.candidates.find((c) => c.index === 4)).toMatchObject({ mismatches: [], note: 'matches, but 1 unexpected entry comes before it (log #3)' });
  });

  it('a log longer than an exact expectation fails with the first extra entry', async () => {
    const t = fixture('second-login-kicks-the-first-with-103');
    t.expect.log.pop();
    const result = await replay(t);
    expect(result.diff).toMatchObject({ kind: 'extra', actual: { index: t.expect.log.length } });
    expect(formatReplayFailure(result, 'x.json')).toContain('the log goes on after all 6 expected entries');
  });

  it('a subsequence out of order is missing, and the candidate that came too early says so', async () => {
    const t = twoUsers([{ client: 'alice', call: 'messageInstantSend', args: ['bob', 'one'] }, { advance: 10 }, { client: 'alice', call: 'messageInstantSend', args: ['bob', 'two'] }, { advance: 10 }], {
      match: 'subsequence',
      log: [
        { name: 'onMessageInstantReceive', args: ['alice', 0, 'two'] },
        { name: 'onMessageInstantReceive', args: ['alice', 0, 'one'] },
      ],
    });
    const result = await replay(t);
    expect(result.diff).toMatchObject({ kind: 'missing', expectedIndex: 1, matched: 1 });
    expect(result.diff!.candidates[0]!.note).toMatch(/^matches, but comes before log #\d+, which matched expect\.log\[0\]$/);
  });
});

describe('replay: patterns for values that legitimately vary', () => {
  it('$any, $type, $match, $json, $has and $repeat match loosely; ignore skips a field', async () => {
    const t = twoUsers(
      [
        { client: 'alice', call: 'invoke', args: ['io.agora.signal.user_query_user_status', { account: 'bob' }, { $cb: true }] },
        { client: 'alice', call: 'messageInstantSend', args: ['bob', { $repeat: ['é', 100] }] },
        { client: 'alice', call: 'messageInstantSend', args: ['bob', '{"k":[1,2]}'] },
        { advance: 10 },
      ],
      {
        match: 'subsequence',
        ignore: ['t'],
        log: [
          { kind: 'callback', client: 'bob', name: 'onLoginSuccess', args: [{ $type: 'number' }], t: 999999 },
          { kind: 'call', name: 'invoke', args: [{ $match: '^io\\.agora\\.signal\\.' }, { $has: { account: 'bob' } }] },
          { kind: 'callback', name: 'invoke:cb', args: ['', { $has: { status: 1 } }] },
          { name: 'onMessageInstantReceive', args: [{ $any: true }, 0, { $repeat: ['é', 100] }] },
          { name: 'onMessageInstantReceive', args: ['alice', 0, { $json: { k: [1, { $type: 'number' }] } }] },
        ],
      },
    );
    const result = await replay(t);
    expect(formatReplayFailure(result)).toBe('');
    expect(result.pass).toBe(true);
  });

  it('a loose pattern still fails on a value of the wrong shape', async () => {
    const t = twoUsers([], { match: 'subsequence', log: [{ name: 'onLoginSuccess', args: [{ $type: 'string' }] }] });
    const result = await replay(t);
    expect(result.diff!.candidates[0]!.mismatches).toEqual([{ path: 'args[0]', expected: 'a value of type string', actual: '1' }]);
  });
});

describe('replay: steps', () => {
  afterEach(() => vi.restoreAllMocks());

  it('"declared" handlers are set only by set steps; an unset one is logged unhandled', async () => {
    const t = twoUsers([{ client: 'bob', set: { onMessageInstantReceive: false } }, { client: 'alice', call: 'messageInstantSend', args: ['bob', 'hi'] }, { advance: 10 }], {
      match: 'subsequence',
      log: [{ name: 'onMessageInstantReceive', unhandled: true }],
    });
    expect((await replay(t)).pass).toBe(true);
    const declared = await replay({ ...t, handlers: 'declared', expect: { match: 'subsequence', log: [{ name: 'onLoginSuccess', client: 'alice', unhandled: true }] } });
    expect(declared.pass).toBe(true);
  });

  it('a reaction runs inside the callback, only on its nth firing, and only when the args match', async () => {
    const t = twoUsers(
      [
        { on: 'onMessageInstantReceive', client: 'bob', nth: 2, do: [{ call: 'messageInstantSend', args: [{ $arg: 0 }, 'second'] }] },
        { on: 'onMessageInstantReceive', client: 'bob', args: ['alice', 0, 'ping'], do: [{ call: 'messageInstantSend', args: ['alice', 'pong'] }] },
        { client: 'alice', call: 'messageInstantSend', args: ['bob', 'first'] },
        { client: 'alice', call: 'messageInstantSend', args: ['bob', 'ping'] },
        { advance: 10 },
      ],
      { match: 'exact', log: [] },
    );
    const result = await replay(t);
    const bobCalls = result.entries.filter((e) => e.kind === 'call' && e.client === 'bob' && e.name === 'messageInstantSend').map((e) => e.args);
    expect(bobCalls).toEqual([
      ['alice', 'second'],
      ['alice', 'pong'],
    ]);
    // The replies are made inside the callback: right after it in the log, at the same instant.
    const at = result.entries.findIndex((e) => e.name === 'onMessageInstantReceive' && e.args[2] === 'ping');
    expect(result.entries[at + 1]).toMatchObject({ kind: 'call', client: 'bob', args: ['alice', 'second'] });
  });

  it('a scripted throw is logged on the callback entry and kept off the console', async () => {
    const errors = vi.spyOn(console, 'error');
    const result = await replay(fixture('throwing-callback-is-caught-and-breaks-nothing'));
    expect(result.pass).toBe(true);
    expect(result.entries.find((e) => e.error)).toMatchObject({ name: 'onMessageInstantReceive', error: 'Error: app bug' });
    expect(errors).not.toHaveBeenCalled();
  });

  it('a $cb with actions runs them when the SDK calls it back', async () => {
    const t = twoUsers([{ client: 'alice', call: 'messageInstantSend', args: ['bob', 'one', { $cb: { do: [{ client: 'alice', call: 'messageInstantSend', args: ['bob', 'two'] }] } }] }, { advance: 10 }], {
      match: 'subsequence',
      log: [{ name: 'messageInstantSend:cb' }, { kind: 'call', name: 'messageInstantSend', args: ['bob', 'two'] }, { name: 'onMessageInstantReceive', args: ['alice', 0, 'two'] }],
    });
    expect((await replay(t)).pass).toBe(true);
  });

  it('a cloud verb runs by name, and $token makes a token on the virtual clock', async () => {
    const t: Transcript = {
      version: 1,
      steps: [
        { cloud: 'createApp', args: [{ appId: 'late', certificate: 'cert' }] },
        { client: 'alice', call: 'login', app: 'late', args: ['alice', { $token: { expiresIn: 10 } }] },
        { at: 11_000, client: 'bob', call: 'login', app: 'late', args: ['bob', { $token: { account: 'alice' } }] },
        { advance: 10 },
      ],
      expect: { match: 'subsequence', log: [{ client: 'alice', name: 'onLoginSuccess' }, { client: 'bob', name: 'onLoginFailed', args: [206] }] },
    };
    const result = await replay(t);
    expect(formatReplayFailure(result)).toBe('');
  });

  it('"at" moves time to a point; "until" waits for an entry', async () => {
    const t: Transcript = {
      version: 1,
      latency: 100,
      steps: [{ client: 'alice', call: 'login' }, { until: { client: 'alice', name: 'onLoginSuccess' } }, { at: 5000, client: 'alice', call: 'logout' }, { advance: 1000 }],
      expect: { match: 'subsequence', log: [{ t: 400, name: 'onLoginSuccess' }, { t: 5000, name: 'logout' }, { t: 5200, name: 'onLogout', args: [101] }] },
    };
    const result = await replay(t);
    expect(formatReplayFailure(result)).toBe('');
  });
});

describe('replay: a step that cannot run fails the replay with its path', () => {
  const run = async (steps: Transcript['steps']) => replay({ version: 1, latency: 50, steps, expect: { match: 'subsequence', log: [] } });

  it('an until that never holds, with the tail of the log', async () => {
    const result = await run([{ client: 'alice', call: 'login' }, { until: { name: 'onLogout' }, within: 1000 }]);
    expect(result.pass).toBe(false);
    expect(result.failure!.path).toBe('steps[1].until');
    expect(result.failure!.message).toMatch(/^Failed to reach steps\[1\]\.until \{ "name": "onLogout" \} within 1000 ms of virtual time/);
    expect(result.failure!.message).toContain('onLoginSuccess');
  });

  it('an until for an entry that came before it began says so', async () => {
    const result = await run([{ client: 'alice', call: 'login' }, { advance: 1000 }, { until: { name: 'onLoginSuccess' }, within: 100 }]);
    expect(result.failure!.message).toContain('an entry like it came earlier, at log #1, before this step began');
  });

  it('an "at" in the past', async () => {
    const result = await run([{ advance: 100 }, { at: 50, advance: 0 }]);
    expect(result.failure).toEqual({ path: 'steps[1].at', message: '50 ms is before the current virtual time (100 ms): steps run in order, so an "at" cannot go back' });
  });

  it('a session method called before the socket opened (quirk of 1.4.0)', async () => {
    const result = await run([{ client: 'alice', call: 'login' }, { client: 'alice', call: 'messageInstantSend', args: ['bob', 'hi'] }]);
    expect(result.failure).toEqual({
      path: 'steps[1].call',
      message: "alice's Session has no \"messageInstantSend\" yet: 1.4.0 creates it once the WebSocket has opened, a round trip after login (advance time first)",
    });
  });

  it('an SDK object name nothing bound', async () => {
    const result = await run([{ client: 'alice', call: 'login' }, { advance: 500 }, { client: 'alice', object: 'channel:room', call: 'channelLeave' }]);
    expect(result.failure!.path).toBe('steps[2].object');
    expect(result.failure!.message).toMatch(/^alice has no SDK object named "channel:room" \(known: none\)/);
  });

  it('a reaction whose action fails: the failure is not swallowed by the SDK', async () => {
    const result = await run([
      { on: 'onLoginSuccess', client: 'alice', do: [{ object: 'call:room/bob', call: 'channelInviteAccept' }] },
      { client: 'alice', call: 'login' },
      { advance: 500 },
    ]);
    expect(result.failure).toMatchObject({ path: 'steps[0].do[0].object', message: expect.stringMatching(/^alice has no SDK object named "call:room\/bob"/) });
    // The callback itself was delivered normally: the SDK saw no exception.
    expect(result.entries.find((e) => e.name === 'onLoginSuccess')).not.toHaveProperty('error');
  });
});

describe('replay: check steps (what getStatus() and fields say, which the log does not record)', () => {
  const run = async (steps: Transcript['steps']) => replay({ version: 1, latency: 50, steps, expect: { match: 'subsequence', log: [] } });

  it('passes when every field matches its pattern, at the point of the scenario it stands', async () => {
    const result = await run([
      { client: 'alice', call: 'login' },
      { client: 'alice', check: { state: 1, line: '' } },
      { advance: 500 },
      { client: 'alice', check: { state: 2, line: { $match: '^emu_' }, uid: { $type: 'number' } } },
      { client: 'alice', call: 'channelJoin', args: ['room'] },
      { client: 'alice', object: 'channel:room', check: { state: 'joining' } },
      { advance: 500 },
      { client: 'alice', object: 'channel:room', check: { state: 'joined', name: 'room' } },
    ]);
    expect(result.failure).toBeUndefined();
    expect(result.pass).toBe(true);
  });

  it('fails at the step and field that differ, with the value and the time', async () => {
    const result = await run([{ client: 'alice', call: 'login' }, { advance: 500 }, { client: 'alice', check: { state: 3 } }]);
    expect(result.failure).toEqual({ path: 'steps[2].check.state', message: "alice's Session has state 2 at +500 ms, expected 3" });
  });

  it('a check with nothing to check, or of no client, is a format error before anything runs', async () => {
    const result = replay({ version: 1, steps: [{ client: 'alice', check: {} }, { check: { state: 1 } } as never], expect: { match: 'exact', log: [] } });
    await expect(result).rejects.toThrow(/steps\[0\]\.check: expected \{ "field": pattern, … \}/);
    await expect(result).rejects.toThrow(/steps\[1\]\.client: missing/);
  });
});

describe('replay result', () => {
  it('has the log, its transcript form, a timeline, and the cloud (disposed unless asked)', async () => {
    const result = await replay(fixture('login-succeeds-with-the-server-uid'));
    expect(result.pass).toBe(true);
    expect(result.entries[0]).toEqual({ t: 0, client: 'alice', kind: 'call', name: 'login', args: ['alice', '_no_need_token'], session: 1 });
    expect(result.timeline).toContain('onLoginSuccess');
    expect(result.cloud.inspect().apps[0]!.online).toHaveLength(2);
    await expect(result.cloud.advance(1)).rejects.toThrow(/disposed/);
    const live = await replay(fixture('login-succeeds-with-the-server-uid'), { dispose: false });
    await live.cloud.advance(1);
    live.cloud.dispose();
  });

  it('the same transcript replays to the same log every time', async () => {
    const a = await replay(fixture('bob-replies-to-every-message'));
    const b = await replay(fixture('bob-replies-to-every-message'));
    expect(a.entries).toEqual(b.entries);
  });
});
