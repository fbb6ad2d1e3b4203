/**
 * CSR arrays filled row by row when the number of entries is not known in advance. Capacity doubles when
 * full; at the end the arrays are trimmed by a copy only when more than an eighth of them would be wasted, so a
 * good size hint means no transient second copy of the matrix.
 */
export class GrowingCsr {
  private rowPtr = new Int32Array(1 << 12);
  private col: Int32Array;
  private val: Float64Array;
  private nnz = 0;
  private rows = 0;

  constructor(entriesHint: number) {
    const n = Math.max(1 << 12, Math.min(entriesHint, 2 ** 30));
    this.col = new Int32Array(n);
    this.val = new Float64Array(n);
  }

  push(c: number, v: number): void {
    if (this.nnz === this.col.length) {
      const c2 = new Int32Array(this.nnz * 2);
      c2.set(this.col);
      this.col = c2;
      const v2 = new Float64Array(this.nnz * 2);
      v2.set(this.val);
      this.val = v2;
    }
    this.col[this.nnz] = c;
    this.val[this.nnz] = v;
    this.nnz++;
  }

  /** Close the current row (its entries are those pushed since the previous call). */
  endRow(): void {
    this.rows++;
    if (this.rows + 1 > this.rowPtr.length) {
      const r2 = new Int32Array(this.rowPtr.length * 2);
      r2.set(this.rowPtr);
      this.rowPtr = r2;
    }
    this.rowPtr[this.rows] = this.nnz;
  }

  finish(): { nRows: number; rowPtr: Int32Array; col: Int32Array; val: Float64Array } {
    return {
      nRows: this.rows,
      rowPtr: trim(this.rowPtr, this.rows + 1),
      col: trim(this.col, this.nnz),
      val: trim(this.val, this.nnz),
    };
  }
}

function trim<T extends Int32Array | Float64Array>(a: T, n: number): T {
  return (n * 8 >= a.length * 7 ? a.subarray(0, n) : a.slice(0, n)) as T;
}
