// The shape of one fuzzed boundary (a wire frame, a transcript, a Cloud verb's arguments…).
// Every `*.boundary.ts` file in this folder default-exports one `Boundary`; `npm test` runs each
// with a fixed seed and a few runs (test/reliability/boundaries.test.ts), and
// `npm run fuzz:boundaries -- --runs N` runs them long (scripts/fuzz-boundaries.ts).
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BoundaryRun {
  /** How many generated cases to try. */
  runs: number;
  /** fast-check's seed: the same seed tries the same cases. */
  seed: number;
  /** Called now and then on long runs, with the cases tried so far. */
  progress?: (done: number) => void;
}

export interface BoundaryReport {
  /** Cases tried. */
  cases: number;
  /** What was checked, in words and figures, for the closing line (`"12 034 frames over 9 shapes; heap peak 41 MiB"`). */
  summary: string;
  /** Set when a case broke the invariant: the shrunk case, what broke, and how to rerun it. */
  failure?: string;
}

export interface Boundary {
  /** Short, unique: `wire-frames`, `transcripts`, `cloud-verbs`. */
  name: string;
  /** The invariant, as a sentence (printed by the runner). */
  invariant: string;
  /** Cases `npm test` tries (a fixed-seed slice, a few seconds at most). */
  testRuns: number;
  check(run: BoundaryRun): Promise<BoundaryReport>;
}

/** Every boundary of this folder, by file name order. */
export async function loadBoundaries(): Promise<Boundary[]> {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith('.boundary.ts')).sort();
  const boundaries: Boundary[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(`${dir}${file}`).href)) as { default: Boundary };
    boundaries.push(mod.default);
  }
  return boundaries;
}
