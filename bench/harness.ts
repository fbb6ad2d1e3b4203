/** One benchmark figure: the median of several timed runs, with the target the issues name (if any). */
export interface BenchFigure {
  readonly name: string;
  readonly median: number;
  readonly unit: string;
  readonly runs: number;
  /** Human-readable target, e.g. "<= 25 ms" or ">= 50 M/s". */
  readonly target?: string;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Time `fn` `runs` times after `warmup` untimed runs; returns per-run milliseconds. */
export async function timeRuns(fn: () => unknown, runs = 7, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export function formatFigure(f: BenchFigure): string {
  const v = f.median >= 100 ? f.median.toFixed(0) : f.median.toPrecision(3);
  return `${f.name.padEnd(68)} ${v.padStart(10)} ${f.unit.padEnd(8)} (median of ${f.runs})${f.target ? `  target ${f.target}` : ""}`;
}
