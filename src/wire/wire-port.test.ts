import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { CloudServer } from '../cloud/server.js';
import { EventLog } from '../log/event-log.js';
import { createRng } from '../time/rng.js';
import { Timekeeper } from '../time/timekeeper.js';
import { WirePort } from './wire-port.js';

function setup(readyState = 1) {
  const time = new Timekeeper({ mode: 'virtual', startTime: 0, loopLimit: 1000, describe: () => '' });
  const log = new EventLog(() => time.now());
  const server = new CloudServer({ time, rng: createRng(1), log });
  const sent: unknown[] = [];
  const socket = { readyState, OPEN: 1, send: (text: string) => sent.push(JSON.parse(text)), close() {} };
  const port = new WirePort(1, socket as unknown as WebSocket, server, log);
  return { log, server, port, sent };
}

describe('a wire connection', () => {
  it('numbers channel2 events per channel so that they always increase', () => {
    const { port, sent } = setup();
    port.receive(JSON.stringify(['call2', ['channel_join', 1, { name: 'c' }]]));
    const push = (channel: string, msgid: number) => port.push({ type: 'channel2', channel, msgid, event: { type: 'channel_user_join', account: 'a', uid: 1 } });
    push('c', 0);
    push('c', 0);
    push('c', 40);
    push('c', 40);
    push('d', 0);
    const ids = sent.filter((f) => (f as unknown[])[0] === 'notify').map((f) => ((f as [string, unknown[]])[1] as unknown[]).slice(1, 3));
    expect(ids).toEqual([['c', 1], ['c', 2], ['c', 40], ['c', 41], ['d', 1]]);
  });

  it('logs a push that finds the connection closed, instead of losing it silently', () => {
    const { port, log } = setup(3);
    port.label = 'alice';
    port.push({ type: 'kick', reason: 'kick' });
    expect(log.first({ kind: 'fault', name: 'push dropped' })).toMatchObject({ client: 'alice', args: ['kick', 'connection closed', 'connection 1'] });
  });

  it('keeps serving when the server fails on a request, and logs it', () => {
    const { port, server, log, sent } = setup();
    server.handle('boom', () => {
      throw new Error('bug');
    });
    port.receive(JSON.stringify(['login', { vid: 'app', account: 'alice', uid: 0, token: 't' }]));
    port.receive(JSON.stringify(['call2', ['boom', 1, {}]]));
    port.receive(JSON.stringify(['ping', 1]));
    expect(log.first({ kind: 'server', name: 'request failed' })?.args.slice(0, 2)).toEqual(['boom', 'Error: bug']);
    expect(sent.at(-1)).toEqual(['pong', 1]);
  });
});
