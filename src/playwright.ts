/**
 * `agora-signaling-emulator/playwright`: fixtures for `@playwright/test` that run the app under
 * test, unchanged, with its real Signaling SDK (1.3.0 or 1.4.0), against a local cloud.
 *
 * Each test gets a served cloud (or one per worker, `cloudScope: 'worker'`), and every context
 * and page of the test has the SDK's Agora traffic routed to it: the LBS lookups and the
 * WebSockets (see {@link routeCloud}). The test body drives and inspects that cloud (`cloud`:
 * the verbs, `inspect()`, `log`, `until`); `expect` has the log matchers. When a test fails,
 * its report gets the cloud's timeline, the sequence picture and the frames of the routed
 * sockets.
 *
 * @example
 * import { test, expect } from 'agora-signaling-emulator/playwright';
 *
 * test('a kicked user sees it', async ({ page, cloud }) => {
 *   await page.goto('http://localhost:5173/?user=alice');
 *   await cloud.until(() => cloud.inspect().apps.some((a) => a.online.length > 0));
 *   cloud.kick('alice');
 *   await expect(page.locator('#status')).toHaveText(/kicked/);
 *   expect(cloud).toHaveLogged({ kind: 'server', name: 'session ended', client: 'alice' });
 * });
 */
import {
  expect as baseExpect,
  test as base,
  type Browser,
  type BrowserContext,
  type Expect,
  type ExpectMatcherState,
  type MatcherReturnType,
  type TestInfo,
} from '@playwright/test';
import { createCloud, type Cloud, type CloudOptions } from './create-cloud.js';
import { invariant } from './errors.js';
import { cloudMatchers, type CloudMatchers } from './log/matchers.js';
import type { LogMark } from './log/log-view.js';
import { routeCloud } from './playwright/route-cloud.js';
import { WireRecord } from './playwright/wire-record.js';
import type { WireServer } from './wire/listen.js';

export { routeCloud } from './playwright/route-cloud.js';
export type { CloudRouteTarget } from './playwright/route-cloud.js';
export { WireRecord } from './playwright/wire-record.js';
export type { CallbackName, CloudMatchers, ExpectedCallback, WithinAnchor } from './log/matchers.js';

/** The cloud's options under the fixture: those of `createCloud`, but the clock (always the real one: the browser's SDK runs in real time). */
export type PlaywrightCloudOptions = Omit<CloudOptions, 'clock'>;

/** Options, set with `test.use()` or in the config's `use`. */
export interface CloudTestOptions {
  /** Options of the cloud (seed, apps, latency…). Default `{}`. */
  cloudOptions: PlaywrightCloudOptions;
  /**
   * `'test'` (default): a new cloud for every test, so nothing carries over. `'worker'`: one
   * cloud for all the tests a worker runs (cheaper; a test then sees what earlier ones left:
   * stored messages, channel attributes, the log before its start).
   */
  cloudScope: 'test' | 'worker';
}

/** What a test body gets. */
export interface CloudFixtures {
  /** The served cloud this test's pages talk to: verbs, `inspect()`, `log`, `until`… */
  cloud: Cloud;
  /** Its wire server (`url`, `lbsUrl`, `port`). */
  cloudServer: WireServer;
}

interface Served {
  cloud: Cloud;
  server: WireServer;
  stop(): Promise<void>;
}

interface TestRun extends Served {
  record: WireRecord;
}

interface InternalFixtures {
  _cloudRun: TestRun;
  _cloudRoutesNewContexts: void;
}

interface WorkerFixtures {
  _workerCloud: Served | undefined;
}

/**
 * `@playwright/test`'s `test`, with a served cloud per test and every context routed to it.
 *
 * @example
 * test.use({ cloudOptions: { seed: 7, apps: [{ appId: 'my-app' }] } });
 * test('bob gets alice\'s message', async ({ page, context, cloud }) => { … });
 */
export const test = base.extend<CloudFixtures & InternalFixtures, CloudTestOptions & WorkerFixtures>({
  cloudOptions: [{}, { option: true, scope: 'worker' }],
  cloudScope: ['test', { option: true, scope: 'worker' }],

  _workerCloud: [
    async ({ cloudOptions, cloudScope }, use) => {
      checkScope(cloudScope);
      if (cloudScope !== 'worker') return use(undefined);
      const served = await startCloud(cloudOptions);
      await use(served);
      await served.stop();
    },
    { scope: 'worker' },
  ],

  _cloudRun: async ({ _workerCloud, cloudOptions }, use, testInfo) => {
    const served = _workerCloud ?? (await startCloud(cloudOptions));
    const mark = served.cloud.log.mark();
    const record = new WireRecord();
    try {
      await use({ ...served, record });
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) await attachDiagnostics(testInfo, served.cloud, mark, record, _workerCloud !== undefined);
      if (!_workerCloud) await served.stop();
    }
  },

  cloud: async ({ _cloudRun }, use) => use(_cloudRun.cloud),
  cloudServer: async ({ _cloudRun }, use) => use(_cloudRun.server),

  context: async ({ context, _cloudRun }, use) => {
    await routeCloud(context, { server: _cloudRun.server, record: _cloudRun.record });
    await use(context);
  },

  // Contexts the test makes itself (`browser.newContext()`, `browser.newPage()`) are routed too.
  _cloudRoutesNewContexts: [
    async ({ browser, _cloudRun }, use) => {
      const restore = routeNewContexts(browser, (context) => routeCloud(context, { server: _cloudRun.server, record: _cloudRun.record }));
      try {
        await use();
      } finally {
        restore();
      }
    },
    { auto: true },
  ],
});

/**
 * `@playwright/test`'s `expect` with the log matchers: `expect(cloud).toHaveLogged({ … })` and
 * the rest of {@link CloudMatchers}. With the real SDK in the page, the cloud's log holds the
 * server's side (kicks, sessions ended, faults, stored messages…); the app's callbacks show on
 * the page.
 */
export const expect: Expect<CloudMatcherFunctions> = baseExpect.extend<CloudMatcherFunctions>(cloudMatchers);

/** The log matchers as `expect.extend` takes them. */
export type CloudMatcherFunctions = {
  [K in keyof CloudMatchers]: (this: ExpectMatcherState, received: unknown, ...args: Parameters<CloudMatchers[K]>) => MatcherReturnType;
};

async function startCloud(options: PlaywrightCloudOptions): Promise<Served> {
  invariant(
    options !== null && typeof options === 'object' && !('clock' in options),
    "Failed to start the test's cloud: cloudOptions take createCloud's options but clock (the fixture's cloud runs on the real clock, as the browser's SDK does), got " +
      JSON.stringify(options),
  );
  const cloud = createCloud({ ...options, clock: 'global' });
  let server: WireServer;
  try {
    server = await cloud.listen();
  } catch (error) {
    cloud.dispose();
    throw error;
  }
  return {
    cloud,
    server,
    async stop() {
      await server.close();
      cloud.dispose();
    },
  };
}

function checkScope(scope: unknown): void {
  invariant(scope === 'test' || scope === 'worker', `Failed to start the test's cloud: cloudScope must be 'test' or 'worker', got ${JSON.stringify(scope)}`);
}

/** Makes `browser.newContext()` (and so `browser.newPage()`) route each new context before handing it over; returns the undo. */
function routeNewContexts(browser: Browser, route: (context: BrowserContext) => Promise<void>): () => void {
  const own = Object.getOwnPropertyDescriptor(browser, 'newContext');
  const newContext = browser.newContext.bind(browser);
  Object.defineProperty(browser, 'newContext', {
    configurable: true,
    writable: true,
    value: async (...args: Parameters<Browser['newContext']>) => {
      const context = await newContext(...args);
      await route(context);
      return context;
    },
  });
  return () => {
    if (own) Object.defineProperty(browser, 'newContext', own);
    else delete (browser as { newContext?: unknown }).newContext;
  };
}

/** A failed test's report gets what the cloud saw: timeline, sequence picture, and the routed sockets' frames. */
async function attachDiagnostics(testInfo: TestInfo, cloud: Cloud, mark: LogMark, record: WireRecord, shared: boolean): Promise<void> {
  const view = cloud.log.since(mark);
  const note = shared ? `(this test's part of the worker's cloud, from ${mark.seq})\n` : '';
  await testInfo.attach('signaling timeline', { body: note + view.timeline(), contentType: 'text/plain' });
  await testInfo.attach('signaling sequence', { body: view.toHtml({ title: testInfo.title }), contentType: 'text/html' });
  await testInfo.attach('signaling sequence (svg)', { body: view.toSvg(), contentType: 'image/svg+xml' });
  if (!record.empty) await testInfo.attach('signaling wire', { body: record.text(), contentType: 'text/plain' });
}
