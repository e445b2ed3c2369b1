import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(`./src/${p}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests import the package by name, as a user would; they run against the sources.
    alias: [
      { find: /^agora-signaling-emulator$/, replacement: src('index.ts') },
      { find: /^agora-signaling-emulator\/vitest$/, replacement: src('vitest.ts') },
      { find: /^agora-signaling-emulator\/node$/, replacement: src('node.ts') },
      { find: /^agora-signaling-emulator\/sdk$/, replacement: src('sdk.ts') },
      { find: /^agora-signaling-emulator\/playwright$/, replacement: src('playwright.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Finds the Chromium of the browser tests once (installing Debian's on a fresh machine, as root).
    globalSetup: ['test/browser/provide-chromium.ts'],
    testTimeout: 20_000,
    // Lets heap figures (the benchmark smoke test) collect garbage before measuring, so they
    // do not swing below zero with whatever the module loading left behind.
    execArgv: ['--expose-gc'],
  },
});
