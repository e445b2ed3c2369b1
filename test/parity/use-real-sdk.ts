import { afterAll, beforeAll } from 'vitest';
import type { Session } from 'agora-signaling-emulator';
import { guardUncaught, installGlobals, loadSdk, quietUrlLogs, stopRealSession, type RealSignalFactory } from './real-sdk.js';

/**
 * The real SDK 1.4.0 for one test file: loaded before its tests (with the globals it needs),
 * the globals restored after them. `login` logs a real-SDK session in over the wire;
 * `stopSessions()` (first thing in the file's afterEach) stops them; `errors` holds what the
 * SDK threw out of its handlers, which a test expects to be empty.
 */
export function useRealSdk(): { login(url: string, account: string): Session; stopSessions(): void; readonly errors: unknown[] } {
  let Signal: RealSignalFactory | undefined;
  let restore: Array<() => void> = [];
  let guard: ReturnType<typeof guardUncaught> | undefined;
  const sessions: Session[] = [];
  beforeAll(() => {
    restore = [installGlobals(), quietUrlLogs()];
    guard = guardUncaught();
    Signal = loadSdk();
  });
  afterAll(() => {
    guard?.remove();
    for (const r of restore) r();
  });
  return {
    login(url, account) {
      const signal = Signal!('app');
      signal.setup_debugging('ap_url', url);
      const session = signal.login(account, '_no_need_token');
      sessions.push(session);
      return session;
    },
    stopSessions() {
      for (const s of sessions.splice(0)) stopRealSession(s);
    },
    get errors() {
      return guard?.errors ?? [];
    },
  };
}
