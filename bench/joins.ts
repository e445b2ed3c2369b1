import { createCloud, type CloudOptions, type Session } from 'agora-signaling-emulator';
import { cpuNow, cpuSecondsSince, type Benchmark } from './harness.js';

/**
 * A room of `members` with `_userNotification` off (no per-member notification), then
 * `joins` more members join it one after the other, each with its reply (`onChannelJoined`,
 * `onChannelUserList` with the latest 200). CPU µs per join, the SDK's side included.
 */
export function joinCost(members: number, joins: number, cloudOptions: CloudOptions = {}): number {
  const cloud = createCloud({ seed: 3, ...cloudOptions });
  cloud.setChannelLimits({ maxMembers: members + joins });
  const signal = cloud.Signal('app');
  const sessions: Session[] = [];
  for (let i = 0; i < members + joins; i++) sessions.push(signal.login(`m${i}`, '_no_need_token'));
  cloud.flushSync();
  const first = sessions[0]!.channelJoin('room')!;
  cloud.flushSync();
  first.channelSetAttr('_userNotification', '0');
  cloud.flushSync();
  for (let i = 1; i < members; i++) {
    sessions[i]!.channelJoin('room');
    if (i % 1000 === 0) cloud.flushSync();
  }
  cloud.flushSync();
  let lists = 0;
  const start = cpuNow();
  for (let i = members; i < members + joins; i++) {
    const channel = sessions[i]!.channelJoin('room')!;
    channel.onChannelUserList = () => lists++;
    cloud.flushSync();
  }
  const seconds = cpuSecondsSince(start);
  const size = cloud.inspect().apps[0]!.channels.find((c) => c.name === 'room')!.members.length;
  if (lists !== joins || size !== members + joins) throw new Error(`expected ${joins} joins to a room of ${members + joins}, got ${lists} lists, ${size} members`);
  cloud.dispose();
  return (seconds * 1e6) / joins;
}

function joins(size: number, label: string): Benchmark {
  return {
    name: `8. join a room of ${label}, _userNotification off`,
    unit: 'CPU µs per join',
    target: '≤ 5 µs',
    meets: (us) => us <= 5,
    runs: 3,
    run: (scale) => joinCost(Math.max(2, Math.round(size * scale)), Math.max(2, Math.round(2_000 * Math.min(1, scale * 10)))),
  };
}

/** 8. Joins at three room sizes: the cost of one should not grow with the room. */
export const joins1k = joins(1_000, '1 000');
export const joins10k = joins(10_000, '10 000');
export const joins50k = joins(50_000, '50 000');
