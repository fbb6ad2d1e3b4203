/**
 * Streaming reader for the big transition matrix: bytes -> CSR, with every cell and row checked.
 *
 * Why not csv-parse here: it builds a string per cell (12.8 M of them), and on the 77 MB ICU-Sepsis table
 * (17900 x 716) its stream API plus Number() per cell took 8.3 s, against 0.5-0.7 s for this tokenizer
 * including gunzip (both measured on a busy 2-core machine; see bench/io.ts). Most cells are "0.0", skipped
 * here without making a string.
 */
import type { Readable } from "node:stream";
import { InputError } from "../core/errors.js";
import { describeBadNumber, scanDecimal, scanEnd } from "./number.js";
import { offOne, type ProblemSink, report, showSum } from "./problems.js";
import { openByteStream } from "./source.js";

export interface CsrMatrix {
  readonly nRows: number;
  readonly width: number;
  readonly rowPtr: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
  /** max over rows of |sum - 1| (rows with bad cells left out). */
  readonly maxRowSumDeviation: number;
}

export interface MatrixReadOptions {
  /** Name used in messages. */
  readonly file: string;
  /** Expected number of columns; null: take it from the first row. */
  readonly width: number | null;
  /** Where the width came from, for messages ("S = 716 from initialStateDistribution.csv"). */
  readonly widthSource?: string;
  readonly tolerance: number;
  readonly sink: ProblemSink;
  /** Labels row r in messages once the row count is known (e.g. "(s=3, a=7)"). */
  readonly rowLabel?: (row: number, nRows: number) => string;
}

const NL = 10;
const CR = 13;
const COMMA = 44;
const DOT = 46;
const ZERO = 48;
/** Row-sum problems wait until the row count (hence A) is known; keep only this many. */
const MAX_PENDING = 1000;

/** Read a row-stochastic matrix (every row sums to 1) into CSR, reporting problems to `o.sink`. */
export async function readStochasticCsr(path: string, o: MatrixReadOptions): Promise<CsrMatrix> {
  let width = o.width;
  let rowPtr = new Int32Array(1 << 12);
  let col = new Int32Array(1 << 16);
  let val = new Float64Array(1 << 16);
  let nnz = 0;
  let nRows = 0;
  let line = 0;
  let blankLine = 0;
  let maxDev = 0;
  const pending: { row: number; line: number; sum: number }[] = [];
  const bad = (ln: number, c: number | null, why: string): void => report(o.sink, o.file, ln, c, why);

  const push = (c: number, v: number): void => {
    if (nnz === col.length) {
      const c2 = new Int32Array(nnz * 2);
      c2.set(col);
      col = c2;
      const v2 = new Float64Array(nnz * 2);
      v2.set(val);
      val = v2;
    }
    col[nnz] = c;
    val[nnz] = v;
    nnz++;
  };

  const endRow = (ln: number, fields: number, cellProblems: boolean, sum: number): void => {
    if (width === null) width = fields;
    else if (fields !== width) {
      const where = fields > width ? width + 1 : fields + 1;
      const from = o.widthSource ? ` (${o.widthSource})` : "";
      bad(ln, where, `ragged row: ${fields} fields, expected ${width}${from}`);
      cellProblems = true;
    }
    nRows++;
    if (nRows + 1 > rowPtr.length) {
      const r2 = new Int32Array(rowPtr.length * 2);
      r2.set(rowPtr);
      rowPtr = r2;
    }
    rowPtr[nRows] = nnz;
    if (cellProblems) return;
    const dev = Math.abs(sum - 1);
    if (dev > maxDev || Number.isNaN(dev)) maxDev = dev;
    if (offOne(sum, o.tolerance) && pending.length < MAX_PENDING)
      pending.push({ row: nRows - 1, line: ln, sum });
  };

  /** Parse the complete lines in b[0, end); the last may lack its newline only at end of file. */
  const parseLines = (b: Buffer, end: number): void => {
    let p = 0;
    while (p < end && !o.sink.full) {
      line++;
      if (b[p] === NL || (b[p] === CR && b[p + 1] === NL)) {
        if (blankLine === 0) blankLine = line;
        p += b[p] === NL ? 1 : 2;
        continue;
      }
      if (blankLine !== 0) {
        bad(blankLine, 1, "blank line inside the data, expected a row of numbers");
        blankLine = 0;
      }
      let fields = 0;
      let sum = 0;
      let comp = 0;
      let cellProblems = false;
      for (;;) {
        // Most cells are "0.0": skip them before any scanning.
        if (b[p] === ZERO && b[p + 1] === DOT && b[p + 2] === ZERO && b[p + 3] === COMMA) {
          p += 4;
          fields++;
          continue;
        }
        fields++;
        const v = scanDecimal(b, p, end);
        let q = scanEnd();
        let ch = q < end ? b[q]! : NL;
        if (ch === CR && (q + 1 >= end || b[q + 1] === NL)) ch = NL;
        if ((ch === COMMA || ch === NL) && v >= 0 && v !== Number.POSITIVE_INFINITY) {
          if (v !== 0 && (width === null || fields <= width)) {
            push(fields - 1, v);
            const t = sum + v; // Neumaier: the deviation reported is that of the stored values
            comp += Math.abs(sum) >= v ? sum - t + v : v - t + sum;
            sum = t;
          }
        } else {
          // Not a clean cell: find its end, then say what is wrong with it.
          while (q < end && b[q] !== COMMA && b[q] !== NL) q++;
          ch = q < end ? b[q]! : NL;
          const fe = ch === NL && q > p && b[q - 1] === CR ? q - 1 : q;
          const text = b.toString("latin1", p, fe);
          const why =
            v < 0 && scanEnd() === fe
              ? `negative probability ${text}, expected >= 0`
              : describeBadNumber(text);
          if (width === null || fields <= width) bad(line, fields, why);
          cellProblems = true;
        }
        if (ch === NL) {
          p = b[q] === CR ? q + 2 : q + 1;
          break;
        }
        p = q + 1;
      }
      endRow(line, fields, cellProblems, sum + comp);
    }
  };

  const stream: Readable = openByteStream(path);
  try {
    let carry: Buffer | null = null;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const b: Buffer = carry === null ? chunk : Buffer.concat([carry, chunk]);
      const lastNl = b.lastIndexOf(NL);
      if (lastNl < 0) {
        carry = b;
        continue;
      }
      parseLines(b, lastNl + 1);
      carry = lastNl + 1 < b.length ? Buffer.from(b.subarray(lastNl + 1)) : null;
      if (o.sink.full) break;
    }
    if (carry !== null && !o.sink.full) parseLines(carry, carry.length);
  } catch (e) {
    if (e instanceof InputError) throw e;
    report(o.sink, o.file, null, null, `cannot read: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    stream.destroy();
  }
  if (nRows === 0 && !o.sink.full) report(o.sink, o.file, null, null, "empty file, expected rows of numbers");
  for (const p of pending) {
    const label = o.rowLabel ? ` ${o.rowLabel(p.row, nRows)}` : "";
    bad(p.line, 1, `row${label} sums to ${showSum(p.sum)}, expected 1 within tolerance ${o.tolerance}`);
  }
  return {
    nRows,
    width: width ?? 0,
    rowPtr: rowPtr.slice(0, nRows + 1),
    col: col.slice(0, nnz),
    val: val.slice(0, nnz),
    maxRowSumDeviation: maxDev,
  };
}
