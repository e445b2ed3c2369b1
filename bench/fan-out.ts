import { createCloud, type CloudOptions } from 'agora-signaling-emulator';
import { clockNow, cpuNow, cpuSecondsSince, secondsSince, type Benchmark } from './harness.js';

export interface FanOutResult {
  deliveries: number;
  /** CPU seconds of the sending phase (real seconds over the wire, see wire-fan-out.ts). */
  seconds: number;
  /** Real seconds of the sending phase (in-process; to compare with the wire's). */
  realSeconds?: number;
  /** CPU seconds of the first read of `cloud.log.entries` after the fan-out (in-process). */
  firstRead?: number;
  /** CPU seconds of reading the setup's entries (logins, joins) before the fan-out, when asked. */
  setupRead?: number;
}

/**
 * A channel of `members` in-process members who count what they receive, the sender's channel
 * first; logins and joins done (flushed synchronously).
 */
export function fanOutRoom(members: number, cloudOptions: CloudOptions = {}) {
  const cloud = createCloud({ seed: 1, ...cloudOptions });
  cloud.setChannelLimits({ userMessagesPerSecond: 1e9, channelMessagesPerSecond: 1e9, maxMembers: Math.max(members, 10_000) });
  const signal = cloud.Signal('app');
  const sessions = Array.from({ length: members }, (_, i) => signal.login(`m${i}`, '_no_need_token'));
  cloud.flushSync();
  const logged = cloudOptions.log?.level !== 'off';
  const room = { cloud, logged, channels: [] as Array<NonNullable<ReturnType<(typeof sessions)[number]['channelJoin']>>>, received: 0 };
  const join = (s: (typeof sessions)[number]) => {
    const channel = s.channelJoin('hall')!;
    channel.onMessageChannelReceive = () => room.received++;
    return channel;
  };
  // A big room turns join/leave notifications off (else every join reaches every member).
  const first = join(sessions[0]!);
  cloud.flushSync();
  first.channelSetAttr('_userNotification', '0');
  cloud.flushSync();
  room.channels = [first, ...sessions.slice(1).map(join)];
  cloud.flushSync();
  return room;
}

/**
 * {@link fanOutRoom}, and `messages` channel messages from its first member: members × messages
 * deliveries of onMessageChannelReceive. Times the sending phase in CPU time (from the first send
 * until every delivery has been made; logins and joins excluded).
 */
export function fanOut(members: number, messages: number, cloudOptions: CloudOptions = {}, readSetup = false): FanOutResult {
  const room = fanOutRoom(members, cloudOptions);
  // The setup's entries (each join's reply lists up to 200 members, made when the log is first
  // read): read first when the fan-out's own entries are what is measured.
  let setupRead: number | undefined;
  if (readSetup) {
    const read = cpuNow();
    if (room.cloud.log.entries.length === 0) throw new Error('the setup logged nothing');
    setupRead = cpuSecondsSince(read);
  }
  const start = sendFromFirst(room, messages);
  room.cloud.flushSync();
  return { ...fanOutDone(room, messages, start), setupRead };
}

/** When a sending phase began, in CPU and in real time. */
export interface SendStart {
  cpu: NodeJS.CpuUsage;
  real: bigint;
}

/** Sends `messages` channel messages from the room's first member; returns when it began. */
export function sendFromFirst(room: ReturnType<typeof fanOutRoom>, messages: number): SendStart {
  const start = { cpu: cpuNow(), real: clockNow() };
  for (let i = 0; i < messages; i++) room.channels[0]!.messageChannelSend(`message ${i}`);
  return start;
}

/**
 * Every delivery made: the CPU (and real) time since `start`, then the cost of the first read of
 * `cloud.log.entries`; disposes the room's cloud.
 */
export function fanOutDone(room: ReturnType<typeof fanOutRoom>, messages: number, start: SendStart): FanOutResult {
  const seconds = cpuSecondsSince(start.cpu);
  const realSeconds = secondsSince(start.real);
  const expected = room.channels.length * messages;
  if (room.received !== expected) throw new Error(`expected ${expected} deliveries, got ${room.received}`);
  const read = cpuNow();
  const entries = room.cloud.log.entries;
  const last = entries[entries.length - 1];
  const firstRead = cpuSecondsSince(read);
  if (room.logged && last?.name !== 'onMessageChannelReceive') throw new Error(`the log does not end with the fan-out: ${last?.name}`);
  room.cloud.dispose();
  return { deliveries: room.received, seconds, realSeconds, firstRead };
}

/** The sizes of issue 10 at `scale` (1: 10 000 members, 100 messages). */
export const members = (scale: number) => Math.max(2, Math.round(10_000 * scale));
export const messages = (scale: number) => Math.max(1, Math.round(100 * Math.sqrt(scale)));

/** 1. 10 000 members, 100 messages: 1 M deliveries, with the full log. */
export const fanOutFullLog: Benchmark = {
  name: '1. fan-out 10 000 × 100, full log',
  unit: 'deliveries/s',
  target: '≥ 15 M/s',
  meets: (r) => r >= 15e6,
  runs: 5,
  run: (scale) => {
    const r = fanOut(members(scale), messages(scale));
    return r.deliveries / r.seconds;
  },
};

/** 1. The same with logging off. */
export const fanOutLogOff: Benchmark = {
  name: '1. fan-out 10 000 × 100, log off',
  unit: 'deliveries/s',
  target: '≥ 30 M/s',
  meets: (r) => r >= 30e6,
  runs: 5,
  run: (scale) => {
    const r = fanOut(members(scale), messages(scale), { log: { level: 'off' } });
    return r.deliveries / r.seconds;
  },
};

/**
 * 1. The first read of `cloud.log.entries` after the fan-out of 1 (full log): what it adds per
 * delivery. The setup's entries are read before the fan-out (their cost is the note: 10 000
 * logins and joins, each join's reply listing up to 200 members, made at that read).
 */
export const firstLogRead: Benchmark = {
  name: '1. first read of cloud.log.entries after the fan-out',
  unit: 'CPU µs per delivery',
  target: '≤ 0.1 µs',
  meets: (us) => us <= 0.1,
  runs: 5,
  run: (scale) => {
    const r = fanOut(members(scale), messages(scale), {}, true);
    return { value: (r.firstRead! * 1e6) / r.deliveries, note: `the setup's entries read first: ${((r.setupRead! * 1e6) / members(scale)).toFixed(1)} µs per member` };
  },
};

/**
 * 1. 50 000 members against 10 000 (100 messages each, full log): the cost per delivery at
 * 50 000 over that at 10 000, measured one after the other in the same run.
 */
export const fanOut50k: Benchmark = {
  name: '1. fan-out 50 000 against 10 000 per delivery',
  unit: '× the cost at 10 000',
  target: '≤ 1.3×',
  meets: (r) => r <= 1.3,
  runs: 5,
  run: (scale) => {
    const perDelivery = (size: number) => {
      const r = fanOut(Math.max(2, Math.round(size * scale)), messages(scale));
      return r.seconds / r.deliveries;
    };
    const small = perDelivery(10_000);
    const big = perDelivery(50_000);
    return { value: big / small, note: `${(small * 1e9).toFixed(0)} ns at 10 000, ${(big * 1e9).toFixed(0)} ns at 50 000` };
  },
};
