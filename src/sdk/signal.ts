import type { SdkContext } from './context.js';
import { logCall } from './fire.js';
import { kSession, Session } from './session.js';

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
  lbs_url1 = 'https://lbs-1-sig.agora.io';
  lbs_url2 = 'https://lbs-2-sig.agora.io';
  server_urls: string[] = [];
  readonly #ctx: SdkContext;
  readonly #debugging = new Map<string, unknown>();
  #doLog = false;
  #logLevel = 'DEBUG';

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
    const name = typeof account === 'string' ? account : String(JSON.stringify(account));
    const session = new Session(
      this.#ctx,
      this.vid,
      name,
      token,
      typeof reconnect_count === 'number' ? reconnect_count : 10,
      // Quirk of 1.4.0: milliseconds, default 300 000 (the doc says seconds, default 30).
      typeof reconnect_time === 'number' ? reconnect_time : 300_000,
    );
    const args = [account, token, reconnect_count, reconnect_time].slice(0, Math.max(2, arguments.length));
    logCall(this.#ctx, session[kSession].owner, 'login', args);
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

  /** Only DEBUG, WARNING and INFO are accepted; another level is reported and changes nothing. */
  setDoLog(isEnabled = false, level = 'DEBUG'): void {
    logCall(this.#ctx, { client: '', session: 0 }, 'setDoLog', [isEnabled, level]);
    if (!LOG_LEVELS.includes(level)) {
      console.log(`Invalid log level: ${String(level)}. Use DEBUG, WARNING or INFO.`);
      return;
    }
    this.#doLog = Boolean(isEnabled);
    this.#logLevel = level;
  }

  /** Debug settings such as `ap_url` (kept; the in-process cloud needs no address). */
  setup_debugging(key: string, value: unknown): void {
    logCall(this.#ctx, { client: '', session: 0 }, 'setup_debugging', [key, value]);
    this.#debugging.set(key, value);
  }

  setUpDebugging(key: string, value: unknown): void {
    this.setup_debugging(key, value);
  }
}

