/**
 * `agora-signaling-emulator serve`: a local Signaling cloud for apps running by hand in a
 * browser (or any real SDK): the 1.4.0 WebSocket protocol, the LBS endpoint, and the dashboard,
 * all on one port, on the real clock.
 */
import { createCloud, type Cloud } from '../create-cloud.js';
import { EmulatorError } from '../errors.js';
import type { LogEntry } from '../log/entry.js';
import { clientLabel, entryFlags, formatArgs, formatOffset, truncate } from '../log/format.js';
import type { WireServer } from '../wire/listen.js';
import type { CliOutput } from './run-cli.js';

/** The port `serve` takes unless told otherwise: a fixed one, so the app's setting can stay. */
export const DEFAULT_SERVE_PORT = 8765;

const consoleOutput: CliOutput = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export const SERVE_HELP = `Usage: agora-signaling-emulator serve [--port <n>] [--host <address>] [--seed <n>] [--quiet]

Runs a local Signaling cloud on the real clock: the real SDK 1.4.0 connects to it with
signal.setup_debugging('ap_url', 'ws://HOST:PORT/'), or through the LBS at
http://HOST:PORT/getaddr, and the dashboard at http://HOST:PORT/ shows the live log, who is
online, channels and invites, with controls to kick, disconnect, expire tokens, add latency
and cut the server off. Ctrl-C stops it.

Options:
  --port <n>       TCP port (default ${DEFAULT_SERVE_PORT}; 0 picks a free one)
  --host <address> interface to bind (default 127.0.0.1: this machine only;
                   0.0.0.0 opens it, dashboard controls included, to the network)
  --seed <n>       seed of the cloud (default 1)
  --quiet          do not print each log entry as it happens
  --help           this help`;

export interface ServeOptions {
  port?: number;
  host?: string;
  seed?: number;
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
  const cloud = createCloud({ clock: 'global', seed: options.seed ?? 1 });
  let server: WireServer;
  try {
    server = await cloud.listen({ port: options.port ?? DEFAULT_SERVE_PORT, host: options.host ?? '127.0.0.1', dashboard: true });
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
}

/** Parses `serve`'s arguments; a string is what is wrong with them. */
export function parseServeArgs(args: readonly string[]): ServeFlags | string {
  const flags: ServeFlags = { quiet: false, help: false };
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
    } else if (name === '--seed') {
      const v = value();
      if (v === undefined || !/^-?\d+$/.test(v)) return `--seed needs an integer, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`;
      flags.seed = Number(v);
    } else return `serve has no option ${arg} (see "agora-signaling-emulator serve --help")`;
  }
  return flags;
}

/** What `serve` prints when it is up: where to point the SDK, and who can reach it. */
export function startupText(server: WireServer, seed: number): string {
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
    'Ctrl-C stops it.',
  ].join('\n');
}

/** One log entry as a line of the terminal log. */
export function liveLine(e: LogEntry, startTime: number): string {
  const flags = entryFlags(e);
  const args = truncate(formatArgs(e.args), 120);
  return [
    formatOffset(e.t - startTime).padStart(10),
    truncate(clientLabel(e), 16).padEnd(16),
    e.kind.padEnd(8),
    truncate(e.object ? `${e.name} [${e.object}]` : e.name, 40).padEnd(28),
    flags ? `${args}  ${flags}` : args,
  ]
    .join('  ')
    .trimEnd();
}

/**
 * Runs `serve` with its command-line arguments until SIGINT or SIGTERM; resolves with the exit
 * code (0 after a clean stop, 1 when it could not start, 2 for bad arguments).
 */
export async function serveCommand(args: readonly string[], output: CliOutput = consoleOutput): Promise<number> {
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
  try {
    served = await serve(flags);
  } catch (error) {
    if (!(error instanceof EmulatorError)) throw error;
    output.err(`agora-signaling-emulator serve: ${error.message}`);
    return 1;
  }
  const { cloud, server } = served;
  output.out(startupText(server, cloud.seed));
  output.out('');
  const unsubscribe = flags.quiet ? undefined : cloud.log.subscribe((e) => output.out(liveLine(e, cloud.startTime)));

  return new Promise<number>((resolve) => {
    let stopping = false;
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
}
