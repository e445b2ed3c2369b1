import { createCloud, type CloudOptions } from 'agora-signaling-emulator';
import { clockNow, secondsSince, type Benchmark } from './harness.js';

export interface FanOutResult {
  deliveries: number;
  seconds: number;
}

/**
 * A channel of `members` in-process members who count what they receive, the sender's channel
 * first; logins and joins done (flushed synchronously).
 */
export function fanOutRoom(members: number, cloudOptions: CloudOptions = {}) {
  const cloud = createCloud({ seed: 1, ...cloudOptions });
  cloud.setChannelLimits({ userMessagesPerSecond: 1e9, channelMessagesPerSecond: 1e9 });
  const signal = cloud.Signal('app');
  const sessions = Array.from({ length: members }, (_, i) => signal.login(`m${i}`, '_no_need_token'));
  cloud.flushSync();
  const room = { cloud, channels: [] as Array<NonNullable<ReturnType<(typeof sessions)[number]['channelJoin']>>>, received: 0 };
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
 * deliveries of onMessageChannelReceive. Times the sending phase (from the first send until every
 * delivery has been made; logins and joins excluded).
 */
export function fanOut(members: number, messages: number, cloudOptions: CloudOptions = {}): FanOutResult {
  const room = fanOutRoom(members, cloudOptions);
  const start = sendFromFirst(room, messages);
  room.cloud.flushSync();
  return fanOutDone(room, messages, start);
}

/** Sends `messages` channel messages from the room's first member; returns when it began. */
export function sendFromFirst(room: ReturnType<typeof fanOutRoom>, messages: number): bigint {
  const start = clockNow();
  for (let i = 0; i < messages; i++) room.channels[0]!.messageChannelSend(`message ${i}`);
  return start;
}

/** Every delivery made: the time since `start`; disposes the room's cloud. */
export function fanOutDone(room: ReturnType<typeof fanOutRoom>, messages: number, start: bigint): FanOutResult {
  const seconds = secondsSince(start);
  const expected = room.channels.length * messages;
  if (room.received !== expected) throw new Error(`expected ${expected} deliveries, got ${room.received}`);
  room.cloud.dispose();
  return { deliveries: room.received, seconds };
}

/** The sizes of issue 10 at `scale` (1: 10 000 members, 100 messages). */
export const members = (scale: number) => Math.max(2, Math.round(10_000 * scale));
export const messages = (scale: number) => Math.max(1, Math.round(100 * Math.sqrt(scale)));

/** 1. 10 000 members, 100 messages: 1 M deliveries, with the full log. */
export const fanOutFullLog: Benchmark = {
  name: '1. fan-out 10 000 × 100, full log',
  unit: 'deliveries/s',
  target: '≥ 5 M/s',
  meets: (r) => r >= 5e6,
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
  target: '≥ 15 M/s',
  meets: (r) => r >= 15e6,
  runs: 5,
  run: (scale) => {
    const r = fanOut(members(scale), messages(scale), { log: { level: 'off' } });
    return r.deliveries / r.seconds;
  },
};
