/** Dense numeric tables as CSV text (no header), written atomically; used for results such as values.csv. */
import { UsageError } from "../core/errors.js";
import { atomicWriteChunks } from "./atomic.js";
import { formatNumber } from "./number.js";

/** Cells per yielded chunk: bounded memory for big tables, few writes for small ones. */
const CHUNK_CELLS = 1 << 17;

/** A dense row-major rows x cols table as CSV text, in chunks. */
export function* denseChunks(data: ArrayLike<number>, rows: number, cols: number): Generator<string> {
  let parts: string[] = [];
  let cells = 0;
  for (let r = 0; r < rows; r++) {
    const row: string[] = new Array(cols);
    for (let c = 0; c < cols; c++) row[c] = formatNumber(data[r * cols + c]!);
    parts.push(`${row.join(",")}\n`);
    cells += cols;
    if (cells >= CHUNK_CELLS) {
      yield parts.join("");
      parts = [];
      cells = 0;
    }
  }
  if (parts.length > 0) yield parts.join("");
}

/**
 * Write a vector as one CSV row (1 x n, like rewardFunction.csv), atomically; doubles round-trip exactly.
 * @example await writeVectorCsv("out/values.csv", vS);
 */
export function writeVectorCsv(
  file: string,
  v: ArrayLike<number>,
  opts: { gzip?: boolean } = {},
): Promise<string> {
  return atomicWriteChunks(file, denseChunks(v, 1, v.length), opts.gzip ?? false);
}

/**
 * Write a rows x cols row-major table (like expertPolicy.csv; readPolicyCsv reads it back), atomically.
 * @example await writeTableCsv("out/policy.csv", piSA, m.nS, m.nA);
 */
export function writeTableCsv(
  file: string,
  data: ArrayLike<number>,
  rows: number,
  cols: number,
  opts: { gzip?: boolean } = {},
): Promise<string> {
  if (data.length !== rows * cols)
    throw new UsageError(`table has ${data.length} cells, expected ${rows}*${cols}`);
  return atomicWriteChunks(file, denseChunks(data, rows, cols), opts.gzip ?? false);
}
