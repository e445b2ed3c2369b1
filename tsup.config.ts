import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // cli.ts starts with a shebang, which esbuild keeps (and tsup makes the file executable).
    entry: { index: 'src/index.ts', node: 'src/node.ts', cli: 'src/cli.ts' },
    format: ['esm', 'cjs'],
    dts: { entry: { index: 'src/index.ts', node: 'src/node.ts' } },
    sourcemap: true,
    // No `clean`: the configs build in parallel, and one cleaning dist/ could delete another's
    // output; `npm run build` empties dist/ before tsup starts.
    target: 'node20',
  },
  {
    // The matchers for vitest, registered on import. ESM only: vitest cannot be require()d.
    entry: { vitest: 'src/vitest.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'node20',
  },
]);
