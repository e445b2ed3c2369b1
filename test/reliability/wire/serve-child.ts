// `serve` in a process of its own, as a user runs it (its defaults: log capacity, dashboard,
// loopback), for the stress to measure its heap apart from the clients'. Started by
// serve-process.ts with an IPC channel; it says `{ port }` once listening, then answers
// `{ ask: 'census' | 'settled' | 'peak' | 'reset-peak' }`.
import { serve } from '../../../src/cli/serve.js';

const served = await serve({ port: 0 });
let peak = 0;
// Sampled often: the peak between forced collections is what the process really needed.
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}, 10);

function settled(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('serve-child needs --expose-gc');
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

process.on('message', (m: { ask: string }) => {
  switch (m.ask) {
    case 'census': {
      const online = served.cloud.inspect().apps.reduce((n, a) => n + a.online.length, 0);
      return process.send!({ census: { connections: served.server.connections, online, logEntries: served.cloud.log.entries.length, logCapacity: served.cloud.log.capacity } });
    }
    case 'settled':
      return process.send!({ settled: settled() });
    case 'peak':
      return process.send!({ peak: Math.max(peak, process.memoryUsage().heapUsed) });
    case 'reset-peak':
      peak = process.memoryUsage().heapUsed;
      return process.send!({ peak });
    case 'stop':
      clearInterval(sampler);
      return void served.stop().then(() => process.exit(0));
  }
});
process.send!({ port: served.server.port });
