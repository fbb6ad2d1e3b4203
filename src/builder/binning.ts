/**
 * Dose bins as in ICU-Sepsis: bin 0 = none (dose <= 0), bins 1-4 = quartiles of the non-zero doses.
 * Each bin's median dose is kept so an MDP action can be given back to the simulator.
 */
export interface DoseBins {
  readonly name: string;
  readonly unit: string;
  /** Upper edges of bins 1-3 (the 25th, 50th, 75th percentiles of the non-zero doses). */
  readonly edges: readonly [number, number, number];
  /** Median dose of bins 0-4 (bin 0: 0; an empty bin gets its nearest edge). */
  readonly medians: readonly number[];
  /** Number of blocks per bin. */
  readonly counts: readonly number[];
}

/** Quantile by linear interpolation between order statistics (numpy's default); `sorted` ascending. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Bin of a dose: 0 for none, else 1 + the number of edges strictly below it (a dose on an edge goes low). */
export function binOf(b: Pick<DoseBins, "edges">, x: number): number {
  if (!(x > 0)) return 0;
  let bin = 1;
  for (const e of b.edges) if (x > e) bin++;
  return bin;
}

export function fitBins(name: string, unit: string, doses: ArrayLike<number>): DoseBins {
  const nz: number[] = [];
  for (let i = 0; i < doses.length; i++) if (doses[i]! > 0) nz.push(doses[i]!);
  const sorted = Float64Array.from(nz).sort();
  const edges: [number, number, number] = [
    quantile(sorted, 0.25),
    quantile(sorted, 0.5),
    quantile(sorted, 0.75),
  ];
  const per: number[][] = [[], [], [], [], []];
  for (let i = 0; i < doses.length; i++) per[binOf({ edges }, doses[i]!)]!.push(doses[i]!);
  const fallback = [0, edges[0], (edges[0] + edges[1]) / 2, (edges[1] + edges[2]) / 2, edges[2]];
  const medians = per.map((xs, bin) =>
    bin === 0 ? 0 : xs.length === 0 ? fallback[bin]! : quantile(Float64Array.from(xs).sort(), 0.5),
  );
  return { name, unit, edges, medians, counts: per.map((xs) => xs.length) };
}
