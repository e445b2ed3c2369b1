// The example suite's own fixture: the app, served on 127.0.0.1 as a dev server would serve it
// (port 0, one server per worker). An app with its own dev server puts its address in the
// config's `use.baseURL` instead (or starts it with `webServer`).
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as cloudTest } from 'agora-signaling-emulator/playwright';

export { expect } from 'agora-signaling-emulator/playwright';

const here = dirname(fileURLToPath(import.meta.url));
const sdk = dirname(createRequire(import.meta.url).resolve('agora-signaling-sdk/package.json'));

/** Path → file: the app's page, its script and style (shared with examples/browser), and the SDK from npm. */
const FILES: Record<string, [file: string, type: string]> = {
  '/': [join(here, 'app', 'index.html'), 'text/html'],
  '/app.js': [join(here, '..', 'browser', 'app.js'), 'text/javascript'],
  '/app.css': [join(here, '..', 'browser', 'app.css'), 'text/css'],
  '/sdk/AgoraSigSDK.min.js': [join(sdk, 'AgoraSigSDK.min.js'), 'text/javascript'],
};

export const test = cloudTest.extend<{}, { appServer: string }>({
  appServer: [
    async ({}, use) => {
      const server = createServer((req, res) => {
        const entry = FILES[new URL(req.url ?? '/', 'http://x').pathname];
        if (!entry) return void res.writeHead(404).end();
        readFile(entry[0]).then(
          (body) => res.writeHead(200, { 'Content-Type': entry[1] }).end(body),
          () => res.writeHead(500).end(),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      await use(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
      await close(server);
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ appServer }, use) => use(appServer),
});

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
