// Bad `cb` arguments: 1.4.0 calls every `cb` unguarded (`n && n(…)`), so a truthy value that is
// not a function, or a function that throws, escapes from its WebSocket handler as an uncaught
// error. Each row is checked in-process and against the real SDK 1.4.0 (a fresh session per
// row: under `ws` the real SDK's socket processes nothing after such an error).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloud, type Channel, type Session } from 'agora-signaling-emulator';
import { installGlobals, loadSdk, quietUrlLogs, stopRealSession, type RealSignalFactory } from '../../parity/real-sdk.js';

interface Row {
  what: string;
  /** Makes the request with the bad `cb`, on a logged-in session and its joined Channel. */
  act: (session: Session, room: Channel) => void;
  /** The uncaught error, as 1.4.0's minified code words it. */
  uncaught: string;
}

const rows: Row[] = [
  { what: 'messageInstantSend(cb "x")', act: (s) => s.messageInstantSend('nobody', 'hi', 'x' as never), uncaught: 'TypeError: n is not a function' },
  { what: 'invoke(cb 42)', act: (s) => s.invoke('io.agora.signal.user_query_user_status', { account: 'a' }, 42 as never), uncaught: 'TypeError: n is not a function' },
  { what: 'messageChannelSend(cb {})', act: (_s, r) => r.messageChannelSend('hi', {} as never), uncaught: 'TypeError: n is not a function' },
  { what: 'channelSetAttr(cb true)', act: (_s, r) => r.channelSetAttr('k', 'v', true as never), uncaught: 'TypeError: r is not a function' },
  { what: 'channelDelAttr(cb "x")', act: (_s, r) => r.channelDelAttr('k', 'x' as never), uncaught: 'TypeError: n is not a function' },
  { what: 'channelClearAttr(cb 1)', act: (_s, r) => r.channelClearAttr(1 as never), uncaught: 'TypeError: t is not a function' },
  { what: 'channelLeave(cb "x")', act: (_s, r) => r.channelLeave('x' as never), uncaught: 'TypeError: t is not a function' },
  {
    what: 'messageInstantSend(cb that throws)',
    act: (s) =>
      s.messageInstantSend('nobody', 'hi', () => {
        throw new RangeError('bug in the app');
      }),
    uncaught: 'RangeError: bug in the app',
  },
];

/** Resolves with the next uncaught error (vitest's own handlers are set aside meanwhile). */
function nextUncaught(): { error: Promise<unknown>; restore: () => void } {
  const listeners = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  let restore = () => {};
  const error = new Promise<unknown>((resolve) => {
    const once = (e: unknown) => {
      restore();
      resolve(e);
    };
    restore = () => {
      process.off('uncaughtException', once);
      for (const l of listeners) if (!process.listeners('uncaughtException').includes(l)) process.on('uncaughtException', l);
    };
    process.on('uncaughtException', once);
  });
  return { error, restore };
}

const text = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

describe('a bad cb escapes as an uncaught error, as from 1.4.0', () => {
  let RealSignal: RealSignalFactory;
  let restoreGlobals: Array<() => void> = [];
  beforeAll(() => {
    restoreGlobals = [installGlobals(), quietUrlLogs()];
    RealSignal = loadSdk();
  });
  afterAll(() => {
    for (const r of restoreGlobals) r();
  });

  for (const row of rows) {
    it(`${row.what}: ${row.uncaught}`, async () => {
      // In-process.
      const cloud = createCloud();
      const session = cloud.Signal('app').login('alice', '_no_need_token');
      await cloud.until(() => session.getStatus() === 2);
      const room = session.channelJoin('room')!;
      await cloud.until(() => room.state === 'joined');
      const inProcess = nextUncaught();
      row.act(session, room);
      await cloud.advance(100);
      expect(text(await inProcess.error)).toBe(row.uncaught);
      cloud.dispose();

      // The real SDK 1.4.0 over the wire.
      const wireCloud = createCloud({ clock: 'global' });
      const server = await wireCloud.listen();
      const signal = RealSignal('app');
      signal.setup_debugging('ap_url', server.url);
      const real = signal.login('alice', '_no_need_token');
      try {
        await until(() => real.getStatus() === 2);
        const realRoom = real.channelJoin('room')!;
        await until(() => realRoom.state === 'joined');
        const wire = nextUncaught();
        try {
          row.act(real, realRoom);
          const error = await Promise.race([wire.error, sleep(3000).then(() => 'no uncaught error within 3 s')]);
          expect(text(error)).toBe(row.uncaught);
        } finally {
          wire.restore();
        }
      } finally {
        stopRealSession(real);
        await server.close();
        wireCloud.dispose();
      }
    });
  }
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !check(); i++) await sleep(5);
  expect(check()).toBe(true);
}

export const uncaughtRows = rows.length;
