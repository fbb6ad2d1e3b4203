import { basisVectors, residualPass, type Split } from "./chain-space.js";
import type { KrylovWorkspace } from "./gmres.js";

/**
 * GMRES over A D^-1 (A = I - gP, D its diagonal), on the arrays of a Gauss-Seidel split: the solution of
 * A x = b is x = D^-1 y for the y GMRES finds, and GMRES's residual is the true one. Why beside the
 * Gauss-Seidel operator: that one reads every entry through two triangular passes, each a chain of
 * dependent rows, and costs about two plain products per iteration; on chains that mix quickly (many
 * successors per state, as in large random or clustered MDPs) it saves no iterations, so the plain product
 * is the cheaper operator there (see restricted-solve.ts for how the two are chosen).
 */
export interface DiagonalWorkspace extends KrylovWorkspace {
  /** x = D^-1 y. */
  recover(y: Float64Array): Float64Array;
}

export function diagonalWorkspace(split: Split, n: number, m: number, g: number): DiagonalWorkspace {
  const { kernels, at, view } = split;
  const { invDiag, b, z } = view;
  const vectors = basisVectors(split, n, m);
  const stride = 8 * n;
  /** out = A D^-1 from: the residual pass with a zero right-hand side gives -A z for z = D^-1 from. */
  const operator = (from: Float64Array, out: number, outView: Float64Array): void => {
    for (let i = 0; i < n; i++) z[i] = invDiag[i]! * from[i]!;
    b.fill(0);
    residualPass(split, n, at.z, at.b, out, g);
    for (let i = 0; i < n; i++) outView[i] = -outView[i]!;
  };
  return {
    n,
    restart: m,
    coefficients: view.h,
    vector: (i) => vectors[i]!,
    applyToBasis: (j) => operator(vectors[j]!, at.basis + (j + 1) * stride, vectors[j + 1]!),
    arnoldi: (j) => kernels.arnoldi(n, at.basis, j, at.h),
    apply(x, out) {
      view.v.set(x);
      operator(view.v, at.y, view.y);
      out.set(view.y);
    },
    recover(y) {
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) x[i] = invDiag[i]! * y[i]!;
      return x;
    },
  };
}
