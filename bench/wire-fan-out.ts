import { createCloud, type Channel, type Session } from 'agora-signaling-emulator';
import { guardUncaught, installGlobals, loadSdk, quietUrlLogs, stopRealSession } from '../test/parity/real-sdk.js';
import { fanOut, type FanOutResult } from './fan-out.js';
import { clockNow, secondsSince, type Benchmark } from './harness.js';

/** Longest real-time wait for one phase of the wire run (logins, joins, deliveries). */
const PHASE_LIMIT_MS = 60_000;

/**
 * The fan-out through the wire server: `members` clients of the real SDK 1.4.0 in this process,
 * each on its own WebSocket over loopback to `cloud.listen()` (real time, `clock: 'global'`),
 * all in one channel; one sends `messages` channel messages. Times the sending phase, from the
 * first send until the last delivery reached its client.
 */
export async function wireFanOut(members: number, messages: number): Promise<FanOutResult> {
  const restoreGlobals = installGlobals();
  const restoreLog = quietUrlLogs();
  const guard = guardUncaught();
  const Signal = loadSdk();
  const cloud = createCloud({ clock: 'global' });
  cloud.setChannelLimits({ userMessagesPerSecond: 1e9, channelMessagesPerSecond: 1e9 });
  const server = await cloud.listen();
  const sessions: Session[] = [];
  try {
    for (let i = 0; i < members; i++) {
      const signal = Signal('app');
      signal.setup_debugging('ap_url', server.url);
      sessions.push(signal.login(`w${i}`, '_no_need_token'));
    }
    await waitFor(() => sessions.every((s) => s.getStatus() === 2), 'every real-SDK client logged in', guard.errors);
    let joined = 0;
    let received = 0;
    const target = members * messages;
    let done: (() => void) | undefined;
    let end = 0n;
    const join = (s: Session): Channel => {
      const channel = s.channelJoin('hall')!;
      channel.onChannelJoined = () => joined++;
      channel.onMessageChannelReceive = () => {
        if (++received === target) {
          end = clockNow();
          done?.();
        }
      };
      return channel;
    };
    const first = join(sessions[0]!);
    await waitFor(() => joined === 1, 'the first join', guard.errors);
    let set = false;
    first.channelSetAttr('_userNotification', '0', () => (set = true));
    await waitFor(() => set, 'the channel attribute', guard.errors);
    const channels = [first, ...sessions.slice(1).map(join)];
    await waitFor(() => joined === members, 'every join', guard.errors);
    const delivered = new Promise<void>((resolve) => (done = resolve));
    const start = clockNow();
    for (let i = 0; i < messages; i++) channels[0]!.messageChannelSend(`message ${i}`, () => {});
    await Promise.race([delivered, waitFor(() => received === target, `${target} deliveries`, guard.errors)]);
    return { deliveries: received, seconds: Number(end - start) / 1e9 };
  } finally {
    for (const s of sessions) stopRealSession(s);
    await server.close();
    cloud.dispose();
    guard.remove();
    restoreLog();
    restoreGlobals();
  }
}

async function waitFor(check: () => boolean, what: string, errors: unknown[]): Promise<void> {
  const start = clockNow();
  while (!check()) {
    if (errors.length > 0) throw new Error(`The real SDK threw: ${errors.map(String).join('\n')}`);
    if (secondsSince(start) * 1000 > PHASE_LIMIT_MS) throw new Error(`Wire fan-out: ${what} did not happen within ${PHASE_LIMIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

const members = (scale: number) => Math.max(2, Math.round(200 * Math.min(1, scale * 10)));

/**
 * 5. The fan-out with 200 members, in-process and through the wire with the real SDK, in the
 * same run, both clouds with the full log: how many times faster the in-process cloud delivers
 * one channel message.
 */
export const wireRatio: Benchmark = {
  name: '5. fan-out 200, in-process vs wire (real SDK)',
  unit: '× faster per delivery',
  target: '≥ 50×',
  meets: (x) => x >= 50,
  runs: 3,
  // Two warm-ups: the in-process side reaches its steady speed only after the engine has
  // optimised its delivery path (its first runs are up to twice as slow).
  warmups: 2,
  async run(scale) {
    const n = members(scale);
    // In-process: more messages, so that its (short) measured phase is not noise.
    const inProcess = fanOut(n, Math.max(1, Math.round(2_500 * scale)));
    const wire = await wireFanOut(n, Math.max(1, Math.round(25 * scale)));
    // Both sides in real time (the wire's clients wait on sockets).
    const perInProcess = (inProcess.realSeconds! / inProcess.deliveries) * 1e6;
    const perWire = (wire.seconds / wire.deliveries) * 1e6;
    return {
      value: perWire / perInProcess,
      note: `per delivery: in-process ${perInProcess.toPrecision(3)} µs, wire ${perWire.toPrecision(3)} µs`,
    };
  },
};
