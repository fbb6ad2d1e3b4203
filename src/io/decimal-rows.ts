import { reusableSpace, wasmModule } from "../core/kernel-space.js";
import { wasmBase64 } from "./decimal-rows.generated.js";
import { layouts } from "./decimal-rows.layout.generated.js";

/** Bytes of text one call parses at most (a gunzipped chunk: see source.ts); longer pieces go in parts. */
export const ROWS_INPUT_BYTES = 1 << 20;
/** Zero bytes after the input, so the kernel's 4-byte look at a cell never matches past the end. */
const PAD = 8;
const MEMO_BITS = 15;
const MEMO_SLOTS = 1 << MEMO_BITS;

/** What one call staged: rows (their non-zero ends and sums) and the non-zeros, in views of kernel memory. */
export interface StagedRows {
  /** Bytes of the input taken (whole lines); fewer than given: the line there is the JavaScript reader's. */
  readonly taken: number;
  readonly rows: number;
  readonly nonZeros: number;
  /** Non-zeros staged up to the end of each row. */
  readonly rowEnd: Int32Array;
  /** Each row's compensated sum of its stored values. */
  readonly rowSum: Float64Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
}

/** The WebAssembly row parser of decimal-rows.wat over a memory of its own; `release` hands the memory on. */
export interface DecimalRowParser {
  /** Parses whole rows of the parser's width from the start of `text` (at most ROWS_INPUT_BYTES of it). */
  parse(text: Uint8Array): StagedRows;
  release(): void;
}

interface RowKernels {
  parseRows(input: number, length: number, width: number, record: number): number;
}

const module = wasmModule(wasmBase64);
/** 10^0 .. 10^22, all exactly representable; from literals, as number.ts builds them. */
const POW10 = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * A parser for tables `width` cells wide. Its staging arrays hold everything one call can find: a cell takes
 * at least two bytes, a row at least 2 x width.
 */
export function decimalRowParser(width: number): DecimalRowParser {
  const maxNonZeros = ROWS_INPUT_BYTES / 2;
  const maxRows = Math.floor(ROWS_INPUT_BYTES / (2 * Math.max(1, width))) + 1;
  const space = reusableSpace<RowKernels, ReturnType<typeof layout>>(
    module,
    layout(maxNonZeros, maxRows),
    new Set(["input", "col", "val", "rowEnd", "rowSum"] as const),
  );
  const { view, at, kernels } = space;
  const fields = layouts.rows.fields;
  const addresses = {
    col: at.col,
    val: at.val,
    rowEnd: at.rowEnd,
    rowSum: at.rowSum,
    maxRows,
    maxNonZeros,
    pow10: at.pow10,
    memoHi: at.memoHi,
    memoMid: at.memoMid,
    memoLo: at.memoLo,
    memoShape: at.memoShape,
    memoValue: at.memoValue,
    memoShift: 32 - MEMO_BITS,
    rows: 0,
    nonZeros: 0,
  };
  for (const [name, value] of Object.entries(addresses))
    view.record[fields[name as keyof typeof fields].offset / 4] = value;
  view.pow10.set(POW10);
  return {
    parse(text) {
      const n = Math.min(text.length, ROWS_INPUT_BYTES);
      view.input.set(text.subarray(0, n));
      view.input.fill(0, n, n + PAD);
      const taken = kernels.parseRows(at.input, n, width, at.record);
      const rows = view.record[fields.rows.offset / 4]!;
      const nonZeros = view.record[fields.nonZeros.offset / 4]!;
      return {
        taken,
        rows,
        nonZeros,
        rowEnd: view.rowEnd,
        rowSum: view.rowSum,
        col: view.col,
        val: view.val,
      };
    },
    release: () => space.release(),
  };
}

function layout(maxNonZeros: number, maxRows: number) {
  return {
    record: { type: "i32", length: layouts.rows.bytes / 4 },
    input: { type: "u8", length: ROWS_INPUT_BYTES + PAD },
    col: { type: "i32", length: maxNonZeros },
    val: { type: "f64", length: maxNonZeros },
    rowEnd: { type: "i32", length: maxRows },
    rowSum: { type: "f64", length: maxRows },
    pow10: { type: "f64", length: POW10.length },
    memoHi: { type: "i32", length: MEMO_SLOTS },
    memoMid: { type: "i32", length: MEMO_SLOTS },
    memoLo: { type: "i32", length: MEMO_SLOTS },
    memoShape: { type: "i32", length: MEMO_SLOTS },
    memoValue: { type: "f64", length: MEMO_SLOTS },
  } as const;
}
