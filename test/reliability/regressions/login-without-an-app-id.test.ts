// Regression: a login with no app id (`Signal()` or `Signal('')`) crashed the in-process cloud
// (the server tried to create an app '' and threw out of a scheduler task), logged in to an app
// called "undefined", or, over the wire, was never answered. The server now refuses it ('invalid
// vid'), which 1.4.0 reports as onLoginFailed(201). Found by the bad-input table
// (test/reliability/bad-input), checked against the real SDK.
import { describe, expect, it, vi } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

describe('a login without an app id', () => {
  it('is refused with onLoginFailed(201), and the cloud goes on', async () => {
    const cloud = createCloud();
    const failed = vi.fn();
    for (const signal of [cloud.Signal(), cloud.Signal(''), new cloud.Signal(null as never)]) {
      const session = signal.login('alice', '_no_need_token');
      session.onLoginFailed = failed;
    }
    await cloud.advance(100);
    expect(failed.mock.calls).toEqual([[201], [201], [201]]);
    expect(cloud.log.filter({ kind: 'server', name: 'login refused' }).map((e) => e.args[0])).toEqual(['invalid vid', 'invalid vid', 'invalid vid']);
    expect(cloud.inspect().apps).toEqual([]);
    const bob = cloud.Signal('app').login('bob', '_no_need_token');
    await cloud.until(() => bob.getStatus() === 2);
    cloud.dispose();
  });
});
