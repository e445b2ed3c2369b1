import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
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
