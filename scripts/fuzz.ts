/**
 * `npm run fuzz -- --runs N`: the long fuzz campaign (`npm test` runs a few sequences only).
 * Options: `--runs N` (default 500), `--seed S` and `--path P` (rerun a reported failure),
 * `--max-ops N` (longest sequence, default 40), `--out DIR` (where a failure's transcript goes).
 * Exits 1 on a failure, after printing it.
 */
import { fuzz } from '../test/reliability/fuzz/run.js';
import { AFTER_END_EXCEPTIONS, DESYNCING_FAULTS } from '../test/reliability/fuzz/model.js';
import { flag, wholeNumber as number } from './flags.js';

const runs = number('runs', 1) ?? 500;
const started = Date.now();
let lastPrint = started;
const report = await fuzz({
  runs,
  seed: number('seed', -(2 ** 31)),
  path: flag('path'),
  maxOps: number('max-ops', 1),
  out: flag('out'),
  onSequence: (n, totals) => {
    if (Date.now() - lastPrint < 5_000) return;
    lastPrint = Date.now();
    console.log(`  … ${n} sequences, ${totals.steps} steps, ${totals.checks} invariant checks`);
  },
});
const t = report.totals;
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(
  `fuzz: ${t.sequences} sequences (fast-check seed ${report.seed}) in ${seconds} s: ${t.steps} steps (${t.applied} applied), ` +
    `${t.checks} invariant checks (${t.quiescentSteps} steps compared exactly), ${t.peerMessages} peer and ${t.channelMessages} channel messages, ` +
    `${t.faults} faults, ${t.logEntries} log entries; each sequence also run twice and replayed from its transcript.`,
);
console.log(`Callbacks 1.4.0 itself delivers after a session ended (allowed):\n${AFTER_END_EXCEPTIONS.map((e) => `  - ${e}`).join('\n')}`);
console.log(`Faults after which the app and the server disagree, as 1.4.0 would (that account is no longer compared; ${t.uncertainAccounts} times):\n${DESYNCING_FAULTS.map((e) => `  - ${e}`).join('\n')}`);
if (report.failure) {
  console.error(`\n${report.failure}`);
  process.exit(1);
}
