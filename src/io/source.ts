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

/** Whole text of a small file (gunzipped when `.gz`). */
export async function readSmallText(path: string): Promise<string> {
  const bytes = await readFile(path);
  return (isGzip(path) ? gunzipSync(bytes) : bytes).toString("utf8");
}

/** Size on disk in bytes, or undefined when it cannot be read (the reader then reports the real problem). */
export async function fileSize(path: string): Promise<number | undefined> {
  return stat(path)
    .then((s) => s.size)
    .catch(() => undefined);
}
