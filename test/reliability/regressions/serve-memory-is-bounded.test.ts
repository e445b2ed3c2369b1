// Regression: serve's memory had no bound. Its log was never capped (400 000 one-byte malformed
// frames took the heap from 6 to 146 MiB, kept after the client left), and a paused
// `/_dashboard/events` stream queued without limit (20 streams: 9 → 145 MiB in 10 s), unlike a
// WebSocket, which is cut past 16 MiB. Now serve keeps the latest 10 000 entries by default, an
// event stream is cut (and logged) past the same bound as a connection, and at most 16 are open.
import { connect as tcpConnect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloud, type Cloud, type WireServer } from 'agora-signaling-emulator';
import { DEFAULT_SERVE_LOG_CAPACITY, serve, type Served } from '../../../src/cli/serve.js';
import { MAX_STREAMS } from '../../../src/serve/dashboard.js';
import { connect } from '../../wire/raw-client.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function served(): Promise<Served> {
  const s = await serve({ port: 0 });
  cleanup.push(() => s.stop());
  return s;
}

async function listening(maxBufferedBytes?: number): Promise<{ cloud: Cloud; server: WireServer }> {
  const cloud = createCloud({ clock: 'global' });
  const server = await cloud.listen({ dashboard: true, ...(maxBufferedBytes ? { maxBufferedBytes } : {}) });
  cleanup.push(() => cloud.dispose(), () => server.close());
  return { cloud, server };
}

/** A GET of the event stream on a raw socket that never reads what it is sent. */
function pausedStream(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1', () => {
      socket.write(`GET /_dashboard/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      socket.once('data', () => {
        socket.pause();
        resolve(socket);
      });
    });
    socket.on('error', reject);
    cleanup.push(() => void socket.destroy());
  });
}

describe("serve's memory has a bound by default", () => {
  it(`its log keeps the latest ${DEFAULT_SERVE_LOG_CAPACITY} entries: a flood of malformed frames does not pile up`, async () => {
    const { cloud, server } = await served();
    expect(cloud.log.capacity).toBe(DEFAULT_SERVE_LOG_CAPACITY);
    const mallory = await connect(server.url);
    for (let i = 0; i < DEFAULT_SERVE_LOG_CAPACITY + 2_000; i++) mallory.sendText('x');
    const [err] = await mallory.login('mallory');
    expect(err).toBe('');
    expect(cloud.log.total).toBeGreaterThanOrEqual(DEFAULT_SERVE_LOG_CAPACITY + 2_000);
    expect(cloud.log.entries.length).toBe(DEFAULT_SERVE_LOG_CAPACITY);
    expect(cloud.log.entries.at(-1)?.name).toBe('malformed frame');
    mallory.ws.terminate();
  });

  it('a dashboard page that stops reading its event stream is cut off past maxBufferedBytes, and the log says so', async () => {
    const { cloud, server } = await listening(64 * 1024);
    await pausedStream(server.port);
    // A busy client: each request and its reply make two wire rows for the stream.
    const busy = await connect(server.url);
    await busy.login('busy');
    const account = 'a'.repeat(300);
    for (let round = 0; round < 40 && cloud.log.count({ name: 'slow reader' }) === 0; round++) {
      await Promise.all(Array.from({ length: 500 }, () => busy.call2('user_query_user_status', { account })));
    }
    const fault = cloud.log.first({ kind: 'fault', name: 'slow reader' });
    expect(fault?.args[0]).toMatch(/^\d+ bytes queued, more than 65536$/);
    expect(fault?.args[1]).toBe('dashboard event stream closed');
    // The server goes on: another page opens a stream afresh.
    const res = await fetch(`${server.lbsUrl}/_dashboard/state`);
    expect(res.status).toBe(200);
    busy.ws.terminate();
  }, 60_000);

  it(`at most ${MAX_STREAMS} event streams are open at once; one more is answered 503`, async () => {
    const { server } = await listening();
    for (let i = 0; i < MAX_STREAMS; i++) await pausedStream(server.port);
    const res = await fetch(`${server.lbsUrl}/_dashboard/events`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: `${MAX_STREAMS} dashboard pages are open already; close one` });
  });

  it('a control body past 16 KiB is answered 413 at once, and not kept', async () => {
    const { server } = await listening();
    const res = await fetch(`${server.lbsUrl}/_dashboard/control`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ verb: 'kick', account: 'x'.repeat(1024 * 1024) }),
    });
    expect(res.status).toBe(413);
  });
});
