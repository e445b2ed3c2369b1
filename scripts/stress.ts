/**
 * `npm run stress`: the long reliability runs (`npm test` runs small versions of each).
 *   - the wire server under stress: `--connections N` (default 1000) held at once, `--rounds N`
 *     (default 3) after a warm-up, `--flood N` peer messages per flood (default 5000), then
 *     `--malformed N` malformed frames (default 400000; 0: none) with a big hostile frame per
 *     200; against `--target serve` (default: the serve command's defaults in a process of its
 *     own, whose heap is measured alone) or `--target in-process` (`cloud.listen()` here);
 *   - create/use/dispose cycles of whole clouds: `--cycles N` (default 100000).
 * Prints the figures (connections held, requests served, heap before and after) and exits 1
 * if the server let anything through. Loopback only. Run with --expose-gc (the script does).
 */
import { runCycles } from '../test/reliability/leaks/cycles.js';
import { runStress } from '../test/reliability/wire/stress.js';

const args = process.argv.slice(2);
const number = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a whole number of at least 1, got ${args[i + 1]}`);
    process.exit(2);
  }
  return n;
};
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
const targetArg = args.includes('--target') ? args[args.indexOf('--target') + 1] : 'serve';
if (targetArg !== 'serve' && targetArg !== 'in-process') {
  console.error(`--target must be serve or in-process, got ${targetArg}`);
  process.exit(2);
}
const target: 'serve' | 'in-process' = targetArg;
const malformedArg = args.indexOf('--malformed');
const malformed = malformedArg < 0 ? 400_000 : Number(args[malformedArg + 1]);
if (!Number.isInteger(malformed) || malformed < 0) {
  console.error(`--malformed must be a whole number, got ${args[malformedArg + 1]}`);
  process.exit(2);
}

const connections = number('connections', 1_000);
const rounds = number('rounds', 3);
const flood = number('flood', 5_000);
const cycles = number('cycles', 100_000);
let failed = false;

console.log(
  `wire stress against ${target === 'serve' ? 'serve (its defaults, in a process of its own)' : 'cloud.listen() in this process'}: ${connections} connections per round, ` +
    `${rounds} rounds after a warm-up, floods of ${flood} messages, then ${malformed} malformed frames (loopback)`,
);
let started = Date.now();
const stress = await runStress({ connections, rounds, flood, target, malformed, progress: (line) => console.log(`  ${line}`) });
console.log(
  `  held ${stress.connectionsHeld} connections at once; served ${stress.requestsServed} requests; sent ${stress.malformedFrames} malformed frames, ` +
    `${stress.unknownEvents} unknown events, ${stress.oversizeFrames} oversize frames, ${stress.floodedChannelMessages} channel messages above the rate limits ` +
    `(${stress.refusedChannelMessages} refused), ${stress.floodedPeerMessages} flooded peer messages; dropped ${stress.droppedMidRequest} sockets mid-request ` +
    `and ${stress.droppedMidFrame} mid-frame; ${stress.slowReaders} slow readers. Worst reply between well-behaved clients meanwhile: ${stress.worstPeerReplyMs} ms.`,
);
console.log(`  server heap after the warm-up ${mib(stress.heapBaseline)}; after each round: ${stress.heapAfterRounds.map(mib).join(', ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
if (stress.flood) {
  const f = stress.flood;
  console.log(
    `  malformed flood: ${f.frames} frames and ${f.bigFrames} big hostile ones; the log holds ${f.logEntries} of at most ${f.logCapacity} entries; worst reply between well-behaved clients meanwhile ${f.worstPeerReplyMs} ms.\n` +
      `  server heap: ${mib(f.heapBefore)} before, at most ${mib(f.heapDuring)} during (forced GC), ${mib(f.heapAfter)} after; bound ${mib(f.heapBefore + f.bound)} (before + ${mib(f.bound)}). Peak sampled with garbage: ${mib(f.heapPeak)}.`,
  );
}
for (const p of stress.problems) console.error(`  ✗ ${p}`);
failed ||= stress.problems.length > 0;

console.log(`\ncloud cycles: ${cycles} × create, log in two clients, message, join, dispose`);
started = Date.now();
const leak = await runCycles({ cycles, samples: 5 });
console.log(`  heap after the warm-up ${mib(leak.heapBaseline)}; after every ${cycles / 5} cycles: ${leak.heapSamples.map(mib).join(', ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
for (const p of leak.problems) console.error(`  ✗ ${p}`);
failed ||= leak.problems.length > 0;

process.exit(failed ? 1 : 0);
