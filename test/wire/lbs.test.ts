import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCloud, type Cloud, type WireServer } from 'agora-signaling-emulator';

let cloud: Cloud;
let server: WireServer;

beforeEach(async () => {
  cloud = createCloud({ clock: 'global' });
  server = await cloud.listen();
});

afterEach(async () => {
  await server.close();
  cloud.dispose();
});

function get(path: string, options: { method?: string; host?: string } = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: options.host ? { host: options.host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the LBS endpoint GET /getaddr?vid=…', () => {
  it('answers {"web": [the WebSocket URL]} with an open CORS header, and logs the lookup', async () => {
    const res = await get('/getaddr?vid=my-app');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.body)).toEqual({ web: [server.url] });
    expect(cloud.log.first({ kind: 'server', name: 'lbs getaddr' })?.args).toEqual(['my-app']);
  });

  it('answers with the host the client used (a browser on localhost gets localhost back)', async () => {
    const res = await get('/getaddr?vid=x', { host: `localhost:${server.port}` });
    expect(JSON.parse(res.body)).toEqual({ web: [`ws://localhost:${server.port}/`] });
  });

  it('answers a CORS preflight', async () => {
    const res = await get('/getaddr?vid=x', { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toMatch(/GET/);
  });

  it('says what the port serves on any other path', async () => {
    const res = await get('/');
    expect(res.status).toBe(404);
    expect(res.body).toMatch(/WebSocket protocol.*GET \/getaddr\?vid=APPID/);
  });
});
