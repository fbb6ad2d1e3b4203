/**
 * Replacing a whole output folder atomically: fill a hidden sibling, then swap it in (old -> backup,
 * new -> OUT, delete backup). A kill at any moment leaves the old folder, the new one, or (between the two
 * renames) only the backup, which the next writer or `recoverOutputDir` renames back. A lock file keeps two
 * writers off one OUT; leftovers of killed runs (temporary folders and files) are removed by the next run.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { OutputError } from "../core/errors.js";
import { asOutputError, errorCode } from "./fs-errors.js";
import { killPoint } from "./kill-points.js";
import { acquireLock, pidAlive } from "./lock.js";
import { checkOutputPath } from "./out-path.js";

export interface ReplaceDirOptions {
  /**
   * Names an existing OUT may hold for it to be replaced: what tabmdp writes there. Anything else means the
   * folder is not ours to replace, and the write is refused rather than deleting someone's files.
   */
  readonly ownNames: (name: string) => boolean;
  /**
   * Hand the temporary folders of killed writers to `fill` (its second argument) instead of deleting them
   * first; they are deleted once the new folder is in place. A long sweep killed with -9 keeps its finished
   * job files there, and a resumed run takes them over. Default false.
   */
  readonly reuseLeftovers?: boolean;
}

/** Hidden siblings of OUT: `.OUT.tabmdp-new-...` (being filled), `.OUT.tabmdp-old-...` (backup), the lock. */
const sibling = (out: string, kind: string): string => join(dirname(out), `.${basename(out)}.tabmdp-${kind}`);
const unique = (): string => `${process.pid}-${randomBytes(4).toString("hex")}`;
/** Per-file temporaries (see atomic.ts): `.NAME.PID.HEX.tmp`. */
const FILE_TEMP = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    (e: unknown) => {
      if (errorCode(e) === "ENOENT") return false;
      throw e;
    },
  );

/**
 * With the lock held: put a backup back if OUT is missing, then delete every leftover of killed runs, except
 * their temporary folders when `keepFilled` (those are returned, to be reused and deleted by the caller).
 */
async function recoverLocked(out: string, keepFilled = false): Promise<string[]> {
  const parent = dirname(out);
  const prefix = `.${basename(out)}.tabmdp-`;
  const names = (await readdir(parent)).filter((n) => n.startsWith(prefix) && !n.startsWith(`${prefix}lock`));
  const backups = names.filter((n) => n.startsWith(`${prefix}old-`));
  if (backups.length > 0 && !(await exists(out))) await rename(join(parent, backups[0]!), out);
  const kept = keepFilled
    ? names.filter((n) => n.startsWith(`${prefix}new-`)).map((n) => join(parent, n))
    : [];
  for (const n of names) {
    const p = join(parent, n);
    if (!kept.includes(p)) await rm(p, { recursive: true, force: true });
  }
  // Private lock files (`...lock.PID.HEX`) of writers that died between writing and linking them.
  for (const n of await readdir(parent)) {
    if (!n.startsWith(`${prefix}lock.`)) continue;
    if (!pidAlive(Number(n.slice(prefix.length + 5).split(".")[0])))
      await rm(join(parent, n), { force: true });
  }
  if (await exists(out)) {
    for (const n of await readdir(out).catch(() => [] as string[])) {
      const m = FILE_TEMP.exec(n);
      if (m && !pidAlive(Number(m[1]))) await rm(join(out, n), { force: true });
    }
  }
  return kept;
}

/**
 * Finish what a killed writer of `out` left: restore the previous folder from its backup if `out` is
 * missing, and remove temporary folders and files. Safe to call at any time; waits for no one (fails if a
 * live writer holds the lock).
 */
export async function recoverOutputDir(out: string): Promise<void> {
  const abs = resolve(out);
  await asOutputError(out, "cannot recover", async () => {
    if (!(await exists(dirname(abs)))) return;
    const release = await acquireLock(sibling(abs, "lock"), out);
    try {
      await recoverLocked(abs);
    } finally {
      await release();
    }
  });
}

/** Refuse to replace a folder holding files tabmdp did not write there. */
async function checkOwned(out: string, shown: string, o: ReplaceDirOptions): Promise<boolean> {
  if (!(await exists(out))) return false;
  const foreign = (await readdir(out)).find((n) => !o.ownNames(n) && !FILE_TEMP.test(n));
  if (foreign !== undefined)
    throw new OutputError(
      shown,
      `holds ${foreign}, which tabmdp does not write there; the whole folder is replaced, so choose a new ` +
        `or empty folder (or move ${foreign} away)`,
    );
  return true;
}

/**
 * Write a folder as a whole: `fill(tmp)` writes into a fresh hidden sibling, which then replaces `out`.
 * Resolves to fill's result once `out` holds the new content. With `reuseLeftovers`, fill's second argument
 * lists the temporary folders killed writers of `out` left (otherwise it is empty; they are already gone).
 * @throws OutputError for an unwritable path, a held lock, a folder with foreign files, or a failed write;
 * the previous `out` is then left as it was.
 * @example
 * import { readFile, writeFile } from "node:fs/promises";
 * import { join } from "node:path";
 * await replaceDir("runs/x", (tmp) => writeFile(join(tmp, "a.csv"), "1.0\n"), { ownNames: (n) => n === "a.csv" });
 * await readFile("runs/x/a.csv", "utf8"); //=> "1.0\n"
 */
export async function replaceDir<T>(
  out: string,
  fill: (tmp: string, leftovers: readonly string[]) => Promise<T>,
  o: ReplaceDirOptions,
): Promise<T> {
  await checkOutputPath(out, "folder");
  const abs = resolve(out);
  return asOutputError(out, "cannot write", async () => {
    await mkdir(dirname(abs), { recursive: true });
    const release = await acquireLock(sibling(abs, "lock"), out);
    const tmp = sibling(abs, `new-${unique()}`);
    try {
      const leftovers = await recoverLocked(abs, o.reuseLeftovers === true);
      const hadOld = await checkOwned(abs, out, o);
      await mkdir(tmp);
      const result = await fill(tmp, leftovers).catch((e: unknown) => {
        // Name the file as the user will know it: under OUT, not under the hidden temporary folder.
        if (e instanceof OutputError && e.path.startsWith(tmp))
          throw new OutputError(join(out, e.path.slice(tmp.length)), e.reason);
        throw e;
      });
      killPoint("folder-filled");
      const backup = sibling(abs, `old-${unique()}`);
      if (hadOld) await rename(abs, backup);
      killPoint("old-moved-aside");
      try {
        await rename(tmp, abs);
      } catch (e) {
        if (hadOld) await rename(backup, abs);
        throw e;
      }
      killPoint("new-in-place");
      if (hadOld) await rm(backup, { recursive: true, force: true });
      for (const l of leftovers) await rm(l, { recursive: true, force: true });
      return result;
    } finally {
      await rm(tmp, { recursive: true, force: true });
      await release();
    }
  });
}
