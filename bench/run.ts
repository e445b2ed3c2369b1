/**
 * `npm run bench`: runs every benchmark (fixed seeds, a warm-up, several runs, medians) and
 * prints one table. `npm run bench -- --scale 0.1` runs smaller; `--only 4` runs matching names.
 */
import { cpus, totalmem } from 'node:os';
import { benchmarks } from './benchmarks.js';
import { measure, table, type Result } from './harness.js';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const scale = Number(flag('scale') ?? 1);
const only = flag('only');

if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
  console.warn('note: run with --expose-gc (npm run bench does) for stable heap figures');
}
console.log(`agora-signaling-emulator benchmarks · node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · ${(totalmem() / 2 ** 30).toFixed(0)} GiB · scale ${scale}\n`);
const results: Result[] = [];
for (const bench of benchmarks) {
  if (only && !bench.name.includes(only)) continue;
  results.push(await measure(bench, scale));
}
console.log(table(results));
