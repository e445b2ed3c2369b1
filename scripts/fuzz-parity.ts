/**
 * `npm run fuzz:parity -- --runs N [--seed S] [--path P] [--max-ops N] [--coverage]`: differential fuzzing of
 * the in-process SDK against the real SDK 1.4.0 over the wire (test/parity/fuzz/). `npm test`
 * runs a fixed-seed slice; this is the long run. Exits 1 on a difference, after printing both
 * traces side by side and the command that reruns it.
 */
import { campaign } from '../test/parity/fuzz/differential.js';
import { flag, has, wholeNumber as number } from './flags.js';

const runs = number('runs', 1) ?? 500;
const started = performance.now();
const cpuStart = process.cpuUsage();
let lastPrint = started;
const report = await campaign({
  runs,
  seed: number('seed', -(2 ** 31)),
  path: flag('path'),
  maxOps: number('max-ops', 1),
  onProgress: (t) => {
    if (performance.now() - lastPrint < 10_000) return;
    lastPrint = performance.now();
    process.stdout.write(`  … ${t.sequences} sequences, ${t.operations} operations, ${t.observations} observations compared\n`);
  },
});
const t = report.totals;
const cpu = process.cpuUsage(cpuStart);
console.log(
  `fuzz:parity: ${t.sequences} sequences (fast-check seed ${report.seed}), ${t.operations} operations, ${t.observations} observations compared per run, ` +
    `in ${((performance.now() - started) / 1000).toFixed(1)} s (${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU).`,
);
if (has('coverage')) {
  console.log('What was compared, by kind:');
  for (const [kind, n] of [...t.kinds].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(7)}  ${kind}`);
}
if (report.failure) {
  console.error(`\n${report.failure}`);
  process.exit(1);
}
