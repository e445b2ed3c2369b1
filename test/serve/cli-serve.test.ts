// `agora-signaling-emulator serve`, as a user's shell runs it: the built CLI (npm test builds
// first), its startup text, the live log, Ctrl-C.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../wire/raw-client.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');
const running: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

interface Serving {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  err: () => string;
  /** Resolves once stdout has matched `pattern` (within 10 s). */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

function start(...args: string[]): Serving {
  const child = spawn(process.execPath, [cli, 'serve', ...args], { cwd: root });
  running.push(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    out: () => out,
    err: () => err,
    exited,
    async waitFor(pattern) {
      for (let i = 0; i < 200; i++) {
        const m = pattern.exec(out);
        if (m) return m;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`serve never printed ${pattern}; stdout:\n${out}\nstderr:\n${err}`);
    },
  };
}

describe('agora-signaling-emulator serve (the built CLI)', () => {
  it('prints where to connect and that it listens on loopback only, logs as it goes, and stops cleanly on SIGINT', async () => {
    const serving = start('--port', '0', '--seed', '7');
    const [, port] = await serving.waitFor(/dashboard {2}http:\/\/127\.0\.0\.1:(\d+)\//);
    await serving.waitFor(/Ctrl-C stops it\./);
    expect(serving.out()).toContain('a local Signaling cloud (seed 7)');
    expect(serving.out()).toContain(`SDK        ws://127.0.0.1:${port}/    signal.setup_debugging('ap_url', 'ws://127.0.0.1:${port}/')`);
    expect(serving.out()).toContain(`LBS        http://127.0.0.1:${port}/getaddr?vid=APPID`);
    expect(serving.out()).toContain('Listening on 127.0.0.1 only: apps on this machine can connect, other machines cannot');

    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(await page.text()).toContain('<title>Signaling emulator · dashboard</title>');
    const alice = await connect(`ws://127.0.0.1:${port}/`);
    await alice.login('alice');
    await alice.call2('user_sendmsg', { peer: 'bob', t: 'instant', content: 'hi', flag: 'v1:E:3600' });
    await serving.waitFor(/bob\s+server\s+message stored\s+"alice", "instant", 3600/);

    serving.child.kill('SIGINT');
    expect(await serving.exited).toBe(0);
    expect(serving.out()).toMatch(/SIGINT: closing 1 connection…\nStopped\.\n$/);
    expect(await alice.closed).toBe(1001); // the server said goodbye
    expect(serving.err()).toBe('');
  });

  it('stops on SIGTERM too', async () => {
    const serving = start('--port', '0', '--quiet');
    await serving.waitFor(/Ctrl-C stops it\./);
    serving.child.kill('SIGTERM');
    expect(await serving.exited).toBe(0);
    expect(serving.out()).toMatch(/SIGTERM: closing 0 connections…\nStopped\.\n$/);
  });

  it('with --host 0.0.0.0 says that other machines can connect', async () => {
    const serving = start('--port', '0', '--host', '0.0.0.0', '--quiet');
    await serving.waitFor(/Ctrl-C stops it\./);
    expect(serving.out()).toContain("Listening on 0.0.0.0 (every interface): other machines can connect, and use the dashboard's controls.");
    expect(serving.out()).toMatch(/dashboard {2}http:\/\/127\.0\.0\.1:\d+\//);
    serving.child.kill('SIGINT');
    expect(await serving.exited).toBe(0);
  });

  it('a port that is taken: exit 1 and why', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = spawnSync(process.execPath, [cli, 'serve', '--port', String(port)], { cwd: root, encoding: 'utf8', timeout: 10_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`agora-signaling-emulator serve: Failed to listen on 127.0.0.1:${port}: EADDRINUSE (the port is taken; pass port: 0 to pick a free one)`);
    } finally {
      blocker.close();
    }
  });

  it('bad options: exit 2 with what is wrong; --help: the usage', () => {
    const bad = spawnSync(process.execPath, [cli, 'serve', '--port', 'eighty'], { cwd: root, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--port needs a port number from 0 to 65535, got "eighty"');
    const unknown = spawnSync(process.execPath, [cli, 'serve', '--verbose'], { cwd: root, encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('serve has no option --verbose');
    const help = spawnSync(process.execPath, [cli, 'serve', '--help'], { cwd: root, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: agora-signaling-emulator serve \[--port <n>\] \[--host <address>\] \[--seed <n>\] \[--quiet\]/);
    expect(help.stdout).toContain('--port <n>       TCP port (default 8765; 0 picks a free one)');
  });
});
