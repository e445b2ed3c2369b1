// Whole clouds created, used and disposed again and again: the heap must not grow. Each cycle
// makes a cloud, logs two clients in, sends a peer message and a channel message, and disposes
// the cloud. Used by `npm test` (10 000 cycles) and `npm run stress` (more).
import { createCloud } from 'agora-signaling-emulator';
import { settledHeap } from '../wire/stress.js';

export interface CyclesOptions {
  cycles: number;
  /** Heap readings taken at even intervals after the warm-up. */
  samples: number;
}

export interface CyclesReport {
  heapBaseline: number;
  heapSamples: number[];
  problems: string[];
}

/** Growth allowed from the baseline to the last reading (GC timing and JIT noise). */
export const CYCLE_HEAP_SLACK = 3 * 2 ** 20;

/** One cycle: a cloud, used and disposed. */
export function cycle(i: number): void {
  const cloud = createCloud({ seed: i + 1 });
  const signal = cloud.Signal('app');
  const alice = signal.login('alice', '_no_need_token');
  const bob = signal.login('bob', '_no_need_token');
  cloud.flushSync();
  alice.messageInstantSend('bob', `hello ${i}`, () => {});
  const room = bob.channelJoin('room');
  cloud.flushSync();
  room?.messageChannelSend('hi all', () => {});
  cloud.advanceSync(1_000);
  cloud.dispose();
}

export async function runCycles(options: CyclesOptions): Promise<CyclesReport> {
  const problems: string[] = [];
  // Warm-up: the JIT, the module caches and the first clouds' share of it all.
  for (let i = 0; i < Math.min(1_000, options.cycles); i++) cycle(i);
  const heapBaseline = await settledHeap();
  const heapSamples: number[] = [];
  const every = Math.max(1, Math.floor(options.cycles / options.samples));
  for (let i = 0; i < options.cycles; i++) {
    cycle(i);
    if ((i + 1) % every === 0) heapSamples.push(await settledHeap());
  }
  const last = heapSamples.at(-1) ?? heapBaseline;
  if (last - heapBaseline > CYCLE_HEAP_SLACK) {
    problems.push(`the heap grew by ${((last - heapBaseline) / 2 ** 20).toFixed(2)} MiB over ${options.cycles} cycles (baseline ${heapBaseline}, last ${last})`);
  }
  return { heapBaseline, heapSamples, problems };
}
