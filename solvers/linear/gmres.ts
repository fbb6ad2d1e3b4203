/**
 * Restarted GMRES (modified Gram-Schmidt, Givens rotations) for A x = b over a Krylov workspace that owns
 * the operator and the basis (see gauss-seidel-system.ts, where both live in WebAssembly memory).
 * Policy-evaluation systems I - gP are well conditioned when termination is fast and their spectrum is
 * clustered near 1, so a few dozen Krylov vectors reach machine precision (about 20 with a Gauss-Seidel
 * preconditioner): on ICU-Sepsis this is more than an order of magnitude faster than dense LU (n = 713).
 */
export interface KrylovWorkspace {
  readonly n: number;
  /** Largest basis size before a restart. */
  readonly restart: number;
  /** Basis vector i (a live view: writing it writes the basis). */
  vector(i: number): Float64Array;
  /** vector(j + 1) = A vector(j). */
  applyToBasis(j: number): void;
  /**
   * Orthonormalise vector(j + 1) against vector(0 .. j), leaving the coefficients in `coefficients`,
   * and return its norm before normalisation.
   */
  arnoldi(j: number): number;
  readonly coefficients: Float64Array;
  /** out = A x. */
  apply(x: Float64Array, out: Float64Array): void;
}

export interface GmresResult {
  readonly x: Float64Array;
  readonly residual: number;
  readonly iterations: number;
  readonly converged: boolean;
}

export function gmres(
  ws: KrylovWorkspace,
  b: Float64Array,
  options: {
    tolerance: number;
    maxIterations?: number;
    x0?: Float64Array;
    /**
     * The inner iterations end once GMRES's own residual estimate is below tolerance times this; default
     * 0.1, as rounding can leave the estimate below the true residual (checked after each cycle).
     */
    estimateFactor?: number;
    /**
     * Stop when a restart cycle does not halve the true residual: rounding keeps it there (the estimate
     * may claim convergence every cycle while the recomputed residual stays put). Default false.
     */
    stopOnStall?: boolean;
    /**
     * End a restart cycle early once the estimate, within 10 times the tolerance, fell by less than 10 % over
     * the last three iterations: it sits at its rounding floor, which near a tight target may lie above
     * tolerance times estimateFactor, and the cycle would run its full length (up to 80 iterations, each
     * dearer than the last) for nothing. The true residual, computed at the cycle's end, then decides; with
     * stopOnStall, a cycle that does not halve it ends the solve. Default false.
     */
    restartAtFloor?: boolean;
    /** Asked after each iteration with the count and GMRES's residual estimate: true stops the solve. */
    giveUp?: (iterations: number, estimate: number) => boolean;
  },
): GmresResult {
  const { n } = ws;
  const m = Math.min(ws.restart, n);
  const maxIt = options.maxIterations ?? 20 * m;
  const x = options.x0 ? options.x0.slice() : new Float64Array(n);
  const h = new Float64Array((m + 1) * m); // h[i*m + j]
  const cs = new Float64Array(m);
  const sn = new Float64Array(m);
  const g = new Float64Array(m + 1);
  const w = new Float64Array(n);
  const y = new Float64Array(m);
  let it = 0;
  let gaveUp = false;
  const estimateFactor = options.estimateFactor ?? 0.1;
  let res = residualInto(ws, b, x, w);
  while (res > options.tolerance && it < maxIt) {
    const cycleStart = res;
    const v0 = ws.vector(0);
    for (let i = 0; i < n; i++) v0[i] = w[i]! / res;
    g.fill(0);
    g[0] = res;
    let j = 0;
    /** The estimates of the cycle's last three iterations, oldest first. */
    const recent = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    for (; j < m && it < maxIt; j++, it++) {
      ws.applyToBasis(j);
      const norm = ws.arnoldi(j);
      for (let i = 0; i <= j; i++) h[i * m + j] = ws.coefficients[i]!;
      h[(j + 1) * m + j] = norm;
      for (let i = 0; i < j; i++) {
        const a = h[i * m + j]!;
        const c = h[(i + 1) * m + j]!;
        h[i * m + j] = cs[i]! * a + sn[i]! * c;
        h[(i + 1) * m + j] = -sn[i]! * a + cs[i]! * c;
      }
      const a = h[j * m + j]!;
      const c = h[(j + 1) * m + j]!;
      const r = Math.hypot(a, c);
      cs[j] = r === 0 ? 1 : a / r;
      sn[j] = r === 0 ? 0 : c / r;
      h[j * m + j] = r;
      h[(j + 1) * m + j] = 0;
      g[j + 1] = -sn[j]! * g[j]!;
      g[j] = cs[j]! * g[j]!;
      const estimate = Math.abs(g[j + 1]!);
      const atFloor =
        options.restartAtFloor === true && estimate <= 10 * options.tolerance && estimate > 0.9 * recent[0]!;
      recent.shift();
      recent.push(estimate);
      if (estimate <= options.tolerance * estimateFactor || norm === 0 || atFloor) {
        j++;
        it++;
        break;
      }
      if (options.giveUp?.(it + 1, Math.abs(g[j + 1]!))) {
        gaveUp = true;
        j++;
        it++;
        break;
      }
    }
    // Back-substitute the small triangular system, then x += V y.
    for (let i = j - 1; i >= 0; i--) {
      let acc = g[i]!;
      for (let k = i + 1; k < j; k++) acc -= h[i * m + k]! * y[k]!;
      y[i] = acc / h[i * m + i]!;
    }
    for (let i = 0; i < j; i++) {
      const vi = ws.vector(i);
      const yi = y[i]!;
      for (let k = 0; k < n; k++) x[k] = x[k]! + yi * vi[k]!;
    }
    res = residualInto(ws, b, x, w);
    if (gaveUp || (options.stopOnStall === true && res > 0.5 * cycleStart)) break;
  }
  return { x, residual: res, iterations: it, converged: res <= options.tolerance };
}

/** w = b - A x; returns ||w||_2. */
function residualInto(ws: KrylovWorkspace, b: Float64Array, x: Float64Array, w: Float64Array): number {
  ws.apply(x, w);
  let s = 0;
  for (let i = 0; i < w.length; i++) {
    const d = b[i]! - w[i]!;
    w[i] = d;
    s += d * d;
  }
  return Math.sqrt(s);
}
