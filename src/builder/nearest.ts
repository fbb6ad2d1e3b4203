/** Flat row-major points: n rows of `dim` numbers. */
export interface Points {
  readonly data: Float64Array;
  readonly dim: number;
}

/** Squared Euclidean distance between a[ao..ao+dim) and b[bo..bo+dim). */
export function sqDist(a: Float64Array, ao: number, b: Float64Array, bo: number, dim: number): number {
  let s = 0;
  for (let j = 0; j < dim; j++) {
    const e = a[ao + j]! - b[bo + j]!;
    s += e * e;
  }
  return s;
}

/** Index of the centre nearest to x (ties: the lowest index), scanning only the first `k` centres. */
export function nearestCentroid(
  x: Float64Array,
  centroids: Float64Array,
  dim: number,
  k = centroids.length / dim,
): number {
  let best = 0;
  let bestD = Number.POSITIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    // Partial distance: stop summing once this centre is already worse.
    let s = 0;
    const off = c * dim;
    for (let j = 0; j < dim && s < bestD; j++) {
      const e = x[j]! - centroids[off + j]!;
      s += e * e;
    }
    if (s < bestD) {
      bestD = s;
      best = c;
    }
  }
  return best;
}
