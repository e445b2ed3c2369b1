import { describe, expect, it } from 'vitest';
import { codes, createCloud } from 'agora-signaling-emulator';

describe('login', () => {
  it('succeeds asynchronously with the uid, moving the state 0 → 1 → 2', async () => {
    const cloud = createCloud();
    const signal = cloud.Signal('app');
    const session = signal.login('alice', '_no_need_token');
    expect(session.getStatus()).toBe(1);
    expect(session.account).toBe('alice');
    const uid = await new Promise<number>((resolve) => (session.onLoginSuccess = resolve));
    expect(typeof uid).toBe('number');
    expect(session.uid).toBe(uid);
    expect(session.state).toBe(2);
    expect(session.line).not.toBe('');
  });

  it('returns a new Session on every call (1.4.0 has no "already logged in" guard)', async () => {
    const cloud = createCloud();
    const signal = cloud.Signal('app');
    const a = signal.login('alice', '_no_need_token');
    const b = signal.login('carol', '_no_need_token');
    expect(a).not.toBe(b);
  });

  it('stringifies a non-string account', async () => {
    const cloud = createCloud();
    const session = cloud.Signal('app').login(42 as unknown as string, '_no_need_token');
    expect(session.account).toBe('42');
    await cloud.flush();
    expect(cloud.inspect().apps[0]!.online.map((u) => u.account)).toEqual(['42']);
  });

  it('shows in cloud.inspect() since when the server took the login, in the cloud\'s time', async () => {
    const startTime = 1_700_000_000_123;
    const cloud = createCloud({ startTime, latency: 40 });
    const session = cloud.Signal('app').login('alice', '_no_need_token');
    let loggedInAt = 0;
    session.onLoginSuccess = () => (loggedInAt = cloud.now());
    await cloud.flush();
    await cloud.advance(5_000);
    const [alice] = cloud.inspect().apps[0]!.online;
    // The login_ret left the server one latency before it arrived.
    expect(alice).toEqual({ account: 'alice', uid: session.uid, line: session.line, since: loggedInAt - 40 });
    expect(alice!.since).toBeGreaterThan(startTime);
  });

  it('works with and without `new`, and with no appid', () => {
    const cloud = createCloud();
    const a = cloud.Signal('app');
    const b = new cloud.Signal('app');
    expect(b).toBeInstanceOf(cloud.Signal);
    expect(a.appid).toBe('app');
    expect(new cloud.Signal().getSDKVersion()).toBe('1.4.0');
    expect(a.getSDKVersion_int()).toBe(1010400000);
  });

  describe('failures reach onLoginFailed with the 1.4.0 code and leave state 0', () => {
    async function failure(setup: (c: ReturnType<typeof createCloud>) => { account: string; token: string; appId: string }) {
      const cloud = createCloud();
      const { account, token, appId } = setup(cloud);
      const session = cloud.Signal(appId).login(account, token);
      const code = await new Promise<number>((resolve) => (session.onLoginFailed = resolve));
      expect(session.getStatus()).toBe(0);
      expect(cloud.log.count({ kind: 'callback', name: 'onLoginSuccess' })).toBe(0);
      return code;
    }

    it('a wrong token: 206 LOGIN_E_TOKENWRONG', async () => {
      const code = await failure((c) => {
        c.createApp({ appId: 'secure', certificate: 'cert' });
        return { appId: 'secure', account: 'alice', token: '1:secure:9999999999:00000000000000000000000000000000' };
      });
      expect(code).toBe(codes.LOGIN_E_TOKENWRONG);
    });

    it('_no_need_token on an app with a certificate: 206', async () => {
      const code = await failure((c) => {
        c.createApp({ appId: 'secure', certificate: 'cert' });
        return { appId: 'secure', account: 'alice', token: '_no_need_token' };
      });
      expect(code).toBe(206);
    });

    it('a token made for another account: 206', async () => {
      const code = await failure((c) => {
        c.createApp({ appId: 'secure', certificate: 'cert' });
        return { appId: 'secure', account: 'alice', token: c.token('secure', 'bob') };
      });
      expect(code).toBe(206);
    });

    it('an expired token: 204 LOGIN_E_TOKENEXPIRED, checked on the virtual clock', async () => {
      const cloud = createCloud({ apps: [{ appId: 'secure', certificate: 'cert' }] });
      const token = cloud.token('secure', 'alice', { expiresIn: 60 });
      await cloud.advance(61_000);
      const session = cloud.Signal('secure').login('alice', token);
      const code = await new Promise<number>((resolve) => (session.onLoginFailed = resolve));
      expect(code).toBe(codes.LOGIN_E_TOKENEXPIRED);
    });

    it('a valid token logs in until it expires', async () => {
      const cloud = createCloud({ apps: [{ appId: 'secure', certificate: 'cert' }] });
      const token = cloud.token('secure', 'alice', { expiresIn: 60 });
      await cloud.advance(59_000);
      const session = cloud.Signal('secure').login('alice', token);
      await cloud.flush();
      expect(session.getStatus()).toBe(2);
    });

    it.each([
      ['with a space', 'al ice'],
      ['empty', ''],
      ['of 129 characters', 'a'.repeat(129)],
      ['with a tab', 'a\tb'],
    ])('an account %s: 209 LOGIN_E_INVALID_USER', async (_what, account) => {
      const code = await failure(() => ({ appId: 'app', account, token: '_no_need_token' }));
      expect(code).toBe(codes.LOGIN_E_INVALID_USER);
    });

    it('an account of 128 characters, emoji included, is fine', async () => {
      const cloud = createCloud();
      const session = cloud.Signal('app').login('😀'.repeat(128), '_no_need_token');
      await cloud.flush();
      expect(session.getStatus()).toBe(2);
    });
  });

  it('onLoginFailed fires once, and the server logs the refusal with its reason', async () => {
    const cloud = createCloud({ apps: [{ appId: 'secure', certificate: 'cert' }] });
    const session = cloud.Signal('secure').login('alice', 'bad');
    session.onLoginFailed = () => {};
    await cloud.advance(30_000);
    expect(cloud.log.callbacks('alice')).toEqual(['onLoginFailed']);
    expect(cloud.log.first({ kind: 'server', name: 'login refused' })?.args).toEqual(['TokenErrorFormat']);
  });

  it('a refused login with no onLoginFailed set leaves the state at 1 (quirk of 1.4.0)', async () => {
    const cloud = createCloud({ apps: [{ appId: 'secure', certificate: 'cert' }] });
    const session = cloud.Signal('secure').login('alice', 'bad');
    await cloud.advance(30_000);
    expect(session.getStatus()).toBe(1);
    expect(cloud.log.callbacks('alice')).toEqual([]);
  });

  it('the session methods exist only once the WebSocket has opened (quirk of 1.4.0)', async () => {
    const cloud = createCloud({ latency: 10 });
    const session = cloud.Signal('app').login('alice', '_no_need_token');
    expect(session.messageInstantSend).toBeUndefined();
    expect(() => session.invoke('io.agora.signal.user_query_user_status', {}, () => {})).toThrow(TypeError);
    await cloud.advance(20); // the socket opened after a round trip; login_ret is still on its way
    expect(session.getStatus()).toBe(1);
    expect(typeof session.messageInstantSend).toBe('function');
  });
});
