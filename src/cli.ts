#!/usr/bin/env node
/**
 * The `agora-signaling-emulator` command: replays and validates transcripts.
 * `npx agora-signaling-emulator --help` lists the commands.
 */
import { runCli } from './cli/run-cli.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
