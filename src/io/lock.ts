/** An exclusive lock file holding the writer's pid, so two processes never replace one output at once. */
import { randomBytes } from "node:crypto";
import { link, readFile, unlink, writeFile } from "node:fs/promises";
import { OutputError } from "../core/errors.js";
import { errorCode } from "./fs-errors.js";

/** True unless the process is known to be gone (EPERM: it exists but belongs to another user). */
export function pidAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errorCode(e) === "EPERM";
  }
}

const ownerOf = async (lockPath: string): Promise<number | null> => {
  try {
    return Number.parseInt(await readFile(lockPath, "utf8"), 10);
  } catch (e) {
    if (errorCode(e) === "ENOENT") return null;
    throw e;
  }
};

/**
 * Take `lockPath` for this process: the pid is written to a private file first and then hard-linked into
 * place, so the lock appears complete or not at all. A lock whose pid is dead is stale and taken over.
 * Resolves to the release function.
 * @throws OutputError when a live process holds the lock.
 */
export async function acquireLock(lockPath: string, what: string): Promise<() => Promise<void>> {
  const mine = `${lockPath}.${process.pid}.${randomBytes(4).toString("hex")}`;
  try {
    // Inside the try: on a full disk the private file is created empty before the write fails.
    await writeFile(mine, `${process.pid}\n`);
    for (let attempt = 0; ; attempt++) {
      try {
        await link(mine, lockPath);
        break;
      } catch (e) {
        if (errorCode(e) !== "EEXIST") throw e;
      }
      const owner = await ownerOf(lockPath);
      if (owner !== null && (pidAlive(owner) || attempt >= 3)) {
        throw new OutputError(
          what,
          `another process (pid ${owner}) is writing it; wait for it to finish ` +
            `(if no such process runs, delete ${lockPath})`,
        );
      }
      // Stale: its writer died. Remove it only if it still names the same dead pid.
      if (owner !== null && (await ownerOf(lockPath)) === owner) await unlink(lockPath).catch(() => {});
    }
  } finally {
    await unlink(mine).catch(() => {});
  }
  return async () => {
    if ((await ownerOf(lockPath).catch(() => null)) === process.pid) await unlink(lockPath).catch(() => {});
  };
}
