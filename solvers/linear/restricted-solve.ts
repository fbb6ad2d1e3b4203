import { UsageError } from "../../src/core/errors.js";
import { denseSolveInPlace } from "./dense-lu.js";
import { type GaussSeidelSystem, gaussSeidelSystem, type RestrictedRows } from "./gauss-seidel-system.js";
import { gmres } from "./gmres.js";
import type { PolicyChain } from "./policy-chain.js";

/** Systems this small go straight to the direct solver. */
const DENSE_BELOW = 64;
/** Beyond this size the O(n^3) direct fallback would take minutes: report instead of hanging. */
const DENSE_UP_TO = 4000;

/** The policy-evaluation system x = b + g P x over the states `include` selects, prepared once. */
export interface RestrictedSystem {
  /** Number of states in the system. */
  readonly size: number;
  /**
   * Solve for the right-hand side b(s), with x = 0 outside the system. GMRES stops when the residual
   * ||b - (I - gP) x||_2 is at most relTol * sqrt(n) * max|b|; since ||x - x*||_inf <= ||(I - gP)^-1||_inf
   * ||r||_inf, and that norm is the largest expected (discounted) episode length, this bounds the error.
   */
  solve(b: (s: number) => number, relTol?: number): Float64Array;
}

/**
 * Exact when no included state can move into an excluded one with non-zero value, which callers guarantee
 * structurally. GMRES (Gauss-Seidel preconditioned) first; dense LU when the system is small or GMRES stalls.
 */
export function restrictedSystem(
  chain: PolicyChain,
  include: (s: number) => boolean,
  g: number,
): RestrictedSystem {
  const n = chain.nS;
  const local = new Int32Array(n).fill(-1);
  let size = 0;
  for (let s = 0; s < n; s++) if (include(s)) local[s] = size++;
  const states = new Int32Array(size);
  for (let s = 0; s < n; s++) if (local[s]! >= 0) states[local[s]!] = s;
  const rows = { states, local, start: chain.start, end: chain.end, col: chain.col, val: chain.val };
  let system: GaussSeidelSystem | null = null;
  return {
    size,
    solve(b, relTol = 1e-14) {
      const rhs = new Float64Array(size);
      for (let i = 0; i < size; i++) rhs[i] = b(states[i]!);
      const xLocal = solve(rows, g, rhs, relTol, () => (system ??= gaussSeidelSystem(rows, g)));
      const x = new Float64Array(n);
      for (let i = 0; i < size; i++) x[states[i]!] = xLocal[i]!;
      return x;
    },
  };
}

/** One-off solve of x = b + g P x on the states `include` selects (see restrictedSystem). */
export function solveRestricted(
  chain: PolicyChain,
  include: (s: number) => boolean,
  g: number,
  b: (s: number) => number,
): Float64Array {
  return restrictedSystem(chain, include, g).solve(b);
}

/** Dense row-major I - g P over the restricted rows (for the direct fallback on small or hard systems). */
function denseIMinusGP(rows: RestrictedRows, g: number): Float64Array {
  const { states, local } = rows;
  const n = states.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = 1;
    const s = states[i]!;
    for (let k = rows.start[s]!; k < rows.end[s]!; k++) {
      const j = local[rows.col[k]!]!;
      if (j >= 0) a[i * n + j] = a[i * n + j]! - g * rows.val[k]!;
    }
  }
  return a;
}

/**
 * Relative residual below which rounding alone keeps GMRES from going: about eps * ||A|| * ||x|| with
 * ||A||_inf <= 1 + g and, under discount g < 1, ||x||_inf <= max|b| / (1 - g). A target below it cannot be
 * met; GMRES would spend its whole restart cycle at the floor (at g = 0.99 on random chains, 80 iterations
 * instead of 9). Under g = 1 there is no such bound and the caller's tolerance stands.
 */
function roundingFloor(g: number): number {
  return g < 1 ? (8 * Number.EPSILON * (1 + g)) / (1 - g) : 0;
}

/**
 * The 2-norm residual ||b - (I - gP) x|| a solve of n states accepts, given max|b|: relTol (default 1e-14)
 * times max|b| sqrt(n), but never below the rounding floor. Exported so comparisons can ask other solvers for
 * the same accuracy.
 */
export function residualTarget(maxAbsB: number, n: number, g: number, relTol = 1e-14): number {
  return Math.max(relTol, roundingFloor(g)) * maxAbsB * Math.sqrt(n);
}

function solve(
  rows: RestrictedRows,
  g: number,
  rhs: Float64Array,
  relTol: number,
  system: () => GaussSeidelSystem,
): Float64Array {
  const n = rhs.length;
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(rhs[i]!));
  if (norm === 0) return new Float64Array(n);
  if (n >= DENSE_BELOW) {
    const sys = system();
    const tolerance = residualTarget(norm, n, g, relTol);
    // GMRES minimises the preconditioned residual M1^-1 (b - A x); the true one is checked after, and the
    // preconditioned target tightened by the observed ratio until it passes (once is usual).
    const bHat = sys.prepare(rhs);
    const r = new Float64Array(n);
    let target = tolerance;
    let y: Float64Array | undefined;
    let last = { residual: Number.NaN, iterations: 0 };
    for (let attempt = 0; attempt < 4; attempt++) {
      const g = gmres(sys, bHat, { tolerance: target, maxIterations: 2000, x0: y });
      const x = sys.recover(g.x);
      const residual = sys.residual(x, rhs, r);
      if (residual <= tolerance) return x;
      last = { residual, iterations: last.iterations + g.iterations };
      if (!g.converged) break;
      target *= (0.5 * tolerance) / residual;
      y = g.x;
    }
    if (n > DENSE_UP_TO) {
      throw new UsageError(
        `the policy-evaluation system (${n} states) did not converge: GMRES stopped at residual ` +
          `${last.residual.toExponential(2)} after ${last.iterations} iterations (the policy may end episodes extremely slowly; ` +
          "try gamma < 1)",
      );
    }
  }
  const x = rhs.slice();
  denseSolveInPlace(denseIMinusGP(rows, g), n, [x]);
  return x;
}
