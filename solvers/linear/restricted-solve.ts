import { UsageError } from "../../src/core/errors.js";
import { coarseResidualBound, residualBounds, residualErrorBound } from "./error-bound.js";
import { type GaussSeidelSystem, gaussSeidelSystem, type RestrictedRows } from "./gauss-seidel-system.js";
import { gmres } from "./gmres.js";
import { gthSolve } from "./gth-solve.js";
import type { PolicyChain } from "./policy-chain.js";

/** Systems this small go straight to the direct solver. */
const DENSE_BELOW = 64;
/** Beyond this size the O(n^3) direct fallback would take minutes: report instead of hanging. */
const DENSE_UP_TO = 4000;
/** A large system's GMRES that stalls within this factor of its target returns what it reached. */
const STALL_ACCEPTED = 1000;
/** From this size a solve first tries the diagonal preconditioner (see diagonalFirst). */
const PROBE_FROM = 4_000;
/** Iterations the diagonal preconditioner may take before Gauss-Seidel is surely the cheaper one. */
const PROBE_BUDGET = 40;

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
  /**
   * Solve, then bound the error: ||x - x*||_inf <= ||A^-1||_inf * (||b - A x||_inf plus the rounding of that
   * residual's own evaluation), with ||A^-1||_inf the largest solution of A l = 1 (see inverseNorm). When
   * the bound exceeds `target` the system is solved again by state elimination (see gthSolve), which
   * needs no subtraction and so stays accurate on near-improper chains; the better of the two is returned.
   */
  solveWithBound(b: (s: number) => number, target?: number): BoundedSolution;
  /** ||(I - gP)^-1||_inf (an upper bound from the computed solution of A l = 1), solved once. */
  inverseNorm(): number;
  /** The solution l of A l = 1 behind inverseNorm: expected (discounted) steps spent in the system. */
  ones(): Float64Array;
  /** Hands the solver's memory on to the next system; nothing may be solved after (results stay valid). */
  release(): void;
}

export interface BoundedSolution {
  readonly x: Float64Array;
  /** A bound on max_s |x(s) - x*(s)|; Infinity when none could be established. */
  readonly errorBound: number;
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
  const rows = {
    states,
    local,
    start: chain.start,
    end: chain.end,
    col: chain.col,
    val: chain.val,
    space: chain.space,
  };
  let system: GaussSeidelSystem | null = null;
  const gs = (): GaussSeidelSystem => (system ??= gaussSeidelSystem(rows, g));
  const gather = (b: (s: number) => number): Float64Array => {
    const rhs = new Float64Array(size);
    for (let i = 0; i < size; i++) rhs[i] = b(states[i]!);
    return rhs;
  };
  const scatter = (xLocal: Float64Array): Float64Array => {
    const x = new Float64Array(n);
    for (let i = 0; i < size; i++) x[states[i]!] = xLocal[i]!;
    return x;
  };
  /** Solve, then bound the residual: cheaply when GMRES ran, by a pass over the rows when that misses. */
  const solveBounded = (
    rhs: Float64Array,
    relTol: number,
    target: number,
  ): { x: Float64Array; rho: number } => {
    const r = solve(rows, g, rhs, relTol, gs);
    if (system !== null && Number.isFinite(r.residual2)) {
      const rho = coarseResidualBound(r.residual2, system.shape, rhs, r.x);
      if (rho <= target) return { x: r.x, rho };
    }
    return { x: r.x, rho: residualErrorBound(rows, g, rhs, r.x) };
  };
  let onesSolution: { x: Float64Array; norm: number } | null = null;
  const ones = (): { x: Float64Array; norm: number } => {
    if (onesSolution === null) {
      // The length solve's own residual bounds its relative error (||A^-1||_inf is its largest entry), so
      // 1e-13 suffices; asking for less makes GMRES stall at the rounding floor of these larger solutions.
      const rhs = new Float64Array(size).fill(1);
      let { x, rho } = solveBounded(rhs, 1e-13, 1e-3);
      if (!(rho < 1) && size <= DENSE_UP_TO) {
        x = gthSolve(rows, g, [rhs])[0]!;
        rho = residualErrorBound(rows, g, rhs, x);
      }
      onesSolution = { x: scatter(x), norm: inverseNormFrom(x, rho) };
    }
    return onesSolution;
  };
  return {
    size,
    solve: (b, relTol = 1e-14) => scatter(solve(rows, g, gather(b), relTol, gs).x),
    solveWithBound(b, target = 1e-10) {
      const rhs = gather(b);
      const norm = ones().norm;
      let { x, rho } = solveBounded(rhs, 1e-14, target / norm);
      let errorBound = norm * rho;
      if (!(errorBound <= target) && size <= DENSE_UP_TO && size >= DENSE_BELOW) {
        const direct = gthSolve(rows, g, [rhs])[0]!;
        const directBound = norm * residualErrorBound(rows, g, rhs, direct);
        if (!(directBound >= errorBound)) {
          x = direct;
          errorBound = directBound;
        }
      }
      if (!(errorBound <= target) && size <= DENSE_UP_TO) {
        // ||A^-1|| times the worst row overstates the error when large residuals sit on rows the slow
        // states rarely visit: A^-1 >= 0, so |x - x*| <= A^-1 rho row by row, solved by elimination (non-negative
        // data: relative error far below the factor 2 allowed for it).
        const spread = gthSolve(rows, g, [residualBounds(rows, g, rhs, x)])[0]!;
        let worst = 0;
        for (const e of spread) worst = Math.max(worst, e);
        errorBound = Math.min(errorBound, 2 * worst);
      }
      return { x: scatter(x), errorBound };
    },
    inverseNorm: () => ones().norm,
    ones: () => ones().x,
    release: () => system?.release(),
  };
}

/**
 * ||A^-1||_inf from a computed solution l of A l = 1: A^-1 >= 0, so the norm is max l*, and
 * max l* <= max l + ||A^-1||_inf * rho with rho the bound on ||1 - A l||_inf; hence max l / (1 - rho) when
 * rho < 1.
 */
function inverseNormFrom(l: Float64Array, rho: number): number {
  let max = 0;
  for (let i = 0; i < l.length; i++) max = Math.max(max, l[i]!);
  return rho < 1 ? max / (1 - rho) : Number.POSITIVE_INFINITY;
}

/** One-off solve of x = b + g P x on the states `include` selects (see restrictedSystem). */
export function solveRestricted(
  chain: PolicyChain,
  include: (s: number) => boolean,
  g: number,
  b: (s: number) => number,
): Float64Array {
  const system = restrictedSystem(chain, include, g);
  try {
    return system.solve(b);
  } finally {
    system.release();
  }
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
): { x: Float64Array; residual2: number } {
  const n = rhs.length;
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(rhs[i]!));
  if (norm === 0) return { x: new Float64Array(n), residual2: 0 };
  if (n >= DENSE_BELOW) {
    const sys = system();
    const tolerance = residualTarget(norm, n, g, relTol);
    if (n >= PROBE_FROM) {
      const probed = diagonalFirst(sys, rhs, tolerance);
      if (probed !== null) return probed;
    }
    // GMRES minimises the preconditioned residual M1^-1 (b - A x); the true one is checked after, and the
    // preconditioned target tightened by the observed ratio until it passes (once is usual).
    const bHat = sys.prepare(rhs);
    const r = new Float64Array(n);
    let target = tolerance;
    let y: Float64Array | undefined;
    let last = { residual: Number.NaN, iterations: 0 };
    // Large systems have no direct solve behind GMRES: once it stalls, the true residual decides.
    const stopOnStall = n > DENSE_UP_TO;
    for (let attempt = 0; attempt < 4; attempt++) {
      const g = gmres(sys, bHat, {
        tolerance: target,
        maxIterations: 2000,
        x0: y,
        stopOnStall,
        restartAtFloor: stopOnStall,
      });
      const x = sys.recover(g.x);
      const residual = sys.residual(x, rhs, r);
      if (residual <= tolerance) return { x, residual2: residual };
      last = { residual, iterations: last.iterations + g.iterations };
      if (!g.converged) {
        // Stalled just above a target below the rounding floor (gamma = 1, long episodes): the answer is
        // as good as double precision allows, and callers that bound errors bound this one from its residual.
        if (stopOnStall && residual <= STALL_ACCEPTED * tolerance) return { x, residual2: residual };
        break;
      }
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
  return { x: gthSolve(rows, g, [rhs])[0]!, residual2: Number.NaN };
}

/**
 * GMRES preconditioned by the diagonal alone, when it promises to finish within PROBE_BUDGET iterations;
 * null otherwise (the caller then solves with Gauss-Seidel from scratch). Why: a Gauss-Seidel iteration
 * costs about two plain ones (see diagonal-workspace.ts) and pays off only when it saves more than half the
 * iterations, as on slowly mixing chains; on quickly mixing ones both take about as many. From the sixth
 * iteration on, the mean reduction per iteration so far predicts the count needed; beyond the budget the
 * probe stops, having cost a few plain passes. Only large systems probe: small ones stay with one path.
 */
function diagonalFirst(
  sys: GaussSeidelSystem,
  rhs: Float64Array,
  tolerance: number,
): { x: Float64Array; residual2: number } | null {
  const ws = sys.diagonal();
  let start = 0;
  for (let i = 0; i < rhs.length; i++) start += rhs[i]! * rhs[i]!;
  start = Math.sqrt(start);
  const needed = Math.log(tolerance / start);
  let previous = Number.POSITIVE_INFINITY;
  const giveUp = (iterations: number, estimate: number): boolean => {
    // At the target but no longer halving: the rounding floor is near (gamma = 1 at 10^6 states puts the
    // target within a factor of two of it); the true residual, checked next, decides.
    const floor = estimate <= tolerance && estimate > 0.5 * previous;
    previous = estimate;
    const predicted = (iterations * needed) / Math.log(Math.max(estimate, Number.MIN_VALUE) / start);
    return floor || (iterations >= 6 && predicted > PROBE_BUDGET);
  };
  // The estimate is the true residual here but for rounding, and the true one is checked below: half the
  // tolerance suffices, where a tenth would spend iterations at the rounding floor of gamma = 1 systems.
  const run = gmres(ws, rhs, { tolerance, maxIterations: PROBE_BUDGET, giveUp, estimateFactor: 0.5 });
  if (!run.converged) return null;
  const x = ws.recover(run.x);
  const residual = sys.residual(x, rhs, new Float64Array(rhs.length));
  return residual <= tolerance ? { x, residual2: residual } : null;
}
