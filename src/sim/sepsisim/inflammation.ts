import type { InflammationParams } from "./constants.js";

/** Layout of the inflammation state vector y = (B, M, A, D). */
export const IB = 0;
export const IM = 1;
export const IA = 2;
export const ID = 3;

/** Scratch size `inflammationStep` needs (four stages of four derivatives). */
export const WORK_SIZE = 16;

/** Right-hand side at (b, m, a, d), written to out[o..o+3]; components are clipped at 0 first, as in SepsiSim. */
function deriv(
  b: number,
  m: number,
  a: number,
  d: number,
  p: InflammationParams,
  alpha: number,
  out: Float64Array,
  o: number,
): void {
  b = Math.max(b, 0);
  m = Math.max(m, 0);
  a = Math.max(a, 0);
  d = Math.max(d, 0);
  const sB = b / (1 + b);
  out[o] = p.kGrowth * b * (1 - b / p.bMax) - p.kKill * m * sB - alpha * b;
  out[o + 1] = p.sM + p.kMb * sB + p.kMd * d - p.muM * m - p.kMa * m * a;
  out[o + 2] = p.sA + p.kAm * m + p.kAd * d - p.muA * a;
  out[o + 3] = (p.kDm * m) / (1 + m) - p.muD * d;
}

/**
 * Advance y in place over `dt` hours with classic RK4 in `substeps` equal steps, then apply SepsiSim's
 * end-of-step clipping (all >= 0, B <= bMax, D <= 1). Allocation-free: `work` holds the stages.
 */
export function inflammationStep(
  y: Float64Array,
  p: InflammationParams,
  alpha: number,
  dt: number,
  substeps: number,
  work: Float64Array,
): void {
  const h = dt / substeps;
  const h2 = h / 2;
  let b = y[IB]!;
  let m = y[IM]!;
  let a = y[IA]!;
  let d = y[ID]!;
  for (let i = 0; i < substeps; i++) {
    deriv(b, m, a, d, p, alpha, work, 0);
    deriv(b + h2 * work[0]!, m + h2 * work[1]!, a + h2 * work[2]!, d + h2 * work[3]!, p, alpha, work, 4);
    deriv(b + h2 * work[4]!, m + h2 * work[5]!, a + h2 * work[6]!, d + h2 * work[7]!, p, alpha, work, 8);
    deriv(b + h * work[8]!, m + h * work[9]!, a + h * work[10]!, d + h * work[11]!, p, alpha, work, 12);
    const h6 = h / 6;
    b += h6 * (work[0]! + 2 * work[4]! + 2 * work[8]! + work[12]!);
    m += h6 * (work[1]! + 2 * work[5]! + 2 * work[9]! + work[13]!);
    a += h6 * (work[2]! + 2 * work[6]! + 2 * work[10]! + work[14]!);
    d += h6 * (work[3]! + 2 * work[7]! + 2 * work[11]! + work[15]!);
  }
  y[IB] = Math.min(Math.max(b, 0), p.bMax);
  y[IM] = Math.max(m, 0);
  y[IA] = Math.max(a, 0);
  y[ID] = Math.min(Math.max(d, 0), 1);
}

/** Initial state for a bacterial load already scaled by its random factor. */
export function inflammationReset(y: Float64Array, p: InflammationParams, scaledLoad: number): void {
  y[IB] = Math.min(Math.max(scaledLoad, 0.01), p.bMax);
  y[IM] = p.sM / p.muM;
  y[IA] = p.sA / p.muA;
  y[ID] = 0;
}
