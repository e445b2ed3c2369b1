import { readFileSync } from 'node:fs';
import { createCloud, type CloudOptions, type Session } from 'agora-signaling-emulator';
import { cpuNow, cpuSecondsSince, type Benchmark, type Figure } from './harness.js';

/**
 * CPU µs per join: after the cloud's first joins (`steady`), and of those first joins (`cold`).
 * `steadyMain`: the steady joins' CPU time on the main thread alone, where Linux tells it
 * (the rest is the engine's helper threads: parallel and concurrent collection, compilation).
 */
export interface JoinCosts {
  steady: number;
  cold: number;
  steadyMain: number | undefined;
}

/** What {@link joinCosts} may vary besides the sizes. */
export interface JoinCostOptions {
  cloudOptions?: CloudOptions;
  /** The reply's list length (`setChannelLimits({ userListSize })`; 200 by default). */
  userListSize?: number;
  /** The `createCloud` of the build to measure (the one `bench/` loads by default). */
  create?: typeof createCloud;
}

/** This thread's CPU seconds so far (Linux's schedstat), or undefined elsewhere. */
function threadSeconds(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e9;
  } catch {
    return undefined;
  }
}

/**
 * A room of `members` with `_userNotification` off (no per-member notification), then
 * `joins` more members join it one after the other, each with its reply (`onChannelJoined`,
 * `onChannelUserList` with the latest 200). CPU µs per join, the SDK's side included.
 *
 * Before them, as many join another room of the same cloud the same way; the first 2 000 of
 * those are the `cold` figure. The first joins of a new cloud run while the engine optimises
 * the join's code again (the code it made for the cloud before is let go with that cloud, and
 * the room's building takes other paths: no `onChannelUserList`, a flush per thousand), and
 * its background compilation counts in the process's CPU time: timed from the start, the
 * figure was about twice the steady one, whatever the room's size. The engine's helper
 * threads also collect the heap the setup made (tens of ms at a time): over 2 000 joins
 * (about 20 ms) the process's CPU time swung from 8 to 29 µs per join while the main thread's
 * stayed within 6–9, hence 10 000 timed joins in the benchmark.
 */
export function joinCosts(members: number, joins: number, options: JoinCostOptions = {}): JoinCosts {
  const cloud = (options.create ?? createCloud)({ seed: 3, ...options.cloudOptions });
  cloud.setChannelLimits({ maxMembers: members + joins, ...(options.userListSize === undefined ? {} : { userListSize: options.userListSize }) });
  const signal = cloud.Signal('app');
  const sessions: Session[] = [];
  for (let i = 0; i <= members + 2 * joins; i++) sessions.push(signal.login(`m${i}`, '_no_need_token'));
  cloud.flushSync();
  const quiet = (room: string, first: Session) => {
    const channel = first.channelJoin(room)!;
    cloud.flushSync();
    channel.channelSetAttr('_userNotification', '0');
    cloud.flushSync();
  };
  quiet('room', sessions[0]!);
  for (let i = 1; i < members; i++) {
    sessions[i]!.channelJoin('room');
    if (i % 1000 === 0) cloud.flushSync();
  }
  cloud.flushSync();
  let lists = 0;
  let main: number | undefined;
  const joinOneByOne = (room: string, from: number, count: number) => {
    const start = cpuNow();
    const thread = threadSeconds();
    for (let i = from; i < from + count; i++) {
      const channel = sessions[i]!.channelJoin(room)!;
      channel.onChannelUserList = () => lists++;
      cloud.flushSync();
    }
    const threadNow = threadSeconds();
    main = thread === undefined || threadNow === undefined ? undefined : ((threadNow - thread) * 1e6) / count;
    return (cpuSecondsSince(start) * 1e6) / count;
  };
  quiet('warm-up', sessions[members + joins]!);
  const first = Math.min(joins, 2_000);
  const cold = joinOneByOne('warm-up', members + joins + 1, first);
  joinOneByOne('warm-up', members + joins + 1 + first, joins - first);
  lists = 0;
  const steady = joinOneByOne('room', members, joins);
  const steadyMain = main;
  const size = cloud.inspect().apps[0]!.channels.find((c) => c.name === 'room')!.members.length;
  if (lists !== joins || size !== members + joins) throw new Error(`expected ${joins} joins to a room of ${members + joins}, got ${lists} lists, ${size} members`);
  cloud.dispose();
  return { steady, cold, steadyMain };
}

/** {@link joinCosts}' steady figure: CPU µs per join in a room of `members`, the cloud's first joins made before. */
export function joinCost(members: number, joins: number, cloudOptions: CloudOptions = {}): number {
  return joinCosts(members, joins, { cloudOptions }).steady;
}

function joins(size: number, label: string): Benchmark {
  return {
    name: `8. join a room of ${label}, _userNotification off`,
    unit: 'CPU µs per join',
    target: '≤ 5 µs',
    meets: (us) => us <= 5,
    runs: 3,
    run: (scale): Figure => {
      const { steady, cold, steadyMain } = joinCosts(Math.max(2, Math.round(size * scale)), Math.max(2, Math.round(10_000 * Math.min(1, scale * 10))));
      const main = steadyMain === undefined ? '' : `main thread ${steadyMain.toFixed(1)} µs; `;
      return { value: steady, note: `${main}the cloud's first 2 000: ${cold.toFixed(1)} µs` };
    },
  };
}

/** 8. Joins at three room sizes: the cost of one should not grow with the room. */
export const joins1k = joins(1_000, '1 000');
export const joins10k = joins(10_000, '10 000');
export const joins50k = joins(50_000, '50 000');
