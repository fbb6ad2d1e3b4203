/** File-system failures (EACCES, ENOSPC, ENOTDIR...) as one readable line instead of a stack trace. */
import { OutputError } from "../core/errors.js";

const REASONS: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large for this file system",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "is a folder, expected a file",
  ENOENT: "no such file or folder",
  EEXIST: "already exists",
  ENOTEMPTY: "folder not empty",
  EMFILE: "too many open files",
  ENAMETOOLONG: "name too long",
  EIO: "input/output error",
  EXDEV: "crosses file systems",
  EBUSY: "busy",
};

/** The `code` of a Node system error, or null. */
export function errorCode(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : null;
}

/** "permission denied (EACCES)" for a system error; the error's message otherwise. */
export function describeFsError(e: unknown): string {
  const code = errorCode(e);
  if (code !== null) return `${REASONS[code] ?? code.toLowerCase()} (${code})`;
  return e instanceof Error ? e.message : String(e);
}

/** Run `io`, turning a system error into an OutputError naming `path` and `doing` ("cannot write"). */
export async function asOutputError<T>(path: string, doing: string, io: () => Promise<T>): Promise<T> {
  try {
    return await io();
  } catch (e) {
    if (errorCode(e) === null) throw e;
    const p = (e as { path?: unknown }).path;
    throw new OutputError(typeof p === "string" ? p : path, `${doing}: ${describeFsError(e)}`);
  }
}
