import { UsageError } from "../core/errors.js";
import type { FeatureSpec } from "../sim/types.js";

/**
 * ICU-Sepsis's feature scaling: binary features are centred (x - 0.5), the others z-scored, and heavy-tailed
 * ones z-scored after log(x + 0.1). The parameters are plain data so metadata.json can carry them and new
 * observations can be mapped later with `normalizeInto`.
 */
export type FeatureScaling = "binary" | "z" | "log-z";

export interface Normalizer {
  readonly names: readonly string[];
  readonly scaling: readonly FeatureScaling[];
  /** Mean of x (or of log(x + 0.1)); 0.5 for binary features. */
  readonly mean: readonly number[];
  /** Population standard deviation; 1 for binary and constant features (a constant column maps to 0). */
  readonly std: readonly number[];
}

export const LOG_OFFSET = 0.1;

function scalingOf(f: FeatureSpec): FeatureScaling {
  if (f.binary) return "binary";
  return f.logScale ? "log-z" : "z";
}

// Negative inputs to a log-scaled feature are clamped at 0 so the log stays finite.
const logOf = (x: number): number => Math.log(Math.max(x, 0) + LOG_OFFSET);

/** Fit the scaling on `rows` (n x dim, row-major; dim = specs.length). Inputs are not modified. */
export function fitNormalizer(specs: readonly FeatureSpec[], rows: Float64Array): Normalizer {
  const dim = specs.length;
  if (dim === 0 || rows.length % dim !== 0)
    throw new UsageError(`cannot fit ${dim} features on ${rows.length} values`);
  const n = rows.length / dim;
  if (n === 0) throw new UsageError("cannot fit a normaliser on zero observations");
  const scaling = specs.map(scalingOf);
  const mean: number[] = [];
  const std: number[] = [];
  for (let j = 0; j < dim; j++) {
    const kind = scaling[j]!;
    if (kind === "binary") {
      mean.push(0.5);
      std.push(1);
      continue;
    }
    const val = kind === "log-z" ? logOf : (x: number): number => x;
    let m = 0;
    for (let i = 0; i < n; i++) m += val(rows[i * dim + j]!);
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const e = val(rows[i * dim + j]!) - m;
      v += e * e;
    }
    const sd = Math.sqrt(v / n);
    mean.push(m);
    std.push(sd > 1e-12 ? sd : 1);
  }
  return { names: specs.map((f) => f.name), scaling, mean, std };
}

/** Normalise one observation into out[offset .. offset+dim). */
export function normalizeInto(nz: Normalizer, x: ArrayLike<number>, out: Float64Array, offset = 0): void {
  const dim = nz.scaling.length;
  if (x.length !== dim) throw new UsageError(`observation has ${x.length} features, the normaliser ${dim}`);
  for (let j = 0; j < dim; j++) {
    const raw = x[j]!;
    const v = nz.scaling[j] === "log-z" ? logOf(raw) : raw;
    out[offset + j] = (v - nz.mean[j]!) / nz.std[j]!;
  }
}

/** Normalise n x dim rows into a new array. */
export function normalizeRows(nz: Normalizer, rows: Float64Array): Float64Array {
  const dim = nz.scaling.length;
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length / dim; i++)
    normalizeInto(nz, rows.subarray(i * dim, (i + 1) * dim), out, i * dim);
  return out;
}
