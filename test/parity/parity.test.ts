import { describe, expect, it } from 'vitest';
import { compareRecordings, expectParity, runInProcess, runOverWire, type Recording, type Scenario } from './harness.js';
import { callScenarios, channelScenarios, scenarios } from './scenarios.js';

describe('parity: the in-process SDK and the real SDK 1.4.0 over the wire record the same callbacks', () => {
  for (const [name, scenario] of Object.entries({ ...scenarios, ...channelScenarios, ...callScenarios })) {
    it(name, async () => {
      const recording = await expectParity(name, scenario);
      expect(recording.size).toBeGreaterThan(0);
    });
  }
});

describe('the parity harness', () => {
  it('drives the real SDK in the wire run, and reports a client whose records differ', async () => {
    const scenario: Scenario = async (w) => {
      const alice = w.login('alice');
      // go_login is a field of the real Session only.
      w.note('alice', 'go_login', typeof (alice as unknown as { go_login?: unknown }).go_login);
      await w.loggedIn(alice);
    };
    const diff = compareRecordings(await runInProcess(scenario), await runOverWire(scenario));
    expect(diff).toContain('✗    1  go_login("undefined")      go_login("function")');
    expect(diff).not.toContain('✗    2');
  });


  it('shows the clients that differ side by side and marks the rows that differ', () => {
    const a: Recording = new Map([
      ['alice', [{ name: 'onLoginSuccess', args: [1] }, { name: 'onLogout', args: [103] }]],
      ['bob', [{ name: 'onLoginSuccess', args: [2] }]],
    ]);
    const b: Recording = new Map([
      ['alice', [{ name: 'onLoginSuccess', args: [1] }, { name: 'onLogout', args: [102] }, { name: 'onMessageInstantReceive', args: ['bob', 0, 'x'] }]],
      ['bob', [{ name: 'onLoginSuccess', args: [2] }]],
    ]);
    const diff = compareRecordings(a, b)!;
    expect(diff.split('\n')).toEqual([
      '  client alice:',
      '       #  in-process (cloud.Signal)  real SDK 1.4.0 over the wire',
      '       1  onLoginSuccess(1)          onLoginSuccess(1)',
      '  ✗    2  onLogout(103)              onLogout(102)',
      '  ✗    3  —                          onMessageInstantReceive("bob", 0, "x")',
    ]);
    expect(compareRecordings(a, new Map(a))).toBeUndefined();
  });
});
