import { describe, expect, it } from 'vitest';
import 'agora-signaling-emulator/vitest';
import { cloudMatchers, createCloud, EmulatorError } from 'agora-signaling-emulator';
import { kickScenario } from './helpers.js';

describe('toHaveReceived', () => {
  it('passes when the client received the callback, arguments matched as a partial prefix', async () => {
    const cloud = await kickScenario();
    expect(cloud).toHaveReceived('bob', 'onMessageInstantReceive');
    expect(cloud).toHaveReceived('bob', 'onMessageInstantReceive', ['alice', 0, 'hello bob']);
    expect(cloud).toHaveReceived('bob', 'onMessageInstantReceive', ['alice']);
    expect(cloud).toHaveReceived('bob', 'onMessageInstantReceive', ['alice', expect.any(Number), /hello/]);
    expect(cloud).toHaveReceived('alice', 'onLogout', (args) => args[0] === 103);
    expect(cloud).not.toHaveReceived('alice', 'onLoginFailed');
    expect(cloud).not.toHaveReceived('bob', 'onMessageInstantReceive', ['carol']);
  });

  it('fails with the callbacks received with other arguments', async () => {
    const cloud = await kickScenario();
    expect(() => expect(cloud).toHaveReceived('bob', 'onMessageInstantReceive', ['alice', 0, 'bye'])).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected bob to have received onMessageInstantReceive("alice", 0, "bye"), but bob received onMessageInstantReceive only with other arguments:

        +0.240s  bob  callback  onMessageInstantReceive  "alice", 0, "hello bob"]
    `);
  });

  it("fails with the client's timeline when the callback never came", async () => {
    const cloud = await kickScenario();
    expect(() => expect(cloud).toHaveReceived('bob', 'onLogout', [103])).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected bob to have received onLogout(103), but bob never received onLogout. bob's entries:

        +0.000s  bob  call      login                    "bob", "_no_need_token"
        +0.160s  bob  callback  onLoginSuccess           2  (not set)
        +0.240s  bob  callback  onMessageInstantReceive  "alice", 0, "hello bob"]
    `);
  });

  it('fails naming the accounts in the log when the client has none (a typo?)', async () => {
    const cloud = await kickScenario();
    expect(() => expect(cloud).toHaveReceived('Bob', 'onLoginSuccess')).toThrowErrorMatchingInlineSnapshot(`[Error: expected Bob to have received onLoginSuccess, but the log has no entries of Bob (accounts in the log: alice, bob)]`);
  });

  it('.not fails pointing at the callback in its context', async () => {
    const cloud = await kickScenario();
    expect(() => expect(cloud).not.toHaveReceived('alice', 'onLogout')).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected alice not to have received onLogout, but it was received once, first at +1.320s:

          … 3 earlier
          +0.240s  alice    callback  messageInstantSend:cb  false
          +1.160s  alice#2  call      login                  "alice", "_no_need_token"
          +1.280s  alice    server    kick                   "logged in elsewhere"
          +1.280s  alice    server    session ended          "kicked"
        > +1.320s  alice    callback  onLogout               103
          +1.320s  alice#2  callback  onLoginSuccess         1  (not set)]
    `);
  });
});

describe('toHaveReceivedTimes', () => {
  it('passes on the exact count, over every Session of the account', async () => {
    const cloud = await kickScenario();
    expect(cloud).toHaveReceivedTimes('alice', 'onLoginSuccess', 2);
    expect(cloud).toHaveReceivedTimes('bob', 'onLoginSuccess', 1, [2]);
    expect(cloud).toHaveReceivedTimes('bob', 'onLogout', 0);
  });

  it('fails listing what was received', async () => {
    const cloud = await kickScenario();
    expect(() => expect(cloud).toHaveReceivedTimes('alice', 'onLoginSuccess', 3)).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected alice to have received onLoginSuccess 3 times, but it was received 2 times:

        +0.160s  alice    callback  onLoginSuccess  1  (not set)
        +1.320s  alice#2  callback  onLoginSuccess  1  (not set)]
    `);
  });

  it('.not fails listing the callbacks', async () => {
    const cloud = await kickScenario();
    expect(() => expect(cloud).not.toHaveReceivedTimes('alice', 'onLoginSuccess', 2)).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected alice not to have received onLoginSuccess 2 times, but it did:

        +0.160s  alice    callback  onLoginSuccess  1  (not set)
        +1.320s  alice#2  callback  onLoginSuccess  1  (not set)]
    `);
  });
});

describe('toHaveReceivedInOrder', () => {
  it('passes for a subsequence of the callbacks, by name or { name, args }', async () => {
    const cloud = await kickScenario();
    expect(cloud).toHaveReceivedInOrder('alice', ['onLoginSuccess', 'messageInstantSend:cb', { name: 'onLogout', args: [103] }]);
    expect(cloud).toHaveReceivedInOrder('alice', ['onLoginSuccess', 'onLoginSuccess']);
    expect(cloud).not.toHaveReceivedInOrder('alice', ['onLogout', 'messageInstantSend:cb']);
  });

  it('fails showing which came and which did not, and where one came too early', async () => {
    const cloud = await kickScenario();
    expect(() => expect(cloud).toHaveReceivedInOrder('alice', ['onLoginSuccess', 'onLogout', 'messageInstantSend:cb'])).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected alice to have received, in this order:
        ✓ onLoginSuccess         +0.160s
        ✓ onLogout               +1.320s
        ✗ messageInstantSend:cb
      but messageInstantSend:cb came at +0.240s, before onLogout at +1.320s. alice's callbacks from +0.240s:

        > +0.240s  alice    callback  messageInstantSend:cb  false
        > +1.320s  alice    callback  onLogout               103
          +1.320s  alice#2  callback  onLoginSuccess         1  (not set)]
    `);
  });

  it('fails showing what came after the last match when one never came', async () => {
    const cloud = await kickScenario();
    expect(() => expect(cloud).toHaveReceivedInOrder('bob', ['onLoginSuccess', { name: 'onMessageInstantReceive', args: ['alice'] }, 'onLogout'])).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected bob to have received, in this order:
        ✓ onLoginSuccess                    +0.160s
        ✓ onMessageInstantReceive("alice")  +0.240s
        ✗ onLogout
      but bob never received onLogout after onMessageInstantReceive at +0.240s. bob's callbacks from +0.240s:

        > +0.240s  bob  callback  onMessageInstantReceive  "alice", 0, "hello bob"]
    `);
  });

  it('.not fails pointing at the callbacks that came in that order', async () => {
    const cloud = await kickScenario();
    expect(() => expect(cloud).not.toHaveReceivedInOrder('alice', ['messageInstantSend:cb', 'onLogout'])).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected alice not to have received, in this order:
        messageInstantSend:cb
        onLogout
      but it did:

          … 2 earlier
          +0.160s  alice    call      messageInstantSend     "bob", "hello bob"
        > +0.240s  alice    callback  messageInstantSend:cb  false
          +1.160s  alice#2  call      login                  "alice", "_no_need_token"
          +1.280s  alice    server    kick                   "logged in elsewhere"
          +1.280s  alice    server    session ended          "kicked"
        > +1.320s  alice    callback  onLogout               103
          +1.320s  alice#2  callback  onLoginSuccess         1  (not set)]
    `);
  });
});

describe('toHaveReceivedWithin', () => {
  it('passes when the callback came within ms of virtual time after an entry, a mark or a query', async () => {
    const cloud = await kickScenario();
    const sent = cloud.log.first({ client: 'alice', name: 'messageInstantSend' })!;
    expect(cloud).toHaveReceivedWithin('bob', 'onMessageInstantReceive', 80, { after: sent });
    expect(cloud).toHaveReceivedWithin('alice', 'onLogout', 200, { after: { client: 'alice', session: 2, name: 'login' } });
    expect(cloud).toHaveReceivedWithin('alice', 'onLoginSuccess', 160); // from the start
    expect(cloud).not.toHaveReceivedWithin('bob', 'onMessageInstantReceive', 79, { after: sent });

    const m = cloud.log.mark();
    cloud.Signal('demo-app').login('carol', '_no_need_token');
    await cloud.advance(1000);
    expect(cloud).toHaveReceivedWithin('carol', 'onLoginSuccess', 160, { after: m });
  });

  it('fails saying how late the callback came', async () => {
    const cloud = await kickScenario();
    const sent = cloud.log.first({ client: 'alice', name: 'messageInstantSend' })!;
    expect(() => expect(cloud).toHaveReceivedWithin('bob', 'onMessageInstantReceive', 50, { after: sent })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected bob to have received onMessageInstantReceive within 50 ms after alice call messageInstantSend at +0.160s, but it came 80 ms after, at +0.240s:

        > +0.160s  alice  call      messageInstantSend       "bob", "hello bob"
        > +0.240s  bob    callback  onMessageInstantReceive  "alice", 0, "hello bob"]
    `);
  });

  it('fails when the callback never came after the anchor', async () => {
    const cloud = await kickScenario();
    expect(() =>
      expect(cloud).toHaveReceivedWithin('alice', 'onMessageInstantReceive', 20_000, { after: { client: 'alice', name: 'onLogout' } }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected alice to have received onMessageInstantReceive within 20000 ms after alice callback onLogout at +1.320s, but alice did not receive it after that. alice's entries since then:

        +1.320s  alice#2  callback  onLoginSuccess  1  (not set)]
    `);
  });

  it('.not fails saying how soon it came', async () => {
    const cloud = await kickScenario();
    const sent = cloud.log.first({ client: 'alice', name: 'messageInstantSend' })!;
    expect(() => expect(cloud).not.toHaveReceivedWithin('bob', 'onMessageInstantReceive', 100, { after: sent })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected bob not to have received onMessageInstantReceive within 100 ms after alice call messageInstantSend at +0.160s, but it came 80 ms after, at +0.240s:

        > +0.160s  alice  call      messageInstantSend       "bob", "hello bob"
        > +0.240s  bob    callback  onMessageInstantReceive  "alice", 0, "hello bob"]
    `);
  });

  it('throws when the anchor query selects nothing, rather than passing a negation by accident', async () => {
    const cloud = await kickScenario();
    expect(() => expect(cloud).not.toHaveReceivedWithin('bob', 'onLogout', 100, { after: { name: 'no such thing' } })).toThrow(EmulatorError);
  });
});

describe('toHaveLogged', () => {
  it('passes when an entry of any kind matches', async () => {
    const cloud = await kickScenario();
    expect(cloud).toHaveLogged({ kind: 'server', name: 'kick', client: 'alice' });
    expect(cloud).toHaveLogged((e) => e.kind === 'server' && e.args[0] === 'kicked');
    expect(cloud).not.toHaveLogged({ kind: 'fault' });
  });

  it("fails with the client's last entries", async () => {
    const cloud = await kickScenario();
    expect(() => expect(cloud).toHaveLogged({ kind: 'server', name: 'message stored', client: 'bob' })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the log to have an entry matching { kind: "server", name: "message stored", client: "bob" }, but none does. bob's last 3 entries:

        +0.000s  bob  call      login                    "bob", "_no_need_token"
        +0.160s  bob  callback  onLoginSuccess           2  (not set)
        +0.240s  bob  callback  onMessageInstantReceive  "alice", 0, "hello bob"]
    `);
  });

  it('.not fails pointing at the first match in context', async () => {
    const cloud = await kickScenario();
    expect(() => expect(cloud).not.toHaveLogged({ kind: 'server' })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected the log to have no entry matching { kind: "server" }, but 2 do, first at +1.280s:

          +0.160s  alice    call      messageInstantSend       "bob", "hello bob"
          +0.240s  bob      callback  onMessageInstantReceive  "alice", 0, "hello bob"
          +0.240s  alice    callback  messageInstantSend:cb    false
          +1.160s  alice#2  call      login                    "alice", "_no_need_token"
        > +1.280s  alice    server    kick                     "logged in elsewhere"
        > +1.280s  alice    server    session ended            "kicked"
          +1.320s  alice    callback  onLogout                 103]
    `);
  });
});

describe('the matchers', () => {
  it('take the log, a view since a mark, or a list of entries as well as the cloud', async () => {
    const cloud = await kickScenario();
    const m = cloud.log.mark();
    expect(cloud.log).toHaveReceived('alice', 'onLogout', [103]);
    expect(cloud.log.filter({ client: 'alice' })).toHaveReceived('alice', 'onLogout');
    expect(cloud.log.since(m)).not.toHaveReceived('alice', 'onLogout');
  });

  it('throw an EmulatorError for something that is not a log', () => {
    expect(() => expect({ entries: 3 }).toHaveReceived('alice', 'onLogout')).toThrow(/expected a cloud \(from createCloud\(\)\), its log/);
    // @ts-expect-error the account comes first, as a string
    expect(() => expect(createCloud()).toHaveReceived(42, 'onLogout')).toThrow(/the first argument is the account/);
  });

  it('are plain functions for jest: expect.extend(cloudMatchers)', async () => {
    const cloud = await kickScenario();
    const result = cloudMatchers.toHaveReceived.call({ isNot: false }, cloud, 'alice', 'onLogout', [103]);
    expect(result.pass).toBe(true);
    expect(cloudMatchers.toHaveReceived.call({ isNot: false }, cloud, 'alice', 'onLoginFailed').pass).toBe(false);
    expect(Object.keys(cloudMatchers)).toEqual(['toHaveReceived', 'toHaveReceivedTimes', 'toHaveReceivedInOrder', 'toHaveReceivedWithin', 'toHaveLogged']);
  });
});
