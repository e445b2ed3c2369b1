// The example E2E suite: `npm test` runs it after vitest (`npm run test:e2e` alone).
import { defineConfig, devices } from '@playwright/test';
import { chromiumPath } from '../../scripts/chromium.js';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../artifacts/e2e/results',
  reporter: [['list'], ['html', { outputFolder: '../../artifacts/e2e/report', open: 'never' }]],
  timeout: 30_000,
  expect: { timeout: 5_000 },
  // Two cores shared with everything else: one worker keeps timings steady.
  workers: 1,
  forbidOnly: !!process.env.CI,
  use: {
    ...devices['Desktop Chrome'],
    // Debian's Chromium (installed on a fresh machine), never a downloaded browser.
    launchOptions: { executablePath: chromiumPath(), args: ['--no-sandbox'] },
    trace: 'retain-on-failure',
  },
});
