import type { ChainSpace, RowShape, Split } from "./chain-space.js";

/** The restricted rows as far as the in-place split needs them (see RestrictedRows). */
interface Rows {
  readonly states: Int32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
  readonly space?: ChainSpace | undefined;
}

/**
 * The Gauss-Seidel split over the chain's own entries, when they live in a chain space not yet claimed and
 * the system is the chain's first `n` states in order with ascending rows: then in row i the entries below i
 * are the lower half, the diagonal follows, then the upper half, then the columns outside the system (all
 * >= n), so each half is a range of the row and nothing is copied. The diagonal and the row shape are summed
 * in the order the copying split uses, so both give the same numbers to the bit. Null when not applicable.
 */
export function inPlaceSplit(p: Rows, g: number, m: number): Split | null {
  const cs = p.space;
  if (cs === undefined || cs.claimed || m > cs.restart) return null;
  const { states, start, end, col, val } = p;
  const n = states.length;
  const { kernels, at, view } = cs.space;
  if (col.buffer !== view.col.buffer || col.byteOffset !== view.col.byteOffset) return null;
  if (val.buffer !== view.val.buffer || val.byteOffset !== view.val.byteOffset) return null;
  for (let i = 0; i < n; i++) if (states[i] !== i) return null;
  cs.claimed = true;
  const { llo, lhi, ulo, uhi, diag, invDiag } = view;
  let maxDiagonal = 0;
  let maxOffDiagonal = 0;
  let maxRowLength = 0;
  for (let i = 0; i < n; i++) {
    let k = start[i]!;
    const stop = end[i]!;
    let off = 0;
    let leaving = 0;
    maxRowLength = Math.max(maxRowLength, stop - k);
    llo[i] = k;
    for (; k < stop && col[k]! < i; k++) {
      off += g * val[k]!;
      leaving += val[k]!;
    }
    lhi[i] = k;
    const selfLoop = k < stop && col[k] === i;
    if (selfLoop) k++;
    ulo[i] = k;
    for (; k < stop && col[k]! < n; k++) {
      off += g * val[k]!;
      leaving += val[k]!;
    }
    uhi[i] = k;
    for (; k < stop; k++) leaving += val[k]!;
    const d = selfLoop ? 1 - g + g * leaving : 1;
    diag[i] = d;
    invDiag[i] = 1 / d;
    maxDiagonal = Math.max(maxDiagonal, d);
    maxOffDiagonal = Math.max(maxOffDiagonal, off);
  }
  const shape: RowShape = { maxDiagonal, maxOffDiagonal, maxRowLength };
  return {
    kernels,
    at: { ...at, lcol: at.col, lval: at.val, ucol: at.col, uval: at.val },
    view: {
      invDiag: invDiag.subarray(0, n),
      b: view.b.subarray(0, n),
      v: view.v.subarray(0, n),
      z: view.z.subarray(0, n),
      y: view.y.subarray(0, n),
      basis: view.basis.subarray(0, (m + 1) * n),
      h: view.h,
    },
    shape,
  };
}
