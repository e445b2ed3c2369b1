// The docs' ```ts blocks are code: `npm run docs:extract` writes each to test/docs/generated/
// (line numbers kept), `tsc` type-checks them with the rest (strict, against the sources),
// vitest runs the test blocks as test files, and this file runs every other block as a module,
// which must finish.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { extractDocExamples } from '../../scripts/doc-examples.mjs';

interface Block {
  page: string;
  line: number;
  kind: 'test' | 'module';
  file: string;
  text?: string;
}
interface Manifest {
  blocks: Block[];
  skipped: Array<{ page: string; line: number }>;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const generated = `${root}test/docs/generated/`;
const pages = ['README.md', ...readdirSync(`${root}docs`).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const manifest: Manifest = existsSync(`${generated}manifest.json`) ? JSON.parse(readFileSync(`${generated}manifest.json`, 'utf8')) : { blocks: [], skipped: [] };
/**
 * Most ```ts no-check blocks allowed: code that needs a browser page (Playwright tests), jest's
 * own expect, or the real SDK's script. Seven today.
 */
const MOST_NO_CHECK = 8;

describe("the docs' code examples", () => {
  it('have been extracted from the pages as they are now (npm test runs npm run docs:extract)', () => {
    const now = pages.flatMap((page) => extractDocExamples(page, readFileSync(`${root}${page}`, 'utf8')).blocks);
    expect(now.length, 'no ```ts block found: the extraction is broken').toBeGreaterThan(10);
    for (const block of now) {
      const file = `${generated}${block.file}`;
      const current = existsSync(file) && readFileSync(file, 'utf8') === block.text;
      expect(current, `${block.page}:${block.line}: test/docs/generated/${block.file} is missing or stale: run npm run docs:extract`).toBe(true);
    }
    expect(manifest.blocks.map((b) => b.file)).toEqual(now.map((b) => b.file));
  });

  it(`are checked, all but a few (${MOST_NO_CHECK} at most) marked \`\`\`ts no-check`, () => {
    const list = manifest.skipped.map((s) => `${s.page}:${s.line}`).join(', ');
    expect(manifest.skipped.length, `no-check blocks: ${list}`).toBeLessThanOrEqual(MOST_NO_CHECK);
  });
});

describe('a ```ts block without it(/test(/describe( runs as a module and finishes', () => {
  afterEach(() => vi.restoreAllMocks());

  for (const block of manifest.blocks.filter((b) => b.kind === 'module')) {
    it(`${block.page}:${block.line}`, async () => {
      // What the examples print is for readers; the test keeps the output quiet.
      vi.spyOn(console, 'log').mockImplementation(() => {});
      try {
        await import(`${generated}${block.file}`);
      } catch (error) {
        throw new Error(`${block.page}, the block at line ${block.line}, failed when run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    });
  }
});
