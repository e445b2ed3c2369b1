// Starts serve-child.ts: `serve` with its defaults in a process of its own, whose heap the
// stress reads over IPC (forced GC there, or the peak sampled there).
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ServeProcess {
  readonly url: string;
  readonly port: number;
  /** Connections open, accounts online, and the log's entries and capacity, now. */
  census(): Promise<{ connections: number; online: number; logEntries: number; logCapacity: number }>;
  /** serve's heap after forced collections (bytes). */
  settledHeap(): Promise<number>;
  /** The most heap serve used since the last reset (sampled every 10 ms, garbage included). */
  peakHeap(): Promise<number>;
  resetPeak(): Promise<void>;
  /** The exit code if serve has exited (it never should by itself). */
  exitCode(): number | null;
  stop(): Promise<void>;
}

export async function startServeProcess(): Promise<ServeProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./serve-child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let exit: number | null = null;
  child.on('exit', (code) => (exit = code ?? -1));
  const ask = <T>(question: string, key: string): Promise<T> =>
    new Promise((resolve, reject) => {
      if (exit !== null) return reject(new Error(`serve exited with code ${exit}`));
      const onMessage = (m: Record<string, unknown>) => {
        if (!(key in m)) return;
        child.off('message', onMessage);
        resolve(m[key] as T);
      };
      child.on('message', onMessage);
      child.send({ ask: question });
    });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port?: number }) => (m.port ? resolve(m.port) : reject(new Error('serve did not start'))));
    child.once('exit', (code) => reject(new Error(`serve exited with code ${code} before listening`)));
  });
  return {
    url: `ws://127.0.0.1:${port}/`,
    port,
    census: () => ask('census', 'census'),
    settledHeap: () => ask('settled', 'settled'),
    peakHeap: () => ask('peak', 'peak'),
    resetPeak: async () => void (await ask('reset-peak', 'peak')),
    exitCode: () => exit,
    async stop() {
      if (exit !== null) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ ask: 'stop' });
      await done;
    },
  };
}
