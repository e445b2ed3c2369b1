// One headless Chromium per test file: the Chromium scripts/chromium.ts finds (Debian's
// /usr/bin/chromium, installed on a fresh machine) driven by playwright-core (never a
// downloaded browser). Pages load from a small static server of the repository's files
// on 127.0.0.1, as an app's dev server would serve them: Chromium lets pages of a local origin
// open WebSockets to the served cloud on 127.0.0.1 (a page of any other origin is stopped by its
// Local Network Access checks). Every request off this machine is refused (1.4.0 POSTs a login
// report to Agora after each login).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
export const root = fileURLToPath(new URL('../..', import.meta.url));
export const artifacts = join(root, 'artifacts', 'browser');

/** Folders of the repository a page may load from. */
const SERVED = ['dist/', 'examples/', 'node_modules/agora-signaling-sdk/'];
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

export interface Browser {
  readonly context: BrowserContext;
  /** Where the pages are served: `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** A new tab. */
  page(): Promise<Page>;
  /** The page's uncaught exceptions and console errors, as text (failed loads of blocked hosts left out). */
  errorsOf(page: Page): string[];
  /** Pages made up by a test: `{origin}/<path>` answers `html`. */
  serve(path: string, html: string): void;
  /** Saves a screenshot under artifacts/browser/; returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/** The Chromium binary the run's globalSetup found; throws the command to run when there is none. */
export function chromiumBinary(): string {
  const found = inject('chromium');
  if ('missing' in found) throw new Error(found.missing);
  return found.path;
}

/**
 * Starts Chromium with a fresh profile. Fails at once, saying what to install, when there is no
 * Chromium.
 */
export async function launch(): Promise<Browser> {
  const executablePath = chromiumBinary();
  const profile = mkdtempSync(join(tmpdir(), 'ase-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
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
      // Several tabs act at once here: none of them may be slowed down for being in the background.
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
    ],
  });
  context.setDefaultTimeout(10_000);
  const errors = new WeakMap<Page, string[]>();
  const made = new Map<string, string>();

  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort());
  const files = await staticServer(made);
  const address = files.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  mkdirSync(artifacts, { recursive: true });
  return {
    context,
    origin,
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
      files.closeAllConnections();
      await new Promise((resolve) => files.close(resolve));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Serves the repository's dist/, examples/ and the real SDK, and the pages a test made up. */
async function staticServer(made: Map<string, string>): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
    const page = made.get(path);
    if (page !== undefined) {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      return res.end(page);
    }
    const file = normalize(path);
    const full = join(root, file);
    if (!SERVED.some((dir) => file.startsWith(dir)) || !existsSync(full) || !statSync(full).isFile()) {
      res.writeHead(404);
      return res.end('not found');
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(full));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
