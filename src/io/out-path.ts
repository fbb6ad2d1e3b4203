/** Checking an output path before any work, so a long run never fails only at the end for a bad --out. */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { open, stat, unlink } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { OutputError } from "../core/errors.js";
import { describeFsError, errorCode } from "./fs-errors.js";

export type OutputKind = "folder" | "file";

const statOrNull = async (p: string) => {
  try {
    return await stat(p);
  } catch (e) {
    if (errorCode(e) === "ENOENT") return null;
    if (errorCode(e) === "ENOTDIR") return "under-file" as const;
    throw e;
  }
};

/** Create and delete a hidden probe file in `dir`: the only test that also holds for root and read-only mounts. */
async function probeWritable(dir: string, path: string): Promise<void> {
  const probe = join(dir, `.tabmdp-probe-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    const h = await open(probe, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY);
    await h.close();
    await unlink(probe);
  } catch (e) {
    throw new OutputError(path, `cannot write in ${dir}: ${describeFsError(e)}`);
  }
}

/**
 * Check that `path` can be written as a folder (replaced as a whole) or a file: no parent is a file, an existing
 * target has the right kind (a regular file, never a device or pipe, for files), and the folder that will hold
 * the temporary copy is writable. Creates nothing.
 * @throws OutputError naming the path and the reason.
 */
export async function checkOutputPath(path: string, kind: OutputKind): Promise<void> {
  const abs = resolve(path);
  const target = await statOrNull(abs).catch((e: unknown) => {
    throw new OutputError(path, `cannot inspect: ${describeFsError(e)}`);
  });
  if (target !== null && target !== "under-file") {
    if (kind === "folder" && !target.isDirectory())
      throw new OutputError(path, "exists and is a file, expected a folder (choose another output path)");
    if (kind === "file" && target.isDirectory())
      throw new OutputError(path, "is a folder, expected a file name");
    if (kind === "file" && !target.isFile())
      throw new OutputError(
        path,
        "is not a regular file (a device, pipe or socket); write to a regular file",
      );
  }
  // The temporary copy is a sibling, so the first existing ancestor of the parent must be a writable folder.
  let dir = dirname(abs);
  for (;;) {
    const s = await statOrNull(dir).catch(() => null);
    if (s === "under-file" || (s !== null && !s.isDirectory())) {
      let file = dir;
      while ((await statOrNull(file).catch(() => null)) === "under-file") file = dirname(file);
      throw new OutputError(path, `${file} is a file, so nothing can be created under it`);
    }
    if (s !== null) break;
    if (dirname(dir) === dir) throw new OutputError(path, "no existing parent folder");
    dir = dirname(dir);
  }
  await probeWritable(dir, path);
}
