/**
 * The CLI's commands. Exit codes of replay and validate: 0 every transcript passed, 1 one failed
 * (its log differs, or a step could not run), 2 invalid input (bad usage, a missing file, an
 * invalid transcript). `serve` runs until Ctrl-C (see serve.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { toHtml } from '../log/picture-html.js';
import { formatDiff } from '../transcript/diff.js';
import { findTranscripts, loadTranscript, writeTranscript } from '../transcript/files.js';
import { formatReplayFailure, replayLoaded } from '../transcript/replay.js';
import type { Transcript } from '../transcript/types.js';
import { updateExpectation } from '../transcript/update.js';
import { TranscriptError } from '../transcript/validate.js';
import { SERVE_HELP, serveCommand } from './serve.js';

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const consoleOutput: CliOutput = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

const HELP = `agora-signaling-emulator: replay and check transcripts of the Agora Signaling emulator, or serve a local cloud

Usage:
  agora-signaling-emulator replay <files or folders…> [--update] [--quiet] [--seed <n>] [--html <out>]
  agora-signaling-emulator validate <files or folders…>
  agora-signaling-emulator serve [--port <n>] [--host <address>] [--allow-host <name>] [--seed <n>]
                                 [--log-capacity <n>] [--quiet]
  agora-signaling-emulator help [command]

Commands:
  replay     run each transcript on a fresh in-process cloud, print its timeline and
             whether its log matched, then a summary
  validate   check transcripts without running them
  serve      a local Signaling cloud for the real SDK (browsers, Node) with a live
             dashboard, on the real clock, until Ctrl-C

A folder stands for every *.json file under it. Exit codes: 0 all passed, 1 a transcript
failed, 2 invalid input (bad usage, a missing file, an invalid transcript).`;

const COMMAND_HELP: Record<string, string> = {
  replay: `Usage: agora-signaling-emulator replay <files or folders…> [options]

Runs each transcript on a fresh in-process cloud and compares the log with its "expect".
Prints each transcript's timeline under a header, the first divergence of any that failed,
and a summary line "N passed, N failed".

Options:
  --update     rewrite the expected log of each transcript whose log differs (the whole log,
               "match": "exact"; loose patterns that still match are kept)
  --quiet      one line per transcript, no timelines
  --seed <n>   replay with this seed instead of each transcript's own
  --html <out> also draw each replay as an HTML sequence diagram: <out>.html for one
               transcript, or a folder that gets one <name>.html per transcript
  --help       this help

Exit codes: 0 all passed, 1 a transcript failed, 2 invalid input.`,
  validate: `Usage: agora-signaling-emulator validate <files or folders…>

Checks each transcript (JSON, fields, and that every cloud verb exists in this version)
without running it. Errors read "file: path.to.field: what is wrong".

Exit codes: 0 all valid, 2 one or more invalid.`,
  serve: SERVE_HELP,
};

/**
 * Runs the CLI with `args` (without `node` and the script) and returns the exit code.
 *
 * @example
 * process.exitCode = await runCli(['replay', 'fixtures']);
 */
export async function runCli(args: readonly string[], output: CliOutput = consoleOutput): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h') {
    output.out(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === 'help') {
    const topic = rest[0];
    if (topic === undefined) output.out(HELP);
    else if (COMMAND_HELP[topic]) output.out(COMMAND_HELP[topic]);
    else return usage(output, `no command "${topic}"`);
    return 0;
  }
  if (!COMMAND_HELP[command]) return usage(output, `no command "${command}"`);
  if (rest.includes('--help') || rest.includes('-h')) {
    output.out(COMMAND_HELP[command]);
    return 0;
  }
  if (command === 'serve') return serveCommand(rest, output);
  return command === 'replay' ? replayCommand(rest, output) : validateCommand(rest, output);
}

function usage(output: CliOutput, problem: string): number {
  output.err(`agora-signaling-emulator: ${problem}\nRun "agora-signaling-emulator --help" for the commands.`);
  return 2;
}

interface ReplayFlags {
  update: boolean;
  quiet: boolean;
  seed: number | undefined;
  /** Where to write HTML pictures: a `.html` file for one transcript, else a folder. */
  html: string | undefined;
  paths: string[];
}

function parseReplayArgs(args: readonly string[]): ReplayFlags | string {
  const flags: ReplayFlags = { update: false, quiet: false, seed: undefined, html: undefined, paths: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--update') flags.update = true;
    else if (a === '--quiet') flags.quiet = true;
    else if (a === '--seed' || a.startsWith('--seed=')) {
      const value = a === '--seed' ? args[++i] : a.slice('--seed='.length);
      if (value === undefined || !/^-?\d+$/.test(value)) return `--seed needs an integer, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`;
      flags.seed = Number(value);
    } else if (a === '--html' || a.startsWith('--html=')) {
      const value = a === '--html' ? args[++i] : a.slice('--html='.length);
      if (!value) return '--html needs a file (one transcript) or a folder';
      flags.html = value;
    } else if (a.startsWith('-')) return `replay has no option ${a} (see "agora-signaling-emulator help replay")`;
    else flags.paths.push(a);
  }
  if (flags.paths.length === 0) return 'replay needs at least one transcript file or folder';
  return flags;
}

async function replayCommand(args: readonly string[], output: CliOutput): Promise<number> {
  const flags = parseReplayArgs(args);
  if (typeof flags === 'string') return usage(output, flags);
  let files: string[];
  try {
    files = findTranscripts(flags.paths);
  } catch (error) {
    output.err((error as Error).message);
    return 2;
  }
  if (files.length === 0) return usage(output, `no *.json transcripts in ${flags.paths.join(', ')}`);
  if (flags.html?.endsWith('.html') && files.length > 1) return usage(output, `--html ${flags.html} names one file, but there are ${files.length} transcripts: give a folder`);

  const { passed, failed, invalid, updated } = await replayTranscripts(files, output, flags);
  output.out('');
  if (invalid > 0) output.out(`${invalid} of the transcripts ${invalid === 1 ? 'is' : 'are'} invalid and did not run`);
  if (updated > 0) output.out(`${updated} updated`);
  output.out(`${passed} passed, ${failed + invalid} failed`);
  return invalid > 0 ? 2 : failed > 0 ? 1 : 0;
}

async function validateCommand(args: readonly string[], output: CliOutput): Promise<number> {
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown) return usage(output, `validate has no option ${unknown}`);
  if (args.length === 0) return usage(output, 'validate needs at least one transcript file or folder');
  let files: string[];
  try {
    files = findTranscripts(args);
  } catch (error) {
    output.err((error as Error).message);
    return 2;
  }
  let bad = 0;
  for (const file of files) {
    try {
      loadTranscript(file); // validates what it reads
      output.out(`valid    ${file}`);
    } catch (error) {
      if (!(error instanceof TranscriptError)) throw error;
      bad++;
      output.out(`INVALID  ${file}`);
      output.out(indent(error.message));
    }
  }
  output.out(`\n${files.length - bad} valid, ${bad} invalid`);
  return bad > 0 ? 2 : 0;
}

/** What `replayTranscripts` counted. */
export interface ReplayCounts {
  passed: number;
  failed: number;
  invalid: number;
  updated: number;
}

/**
 * Replays transcript files, printing each one's header, timeline and result (the summary line
 * is the caller's).
 */
export async function replayTranscripts(files: readonly string[], output: CliOutput = consoleOutput, flags: Partial<Omit<ReplayFlags, 'paths'>> = {}): Promise<ReplayCounts> {
  let passed = 0;
  let failed = 0;
  let invalid = 0;
  let updated = 0;
  for (const file of files) {
    let transcript: Transcript;
    let result;
    try {
      transcript = loadTranscript(file);
      result = await replayLoaded(transcript, { file, ...(flags.seed !== undefined ? { seed: flags.seed } : {}) });
    } catch (error) {
      if (!(error instanceof TranscriptError)) throw error;
      invalid++;
      output.out(`${flags.quiet ? '' : '\n'}INVALID  ${file}`);
      output.out(indent(error.message));
      continue;
    }
    const virtual = ((result.cloud.now() - result.cloud.startTime) / 1000).toFixed(3);
    if (flags.html !== undefined) {
      const target = flags.html.endsWith('.html') ? flags.html : join(flags.html, `${basename(file, '.json')}.html`);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, toHtml(result.log, { epoch: result.cloud.startTime, title: result.name }));
    }
    if (!flags.quiet) {
      output.out(`\n── ${file}: ${result.name}`);
      output.out(result.timeline || '(empty log)');
    }
    if (result.pass) {
      passed++;
      output.out(`PASS  ${file}  (${result.log.length} entries, ${virtual} s virtual)`);
    } else if (flags.update && !result.failure) {
      const next = updateExpectation(transcript, result.log, { epoch: result.cloud.startTime });
      writeTranscript(file, next);
      updated++;
      passed++;
      output.out(`UPDATED  ${file}  (expect.log rewritten: ${result.log.length} entries)`);
      if (result.diff) output.out(indent(`was: ${formatDiff(result.diff)}`));
    } else {
      failed++;
      output.out(`FAIL  ${file}`);
      output.out(indent(formatReplayFailure(result, file)));
    }
  }
  return { passed, failed, invalid, updated };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
