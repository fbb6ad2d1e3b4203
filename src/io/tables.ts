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
 * @example
 * import { readFile } from "node:fs/promises";
 * await writeVectorCsv("values.csv", Float64Array.of(0.5, 0.25, 1 / 3));
 * (await readFile("values.csv", "utf8")).split(",").map(Number)[2] === 1 / 3; //=> true
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
 * @example
 * await writeTableCsv("policy.csv", Float64Array.of(1, 0, 0.5, 0.5), 2, 2);
 * Array.from(await readPolicyCsv("policy.csv", 2, 2)); //=> [1, 0, 0.5, 0.5]
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
