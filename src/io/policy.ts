/** Policy tables (S x A, like expertPolicy.csv): read and checked (policy-view.ts offers an ndarray view). */
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

/**
 * A non-terminal state must act: an all-zero row there has no meaning (it is neither a distribution nor the
 * terminal states' "no policy"). `terminalS` flags the states; row r belongs to state r mod S, so tables
 * with one block of S rows per step are checked too.
 */
export function checkNonTerminalRows(
  t: DenseTable,
  file: string,
  terminalS: Uint8Array,
  sink: ProblemSink,
): void {
  const nS = terminalS.length;
  for (let r = 0; r < t.rows && !sink.full; r++) {
    const s = r % nS;
    if (terminalS[s] === 1) continue;
    let any = false;
    for (let c = 0; c < t.cols && !any; c++) any = t.data[r * t.cols + c] !== 0;
    if (!any) {
      report(
        sink,
        file,
        r + 1,
        1,
        `policy row of state ${s} is all zeros, but state ${s} is not terminal: give it a probability for each action (rows of zeros are only for terminal states)`,
      );
    }
  }
}

export interface PolicyReadOptions {
  readonly tolerance?: number;
  /** The MDP's terminal flags: when given, all-zero rows of non-terminal states are rejected. */
  readonly terminalS?: Uint8Array;
}

/**
 * Read an nS x nA policy table (no header; rows pi(.|s) summing to 1, or all zero for terminal states; pass
 * the MDP's `terminalS` to reject all-zero rows elsewhere).
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
  if (opts.terminalS !== undefined) checkNonTerminalRows(t, file, opts.terminalS, sink);
  return t.data;
}
