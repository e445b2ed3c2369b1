/**
 * Two builds' joins, alternated in one process (a shared machine's load moves too much between
 * processes to compare a 10 % change):
 *
 *   npx tsx --expose-gc bench/compare-joins.ts DIST_A DIST_B [--room 1000] [--joins 10000] [--rounds 10] [--list 200]
 *
 * DIST_A and DIST_B are built `dist/` folders (`npm run build` in two checkouts). Each round runs
 * {@link joinCosts} on both, in turn (A first in even rounds), after a forced collection; it
 * prints each build's medians and the median of the rounds' ratios B/A, in process CPU time and
 * in the main thread's alone (Linux).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { createCloud } from 'agora-signaling-emulator';
import { joinCosts, type JoinCosts } from './joins.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const dists = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (dists.length !== 2) throw new Error('usage: compare-joins.ts DIST_A DIST_B [--room N] [--joins N] [--rounds N] [--list N]');
const room = flag('room', 1_000);
const joins = flag('joins', 10_000);
const rounds = flag('rounds', 10);
const userListSize = flag('list', 200);
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

const builds = await Promise.all(
  dists.map(async (dist) => ((await import(pathToFileURL(resolve(dist, 'index.js')).href)) as { createCloud: typeof createCloud }).createCloud),
);
const runs: JoinCosts[][] = [[], []];
const once = (b: number) => joinCosts(room, joins, { create: builds[b]!, userListSize });
once(0);
once(1);
for (let r = 0; r < rounds; r++) {
  for (const b of r % 2 === 0 ? [0, 1] : [1, 0]) {
    collect();
    runs[b]!.push(once(b));
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
console.log(`a room of ${room}, ${joins} joins after as many (list of ${userListSize}), ${rounds} rounds; A = ${dists[0]}, B = ${dists[1]}`);
for (const [what, pick] of [
  ['process CPU', (c: JoinCosts) => c.steady],
  ['main thread', (c: JoinCosts) => c.steadyMain],
] as const) {
  const a = runs[0]!.map(pick);
  const b = runs[1]!.map(pick);
  if (a.some((x) => x === undefined) || b.some((x) => x === undefined)) continue;
  const [as, bs] = [a as number[], b as number[]];
  const ratios = as.map((x, i) => bs[i]! / x);
  console.log(`${what}: A ${median(as).toFixed(2)} µs, B ${median(bs).toFixed(2)} µs per join (medians), B/A ${median(ratios).toFixed(3)} (median of the rounds' ratios)`);
}
