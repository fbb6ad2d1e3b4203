import type { Points } from "./nearest.js";
import { sqDist } from "./nearest.js";

export interface KmeansConvergence {
  readonly converged: boolean;
  readonly iterations: number;
  /** Largest centroid shift of the last iteration (normalised units). */
  readonly residual: number;
  readonly stop: "tolerance" | "stable-assignment" | "max-iterations";
}

export interface LloydResult {
  /** k x dim row-major. */
  readonly centroids: Float64Array;
  readonly assignment: Int32Array;
  readonly inertia: number;
  readonly report: KmeansConvergence;
}

/**
 * Lloyd's algorithm, accelerated without changing its result:
 * - Hamerly (2010): per point an upper bound u on the distance to its centre and one lower bound l on the
 *   distance to every other centre; a point is rescanned only when u > max(l, half the gap to the nearest
 *   other centre).
 * - A rescan visits the other centres in order of their distance from the current centre a and stops once
 *   |c - a| >= u + (second-best distance so far): by the triangle inequality no later centre can be closer
 *   than the best two already found (the idea behind Exponion, Newling & Fleuret 2016).
 * `start` (from the seeding) gives exact first distances; without it every point starts with u = infinity.
 */
export function lloyd(
  p: Points,
  init: Float64Array,
  start: { nearest: Int32Array; d2: Float64Array } | null,
  maxIter: number,
  tol: number,
): LloydResult {
  const { data, dim } = p;
  const n = data.length / dim;
  const k = init.length / dim;
  const cent = init.slice();
  const assign = start ? start.nearest.slice() : new Int32Array(n);
  const upper = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  if (start) for (let i = 0; i < n; i++) upper[i] = Math.sqrt(start.d2[i]!);
  const lower = new Float64Array(n); // 0 is always a valid lower bound
  const nb = new NeighbourTable(k);
  const shift = new Float64Array(k);
  const sums = new Float64Array(k * dim);
  const counts = new Int32Array(k);
  let iterations = 0;
  let residual = Number.POSITIVE_INFINITY;
  let stop: KmeansConvergence["stop"] = "max-iterations";
  while (iterations < maxIter) {
    iterations++;
    nb.update(cent, dim);
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const a = assign[i]!;
      const bound = Math.max(nb.half[a]!, lower[i]!);
      if (upper[i]! <= bound) continue;
      const du = Math.sqrt(sqDist(data, i * dim, cent, a * dim, dim));
      upper[i] = du;
      if (du <= bound) continue;
      const b = nb.search(data, i * dim, cent, dim, a, du);
      if (b.arg !== a) changed++;
      assign[i] = b.arg;
      upper[i] = b.d1;
      lower[i] = b.d2;
    }
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const a = assign[i]!;
      counts[a]!++;
      for (let j = 0; j < dim; j++) sums[a * dim + j]! += data[i * dim + j]!;
    }
    let max1 = 0;
    let max2 = 0;
    let arg1 = -1;
    for (let c = 0; c < k; c++) {
      const cnt = counts[c]!;
      let s2 = 0;
      if (cnt > 0) {
        for (let j = 0; j < dim; j++) {
          const v = sums[c * dim + j]! / cnt;
          const e = v - cent[c * dim + j]!;
          s2 += e * e;
          cent[c * dim + j] = v;
        }
      } // an empty cluster keeps its centre
      const s = Math.sqrt(s2);
      shift[c] = s;
      if (s > max1) {
        max2 = max1;
        max1 = s;
        arg1 = c;
      } else if (s > max2) max2 = s;
    }
    residual = max1;
    for (let i = 0; i < n; i++) {
      const a = assign[i]!;
      upper[i]! += shift[a]!;
      lower[i]! -= a === arg1 ? max2 : max1;
    }
    if (changed === 0 && iterations > 1) {
      stop = "stable-assignment";
      break;
    }
    if (residual < tol) {
      stop = "tolerance";
      break;
    }
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDist(data, i * dim, cent, assign[i]! * dim, dim);
  return {
    centroids: cent,
    assignment: assign,
    inertia,
    report: { converged: stop !== "max-iterations", iterations, residual, stop },
  };
}

// Sort keys: a non-negative double's bit pattern orders like the number, so clearing the low 20 mantissa
// bits and storing the centre index there sorts (truncated distance, index) with a native typed-array sort.
const INDEX_BITS = 20;
const INDEX_MASK = (1 << INDEX_BITS) - 1;

/** For each centre: the other centres sorted by distance, and half the distance to the nearest one. */
class NeighbourTable {
  readonly half: Float64Array;
  private readonly keys: Float64Array;
  private readonly words: Uint32Array;
  private readonly result = { arg: 0, d1: 0, d2: 0 };

  constructor(private readonly k: number) {
    if (k > INDEX_MASK) throw new RangeError(`k = ${k} exceeds ${INDEX_MASK}`);
    this.half = new Float64Array(k);
    this.keys = new Float64Array(k * k);
    this.words = new Uint32Array(this.keys.buffer);
  }

  update(cent: Float64Array, dim: number): void {
    const { k, keys, words } = this;
    for (let a = 0; a < k; a++) {
      keys[a * k + a] = Number.POSITIVE_INFINITY; // itself, sorted last and never reached
      for (let b = a + 1; b < k; b++) {
        const d = Math.sqrt(sqDist(cent, a * dim, cent, b * dim, dim));
        keys[a * k + b] = d;
        keys[b * k + a] = d;
      }
    }
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        if (b === a) continue;
        const w = 2 * (a * k + b); // little-endian: the low word comes first
        words[w] = ((words[w]! & ~INDEX_MASK) | b) >>> 0;
      }
      const row = keys.subarray(a * k, (a + 1) * k);
      row.sort();
      this.half[a] = k > 1 ? truncated(keys, words, a * k) / 2 : Number.POSITIVE_INFINITY;
    }
  }

  /** Nearest and second-nearest centre of point x whose current centre is a at distance du. */
  search(data: Float64Array, xo: number, cent: Float64Array, dim: number, a: number, du: number) {
    const { k, keys, words } = this;
    let arg = a;
    let b1 = du * du;
    let b2 = Number.POSITIVE_INFINITY;
    let r2 = Number.POSITIVE_INFINITY; // sqrt(b2), kept in step with b2
    for (let t = 0; t < k - 1; t++) {
      const gap = truncated(keys, words, a * k + t);
      if (gap >= du + r2) break;
      const c = words[2 * (a * k + t)]! & INDEX_MASK;
      const d = sqDist(data, xo, cent, c * dim, dim);
      if (d < b1) {
        b2 = b1;
        b1 = d;
        arg = c;
      } else if (d < b2) b2 = d;
      r2 = Math.sqrt(b2);
    }
    const r = this.result;
    r.arg = arg;
    r.d1 = Math.sqrt(b1);
    r.d2 = r2;
    return r;
  }
}

// The stored key with its index bits cleared: never above the true distance, so bounds stay valid.
const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
function truncated(keys: Float64Array, words: Uint32Array, at: number): number {
  scratch[0] = keys[at]!;
  scratchWords[0] = (words[2 * at]! & ~INDEX_MASK) >>> 0;
  return scratch[0]!;
}
