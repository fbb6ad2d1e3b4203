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

/** Full assignment: nearest centre, its distance and the second-nearest distance (Hamerly's bounds). */
export function assignAll(
  p: Points,
  cent: Float64Array,
  k: number,
  assign: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
): void {
  const { data, dim } = p;
  const n = data.length / dim;
  for (let i = 0; i < n; i++) {
    let b1 = Number.POSITIVE_INFINITY;
    let b2 = Number.POSITIVE_INFINITY;
    let arg = 0;
    for (let c = 0; c < k; c++) {
      const d = sqDist(data, i * dim, cent, c * dim, dim);
      if (d < b1) {
        b2 = b1;
        b1 = d;
        arg = c;
      } else if (d < b2) b2 = d;
    }
    assign[i] = arg;
    upper[i] = Math.sqrt(b1);
    lower[i] = Math.sqrt(b2);
  }
}
