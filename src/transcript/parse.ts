import { describeArg } from '../arguments.js';
import { EmulatorError } from '../errors.js';
import { findJsonError } from './json-error.js';
import { TranscriptError, validateParsed } from './validate.js';
import type { Transcript } from './types.js';

/**
 * Reads a transcript from JSON text and validates it. Throws a {@link TranscriptError} that
 * says `file: line L, column C: …` for bad JSON and `file: path.to.field: …` for a bad field.
 *
 * @example
 * const transcript = parseTranscript(readFileSync(file, 'utf8'), file);
 */
export function parseTranscript(text: string, file = 'transcript'): Transcript {
  if (typeof file !== 'string') throw new EmulatorError(`Failed to parse a transcript: file must be a string (used in messages), got ${describeArg(file)}`);
  if (typeof text !== 'string') throw new TranscriptError(file, [{ path: '(file)', message: `expected the transcript's JSON text, got ${describeArg(text)}` }]);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const found = findJsonError(text);
    const offset = found?.offset ?? text.length;
    const before = text.slice(0, offset).split('\n');
    const place = `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
    throw new TranscriptError(file, [{ path: place, message: `not valid JSON: ${found?.message ?? (error as Error).message}` }]);
  }
  // Nothing but JSON.parse has made or seen `data` yet: it is plain data by construction.
  const issues = validateParsed(data);
  if (issues.length > 0) throw new TranscriptError(file, issues);
  return data as Transcript;
}
