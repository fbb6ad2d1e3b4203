import {
  basisVectors,
  type ChainSpace,
  type RowShape,
  residualPass,
  type Split,
  vectorLayout,
} from "./chain-space.js";
import { type DiagonalWorkspace, diagonalWorkspace } from "./diagonal-workspace.js";
import type { KrylovWorkspace } from "./gmres.js";
import { inPlaceSplit } from "./in-place-split.js";
import { reusableKrylovSpace } from "./krylov-kernels.js";

export type { RowShape };

/**
 * The rows of a chain restricted to a subset of its states, without copying: system row i is the entries
 * [start[s], end[s]) of col / val for s = states[i], and chain column c maps to system column `local[c]`
 * (-1: outside the system, dropped).
 */
export interface RestrictedRows {
  readonly states: Int32Array;
  readonly local: Int32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
  /** Kernel memory the chain's entries live in, when they do (see chain-space.ts). */
  readonly space?: ChainSpace | undefined;
}

/**
 * The policy-evaluation system A = I - g P with a symmetric Gauss-Seidel preconditioner, ready for GMRES.
 * A = D - L - U with D its diagonal and L, U the strictly lower and upper parts of g P, each in its own CSR
 * so a triangular pass reads only what it needs. The preconditioner is split, M1 = D - L on the left and
 * M2 = D^-1 (D - U) on the right, and Eisenstat's trick applies M1^-1 A M2^-1 with one backward pass over U
 * and one forward pass over L: every entry of P is read once per GMRES iteration, the cost of a plain
 * product with A. Measured on ICU-Sepsis policy chains: 14 iterations to 1e-14 against 19 with one-sided
 * Gauss-Seidel, and about 50 without a preconditioner.
 *
 * The matrices and the Krylov basis live in a WebAssembly kernel space (see krylov-kernels.wat): GMRES
 * spends nearly all its time in these passes and the Gram-Schmidt step, which run about three times faster
 * there than as JavaScript over typed arrays (ICU-Sepsis optimal policy: 1.3 ns per entry against 3 to 3.7).
 */
export interface GaussSeidelSystem extends KrylovWorkspace {
  /** M1^-1 b: the right-hand side GMRES works on. */
  prepare(b: Float64Array): Float64Array;
  /** x = M2^-1 y: the solution of A x = b from GMRES's solution y. */
  recover(y: Float64Array): Float64Array;
  /** out = b - A x; returns its 2-norm (the true residual, which GMRES's preconditioned one only bounds). */
  residual(x: Float64Array, b: Float64Array, out: Float64Array): number;
  /** Row shape for a cheap bound on a residual's rounding (see restricted-solve.ts). */
  readonly shape: RowShape;
  /** The same system for GMRES preconditioned by the diagonal alone, over the same arrays. */
  diagonal(): DiagonalWorkspace;
  /** Hands the split's memory on to the next system (when it has its own): the system is not used after. */
  release(): void;
}

export function gaussSeidelSystem(p: RestrictedRows, g: number, restart = 80): GaussSeidelSystem {
  const n = p.states.length;
  const m = Math.min(restart, n);
  const inPlace = inPlaceSplit(p, g, m);
  const copied = inPlace === null ? copiedSplit(p, g, m) : null;
  const split = inPlace ?? copied!;
  const { kernels, at, view, shape } = split;
  const vectors = basisVectors(split, n, m);
  const stride = 8 * n;
  const operator = (from: number, to: number): void =>
    kernels.ssorOperator(
      n,
      at.llo,
      at.lhi,
      at.lcol,
      at.lval,
      at.invDiag,
      at.ulo,
      at.uhi,
      at.ucol,
      at.uval,
      from,
      at.z,
      to,
      g,
    );
  return {
    n,
    shape,
    restart: m,
    coefficients: view.h,
    vector: (i) => vectors[i]!,
    applyToBasis: (j) => operator(at.basis + j * stride, at.basis + (j + 1) * stride),
    arnoldi: (j) => kernels.arnoldi(n, at.basis, j, at.h),
    diagonal: () => diagonalWorkspace(split, n, m, g),
    // An in-place split lives in the chain's memory, which the chain's builder releases.
    release: () => copied?.release(),
    apply(x, out) {
      view.v.set(x);
      operator(at.v, at.y);
      out.set(view.y);
    },
    prepare(b) {
      view.v.set(b);
      kernels.forwardSolve(n, at.llo, at.lhi, at.lcol, at.lval, at.invDiag, at.v, at.y, g);
      return view.y.slice();
    },
    recover(y) {
      view.v.set(y);
      kernels.backwardSolveScaled(n, at.ulo, at.uhi, at.ucol, at.uval, at.invDiag, at.v, at.y, g);
      return view.y.slice();
    },
    residual(x, b, out) {
      view.v.set(x);
      view.b.set(b);
      const norm = residualPass(split, n, at.v, at.b, at.y, g);
      out.set(view.y);
      return norm;
    },
  };
}

/** Both halves copied into a kernel space of their own, each row's entries back to back (CSR). */
function copiedSplit(p: RestrictedRows, g: number, m: number): Split & { release(): void } {
  const n = p.states.length;
  const { nLower, nUpper } = countSplit(p);
  const { kernels, at, view, release } = reusableKrylovSpace(
    {
      lptr: { type: "i32", length: n + 1 },
      lcol: { type: "i32", length: nLower },
      lval: { type: "f64", length: nLower },
      uptr: { type: "i32", length: n + 1 },
      ucol: { type: "i32", length: nUpper },
      uval: { type: "f64", length: nUpper },
      ...vectorLayout(n, m),
    },
    // Written in full by fillSplit, or (the basis) by GMRES before it is read.
    new Set(["lcol", "lval", "ucol", "uval", "basis"] as const),
  );
  const shape = fillSplit(p, g, view);
  // Row i of a CSR half runs from ptr[i] to ptr[i + 1]: the same array read one element further on.
  return {
    kernels,
    at: { ...at, llo: at.lptr, lhi: at.lptr + 4, ulo: at.uptr, uhi: at.uptr + 4 },
    view,
    shape,
    release,
  };
}

/**
 * Entries below and above the diagonal, counted by a read-only pass: sizing each half for every entry
 * instead would cost 12 more bytes per entry, a second copy of the matrix (1.2 GB at 10^8 entries).
 */
function countSplit(p: RestrictedRows): { nLower: number; nUpper: number } {
  const { states, local, start, end: stop, col } = p;
  let nLower = 0;
  let nUpper = 0;
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    for (let k = start[s]!, end = stop[s]!; k < end; k++) {
      const j = local[col[k]!]!;
      if (j < 0) continue;
      if (j < i) nLower++;
      else if (j > i) nUpper++;
    }
  }
  return { nLower, nUpper };
}

function fillSplit(
  p: RestrictedRows,
  g: number,
  view: {
    lptr: Int32Array;
    lcol: Int32Array;
    lval: Float64Array;
    uptr: Int32Array;
    ucol: Int32Array;
    uval: Float64Array;
    diag: Float64Array;
    invDiag: Float64Array;
  },
): RowShape {
  const { lptr, lcol, lval, uptr, ucol, uval, diag, invDiag } = view;
  let maxDiagonal = 0;
  let maxOffDiagonal = 0;
  let maxRowLength = 0;
  const { states, local, start, end: stop, col, val } = p;
  let kl = 0;
  let ku = 0;
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    let selfLoop = false;
    let off = 0;
    // Summed in diagonalOf's order, so both give the same diagonal to the bit.
    let leaving = 0;
    maxRowLength = Math.max(maxRowLength, stop[s]! - start[s]!);
    for (let k = start[s]!, end = stop[s]!; k < end; k++) {
      if (col[k] !== s) leaving += val[k]!;
      const j = local[col[k]!]!;
      if (j < 0) continue;
      const w = g * val[k]!;
      if (j !== i) off += w;
      if (j < i) {
        lcol[kl] = j;
        lval[kl++] = val[k]!;
      } else if (j > i) {
        ucol[ku] = j;
        uval[ku++] = val[k]!;
      } else selfLoop = true;
    }
    const d = selfLoop ? 1 - g + g * leaving : 1;
    // The triangular passes multiply by 1 / D: a division would sit on their dependency chains.
    diag[i] = d;
    invDiag[i] = 1 / d;
    maxDiagonal = Math.max(maxDiagonal, d);
    maxOffDiagonal = Math.max(maxOffDiagonal, off);
    lptr[i + 1] = kl;
    uptr[i + 1] = ku;
  }
  return { maxDiagonal, maxOffDiagonal, maxRowLength };
}

/**
 * 1 - g P(s, s) as (1 - g) + g * (sum of the row's other entries): the same number when the row sums to 1,
 * but without the cancellation of 1 - P(s, s) when the self-loop is close to 1 (a loop of 1 - 1e-12 would
 * keep only about four correct digits of its exit probability).
 */
export function diagonalOf(
  p: {
    readonly start: Int32Array;
    readonly end: Int32Array;
    readonly col: Int32Array;
    readonly val: Float64Array;
  },
  s: number,
  g: number,
): number {
  let off = 0;
  for (let k = p.start[s]!; k < p.end[s]!; k++) if (p.col[k] !== s) off += p.val[k]!;
  return 1 - g + g * off;
}
