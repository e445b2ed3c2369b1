import type { SdkContext } from './context.js';
import { logCall } from './fire.js';
import { kInternals, loginSettings, Session, type LoginSettings } from './session.js';

const SDK_VERSION = '1.4.0';
const SDK_VERSION_INT = 1010400000;
const LOG_LEVELS = ['DEBUG', 'WARNING', 'INFO'];

/**
 * The SDK's entry object, as `Signal(appid)` returns it. Backed by the cloud that made the
 * factory; otherwise the same surface as 1.4.0.
 */
export class Signal {
  appid: string;
  vid: string;
  lbs_url1 = ['https://lbs-1-sig.agora.io', 'https://lbs-2-sig.agora.io'];
  lbs_url2 = ['https://lbs-3-sig.agora.io', 'https://lbs-4-sig.agora.io'];
  lbs_wx = ['https://lbs-wx.agora.io'];
  rp_url = 'https:///wsrp-sig.agora.io/';
  server_urls: unknown[] = [];
  /** Set by `setup_debugging('ap_url' | 'ap', …)`. */
  declare debugging?: boolean;
  /** Set by `setDoLog`. */
  declare isLogging?: boolean;
  /** Set by `setDoLog`: 0 DEBUG, 1 WARNING, 2 INFO. */
  declare loggingLevel?: number;
  readonly #ctx: SdkContext;
  /** The settings of the last login, which the next one shares if it has the same. */
  #lastLogin: LoginSettings | undefined = undefined;

  /** @internal Use `cloud.Signal(appid)`. */
  constructor(ctx: SdkContext, appid: string | undefined) {
    this.#ctx = ctx;
    this.appid = appid as string;
    this.vid = appid as string;
  }

  /**
   * Logs in and returns a new Session (1.4.0 returns a new one on every call, with no
   * "already logged in" guard). A non-string account is `JSON.stringify`-ed.
   */
  login(account: unknown, token: string, reconnect_count?: number, reconnect_time?: number): Session {
    // The arguments as given, at least two (made as one array: the log keeps it).
    const n = arguments.length;
    const args = n <= 2 ? [account, token] : n === 3 ? [account, token, reconnect_count] : [account, token, reconnect_count, reconnect_time];
    let name: string | undefined;
    try {
      // Quirk of 1.4.0: a non-string account is JSON-stringified, so undefined (or a function)
      // becomes no account at all, which the server refuses (209).
      name = typeof account === 'string' ? account : (JSON.stringify(account) as string | undefined);
    } catch (error) {
      // Quirk of 1.4.0: an account JSON cannot encode (a BigInt, a cycle) is reported on the
      // console, and login() returns an object with the five callbacks only: no logout, no
      // getStatus, no connection.
      logCall(this.#ctx, { client: '', session: 0 }, 'login', args.map((a) => (typeof a === 'bigint' ? `${a}n` : a)));
      console.error('Invalid account type, should be a string.');
      console.error(error);
      return { onLoginSuccess: '', onLoginFailed: '', onLogout: '', onInviteReceived: '', onMessageInstantReceive: '' } as unknown as Session;
    }
    const settings = (this.#lastLogin = loginSettings(
      this.#lastLogin,
      this.vid,
      token,
      reconnect_count,
      // Quirk of 1.4.0: milliseconds, default 300 000 (the doc says seconds, default 30).
      reconnect_time,
      // 1.4.0 reads `debugging` when the Session is made: without `ap_url` it asks the LBS.
      !this.debugging,
    ));
    const session = new Session(this.#ctx, name as string, settings);
    logCall(this.#ctx, session[kInternals].owner, 'login', args);
    session.start();
    return session;
  }

  /** `"1.4.0"` */
  getSDKVersion(): string {
    return SDK_VERSION;
  }

  /** `1010400000` */
  getSDKVersion_int(): number {
    return SDK_VERSION_INT;
  }

  /**
   * Only DEBUG, WARNING and INFO are accepted; another (truthy) level is reported on the
   * console and changes nothing. The emulated SDK prints no debug lines either way.
   */
  setDoLog(isEnabled = false, level = 'DEBUG'): void {
    logCall(this.#ctx, { client: '', session: 0 }, 'setDoLog', [isEnabled, level]);
    if (level && !LOG_LEVELS.includes(level)) {
      console.log('Only accept DEBUG / WARNING / INFO as logging level values. The default level is INFO');
      return;
    }
    this.isLogging = isEnabled;
    this.loggingLevel = ({ DEBUG: 0, WARNING: 1, INFO: 2 } as Record<string, number>)[level];
  }

  /**
   * Debug settings: `ap_url` (and `ap`) add a server address and skip the LBS. The in-process
   * cloud needs no address; the values are kept as 1.4.0 keeps them.
   */
  setup_debugging(key: string, value: unknown): void {
    logCall(this.#ctx, { client: '', session: 0 }, 'setup_debugging', [key, value]);
    if (key === 'ap') {
      this.server_urls.push([value, 8001]);
      this.debugging = true;
    } else if (key === 'ap_url') {
      this.server_urls.push(value);
      this.debugging = true;
    } else if (key === 'env' && value === 'lbs100') {
      this.lbs_url1 = ['https://lbs100-1-sig.agora.io', 'https://lbs100-2-sig.agora.io'];
      this.lbs_url2 = ['https://lbs100-3-sig.agora.io', 'https://lbs100-4-sig.agora.io'];
    }
  }

  setUpDebugging(key: string, value: unknown): void {
    this.setup_debugging(key, value);
  }
}

