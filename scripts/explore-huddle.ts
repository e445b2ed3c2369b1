/**
 * `npm run explore:huddle -- --runs N`: a long fault exploration of the example app
 * (examples/huddle-app.ts) with the scenario of examples/fault-exploration.ts. `npm test` runs
 * the default 100 runs; this is the long run. Options: `--runs N` (default 10 000), `--seed S`
 * (the first run's seed), `--buggy` (explore the app with the bug instead of the fixed one),
 * `--out DIR` (where a failure's transcript goes, default fault-transcripts). Prints progress and
 * the report; exits 1 on a failure.
 */
import { assertFaultTolerance, type FaultToleranceError } from 'agora-signaling-emulator/node';
import { huddleOptions, huddleScenario } from '../examples/fault-exploration.js';
import { FixedHuddleApp, HuddleApp } from '../examples/huddle-app.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const whole = (name: string, fallback: number): number => {
  const v = flag(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a whole number of at least 1, got ${v}`);
    process.exit(2);
  }
  return n;
};

const runs = whole('runs', 10_000);
const seed = whole('seed', 1);
const App = args.includes('--buggy') ? HuddleApp : FixedHuddleApp;
const command = `npm run explore:huddle -- ${args.join(' ')}`.trim();
try {
  const report = await assertFaultTolerance(huddleScenario(App), { ...huddleOptions, runs, seed, progress: true, transcriptDir: flag('out') ?? 'fault-transcripts' });
  console.log(`${command}\n${report.message}`);
} catch (error) {
  if ((error as Error).name !== 'FaultToleranceError') throw error;
  console.log(`${command}\n${(error as FaultToleranceError).message}`);
  process.exitCode = 1;
}
