// vitest's globalSetup: finds the browser tests' Chromium once per run, before any test file
// starts (so that two files never install it at the same time), and hands the result to them.
import type { TestProject } from 'vitest/node';
import { chromiumPath } from '../../scripts/chromium.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Chromium binary, or why there is none (the command to run). */
    chromium: { path: string } | { missing: string };
  }
}

export default function provideChromium(project: TestProject): void {
  try {
    project.provide('chromium', { path: chromiumPath() });
  } catch (error) {
    project.provide('chromium', { missing: error instanceof Error ? error.message : String(error) });
  }
}
