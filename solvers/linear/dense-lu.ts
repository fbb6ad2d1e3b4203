import { UsageError } from "../../src/core/errors.js";

/**
 * Solve A x = b for several right-hand sides by Gaussian elimination with partial pivoting.
 * `a` is n*n row-major and is overwritten; each rhs is solved in place. O(n^3): the fallback path.
 */
export function denseSolveInPlace(a: Float64Array, n: number, rhs: Float64Array[]): void {
  for (let c = 0; c < n; c++) {
    let piv = c;
    let best = Math.abs(a[c * n + c]!);
    for (let r = c + 1; r < n; r++) {
      const v = Math.abs(a[r * n + c]!);
      if (v > best) {
        best = v;
        piv = r;
      }
    }
    if (best < 1e-300) throw new UsageError("the policy-evaluation system is singular");
    if (piv !== c) {
      for (let j = 0; j < n; j++) {
        const t = a[c * n + j]!;
        a[c * n + j] = a[piv * n + j]!;
        a[piv * n + j] = t;
      }
      for (const b of rhs) {
        const t = b[c]!;
        b[c] = b[piv]!;
        b[piv] = t;
      }
    }
    const d = a[c * n + c]!;
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c]! / d;
      if (f === 0) continue;
      a[r * n + c] = 0;
      for (let j = c + 1; j < n; j++) a[r * n + j] = a[r * n + j]! - f * a[c * n + j]!;
      for (const b of rhs) b[r] = b[r]! - f * b[c]!;
    }
  }
  for (const b of rhs) {
    for (let r = n - 1; r >= 0; r--) {
      let acc = b[r]!;
      for (let j = r + 1; j < n; j++) acc -= a[r * n + j]! * b[j]!;
      b[r] = acc / a[r * n + r]!;
    }
  }
}
