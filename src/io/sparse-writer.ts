/** The transition table in the sparse layout, and the rule that picks a layout when the caller does not. */
import type { TabularMdp } from "../model/mdp.js";
import { formatNumber } from "./number.js";
import { SPARSE_HEADER } from "./sparse-reader.js";

export type Layout = "dense" | "sparse";

/** Above this estimated size the dense transition table is not written by default. */
export const DENSE_LIMIT_BYTES = 200e6;

/** Flush text in pieces of about this many characters: bounded memory, few stream writes. */
const CHUNK_CHARS = 1 << 20;
/** Typical length of a written probability plus its separator (17 significant digits, "0." and a comma). */
const NONZERO_CHARS = 20;

/** Estimated size of the dense table: every zero cell is written out, each with its separator. */
export function denseTransitionBytes(m: TabularMdp): number {
  const cells = m.nS * m.nA * m.nS;
  const nnz = m.prob.length;
  return (cells - nnz) * (formatNumber(0).length + 1) + nnz * NONZERO_CHARS;
}

/** Dense while the dense table stays under DENSE_LIMIT_BYTES, else sparse. */
export const defaultLayout = (m: TabularMdp): Layout =>
  denseTransitionBytes(m) < DENSE_LIMIT_BYTES ? "dense" : "sparse";

/** `transitions.csv` text: the header, then `s,a,s',p` per stored entry in CSR order (already sorted). */
export function* sparseTransitionChunks(m: TabularMdp): Generator<string> {
  let parts: string[] = [`${SPARSE_HEADER}\n`];
  let size = 0;
  for (let s = 0; s < m.nS; s++) {
    for (let a = 0; a < m.nA; a++) {
      const r = s * m.nA + a;
      const prefix = `${s},${a},`;
      for (let k = m.rowPtr[r]!; k < m.rowPtr[r + 1]!; k++) {
        const line = `${prefix}${m.next[k]!},${formatNumber(m.prob[k]!)}\n`;
        parts.push(line);
        size += line.length;
      }
      if (size >= CHUNK_CHARS) {
        yield parts.join("");
        parts = [];
        size = 0;
      }
    }
  }
  if (parts.length > 0) yield parts.join("");
}
