// One headless Chromium per test file: Debian's /usr/bin/chromium driven by playwright-core
// (never a downloaded browser). Pages load from a made-up origin, http://app.test/, which the
// test answers from the repository's files, so no static server is needed; every other
// request off this machine is refused (1.4.0 POSTs a login report to Agora after each login).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ORIGIN = 'http://app.test';
export const root = fileURLToPath(new URL('../..', import.meta.url));
export const artifacts = join(root, 'artifacts', 'browser');

/** Folders of the repository a page may load from. */
const SERVED = ['dist/', 'examples/', 'node_modules/agora-signaling-sdk/'];
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

export interface Browser {
  readonly context: BrowserContext;
  /** A new tab. */
  page(): Promise<Page>;
  /** The page's uncaught exceptions and console errors, as text (failed loads of blocked hosts left out). */
  errorsOf(page: Page): string[];
  /** Pages made up by a test: `http://app.test/<path>` answers `html`. */
  serve(path: string, html: string): void;
  /** Saves a screenshot under artifacts/browser/; returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts Chromium with a fresh profile. Fails at once, saying what to install, when Debian's
 * chromium is missing.
 */
export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: the browser tests need Debian's chromium (apt-get install -y chromium; .ci/run does this)`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'ase-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    timeout: 30_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.setDefaultTimeout(10_000);
  const errors = new WeakMap<Page, string[]>();
  const made = new Map<string, string>();

  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/]|app\.test\/)/, (route) => route.abort());
  await context.route(`${ORIGIN}/**`, (route) => {
    const path = decodeURIComponent(new URL(route.request().url()).pathname).slice(1);
    const page = made.get(path);
    if (page !== undefined) return route.fulfill({ status: 200, contentType: 'text/html', body: page });
    const file = normalize(path);
    if (!SERVED.some((dir) => file.startsWith(dir)) || !existsSync(join(root, file))) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(join(root, file)) });
  });

  mkdirSync(artifacts, { recursive: true });
  return {
    context,
    async page() {
      const page = await context.newPage();
      const list: string[] = [];
      errors.set(page, list);
      page.on('pageerror', (error) => list.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) list.push(message.text());
      });
      return page;
    },
    errorsOf(page) {
      return errors.get(page) ?? [];
    },
    serve(path, html) {
      made.set(path.replace(/^\//, ''), html);
    },
    async screenshot(page, name) {
      const file = join(artifacts, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
