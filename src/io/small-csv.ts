/**
 * Small numeric CSV tables (d0, rewards, policies, centroids), with located problems. Text with quotes goes
 * through csv-parse (loaded only then); numeric tables have none, and splitting them at line breaks and
 * commas gives the very records csv-parse would, without its per-character state machine.
 */
import { describeBadNumber, parseDecimalText } from "./number.js";
import { type ProblemSink, report } from "./problems.js";
import { quote } from "./quote.js";
import { MAX_CELL_BYTES, readSmallText, SMALL_FILE_CAP, TooLarge } from "./source.js";

export interface DenseTable {
  readonly rows: number;
  readonly cols: number;
  /** rows*cols, row-major. */
  readonly data: Float64Array;
}

/** An expected count and where it comes from, e.g. { n: 716, from: "S from initialStateDistribution.csv" }. */
export interface Expected {
  readonly n: number;
  readonly from?: string;
}

export interface SmallReadOptions {
  /** Name used in messages. */
  readonly file: string;
  readonly rows?: Expected | null;
  readonly cols?: Expected | null;
  /** Probabilities must not be negative. */
  readonly nonNegative?: boolean;
  readonly sink: ProblemSink;
}

const expectText = (what: string, e: Expected): string =>
  `expected ${e.n} ${what}${e.from ? ` (${e.from})` : ""}`;

/** Records of unquoted CSV text: lines end at LF or CRLF (a lone CR stays in its field); no record after a final break. */
export function plainRecords(text: string): string[][] {
  const lines = text.split(LINE_BREAK);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((l) => l.split(","));
}

const LINE_BREAK = /\r?\n/;

/** Parse CSV text into string records; csv-parse failures become located problems. */
async function records(text: string, o: SmallReadOptions): Promise<string[][] | null> {
  if (!text.includes('"')) return plainRecords(text);
  const { CsvError, parse } = await import("csv-parse/sync");
  try {
    // One record per line (skip_empty_lines off), so record i is line i + 1 for unquoted numeric data.
    return parse(text, { relax_column_count: true, record_delimiter: ["\r\n", "\n"] });
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const info = e as { lines?: number; column?: number; message: string };
    report(o.sink, o.file, info.lines ?? null, null, `malformed CSV: ${info.message}`);
    return null;
  }
}

/** Read a small table, checking cells and shape; null if nothing usable could be read. */
export async function readSmallMatrix(path: string, o: SmallReadOptions): Promise<DenseTable | null> {
  // The declared shape bounds the size: a file (or gzip bomb) past it is refused before it is parsed.
  const cells = o.rows && o.cols ? o.rows.n * o.cols.n : null;
  const cap = cells === null ? SMALL_FILE_CAP : cells * MAX_CELL_BYTES + 4096;
  let text: string;
  try {
    text = await readSmallText(path, cap);
  } catch (e) {
    const why =
      e instanceof TooLarge
        ? `${path.endsWith(".gz") ? "decompresses to" : "is"} more than ${cap} bytes, ` +
          (cells === null
            ? "too large for a table of this kind"
            : `more than ${o.rows?.n} x ${o.cols?.n} cells of at most ${MAX_CELL_BYTES} bytes`)
        : `cannot read: ${e instanceof Error ? e.message : String(e)}`;
    report(o.sink, o.file, null, null, why);
    return null;
  }
  const recs = await records(text, o);
  if (recs === null) return null;
  // A final newline leaves no record; trailing blank lines are tolerated, inner ones are not.
  let n = recs.length;
  while (n > 0 && recs[n - 1]!.length === 1 && recs[n - 1]![0] === "") n--;
  if (n === 0) {
    report(o.sink, o.file, null, null, "empty file, expected rows of numbers");
    return null;
  }
  const cols = o.cols?.n ?? recs[0]!.length;
  const data = new Float64Array(n * cols);
  for (let r = 0; r < n && !o.sink.full; r++) {
    const rec = recs[r]!;
    const line = r + 1;
    if (rec.length === 1 && rec[0] === "") {
      report(o.sink, o.file, line, 1, "blank line inside the data, expected a row of numbers");
      continue;
    }
    if (rec.length !== cols) {
      const where = rec.length > cols ? cols + 1 : rec.length + 1;
      const why = o.cols ? expectText("columns", o.cols) : `expected ${cols} like line 1`;
      report(o.sink, o.file, line, where, `ragged row: ${rec.length} fields, ${why}`);
    }
    const m = Math.min(rec.length, cols);
    for (let c = 0; c < m; c++) {
      const text = rec[c]!;
      const v = parseDecimalText(text);
      if (!Number.isFinite(v)) report(o.sink, o.file, line, c + 1, describeBadNumber(text));
      else if (o.nonNegative && v < 0)
        report(o.sink, o.file, line, c + 1, `negative probability ${quote(text)}, expected >= 0`);
      else data[r * cols + c] = v;
    }
  }
  if (o.rows && n !== o.rows.n) {
    const line = n > o.rows.n ? o.rows.n + 1 : n + 1;
    report(o.sink, o.file, line, 1, `wrong number of rows: ${n}, ${expectText("rows", o.rows)}`);
  }
  return { rows: n, cols, data };
}
