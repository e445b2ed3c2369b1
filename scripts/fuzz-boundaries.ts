/**
 * `npm run fuzz:boundaries -- --runs N`: every fuzzed boundary (test/reliability/boundaries/),
 * each with N generated cases. Options: `--runs N` (default 2000), `--seed S` (default: a new
 * one, printed), `--only NAME` (one boundary). Exits 1 on a failure, after printing it.
 */
import { loadBoundaries } from '../test/reliability/boundaries/boundary.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const whole = (name: string, fallback: number): number => {
  const v = flag(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) {
    console.error(`--${name} must be a whole number, got ${v}`);
    process.exit(2);
  }
  return n;
};

const runs = whole('runs', 2000);
const seed = whole('seed', (Date.now() ^ (process.pid << 8)) | 0);
const only = flag('only');
const all = await loadBoundaries();
const chosen = only === undefined ? all : all.filter((b) => b.name === only);
if (chosen.length === 0) {
  console.error(`--only ${only}: no such boundary (there are: ${all.map((b) => b.name).join(', ')})`);
  process.exit(2);
}
let failed = 0;
for (const boundary of chosen) {
  const started = Date.now();
  let lastPrint = started;
  console.log(`${boundary.name}: ${boundary.invariant} (${runs} cases, seed ${seed})`);
  const report = await boundary.check({
    runs,
    seed,
    progress: (done) => {
      if (Date.now() - lastPrint < 5_000) return;
      lastPrint = Date.now();
      console.log(`  … ${done} cases`);
    },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (report.failure) {
    failed++;
    console.error(`  FAIL after ${report.cases} cases in ${seconds} s\n${report.failure}`);
    console.error(`  Rerun: npm run fuzz:boundaries -- --only ${boundary.name} --seed ${seed} --runs ${runs}`);
  } else {
    console.log(`  ok: ${report.cases} cases in ${seconds} s; ${report.summary}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
