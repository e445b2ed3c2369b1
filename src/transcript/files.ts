/**
 * Transcripts on disk (Node only): reading with precise errors, writing in the stable format,
 * and finding the transcripts under folders.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeArg, readOptions, readStrings } from '../arguments.js';
import { EmulatorError } from '../errors.js';
import { formatTranscript } from './format.js';
import { parseTranscript } from './parse.js';
import { replayLoaded, type ReplayOptions, type ReplayResult } from './replay.js';
import type { Transcript } from './types.js';
import { TranscriptError } from './validate.js';

/**
 * Reads and validates a transcript file. Throws a {@link TranscriptError}
 * (`file: path: what is wrong`) for a missing file, bad JSON, or an invalid field.
 *
 * @example
 * const transcript = loadTranscript('fixtures/login-succeeds.json');
 */
export function loadTranscript(file: string): Transcript {
  checkFile(file, 'load a transcript');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TranscriptError(file, [{ path: '(file)', message: code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(error)})` }]);
  }
  return parseTranscript(text, file);
}

/** Writes a transcript in the stable format, creating its folder if needed. */
export function writeTranscript(file: string, transcript: Transcript): void {
  checkFile(file, 'write a transcript');
  const text = formatTranscript(transcript);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** Loads a transcript file and replays it. */
export async function replayFile(file: string, options: Omit<ReplayOptions, 'file'> = {}): Promise<ReplayResult> {
  const o = readOptions(options, ['seed', 'dispose'], 'Failed to replay a file', '{ seed: 7 }');
  // Validated as it was read (loadTranscript), and not seen by anyone since.
  return replayLoaded(loadTranscript(file), { ...(o as Omit<ReplayOptions, 'file'>), file });
}

/**
 * The transcript files among `paths`: a file as it is, a folder's `*.json` files (recursively),
 * sorted by name. A path that does not exist throws a {@link TranscriptError}.
 */
export function findTranscripts(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of readStrings(paths, 'Failed to find transcripts', 'paths')) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new TranscriptError(path, [{ path: '(file)', message: 'no such file or folder' }]);
    }
    if (!isDir) {
      files.push(path);
      continue;
    }
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.json')) files.push(full);
      }
    };
    walk(path);
  }
  return files;
}

function checkFile(file: unknown, verb: string): asserts file is string {
  if (typeof file !== 'string' || file === '') throw new EmulatorError(`Failed to ${verb}: expected a file name, got ${describeArg(file)}`);
}
