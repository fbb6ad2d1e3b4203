import { createReadStream } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
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

/** A line longer than the reader's cap: `bytes` read without a line break, `cr` when a CR was among them. */
export class LineTooLong extends Error {
  constructor(
    readonly bytes: number,
    readonly cr: boolean,
  ) {
    super(`no line break in ${bytes} bytes`);
  }
}

const NEWLINE = 10;
const RETURN = 13;

/**
 * A byte stream cut into pieces of whole lines (each ends just after a newline; only the last piece of the
 * file may end without one). A line split across chunks becomes a piece of its own, so a reader never copies
 * a whole chunk to join a few bytes of line onto it.
 * @throws LineTooLong once more than `lineCap` bytes pass without a newline.
 */
export async function* lineBlocks(stream: AsyncIterable<Buffer>, lineCap = Infinity): AsyncGenerator<Buffer> {
  let carry: Buffer[] = [];
  let carried = 0;
  for await (const chunk of stream) {
    const lastNl = chunk.lastIndexOf(NEWLINE);
    if (lastNl < 0) {
      carry.push(chunk);
      carried += chunk.length;
      if (carried > lineCap)
        throw new LineTooLong(
          carried,
          carry.some((c) => c.includes(RETURN)),
        );
      continue;
    }
    let from = 0;
    if (carry.length > 0) {
      from = chunk.indexOf(NEWLINE) + 1;
      yield Buffer.concat([...carry, chunk.subarray(0, from)]);
    }
    if (from <= lastNl) yield chunk.subarray(from, lastNl + 1);
    // Copied: the rest waits for the next chunk, and a view would pin this whole chunk's memory meanwhile.
    carry = lastNl + 1 < chunk.length ? [Buffer.from(chunk.subarray(lastNl + 1))] : [];
    carried = chunk.length - lastNl - 1;
  }
  if (carried > 0) yield Buffer.concat(carry);
}

/**
 * The file's length once gunzipped (a gzip file ends with it, modulo 2^32) or as it is, for sizing buffers
 * only: undefined when it cannot be read, and a wrong value (several gzip members, a damaged file) merely
 * makes a reader grow its arrays more often.
 */
export async function contentLength(path: string): Promise<number | undefined> {
  try {
    // Only regular files: opening a named pipe here would wait for its writer.
    const st = await stat(path);
    if (!st.isFile()) return undefined;
    if (!isGzip(path)) return st.size;
    const size = st.size;
    if (size < 18) return undefined;
    const f = await open(path, "r");
    try {
      const tail = Buffer.alloc(4);
      await f.read(tail, 0, 4, size - 4);
      return tail.readUInt32LE(0);
    } finally {
      await f.close();
    }
  } catch {
    return undefined;
  }
}
