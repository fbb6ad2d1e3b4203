import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { createGunzip, gunzipSync } from "node:zlib";

/** Chunk size for the big matrix: large enough that per-chunk overhead vanishes, small for memory. */
const CHUNK = 1 << 20;

export const isGzip = (path: string): boolean => path.endsWith(".gz");

/** The file's bytes as a stream, gunzipped on the fly for `.gz` (the inflate runs on libuv's thread pool). */
export function openByteStream(path: string): Readable {
  const raw = createReadStream(path, { highWaterMark: CHUNK });
  if (!isGzip(path)) return raw;
  const gz = createGunzip({ chunkSize: CHUNK });
  raw.on("error", (e) => gz.destroy(e));
  return raw.pipe(gz);
}

/** Bytes in one written cell, at most: 17 significant digits, sign, point, exponent, with room to spare. */
export const MAX_CELL_BYTES = 64;
/**
 * Cap for a small file whose shape is not known yet (d0, which declares S): some 800,000 states of 20-byte
 * cells, far beyond any MDP whose S x A x S transition table could be read, yet small enough to parse.
 */
export const SMALL_FILE_CAP = 16 * 1024 * 1024;

/** A file (or its gunzipped content) larger than its declared shape allows. */
export class TooLarge extends Error {
  constructor(readonly limit: number) {
    super(`larger than ${limit} bytes`);
  }
}

/**
 * Whole text of a small file (gunzipped when `.gz`), refusing more than `maxBytes` (checked before reading a
 * plain file, and while inflating a gzipped one, so a small gzip bomb cannot expand in memory).
 * @throws TooLarge past the cap.
 */
export async function readSmallText(path: string, maxBytes = SMALL_FILE_CAP): Promise<string> {
  if (!isGzip(path)) {
    if ((await stat(path)).size > maxBytes) throw new TooLarge(maxBytes);
    return (await readFile(path)).toString("utf8");
  }
  const bytes = await readFile(path);
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes }).toString("utf8");
  } catch (e) {
    if ((e as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") throw new TooLarge(maxBytes);
    throw e;
  }
}

/** Size on disk in bytes, or undefined when it cannot be read (the reader then reports the real problem). */
export async function fileSize(path: string): Promise<number | undefined> {
  return stat(path)
    .then((s) => s.size)
    .catch(() => undefined);
}
