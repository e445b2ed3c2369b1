import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

/**
 * Keeps Node out of the browser build: `cloud.listen()` loads the wire module (and `ws`) and the
 * dashboard on first use, which the IIFE replaces with functions that say listening needs Node; and
 * `@sinonjs/fake-timers` probes `timers`, `timers/promises`, `perf_hooks` and `util` inside
 * try/catch, which the IIFE answers with empty modules (so it keeps using the page's timers).
 */
const browserOnly: Plugin = {
  name: 'browser-only',
  setup(build) {
    const nodeOnly = fileURLToPath(new URL('./src/browser/node-only.ts', import.meta.url));
    build.onResolve({ filter: /^\.\/(wire\/listen|serve\/dashboard)\.js$/ }, () => ({ path: nodeOnly }));
    build.onResolve({ filter: /^(node:)?(timers|timers\/promises|perf_hooks|util)$/ }, (args) => ({ path: args.path, namespace: 'empty' }));
    build.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

export default defineConfig([
  {
    // cli.ts starts with a shebang, which esbuild keeps (and tsup makes the file executable).
    // `playwright`: the Playwright fixtures, an entry of their own so that @playwright/test (an
    // optional peer) loads only for those who import them; built with index, so that its ESM
    // shares the cloud's classes with the main entry.
    // jest: registers the matchers on jest's global expect (CommonJS for jest's default mode).
    // sdk: types only (its module is empty).
    // Declarations come from tsc (tsconfig.build.json), one per source file: rollup-made bundles
    // of them named shared types by chunk aliases in users' error messages.
    entry: { index: 'src/index.ts', node: 'src/node.ts', cli: 'src/cli.ts', playwright: 'src/playwright.ts', jest: 'src/jest.ts', sdk: 'src/sdk.ts' },
    format: ['esm', 'cjs'],
    sourcemap: true,
    // No `clean`: the configs build in parallel, and one cleaning dist/ could delete another's
    // output; `npm run build` empties dist/ before tsup starts.
    target: 'node20',
  },
  {
    // The matchers for vitest, registered on import. ESM only: vitest cannot be require()d.
    entry: { vitest: 'src/vitest.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
  },
  {
    // For script-tag apps: defines window.Signal (the page's cloud) and window.SignalingEmulator.
    entry: { 'agora-signaling-emulator': 'src/browser.ts' },
    format: ['iife'],
    globalName: 'SignalingEmulator',
    platform: 'browser',
    target: 'es2020',
    sourcemap: true,
    esbuildPlugins: [browserOnly],
  },
]);
