import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(`./src/${p}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests import the package by name, as a user would; they run against the sources.
    alias: [
      { find: /^agora-signaling-emulator$/, replacement: src('index.ts') },
      { find: /^agora-signaling-emulator\/vitest$/, replacement: src('vitest.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
