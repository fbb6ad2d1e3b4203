import { UsageError } from "../../src/core/errors.js";
import type { PolicyChain } from "../policy-matrix.js";
import { denseSolveInPlace } from "./dense-lu.js";
import { gmres } from "./gmres.js";
import { applyIMinusGP, type Csr, denseIMinusGP, gaussSeidelPreconditioner } from "./sparse.js";

/** Systems this small go straight to the direct solver. */
const DENSE_BELOW = 64;
/** Beyond this size the O(n^3) direct fallback would take minutes: report instead of hanging. */
const DENSE_UP_TO = 4000;

/**
 * Solve x = b + g P x on the states `include` selects, with x = 0 elsewhere (terminal or excluded states).
 * Exact when no included state can move into an excluded one with non-zero value, which callers guarantee
 * structurally. GMRES (Gauss-Seidel preconditioned) first; dense LU when the system is small or GMRES stalls.
 */
export function solveRestricted(
  chain: PolicyChain,
  include: (s: number) => boolean,
  g: number,
  b: (s: number) => number,
): Float64Array {
  const n = chain.nS;
  const local = new Int32Array(n).fill(-1);
  const states: number[] = [];
  for (let s = 0; s < n; s++) {
    if (include(s)) {
      local[s] = states.length;
      states.push(s);
    }
  }
  const csr = restrict(chain, states, local);
  const rhs = Float64Array.from(states, b);
  const xLocal = solve(csr, g, rhs);
  const x = new Float64Array(n);
  for (let i = 0; i < states.length; i++) x[states[i]!] = xLocal[i]!;
  return x;
}

function restrict(chain: PolicyChain, states: number[], local: Int32Array): Csr {
  const ptr = new Int32Array(states.length + 1);
  let nnz = 0;
  for (const s of states)
    for (let k = chain.ptr[s]!; k < chain.ptr[s + 1]!; k++) if (local[chain.col[k]!]! >= 0) nnz++;
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  nnz = 0;
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    for (let k = chain.ptr[s]!; k < chain.ptr[s + 1]!; k++) {
      const j = local[chain.col[k]!]!;
      if (j >= 0) {
        col[nnz] = j;
        val[nnz] = chain.val[k]!;
        nnz++;
      }
    }
    ptr[i + 1] = nnz;
  }
  return { n: states.length, ptr, col, val };
}

function solve(p: Csr, g: number, rhs: Float64Array): Float64Array {
  const n = p.n;
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(rhs[i]!));
  if (norm === 0) return new Float64Array(n);
  if (n >= DENSE_BELOW) {
    const r = gmres(n, (x, y) => applyIMinusGP(p, g, x, y), rhs, {
      tolerance: 1e-14 * norm * Math.sqrt(n),
      restart: 80,
      maxIterations: 2000,
      precondition: gaussSeidelPreconditioner(p, g),
    });
    if (r.converged) return r.x;
    if (n > DENSE_UP_TO) {
      throw new UsageError(
        `the policy-evaluation system (${n} states) did not converge: GMRES stopped at residual ` +
          `${r.residual.toExponential(2)} after ${r.iterations} iterations (the policy may end episodes extremely slowly; ` +
          "try gamma < 1)",
      );
    }
  }
  const x = rhs.slice();
  denseSolveInPlace(denseIMinusGP(p, g), n, [x]);
  return x;
}
