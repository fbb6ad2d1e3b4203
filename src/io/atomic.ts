/** Writes that never leave a half file: write a temporary sibling, then rename over the target. */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { stringify } from "csv-stringify/sync";
import { asOutputError } from "./fs-errors.js";
import { pidAlive } from "./lock.js";
import { formatNumber } from "./number.js";

/** A hidden temporary name in the target's own folder (rename is atomic only within one file system). */
const tempName = (file: string): string =>
  join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);

/** Remove temporaries of `file` left by killed writers (their pid is dead); live writers' are kept. */
async function removeStaleTemps(file: string): Promise<void> {
  const prefix = `.${basename(file)}.`;
  for (const n of await readdir(dirname(file))) {
    if (!n.startsWith(prefix) || !n.endsWith(".tmp")) continue;
    const pid = Number(n.slice(prefix.length).split(".")[0]);
    if (Number.isInteger(pid) && !pidAlive(pid)) await rm(join(dirname(file), n), { force: true });
  }
}

/**
 * Run `write(tmp)`, then rename tmp to `file`; the temporary is removed if anything fails, and a system error
 * (EACCES, ENOSPC, ENOTDIR...) becomes an OutputError naming the file.
 */
function viaTemp(file: string, write: (tmp: string) => Promise<void>): Promise<string> {
  return asOutputError(file, "cannot write", async () => {
    await mkdir(dirname(file), { recursive: true });
    const tmp = tempName(file);
    try {
      await write(tmp);
      await rename(tmp, file);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    await removeStaleTemps(file);
    return file;
  });
}

/** Write a whole string or byte array atomically; resolves to the path. */
export function atomicWrite(file: string, data: string | Uint8Array): Promise<string> {
  return viaTemp(file, (tmp) => writeFile(tmp, data));
}

/** Stream text chunks to `file` atomically, gzipped when `gzip` is set. */
export function atomicWriteChunks(file: string, chunks: Iterable<string>, gzip = false): Promise<string> {
  return viaTemp(file, async (tmp) => {
    const src = Readable.from(chunks);
    const out = createWriteStream(tmp);
    if (gzip) await pipeline(src, createGzip(), out);
    else await pipeline(src, out);
  });
}

export type Cell = string | number | boolean | null;

export interface CsvWriteOptions {
  /** First row, e.g. ["s", "v"]; none by default (tabmdp's tables have no header). */
  readonly header?: readonly string[];
}

/** True when every number in column `c` is an integer (not -0), so it can be written as integers. */
const integerColumn = (rows: readonly (readonly Cell[])[], c: number): boolean =>
  rows.every((r) => {
    const x = r[c];
    return typeof x !== "number" || (Number.isSafeInteger(x) && !Object.is(x, -0));
  });

/**
 * Write a small table as CSV atomically; numbers are written so that they read back to the same double. A
 * column of integers only (seeds, episode counts) is written as integers; any other numeric column uses
 * formatNumber for every cell, so no column mixes "1" and "0.5" and type-inferring readers see one type.
 * @example
 * import { readFile } from "node:fs/promises";
 * await writeCsvAtomic("values.csv", [[0, 0.25], [1, 0.5]], { header: ["s", "v"] });
 * await readFile("values.csv", "utf8"); //=> "s,v\n0,0.25\n1,0.5\n"
 */
export function writeCsvAtomic(
  file: string,
  rows: readonly (readonly Cell[])[],
  opts: CsvWriteOptions = {},
): Promise<string> {
  const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
  const ints = Array.from({ length: width }, (_, c) => integerColumn(rows, c));
  const cells = rows.map((r) =>
    r.map((x, c) =>
      typeof x === "number" ? (ints[c] ? String(x) : formatNumber(x)) : x === null ? "" : String(x),
    ),
  );
  const all = opts.header ? [[...opts.header], ...cells] : cells;
  return atomicWrite(file, stringify(all, { record_delimiter: "unix" }));
}
