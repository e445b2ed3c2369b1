// Makes a .d.cts twin of every .d.ts in dist/ (relative specifiers ending in .js rewritten to
// .cjs), so that `require` users get declarations TypeScript reads as CommonJS, as the
// package's exports map promises (`"require": { "types": "./dist/index.d.cts" }`).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url).pathname;
const relative = /((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]*?)\.js(['"])/g;
let count = 0;
for (const entry of readdirSync(dist, { recursive: true })) {
  const file = String(entry);
  if (!file.endsWith('.d.ts')) continue;
  const text = readFileSync(join(dist, file), 'utf8');
  writeFileSync(join(dist, `${file.slice(0, -'.d.ts'.length)}.d.cts`), text.replace(relative, '$1$2.cjs$3'));
  count++;
}
if (count === 0) throw new Error('dts-cjs: no .d.ts files in dist/ (run tsc -p tsconfig.build.json first)');
