import type { Rng } from "../core/rng.js";
import { type Points, sqDist } from "./nearest.js";

export interface Seeding {
  /** k x dim row-major. */
  readonly centroids: Float64Array;
  /** Each point's nearest seed and the squared distance to it (a free first assignment for Lloyd). */
  readonly nearest: Int32Array;
  readonly d2: Float64Array;
}

/**
 * k-means++ seeding (Arthur & Vassilvitskii 2007): each new centre is a point drawn with probability
 * proportional to its squared distance to the nearest chosen centre. Exact acceleration: the points of a
 * centre m can only move to a new centre c if |c - m|^2 < 4 max_{x in m} |x - m|^2, so whole clusters are
 * skipped; inside a scanned cluster a point x is skipped when |c - m|^2 >= 4 |x - m|^2.
 */
export function seedPlusPlus(p: Points, k: number, rng: Rng): Seeding {
  const { data, dim } = p;
  const n = data.length / dim;
  const cent = new Float64Array(k * dim);
  const nearest = new Int32Array(n);
  const d2 = new Float64Array(n);
  const cc = new Float64Array(k);
  // Members of each centre live in one permutation array: centre c owns perm[start[c] .. start[c]+size[c]).
  // A new centre's members are gathered into `moved` and the buffers are re-packed when full.
  let perm = new Int32Array(n);
  let spare = new Int32Array(n);
  const start = new Int32Array(k);
  const size = new Int32Array(k);
  const maxD2 = new Float64Array(k);
  const first = rng.int(n);
  cent.set(data.subarray(first * dim, first * dim + dim), 0);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = sqDist(data, i * dim, cent, 0, dim);
    d2[i] = v;
    perm[i] = i;
    total += v;
    if (v > maxD2[0]!) maxD2[0] = v;
  }
  size[0] = n;
  const moved = new Int32Array(n);
  for (let c = 1; c < k; c++) {
    const pick = total > 0 ? sampleByWeight(d2, total, rng.next()) : rng.int(n);
    const off = c * dim;
    cent.set(data.subarray(pick * dim, pick * dim + dim), off);
    let nMoved = 0;
    for (let m = 0; m < c; m++) {
      const dm = sqDist(cent, m * dim, cent, off, dim);
      cc[m] = dm;
      if (dm >= 4 * maxD2[m]!) continue;
      let keep = start[m]!;
      let newMax = 0;
      const end = start[m]! + size[m]!;
      for (let t = start[m]!; t < end; t++) {
        const i = perm[t]!;
        const v = d2[i]!;
        if (dm < 4 * v) {
          const dNew = sqDist(data, i * dim, cent, off, dim);
          if (dNew < v) {
            total += dNew - v;
            d2[i] = dNew;
            nearest[i] = c;
            moved[nMoved++] = i;
            continue;
          }
        }
        perm[keep++] = i;
        if (v > newMax) newMax = v;
      }
      size[m] = keep - start[m]!;
      maxD2[m] = newMax;
    }
    // Re-pack: every centre's members contiguous, then the new centre's members at the end.
    let w = 0;
    for (let m = 0; m < c; m++) {
      spare.set(perm.subarray(start[m]!, start[m]! + size[m]!), w);
      start[m] = w;
      w += size[m]!;
    }
    start[c] = w;
    size[c] = nMoved;
    let mx = 0;
    for (let t = 0; t < nMoved; t++) {
      const i = moved[t]!;
      spare[w + t] = i;
      if (d2[i]! > mx) mx = d2[i]!;
    }
    maxD2[c] = mx;
    [perm, spare] = [spare, perm];
    // Summing afresh every 64 centres keeps the running total from drifting.
    if (c % 64 === 0) {
      total = 0;
      for (let i = 0; i < n; i++) total += d2[i]!;
    }
  }
  return { centroids: cent, nearest, d2 };
}

function sampleByWeight(w: Float64Array, total: number, u: number): number {
  const target = u * total;
  let acc = 0;
  let last = 0;
  for (let i = 0; i < w.length; i++) {
    const x = w[i]!;
    if (x > 0) {
      acc += x;
      last = i;
      if (acc > target) return i;
    }
  }
  return last; // rounding left the target just above the running sum
}

/** k distinct points drawn uniformly (the baseline k-means++ is compared against in tests). */
export function seedRandom(p: Points, k: number, rng: Rng): Float64Array {
  const n = p.data.length / p.dim;
  const chosen = new Set<number>();
  while (chosen.size < k) chosen.add(rng.int(n));
  const cent = new Float64Array(k * p.dim);
  let c = 0;
  for (const i of chosen) cent.set(p.data.subarray(i * p.dim, (i + 1) * p.dim), p.dim * c++);
  return cent;
}
