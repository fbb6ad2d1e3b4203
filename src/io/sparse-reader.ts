/**
 * Streaming reader for the sparse transition table (`transitions.csv`): one row per non-zero,
 * `state,action,next_state,probability`, sorted by state, action, next state. The rows arrive in CSR order,
 * so they are appended straight into the CSR arrays; every (s, a) pair must be present (its probabilities sum
 * to 1), which is also how A is found: the actions of state 0.
 */
import type { Readable } from "node:stream";
import { InputError } from "../core/errors.js";
import { GrowingCsr } from "./growing-csr.js";
import type { CsrMatrix } from "./matrix-reader.js";
import { describeBadNumber, scanDecimal, scanEnd } from "./number.js";
import { offOne, type ProblemSink, report, showSum } from "./problems.js";
import { lineBlocks, openByteStream } from "./source.js";

export const SPARSE_HEADER = "state,action,next_state,probability";
const COLUMNS = SPARSE_HEADER.split(",");

export interface SparseReadOptions {
  /** Name used in messages. */
  readonly file: string;
  /** Number of states when another table fixed it; null: one more than the largest state index seen. */
  readonly nS: number | null;
  /** Where S came from, for messages ("S = 716 from initialStateDistribution.csv"). */
  readonly nSource?: string;
  readonly tolerance: number;
  readonly sink: ProblemSink;
  /** Size of the file in bytes when known: the arrays are sized from it once instead of grown by doubling. */
  readonly sizeHint?: number;
}

/** A sparse transition table as CSR: rows are (s, a) pairs in order, `width` = S. */
export interface SparseTable extends CsrMatrix {
  readonly nA: number;
}

const NL = 10;
const CR = 13;
const COMMA = 44;
const ZERO = 48;
/** Digits of the longest index accepted (2^31 - 1 has 10). */
const MAX_INDEX_DIGITS = 9;
const ORDER_RULE = "every (state, action) pair needs its rows, sorted by state, action, next_state";

/** Parse the sparse table into CSR, reporting problems (file:line:column) to `o.sink`. */
export async function readSparseTransitions(path: string, o: SparseReadOptions): Promise<SparseTable> {
  const bad = (ln: number, c: number | null, why: string): void => report(o.sink, o.file, ln, c, why);
  const csr = new GrowingCsr(o.sizeHint === undefined ? 0 : Math.ceil(o.sizeHint / 24));
  let line = 0;
  let headerSeen = false;
  // The pair being filled, and the last entry's next state (-1 before its first entry).
  let curS = 0;
  let curA = -1;
  let lastNext = -1;
  let nA = -1;
  let sum = 0;
  let comp = 0;
  let pairLine = 0;
  let pairBad = false;
  let maxDev = 0;
  let maxNext = -1;
  let blankLine = 0;

  const closePair = (): void => {
    if (curA < 0) return;
    csr.endRow();
    if (pairBad) return;
    const total = sum + comp;
    const dev = Math.abs(total - 1);
    if (dev > maxDev || Number.isNaN(dev)) maxDev = dev;
    if (offOne(total, o.tolerance))
      bad(
        pairLine,
        4,
        `probabilities of (s=${curS}, a=${curA}) sum to ${showSum(total)}, expected 1 within tolerance ${o.tolerance}`,
      );
  };

  /** Move to pair (s, a), which must be the one after the current pair; false when it is not. */
  const openPair = (s: number, a: number, ln: number): boolean => {
    const sameState = s === curS && a === curA + 1 && (nA < 0 || a < nA);
    const nextState = s === curS + 1 && a === 0 && curA >= 0 && (nA < 0 || curA === nA - 1);
    if (!(sameState || nextState)) {
      const expected = curA < 0 ? "(s=0, a=0)" : nextPairs(curS, curA, nA);
      bad(
        ln,
        s === curS || s === curS + 1 ? 2 : 1,
        `(s=${s}, a=${a}) found where ${expected} was expected: ${ORDER_RULE}`,
      );
      return false;
    }
    closePair();
    if (nextState && nA < 0) nA = curA + 1;
    curS = s;
    curA = a;
    lastNext = -1;
    sum = 0;
    comp = 0;
    pairBad = false;
    return true;
  };

  /**
   * Index field `f` (0-based column) at b[p..), which must end with a comma; `fieldEnd` is where it stopped.
   * -1, with the problem reported, when it is not a non-negative integer.
   */
  const scanIndex = (b: Buffer, p: number, end: number, f: number): number => {
    let v = 0;
    let q = p;
    while (q < end && b[q]! >= ZERO && b[q]! <= ZERO + 9 && q - p <= MAX_INDEX_DIGITS) {
      v = v * 10 + (b[q]! - ZERO);
      q++;
    }
    fieldEnd = q;
    if (q > p && q - p <= MAX_INDEX_DIGITS && q < end && b[q] === COMMA) return v;
    const text = fieldText(b, p, end);
    const what = text === "" ? "empty" : `"${text.slice(0, 40)}"`;
    bad(line, f + 1, `${COLUMNS[f]} is ${what}, expected a non-negative integer index then a comma`);
    return -1;
  };
  let fieldEnd = 0;

  const fieldText = (b: Buffer, p: number, end: number): string => {
    let q = p;
    while (q < end && b[q] !== COMMA && b[q] !== NL && b[q] !== CR) q++;
    return b.toString("latin1", p, q);
  };

  const parseHeader = (b: Buffer, p: number, end: number): number => {
    let q = p;
    while (q < end && b[q] !== NL) q++;
    const text = b.toString("utf8", p, q > p && b[q - 1] === CR ? q - 1 : q).replace(/^\uFEFF/, "");
    const got = text.split(",").map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
    if (got.length !== COLUMNS.length || got.some((c, i) => c !== COLUMNS[i]))
      bad(1, 1, `header is "${text.slice(0, 80)}", expected "${SPARSE_HEADER}"`);
    return q + 1;
  };

  /** One data line at b[p..end) (end excludes the newline); false stops reading (order broken). */
  const parseRow = (b: Buffer, p: number, end: number): boolean => {
    const s = scanIndex(b, p, end, 0);
    if (s < 0) return true;
    const a = scanIndex(b, fieldEnd + 1, end, 1);
    if (a < 0) return true;
    const next = scanIndex(b, fieldEnd + 1, end, 2);
    if (next < 0) return true;
    p = fieldEnd + 1;
    const v = scanDecimal(b, p, end);
    if (!(scanEnd() === end && v >= 0 && v !== Number.POSITIVE_INFINITY)) {
      const text = b.toString("latin1", p, end);
      const why =
        v < 0 && scanEnd() === end ? `negative probability ${text}, expected >= 0` : describeBadNumber(text);
      bad(line, 4, why.replace(" (files have no header row)", ""));
      if (s === curS && a === curA) pairBad = true;
      return true;
    }
    if (o.nS !== null && (s >= o.nS || next >= o.nS)) {
      const from = o.nSource ? ` (${o.nSource})` : "";
      bad(line, s >= o.nS ? 1 : 3, `state ${Math.max(s, next)} out of range, expected < ${o.nS}${from}`);
      pairBad = true;
      return true;
    }
    if (s !== curS || a !== curA) {
      if (!openPair(s, a, line)) return false;
      pairLine = line;
    } else if (next <= lastNext) {
      const what = next === lastNext ? "duplicate entry for" : "out of order:";
      bad(line, 3, `${what} next_state ${next} after ${lastNext} in (s=${s}, a=${a}), ${ORDER_RULE}`);
      return false;
    }
    lastNext = next;
    if (next > maxNext) maxNext = next;
    if (v !== 0) {
      csr.push(next, v);
      const t = sum + v; // Neumaier, as for the dense table: the deviation is that of the stored values
      comp += Math.abs(sum) >= v ? sum - t + v : v - t + sum;
      sum = t;
    }
    return true;
  };

  let stop = false;
  const parseLines = (b: Buffer, end: number): void => {
    let p = 0;
    while (p < end && !o.sink.full && !stop) {
      line++;
      if (!headerSeen) {
        headerSeen = true;
        p = parseHeader(b, p, end);
        continue;
      }
      let q = b.indexOf(NL, p);
      if (q < 0 || q > end) q = end;
      const e = q > p && b[q - 1] === CR ? q - 1 : q;
      if (e === p) {
        // Blank lines are reported only when data follows them: a file may end with one.
        if (blankLine === 0) blankLine = line;
      } else {
        if (blankLine !== 0) bad(blankLine, 1, `blank line inside the data, expected ${SPARSE_HEADER}`);
        blankLine = 0;
        if (!parseRow(b, p, e)) stop = true;
      }
      p = q + 1;
    }
  };

  const stream: Readable = openByteStream(path);
  try {
    for await (const piece of lineBlocks(stream as AsyncIterable<Buffer>)) {
      parseLines(piece, piece.length);
      if (o.sink.full || stop) break;
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    report(o.sink, o.file, null, null, `cannot read: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    stream.destroy();
  }
  if (!stop && !o.sink.full) {
    closePair();
    if (curA < 0) bad(line + 1, 1, `no data rows, expected "${SPARSE_HEADER}" then one row per non-zero`);
    else checkComplete();
  }
  if (nA < 0) nA = curA + 1;
  const t = csr.finish();
  return { ...t, width: o.nS ?? Math.max(curS, maxNext) + 1, maxRowSumDeviation: maxDev, nA };

  function checkComplete(): void {
    if (nA >= 0 && curA !== nA - 1)
      bad(line + 1, 1, `(s=${curS}, a=${curA + 1}) missing at the end: ${ORDER_RULE}`);
    else if (o.nS !== null && curS !== o.nS - 1) {
      const from = o.nSource ? ` (${o.nSource})` : "";
      bad(line + 1, 1, `rows end at state ${curS}, expected states up to ${o.nS - 1}${from}`);
    }
  }
}

/** What could come after pair (s, a), for messages. */
function nextPairs(s: number, a: number, nA: number): string {
  if (nA < 0) return `(s=${s}, a=${a + 1}) or (s=${s + 1}, a=0)`;
  return a + 1 < nA ? `(s=${s}, a=${a + 1})` : `(s=${s + 1}, a=0)`;
}
