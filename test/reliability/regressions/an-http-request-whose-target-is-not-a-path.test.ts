// Regression: `GET // HTTP/1.1` (a request target `new URL` refuses) threw inside the HTTP
// handler of the wire server, with or without the dashboard: an uncaughtException, which ends
// `serve`. Found by fuzzing the HTTP side (test/reliability/boundaries/wire-http.boundary.ts).
import { connect as tcpConnect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

const uncaught: unknown[] = [];
const onUncaught = (error: unknown): void => void uncaught.push(error);
beforeEach(() => process.on('uncaughtException', onUncaught));
afterEach(() => void process.off('uncaughtException', onUncaught));

function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.setEncoding('utf8').on('data', (d: string) => (answer += d));
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('an HTTP request whose target is not a path', () => {
  for (const dashboard of [false, true]) {
    it(`is answered 400${dashboard ? ' with the dashboard' : ''}, and the server goes on`, async () => {
      const cloud = createCloud({ clock: 'global' });
      const server = await cloud.listen({ dashboard });
      try {
        for (const target of ['//', '//a:b', '*', 'http://[x']) {
          const answer = await raw(server.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
          expect(answer.split('\r\n')[0], target).toBe('HTTP/1.1 400 Bad Request');
        }
        expect((await fetch(`${server.lbsUrl}/getaddr?vid=app`)).status).toBe(200);
        expect(uncaught).toEqual([]);
      } finally {
        await server.close();
        cloud.dispose();
      }
    });
  }
});
