/**
 * `npm run bench`: builds, then runs every benchmark against the built `dist/` (fixed seeds, a
 * warm-up, several runs, medians) and prints one table. `npm run bench -- --scale 0.1` runs
 * smaller; `--only 4` runs matching names.
 *
 * The package is loaded from `dist/` (bench/tsconfig.json maps its name there): the sources
 * as tsx compiles them carry keepNames wrappers that distort the figures.
 */
import { cpus, totalmem } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
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
const loaded = relative(process.cwd(), fileURLToPath(import.meta.resolve('agora-signaling-emulator')));
if (!loaded.startsWith('dist')) {
  console.warn(`note: the package resolves to ${loaded}, not dist/: run \`npm run bench\` (it builds and maps the package to dist/)`);
}
console.log(`agora-signaling-emulator benchmarks · ${loaded} · node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · ${(totalmem() / 2 ** 30).toFixed(0)} GiB · scale ${scale}\n`);
const results: Result[] = [];
for (const bench of benchmarks) {
  if (only && !bench.name.includes(only)) continue;
  results.push(await measure(bench, scale));
}
console.log(table(results));
