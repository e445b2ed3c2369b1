import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A small benchmark harness: fixed seeds, a warm-up, several runs, medians. Each benchmark
 * measures one figure and states its target, so the table says at a glance what holds.
 */

export interface Benchmark {
  name: string;
  /** What the figure is, with its unit ("deliveries/s", "µs per cycle"). */
  unit: string;
  /** The target, as text ("≥ 5 M/s"), and the check. */
  target: string;
  meets(figure: number): boolean;
  /**
   * Runs once at `scale` (1 = the full size of the issue; the smoke test uses a tiny scale) and
   * returns the figure, or the figure with a note (the parts a ratio was made of).
   */
  run(scale: number): Promise<number | Figure> | number | Figure;
  /** How many measured runs (default 5) and warm-ups (default 1). */
  runs?: number;
  warmups?: number;
}

/** A figure with a note on how it came about ("in-process 0.1 µs, wire 9 µs per delivery"). */
export interface Figure {
  value: number;
  note?: string;
}

/** The figure of one run, whatever form the benchmark returned it in. */
export function figureOf(outcome: number | Figure): Figure {
  return typeof outcome === 'number' ? { value: outcome } : outcome;
}

export interface Result {
  name: string;
  unit: string;
  target: string;
  median: number;
  min: number;
  max: number;
  runs: number;
  ok: boolean;
  /** The note of the median run, if the benchmark gives one. */
  note?: string;
}

export async function measure(bench: Benchmark, scale = 1): Promise<Result> {
  const figures: Figure[] = [];
  for (let i = 0; i < (bench.warmups ?? 1); i++) await bench.run(scale);
  const runs = bench.runs ?? 5;
  for (let i = 0; i < runs; i++) {
    gc();
    figures.push(figureOf(await bench.run(scale)));
  }
  figures.sort((a, b) => a.value - b.value);
  const median = figures[Math.floor(figures.length / 2)]!;
  return {
    name: bench.name,
    unit: bench.unit,
    target: bench.target,
    median: median.value,
    min: figures[0]!.value,
    max: figures[figures.length - 1]!.value,
    runs,
    ok: bench.meets(median.value),
    ...(median.note !== undefined ? { note: median.note } : {}),
  };
}

/**
 * Forces a collection. `npm run bench` runs node with --expose-gc; elsewhere (the smoke test
 * under vitest) the flag is turned on at run time, so a heap figure never depends on when the
 * collector happened to run.
 */
export function gc(): void {
  let collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

export function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export function formatFigure(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)} k`;
  if (n >= 100) return n.toFixed(0);
  if (n >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

export function table(results: Result[]): string {
  const rows = [
    ['benchmark', 'median', 'unit', 'range (min–max)', 'target', '', 'note'],
    ...results.map((r) => [
      r.name,
      formatFigure(r.median),
      r.unit,
      `${formatFigure(r.min)} – ${formatFigure(r.max)}`,
      r.target,
      r.ok ? 'ok' : 'MISSED',
      r.note ?? '',
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

/** A point in real time, for {@link secondsSince}. */
export const clockNow = (): bigint => process.hrtime.bigint();

/** Real seconds since `start` (a {@link clockNow}). */
export const secondsSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

/** A point in this process's CPU time (user + system), for {@link cpuSecondsSince}. */
export const cpuNow = (): NodeJS.CpuUsage => process.cpuUsage();

/**
 * CPU seconds since `start` (a {@link cpuNow}): steadier than real time on a shared machine,
 * where another process's work stretches real time but not this one's CPU time.
 */
export const cpuSecondsSince = (start: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
};
