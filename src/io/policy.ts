/** Policy tables (S x A, like expertPolicy.csv): read, checked, and offered as an ndarray view. */
import type { NdArray } from "ndarray";
import { viewSA } from "../model/dense.js";
import { offOne, type ProblemSink, report, showSum, throwingSink } from "./problems.js";
import { type DenseTable, readSmallMatrix } from "./small-csv.js";

export const DEFAULT_TOLERANCE = 1e-9;

/**
 * Each row must sum to 1 within `tolerance`, or be all zero (terminal states carry no policy in ICU-Sepsis).
 * Row-level problems point at column 1 of the row's line.
 */
export function checkPolicyRows(t: DenseTable, file: string, tolerance: number, sink: ProblemSink): void {
  for (let r = 0; r < t.rows && !sink.full; r++) {
    let sum = 0;
    for (let c = 0; c < t.cols; c++) sum += t.data[r * t.cols + c]!;
    if (sum !== 0 && offOne(sum, tolerance))
      report(sink, file, r + 1, 1, `policy row of state ${r} sums to ${showSum(sum)}, expected 1 (or 0)`);
  }
}

export interface PolicyReadOptions {
  readonly tolerance?: number;
}

/**
 * Read an nS x nA policy table (no header; rows pi(.|s) summing to 1, or all zero for terminal states).
 * @throws InputError naming file, line and column of the first problem.
 * @example
 * const pi = await readPolicyCsv("icu-sepsis/expertPolicy.csv.gz", 716, 25); // pi[s * 25 + a] = pi(a | s)
 * pi.length; //=> 17900
 */
export async function readPolicyCsv(
  file: string,
  nS: number,
  nA: number,
  opts: PolicyReadOptions = {},
): Promise<Float64Array> {
  const sink = throwingSink();
  const t = await readSmallMatrix(file, {
    file,
    rows: { n: nS, from: "S" },
    cols: { n: nA, from: "A" },
    nonNegative: true,
    sink,
  });
  // With a throwing sink a null table has already thrown; this keeps the types honest.
  if (t === null) return new Float64Array(nS * nA);
  checkPolicyRows(t, file, opts.tolerance ?? DEFAULT_TOLERANCE, sink);
  return t.data;
}

/** Same as readPolicyCsv, as an [nS, nA] ndarray view. */
export async function readPolicyView(
  file: string,
  nS: number,
  nA: number,
  opts: PolicyReadOptions = {},
): Promise<NdArray<Float64Array>> {
  return viewSA(await readPolicyCsv(file, nS, nA, opts), nS, nA);
}
