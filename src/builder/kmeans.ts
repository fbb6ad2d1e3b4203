import { UsageError } from "../core/errors.js";
import { derive } from "../core/rng.js";
import { type KmeansConvergence, lloyd } from "./lloyd.js";
import type { Points } from "./nearest.js";
import { seedPlusPlus, seedRandom } from "./seeding.js";

export type { KmeansConvergence } from "./lloyd.js";
export type { Points } from "./nearest.js";

export interface KmeansOptions {
  readonly k: number;
  /** Independent seedings + Lloyd runs; the lowest inertia wins (ties: the earliest). Default 1. */
  readonly restarts?: number;
  /** Lloyd iterations per restart. Default 100. */
  readonly maxIter?: number;
  /** Stop when the largest centroid shift is below tol (normalised units). Default 1e-4. */
  readonly tol?: number;
  readonly seed: number | string;
  /** "plusplus" (default) or "random" (k distinct random points; the baseline in tests). */
  readonly init?: "plusplus" | "random";
}

export interface KmeansResult {
  /** k x dim row-major. */
  readonly centroids: Float64Array;
  readonly assignment: Int32Array;
  readonly inertia: number;
  readonly report: KmeansConvergence;
  /** Index of the winning restart and the inertia of every restart. */
  readonly restart: number;
  readonly inertias: readonly number[];
}

/**
 * k-means with k-means++ seeding and accelerated (exact) Lloyd iterations; best of `restarts` by inertia.
 * Restart r draws from its own stream derived from (seed, r), so results never depend on other restarts.
 *
 * @example
 * const r = kmeans({ data: new Float64Array([0, 0, 0, 1, 10, 10, 10, 11]), dim: 2 }, { k: 2, seed: 1 });
 * r.inertia; //=> 1 (two clusters of two points, each 0.5 from its centre)
 */
export function kmeans(p: Points, o: KmeansOptions): KmeansResult {
  if (p.dim < 1 || p.data.length % p.dim !== 0) throw new UsageError(`bad point array for dim ${p.dim}`);
  const n = p.data.length / p.dim;
  if (!Number.isInteger(o.k) || o.k < 1) throw new UsageError(`k must be a positive integer, got ${o.k}`);
  if (o.k > n) throw new UsageError(`k = ${o.k} exceeds the number of points (${n})`);
  const restarts = o.restarts ?? 1;
  if (!Number.isInteger(restarts) || restarts < 1)
    throw new UsageError(`restarts must be >= 1, got ${restarts}`);
  let best: (ReturnType<typeof lloyd> & { restart: number }) | null = null;
  const inertias: number[] = [];
  for (let r = 0; r < restarts; r++) {
    const rng = derive(o.seed, `kmeans-restart-${r}`);
    const run =
      o.init === "random"
        ? lloyd(p, seedRandom(p, o.k, rng), null, o.maxIter ?? 100, o.tol ?? 1e-4)
        : (() => {
            const s = seedPlusPlus(p, o.k, rng);
            return lloyd(p, s.centroids, s, o.maxIter ?? 100, o.tol ?? 1e-4);
          })();
    inertias.push(run.inertia);
    if (best === null || run.inertia < best.inertia) best = { ...run, restart: r };
  }
  return { ...best!, inertias };
}
