/**
 * `npm run log-snapshot -- FILE`: writes the full logs of the fixtures (three seeds each) and of
 * fan-outs meeting faults (awaited and synchronous drives) to FILE, one entry per line. Two
 * builds that behave the same write the same file: compare them with `cmp`.
 */
import { writeFileSync } from 'node:fs';
import { logSnapshot } from '../test/reliability/snapshot/log-snapshot.js';

const out = process.argv[2];
if (!out) {
  console.error('usage: npm run log-snapshot -- FILE');
  process.exit(2);
}
const snapshot = await logSnapshot('fixtures');
writeFileSync(out, `${snapshot.lines.join('\n')}\n`);
console.log(`${out}: ${snapshot.runs} runs, ${snapshot.lines.length} lines`);
if (snapshot.syncDiffers.length > 0) {
  console.error(`awaited and synchronous drives logged differently for seeds ${snapshot.syncDiffers.join(', ')}`);
  process.exit(1);
}
