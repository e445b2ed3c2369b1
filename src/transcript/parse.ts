import { TranscriptError, validateTranscript } from './validate.js';
import type { Transcript } from './types.js';

/**
 * Reads a transcript from JSON text and validates it. Throws a {@link TranscriptError} that
 * says `file: line L, column C: …` for bad JSON and `file: path.to.field: …` for a bad field.
 *
 * @example
 * const transcript = parseTranscript(readFileSync(file, 'utf8'), file);
 */
export function parseTranscript(text: string, file = 'transcript'): Transcript {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TranscriptError(file, [{ path: jsonErrorPlace(text, error as Error), message: `not valid JSON: ${cleanJsonMessage((error as Error).message)}` }]);
  }
  const issues = validateTranscript(data);
  if (issues.length > 0) throw new TranscriptError(file, issues);
  return data as Transcript;
}

function jsonErrorPlace(text: string, error: Error): string {
  const lc = /line (\d+) column (\d+)/.exec(error.message);
  if (lc) return `line ${lc[1]}, column ${lc[2]}`;
  const pos = /at position (\d+)/.exec(error.message);
  const offset = pos ? Number(pos[1]) : text.length;
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

function cleanJsonMessage(message: string): string {
  return message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)/, '');
}
