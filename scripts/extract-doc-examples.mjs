// Extracts every ```ts block of README.md and docs/*.md into test/docs/generated/ (gitignored),
// for `npm test` to type-check (tsc, strict, against the sources) and run (vitest): a block
// with it(/test(/describe( becomes a Vitest test file (*.test.ts), any other block a module
// that test/docs/doc-modules.test.ts imports and awaits. ```ts no-check blocks are skipped.
// Each file keeps its block's line numbers (blank lines stand for the page above it), so an
// error at generated/docs-time.L40.ts(44,3) is at docs/time.md line 44.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { extractDocExamples } from './doc-examples.mjs';

const root = new URL('../', import.meta.url);
const out = new URL('test/docs/generated/', root);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const pages = ['README.md', ...readdirSync(new URL('docs/', root)).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const manifest = { blocks: [], skipped: [] };
for (const page of pages) {
  const { blocks, skipped } = extractDocExamples(page, readFileSync(new URL(page, root), 'utf8'));
  for (const block of blocks) {
    writeFileSync(new URL(block.file, out), block.text);
    manifest.blocks.push({ page: block.page, line: block.line, kind: block.kind, file: block.file });
  }
  manifest.skipped.push(...skipped);
}
writeFileSync(new URL('manifest.json', out), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`doc examples: ${manifest.blocks.length} extracted to test/docs/generated/, ${manifest.skipped.length} no-check`);
