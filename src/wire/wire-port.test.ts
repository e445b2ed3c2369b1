import { describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { CloudServer } from '../cloud/server.js';
import { EventLog } from '../log/event-log.js';
import { createRng } from '../time/rng.js';
import { Timekeeper } from '../time/timekeeper.js';
import { WirePort, type WirePortOptions } from './wire-port.js';
import type { WireNetwork } from '../net/external.js';

function setup(readyState = 1, options: WirePortOptions = {}) {
  const time = new Timekeeper({ mode: 'virtual', startTime: 0, loopLimit: 1000, describe: () => '' });
  const log = new EventLog(() => time.now());
  const server = new CloudServer({ time, rng: createRng(1), log });
  const sent: unknown[] = [];
  const closes: Array<[number, string]> = [];
  const socket = {
    readyState,
    OPEN: 1,
    bufferedAmount: 0,
    send: (text: string) => sent.push(JSON.parse(text)),
    close(code: number, reason: string) {
      closes.push([code, reason]);
      socket.readyState = 3;
    },
    terminate() {
      closes.push([1006, '']);
      socket.readyState = 3;
    },
  };
  const port = new WirePort(1, socket as unknown as WebSocket, server, log, () => true, options);
  return { log, server, port, sent, closes };
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
    // The app's callback is answered all the same, not left waiting for ever.
    expect(sent.slice(-2)).toEqual([['call2-ret', [1, 'internal error', '']], ['pong', 1]]);
  });

  it('turns a failure while reading a frame into a fault and closes that connection only', () => {
    const net = {
      wireLatency: () => {
        throw new TypeError('cannot read that');
      },
      admitsLogin: () => true,
    } as unknown as WireNetwork;
    const { port, log, closes } = setup(1, { net });
    port.receive(JSON.stringify(['ping', 1]));
    expect(log.first({ kind: 'fault', name: 'malformed frame' })?.args).toEqual(['TypeError: cannot read that', '["ping",1]', 'connection closed', 'connection 1']);
    expect(closes).toEqual([[1011, 'internal error']]);
  });

  it('cuts a client whose frames pile up behind the latency past maxBuffered', () => {
    vi.useFakeTimers();
    try {
      const net = { wireLatency: () => 60_000, admitsLogin: () => true } as unknown as WireNetwork;
      const { port, log, closes } = setup(1, { net, maxBuffered: 1000 });
      const frame = JSON.stringify(['ping', 1]);
      for (let i = 0; i < 1000 / frame.length + 1; i++) port.receive(frame);
      expect(log.first({ kind: 'fault', name: 'flood' })?.args).toEqual([expect.stringMatching(/^\d+ bytes of frames waiting out the latency, more than 1000$/), 'connection closed', 'connection 1']);
      expect(closes).toEqual([[1006, '']]);
      vi.advanceTimersByTime(60_000);
      expect(log.count({ name: 'pong' })).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('counts pushes waiting out the latency with what the socket has not sent', () => {
    vi.useFakeTimers();
    try {
      const net = { wireLatency: () => 60_000, admitsLogin: () => true } as unknown as WireNetwork;
      const { port, log, closes } = setup(1, { net, maxBuffered: 1000 });
      for (let i = 0; i < 20; i++) port.push({ type: 'kick', reason: 'x'.repeat(100) });
      expect(log.count({ kind: 'fault', name: 'slow reader' })).toBe(1);
      expect(log.count({ kind: 'fault', name: 'push dropped' })).toBeGreaterThan(0);
      expect(closes).toEqual([[1006, '']]);
    } finally {
      vi.useRealTimers();
    }
  });
});
