// `agora-signaling-emulator serve`, as a user's shell runs it: the built CLI (npm test builds
// first), its startup text, the live log, Ctrl-C.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { request } from 'node:http';
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
      // In the CLI's own words: its flags, not the API's options.
      expect(r.stderr).toBe(`agora-signaling-emulator serve: cannot listen on 127.0.0.1:${port}: the port is taken (--port 0 picks a free one; --port <n> another)\n`);
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
    expect(help.stdout).toMatch(/^Usage: agora-signaling-emulator serve \[--port <n>\] \[--host <address>\] \[--allow-host <name>\]/);
    expect(help.stdout).toContain('--port <n>           TCP port (default 8765; 0 picks a free one)');
    expect(help.stdout).toContain('--log-capacity <n>   log entries kept in memory, the latest ones (default 10000)');
    for (const [args, message] of [
      [['--allow-host', 'http://x/'], '--allow-host needs a host name (my-laptop.lan), a pattern (*.example.com) or *, got "http://x/"'],
      [['--log-capacity', '0'], '--log-capacity needs a number of entries, at least 1, got "0"'],
      [['--log-capacity'], '--log-capacity needs a number of entries, at least 1, got nothing'],
    ] as const) {
      const r = spawnSync(process.execPath, [cli, 'serve', ...args], { cwd: root, encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`agora-signaling-emulator: ${message}\n`);
    }
  });

  it("prints a line per request and push of a real SDK client, in the timeline's columns; --quiet prints none", async () => {
    const serving = start('--port', '0');
    const [, port] = await serving.waitFor(/dashboard {2}http:\/\/127\.0\.0\.1:(\d+)\//);
    await serving.waitFor(/Ctrl-C stops it\./);
    const url = `ws://127.0.0.1:${port}/`;
    const alice = await connect(url);
    await alice.login('alice');
    const bob = await connect(url);
    await bob.login('bob');
    await alice.call2('channel_join', { name: 'room' });
    await alice.call2('user_sendmsg', { peer: 'bob', t: 'instant', content: 'hi bob' });
    await serving.waitFor(/bob\s+wire\s+← message\s+"alice", "hi bob"/);
    const lines = serving.out().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^ +\+\d+\.\d{3}s {2}alice {13}wire {6}→ login {23}"alice", "app"$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ +\+\d+\.\d{3}s {2}alice {13}wire {6}← login_ret {19}"ok", 1$/));
    expect(lines).toContainEqual(expect.stringMatching(/alice\s+wire\s+→ channel_join\s+\{"name":"room"\}$/));
    expect(lines).toContainEqual(expect.stringMatching(/alice\s+wire\s+→ user_sendmsg\s+\{"peer":"bob","t":"instant","content":"hi bob"\}$/));
    // The SDK's keep-alives stay out.
    alice.send('ping', 1);
    await alice.next(([e]) => e === 'pong');
    serving.child.kill('SIGINT');
    expect(await serving.exited).toBe(0);
    expect(serving.out()).not.toMatch(/→ ping|← pong/);

    const quiet = start('--port', '0', '--quiet');
    const [, quietPort] = await quiet.waitFor(/dashboard {2}http:\/\/127\.0\.0\.1:(\d+)\//);
    await quiet.waitFor(/Ctrl-C stops it\./);
    const carol = await connect(`ws://127.0.0.1:${quietPort}/`);
    await carol.login('carol');
    quiet.child.kill('SIGINT');
    expect(await quiet.exited).toBe(0);
    expect(quiet.out()).not.toMatch(/wire|carol/);
  });

  it('keeps the latest 10 000 log entries unless told otherwise, and says so', async () => {
    const serving = start('--port', '0', '--quiet');
    await serving.waitFor(/The log keeps the latest 10000 entries \(--log-capacity\)\. Ctrl-C stops it\./);
    serving.child.kill('SIGINT');
    expect(await serving.exited).toBe(0);
    const small = start('--port', '0', '--quiet', '--log-capacity', '50');
    await small.waitFor(/The log keeps the latest 50 entries/);
    small.child.kill('SIGINT');
    expect(await small.exited).toBe(0);
  });

  it('answers only its own Host names, and more with --allow-host', async () => {
    const serving = start('--port', '0', '--quiet', '--allow-host', 'my-laptop.lan,*.agora.io');
    const [, port] = await serving.waitFor(/dashboard {2}http:\/\/127\.0\.0\.1:(\d+)\//);
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: Number(port), path: '/_dashboard/state', headers: { Host: host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await status(`localhost:${port}`)).toBe(200);
    expect(await status('my-laptop.lan')).toBe(200);
    expect(await status('lbs-1-sig.agora.io')).toBe(200);
    expect(await status('evil.example')).toBe(421);
    serving.child.kill('SIGINT');
    expect(await serving.exited).toBe(0);
  });
});
