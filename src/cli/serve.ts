/**
 * `agora-signaling-emulator serve`: a local Signaling cloud for apps running by hand in a
 * browser (or any real SDK): the 1.4.0 WebSocket protocol, the LBS endpoint, and the dashboard,
 * all on one port, on the real clock.
 */
import { createCloud, type Cloud } from '../create-cloud.js';
import { EmulatorError } from '../errors.js';
import type { LogEntry } from '../log/entry.js';
import { clientLabel, entryFlags, formatArgs, formatOffset, truncate } from '../log/format.js';
import { ALLOW_HOST_PATTERN } from '../wire/host-check.js';
import type { WireFrame, WireServer } from '../wire/listen.js';
import type { CliOutput } from './run-cli.js';

/** The port `serve` takes unless told otherwise: a fixed one, so the app's setting can stay. */
export const DEFAULT_SERVE_PORT = 8765;
/**
 * Log entries `serve` keeps unless told otherwise: enough for the dashboard's backlog (1 000)
 * and `cloud.log` queries over the last minutes of a busy session, bounded so that a long run
 * or a flood of bad frames cannot take the machine's memory (an entry is a few hundred bytes).
 */
export const DEFAULT_SERVE_LOG_CAPACITY = 10_000;
/** Bytes of terminal output waiting for a terminal (or pipe) that does not keep up, before lines are skipped. */
const MAX_UNPRINTED = 1024 * 1024;

/** Writes lines to the process's stdout and stderr; a stdout that does not keep up loses lines, counted, rather than memory. */
function consoleOutput(): CliOutput {
  let skipped = 0;
  return {
    out: (text) => {
      if (process.stdout.writableLength > MAX_UNPRINTED) {
        skipped++;
        return;
      }
      if (skipped > 0) {
        process.stdout.write(`(${skipped} lines not printed: the terminal did not keep up)\n`);
        skipped = 0;
      }
      process.stdout.write(`${text}\n`);
    },
    err: (text) => process.stderr.write(`${text}\n`),
  };
}

export const SERVE_HELP = `Usage: agora-signaling-emulator serve [--port <n>] [--host <address>] [--allow-host <name>]
                                     [--seed <n>] [--log-capacity <n>] [--quiet]

Runs a local Signaling cloud on the real clock: the real SDK 1.4.0 connects to it with
signal.setup_debugging('ap_url', 'ws://HOST:PORT/'), or through the LBS at
http://HOST:PORT/getaddr, and the dashboard at http://HOST:PORT/ shows the live log, who is
online, channels and invites, with controls to kick, disconnect, expire tokens, add latency
and cut the server off. The terminal shows each log entry and each request and push of the
connected SDKs as it happens. Ctrl-C stops it.

Options:
  --port <n>           TCP port (default ${DEFAULT_SERVE_PORT}; 0 picks a free one)
  --host <address>     interface to bind (default 127.0.0.1: this machine only;
                       0.0.0.0 opens it, dashboard controls included, to the network)
  --allow-host <name>  also answer requests for this Host name (default: only localhost,
                       loopback addresses and the bound address, against DNS rebinding);
                       '*.example.com' allows every name under it, '*' any. Repeatable
  --seed <n>           seed of the cloud (default 1)
  --log-capacity <n>   log entries kept in memory, the latest ones (default ${DEFAULT_SERVE_LOG_CAPACITY})
  --quiet              do not print the log and the SDKs' traffic as they happen
  --help               this help`;

export interface ServeOptions {
  port?: number;
  host?: string;
  seed?: number;
  /** More Host names to answer (see `ListenOptions.allowHosts`). */
  allowHosts?: readonly string[];
  /** Log entries kept (default {@link DEFAULT_SERVE_LOG_CAPACITY}). */
  logCapacity?: number;
  /** Sees each request and push of the served connections (see `ListenOptions.onFrame`). */
  onFrame?: (frame: WireFrame) => void;
}

/** A running `serve`: its cloud, its server, and how to stop both. */
export interface Served {
  readonly cloud: Cloud;
  readonly server: WireServer;
  stop(): Promise<void>;
}

/**
 * Starts what `serve` runs: a cloud on the real clock, listening with the dashboard.
 *
 * @example
 * const { server, stop } = await serve({ port: 0 });
 * console.log(server.dashboardUrl);
 * await stop();
 */
export async function serve(options: ServeOptions = {}): Promise<Served> {
  const cloud = createCloud({ clock: 'global', seed: options.seed ?? 1, log: { capacity: options.logCapacity ?? DEFAULT_SERVE_LOG_CAPACITY } });
  let server: WireServer;
  try {
    server = await cloud.listen({
      port: options.port ?? DEFAULT_SERVE_PORT,
      host: options.host ?? '127.0.0.1',
      dashboard: true,
      ...(options.allowHosts ? { allowHosts: options.allowHosts } : {}),
      ...(options.onFrame ? { onFrame: options.onFrame } : {}),
    });
  } catch (error) {
    cloud.dispose();
    throw error;
  }
  return {
    cloud,
    server,
    async stop() {
      await server.close();
      cloud.dispose();
    },
  };
}

interface ServeFlags extends ServeOptions {
  quiet: boolean;
  help: boolean;
  allowHosts: string[];
}

/** Parses `serve`'s arguments; a string is what is wrong with them. */
export function parseServeArgs(args: readonly string[]): ServeFlags | string {
  const flags: ServeFlags = { quiet: false, help: false, allowHosts: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (name === '--help' || name === '-h') flags.help = true;
    else if (name === '--quiet') flags.quiet = true;
    else if (name === '--port') {
      const v = value();
      if (v === undefined || !/^\d+$/.test(v) || Number(v) > 65535) return `--port needs a port number from 0 to 65535, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`;
      flags.port = Number(v);
    } else if (name === '--host') {
      const v = value();
      if (v === undefined || v === '' || v.startsWith('-')) return `--host needs an address (127.0.0.1, 0.0.0.0, ::1…), got ${v === undefined ? 'nothing' : JSON.stringify(v)}`;
      flags.host = v;
    } else if (name === '--allow-host') {
      const v = value();
      for (const host of v === undefined ? [undefined] : v.split(',')) {
        if (host === undefined || !ALLOW_HOST_PATTERN.test(host)) {
          return `--allow-host needs a host name (my-laptop.lan), a pattern (*.example.com) or *, got ${host === undefined ? 'nothing' : JSON.stringify(host)}`;
        }
        flags.allowHosts.push(host);
      }
    } else if (name === '--log-capacity') {
      const v = value();
      if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) {
        return `--log-capacity needs a number of entries, at least 1, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`;
      }
      flags.logCapacity = Number(v);
    } else if (name === '--seed') {
      const v = value();
      if (v === undefined || !/^-?\d+$/.test(v)) return `--seed needs an integer, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`;
      flags.seed = Number(v);
    } else return `serve has no option ${arg} (see "agora-signaling-emulator serve --help")`;
  }
  return flags;
}

/** What `serve` prints when it is up: where to point the SDK, and who can reach it. */
export function startupText(server: WireServer, seed: number, logCapacity = DEFAULT_SERVE_LOG_CAPACITY): string {
  const loopback = server.host === '127.0.0.1' || server.host === '::1' || server.host === 'localhost';
  const wide = server.host === '0.0.0.0' || server.host === '::';
  return [
    `agora-signaling-emulator serve: a local Signaling cloud (seed ${seed})`,
    '',
    `  dashboard  ${server.dashboardUrl}`,
    `  SDK        ${server.url}    signal.setup_debugging('ap_url', '${server.url}')`,
    `  LBS        ${server.lbsUrl}/getaddr?vid=APPID`,
    '',
    loopback
      ? `Listening on ${server.host} only: apps on this machine can connect, other machines cannot (--host 0.0.0.0 opens it).`
      : `Listening on ${server.host}${wide ? ' (every interface)' : ''}: other machines can connect, and use the dashboard's controls.`,
    `The log keeps the latest ${logCapacity} entries (--log-capacity). Ctrl-C stops it.`,
  ].join('\n');
}

/** One log entry as a line of the terminal log: the timeline's columns. */
export function liveLine(e: LogEntry, startTime: number): string {
  const flags = entryFlags(e);
  const args = truncate(formatArgs(e.args), 120);
  return columns(e.t - startTime, clientLabel(e), e.kind, e.object ? `${e.name} [${e.object}]` : e.name, flags ? `${args}  ${flags}` : args);
}

/**
 * A request (`→`) or push (`←`) of a connected SDK as a line of the terminal log, in the same
 * columns: `+2.310s  alice  wire  → user_sendmsg  {"peer":"bob","t":"instant","content":"hi"}`.
 * The cloud's log has the server's side only; this is what the real SDK sent and was sent.
 */
export function wireLine(frame: WireFrame, startTime: number): string {
  const name = `${frame.direction === 'up' ? '→' : '←'} ${frame.name}`;
  return columns(frame.t - startTime, frame.account || '(not logged in)', 'wire', name, truncate(formatArgs(frame.args), 120));
}

function columns(offset: number, client: string, kind: string, name: string, args: string): string {
  return [formatOffset(offset).padStart(10), truncate(client, 16).padEnd(16), kind.padEnd(8), truncate(name, 40).padEnd(28), args].join('  ').trimEnd();
}

/** What `serve` says when it cannot listen, in its own flags (`--port 0`, not the API's `port: 0`). */
function listenFailure(error: EmulatorError, flags: ServeFlags): string {
  const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
  const where = `${flags.host ?? '127.0.0.1'}:${flags.port ?? DEFAULT_SERVE_PORT}`;
  if (code === 'EADDRINUSE') return `cannot listen on ${where}: the port is taken (--port 0 picks a free one; --port <n> another)`;
  if (code === 'EACCES') return `cannot listen on ${where}: not allowed to use this port (ports below 1024 need privileges; try --port ${DEFAULT_SERVE_PORT})`;
  if (code === 'EADDRNOTAVAIL') return `cannot listen on ${where}: this machine has no such address (--host 127.0.0.1 or 0.0.0.0)`;
  return error.message;
}

/**
 * Runs `serve` with its command-line arguments until SIGINT or SIGTERM; resolves with the exit
 * code (0 after a clean stop, 1 when it could not start, 2 for bad arguments).
 */
export async function serveCommand(args: readonly string[], output: CliOutput = consoleOutput()): Promise<number> {
  const flags = parseServeArgs(args);
  if (typeof flags === 'string') {
    output.err(`agora-signaling-emulator: ${flags}`);
    return 2;
  }
  if (flags.help) {
    output.out(SERVE_HELP);
    return 0;
  }
  let served: Served;
  // Frames are printed from the start; the cloud's start time is known once it exists.
  let startTime = 0;
  let stopping = false;
  const onFrame = flags.quiet ? undefined : (frame: WireFrame) => void (stopping || output.out(wireLine(frame, startTime)));
  try {
    served = await serve({ ...flags, ...(onFrame ? { onFrame } : {}) });
  } catch (error) {
    if (!(error instanceof EmulatorError)) throw error;
    output.err(`agora-signaling-emulator serve: ${listenFailure(error, flags)}`);
    return 1;
  }
  const { cloud, server } = served;
  startTime = cloud.startTime;
  let unsubscribe: (() => void) | undefined;
  // The handlers are in place before anything is printed: whoever reads "Ctrl-C stops it" may press it at once.
  const stopped = new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        // A second Ctrl-C: the user does not want to wait for the goodbyes.
        output.err('Stopped without waiting.');
        process.exit(130);
      }
      stopping = true;
      unsubscribe?.();
      output.out(`\n${signal}: closing ${server.connections} connection${server.connections === 1 ? '' : 's'}…`);
      void served.stop().then(() => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        output.out('Stopped.');
        resolve(0);
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  output.out(startupText(server, cloud.seed, cloud.log.capacity));
  output.out('');
  if (!flags.quiet) unsubscribe = cloud.log.subscribe((e) => output.out(liveLine(e, cloud.startTime)));
  return stopped;
}
