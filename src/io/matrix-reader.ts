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
import {
  type DecimalRowParser,
  decimalRowParser,
  ROWS_INPUT_BYTES,
  type StagedRows,
} from "./decimal-rows.js";
import { describeBadNumber, scanDecimal, scanEnd } from "./number.js";
import { offOne, type ProblemSink, report, showSum } from "./problems.js";
import { quote } from "./quote.js";
import { contentLength, LineTooLong, lineBlocks, MAX_CELL_BYTES, openByteStream } from "./source.js";

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
  /** Rows the file may have at most (S x A when A is declared); more is reported and stops the read. */
  readonly maxRows?: number;
}

/** Without a declared A, at most this many actions per state: bounds a file of valid rows that never ends. */
export const MAX_ACTIONS = 4096;
/** Stored non-zeros at most (12 bytes each): beyond any tabular MDP a TD learner or planner can use. */
export const MAX_NONZEROS = 2 ** 27;
/** A line with no break in this many bytes is refused when S is unknown (S known: S cells of MAX_CELL_BYTES). */
const LINE_CAP_UNKNOWN_WIDTH = 16 * 1024 * 1024;

const NL = 10;
const CR = 13;
const COMMA = 44;
const DOT = 46;
const ZERO = 48;
/** Room for this many non-zeros at first (768 KB), before the table's density is known. */
const FIRST_CAPACITY = 1 << 16;
/** Row-sum problems wait until the row count (hence A) is known; keep only this many. */
const MAX_PENDING = 1000;

/** Read a row-stochastic matrix (every row sums to 1) into CSR, reporting problems to `o.sink`. */
export async function readStochasticCsr(path: string, o: MatrixReadOptions): Promise<CsrMatrix> {
  let width = o.width;
  let rowPtr = new Int32Array(1 << 12);
  let col = new Int32Array(FIRST_CAPACITY);
  let val = new Float64Array(FIRST_CAPACITY);
  let nnz = 0;
  /** Bytes of the table before the piece being parsed, and the whole table's (for sizing the arrays). */
  let bytesBefore = 0;
  const bytesTotal = await contentLength(path);
  let nRows = 0;
  let line = 0;
  let blankLine = 0;
  let maxDev = 0;
  const pending: { row: number; line: number; sum: number }[] = [];
  const bad = (ln: number, c: number | null, why: string): void => report(o.sink, o.file, ln, c, why);
  /** Set once later rows cannot make the file valid: a cap was passed, or the sink holds all it can. */
  let stopped = false;
  let stoppedEarly = false;
  const stop = (ln: number | null, why: string | null): void => {
    if (why !== null) report(o.sink, o.file, ln, ln === null ? null : 1, why);
    stopped = true;
    stoppedEarly = true;
  };

  /**
   * Room for the non-zeros of the whole table, extrapolated from those per byte seen so far (when the table's
   * length is known), so a table is usually sized once, after its first piece, and never trimmed: fresh
   * memory is costly to touch, and pages allocated but never written cost nothing.
   */
  const expectedNonZeros = (bytesSeen: number): number =>
    bytesTotal !== undefined && bytesSeen > 0 ? Math.ceil((nnz / bytesSeen) * bytesTotal * 1.05) : 0;
  const resize = (n: number): void => {
    const c2 = new Int32Array(n);
    c2.set(col.subarray(0, nnz));
    col = c2;
    const v2 = new Float64Array(n);
    v2.set(val.subarray(0, nnz));
    val = v2;
  };
  /** Room for more non-zeros (`at`: the position in the piece being parsed), or a stop at MAX_NONZEROS. */
  const grow = (at: number): boolean => {
    if (nnz === MAX_NONZEROS) {
      stop(line, `more than ${MAX_NONZEROS} non-zero probabilities: too large to load`);
      return false;
    }
    const guess = expectedNonZeros(bytesBefore + at) + FIRST_CAPACITY;
    resize(Math.min(MAX_NONZEROS, Math.max(guess, nnz + (nnz >> 1))));
    return true;
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
    const rowCap = o.maxRows ?? (width ?? 1) * MAX_ACTIONS;
    if (nRows > rowCap) {
      nRows--; // the extra row is not kept, so the shape read stays the declared one
      const why =
        o.maxRows === undefined
          ? `(${MAX_ACTIONS} actions per state at most)`
          : `(S x A = ${width} x ${rowCap / (width ?? 1)}, with A from metadata.json)`;
      stop(ln, `more than ${rowCap} rows ${why}; the rest of the file is not read`);
      return;
    }
    if (nRows + 1 > rowPtr.length) {
      const r2 = new Int32Array(rowPtr.length * 2);
      r2.set(rowPtr);
      rowPtr = r2;
    }
    rowPtr[nRows] = nnz;
    if (cellProblems) return;
    const dev = Math.abs(sum - 1);
    if (dev > maxDev || Number.isNaN(dev)) maxDev = dev;
    if (offOne(sum, o.tolerance) && pending.length < MAX_PENDING) {
      pending.push({ row: nRows - 1, line: ln, sum });
      // Later rows cannot undo a bad one: stop once the sink could not take another problem.
      if (pending.length >= o.sink.capacity - o.sink.problems.length) stop(null, null);
    }
  };

  /**
   * Parse the lines of one piece (whole lines; the last may lack its newline only at end of file). The
   * counters and arrays live in locals while the loop runs, written back before anything else reads them:
   * this loop sees every byte of the table.
   */
  const parseLines = (b: Buffer): void => {
    const end = b.length;
    let p = 0;
    let n = nnz;
    let cs = col;
    let vs = val;
    let limit = width ?? Number.MAX_SAFE_INTEGER;
    while (p < end && !o.sink.full && !stopped) {
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
        // Most cells are "0.0" (or "0"): skip them before any scanning.
        if (b[p] === ZERO) {
          if (b[p + 1] === DOT && b[p + 2] === ZERO && b[p + 3] === COMMA) {
            p += 4;
            fields++;
            continue;
          }
          if (b[p + 1] === COMMA) {
            p += 2;
            fields++;
            continue;
          }
        }
        fields++;
        const v = scanDecimal(b, p, end);
        let q = scanEnd();
        let ch = q < end ? b[q]! : NL;
        if (ch === CR && (q + 1 >= end || b[q + 1] === NL)) ch = NL;
        if ((ch === COMMA || ch === NL) && v >= 0 && v !== Number.POSITIVE_INFINITY) {
          if (v !== 0 && fields <= limit && !stopped) {
            if (n === cs.length) {
              nnz = n;
              if (grow(p)) {
                cs = col;
                vs = val;
              }
            }
            if (!stopped) {
              cs[n] = fields - 1;
              vs[n] = v;
              n++;
              const t = sum + v; // Neumaier: the deviation reported is that of the stored values
              comp += Math.abs(sum) >= v ? sum - t + v : v - t + sum;
              sum = t;
            }
          }
        } else {
          q = cellEnd(b, q, end);
          ch = q < end ? b[q]! : NL;
          if (fields <= limit) bad(line, fields, whyBad(b, p, q, end, v));
          cellProblems = true;
        }
        if (ch === NL) {
          p = b[q] === CR ? q + 2 : q + 1;
          break;
        }
        p = q + 1;
      }
      nnz = n;
      endRow(line, fields, cellProblems, sum + comp);
      limit = width ?? limit;
    }
    nnz = n;
  };

  /** Routes one line, b[at, its line feed], through parseLines; returns where the next line starts. */
  const oneLine = (b: Buffer, at: number): number => {
    const nl = b.indexOf(NL, at);
    const next = nl < 0 ? b.length : nl + 1;
    parseLines(b.subarray(at, next));
    return next;
  };
  /** Commits rows the WebAssembly parser staged, as parseLines would; false when they must go through it. */
  const commit = (r: StagedRows, at: number): boolean => {
    if (nnz + r.nonZeros > MAX_NONZEROS) return false; // parseLines reports the cap where it is reached
    while (nnz + r.nonZeros > col.length) grow(at);
    col.set(r.col.subarray(0, r.nonZeros), nnz);
    val.set(r.val.subarray(0, r.nonZeros), nnz);
    const base = nnz;
    for (let i = 0; i < r.rows && !o.sink.full && !stopped; i++) {
      line++;
      nnz = base + r.rowEnd[i]!;
      endRow(line, width!, false, r.rowSum[i]!);
    }
    return true;
  };
  let fast: DecimalRowParser | null = null;
  /**
   * Parses one piece of whole lines: rows that are plainly well-formed by the WebAssembly parser once the
   * width is known (see decimal-rows.ts: it gives the same values, sums and rows), everything else, and
   * every line before the width is known or after a blank line, by parseLines, which explains what is wrong.
   */
  const parsePiece = (b: Buffer): void => {
    let at = 0;
    while (at < b.length && !o.sink.full && !stopped) {
      if (width === null || blankLine !== 0) {
        at = oneLine(b, at);
        continue;
      }
      fast ??= decimalRowParser(width);
      let to = Math.min(b.length, at + ROWS_INPUT_BYTES);
      if (to < b.length) to = b.lastIndexOf(NL, to - 1) + 1;
      if (to <= at) {
        at = oneLine(b, at); // one line longer than the parser takes
        continue;
      }
      const r = fast.parse(b.subarray(at, to));
      if (!commit(r, at)) {
        parseLines(b.subarray(at, at + r.taken));
        at += r.taken;
        continue;
      }
      at += r.taken;
      if (at < to) at = oneLine(b, at);
    }
  };

  // A line longer than S cells can be is refused as soon as it is seen, without waiting for its end.
  const lineCap = width === null ? LINE_CAP_UNKNOWN_WIDTH : width * MAX_CELL_BYTES + 1024;
  const stream: Readable = openByteStream(path);
  try {
    for await (const piece of lineBlocks(stream as AsyncIterable<Buffer>, lineCap)) {
      parsePiece(piece);
      if (bytesBefore === 0 && !stopped) {
        const n = Math.min(MAX_NONZEROS, expectedNonZeros(piece.length) + FIRST_CAPACITY);
        if (n > col.length) resize(n);
      }
      bytesBefore += piece.length;
      if (o.sink.full || stopped) break;
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e instanceof LineTooLong)
      stop(
        line + 1,
        `no line break in ${e.bytes} bytes, more than a row of ${width ?? "any"} cells can take` +
          (e.cr
            ? "; the file seems to end lines with CR only: convert them to LF (e.g. tr '\\r' '\\n')"
            : ""),
      );
    else report(o.sink, o.file, null, null, `cannot read: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    stream.destroy();
    (fast as DecimalRowParser | null)?.release(); // set inside parsePiece, which TypeScript does not follow
  }
  if (nRows === 0 && !o.sink.full && !stoppedEarly)
    report(o.sink, o.file, null, null, "empty file, expected rows of numbers");
  // (s, a) labels need the row count: all of it, or the declared S x A when the read stopped early.
  const labelRows = stoppedEarly ? o.maxRows : nRows;
  for (const p of pending) {
    const label =
      o.rowLabel && labelRows !== undefined ? ` ${o.rowLabel(p.row, labelRows)}` : ` ${p.row + 1}`;
    bad(p.line, 1, `row${label} sums to ${showSum(p.sum)}, expected 1 within tolerance ${o.tolerance}`);
  }
  return {
    nRows,
    width: width ?? 0,
    rowPtr: rowPtr.slice(0, nRows + 1),
    col: trim(col, nnz),
    val: trim(val, nnz),
    maxRowSumDeviation: maxDev,
  };
}

/**
 * The first n entries: a view when at least half is used (the rest was never written, so it takes no
 * memory; a copy would touch n entries of fresh memory), else a copy.
 */
function trim<T extends Int32Array | Float64Array>(a: T, n: number): T {
  return (n * 2 >= a.length ? a.subarray(0, n) : a.slice(0, n)) as T;
}

/** Where a cell that did not scan cleanly ends: the next comma or line feed from q, or the end. */
function cellEnd(b: Buffer, q: number, end: number): number {
  let i = q;
  while (i < end && b[i] !== COMMA && b[i] !== NL) i++;
  return i;
}

/**
 * What is wrong with the cell b[p, q) (q at its comma, its line feed or the end) that scanned as v. Kept out
 * of the reader's loop, which the optimizing compiler then compiles sooner.
 */
function whyBad(b: Buffer, p: number, q: number, end: number, v: number): string {
  const fe = (q >= end || b[q] === NL) && q > p && b[q - 1] === CR ? q - 1 : q;
  const text = b.toString("latin1", p, fe);
  return v < 0 && scanEnd() === fe
    ? `negative probability ${quote(text)}, expected >= 0`
    : describeBadNumber(text);
}
