import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMdpDir, recoverOutputDir, replaceDir, writeMdpDir, writeVectorCsv } from "../src/io/index.js";
import { randomIcuShapedMdp } from "../src/model/random-mdp.js";
import { cleanFixtures, tempDir } from "./helpers/io-fixture.js";
import { repoRoot } from "./helpers/spawn-cli.js";

afterAll(cleanFixtures);

/** Every file under `dir` with its bytes, by relative path. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) {
      const p = join(e.parentPath, e.name);
      out[p.slice(dir.length + 1)] = (await readFile(p)).toString("base64");
    }
  return out;
}

/** Export `src` to `out` (gzipped) in a child process killed with SIGKILL at the named point. */
const killedExport = (src: string, out: string, point: string): Promise<NodeJS.Signals | null> =>
  new Promise((resolve, reject) => {
    const child = join(repoRoot, "tests/helpers/export-child.ts");
    const c = spawn(process.execPath, ["--import", "tsx", child, src, out, "gzip"], {
      env: { ...process.env, TABMDP_KILL_AT: point },
      stdio: "ignore",
    });
    c.on("error", reject);
    c.on("exit", (_code, signal) => resolve(signal));
  });

/** The pid of a process that has already exited. */
const deadPid = (): Promise<number> =>
  new Promise((resolve) => {
    const c = spawn(process.execPath, ["-e", ""]);
    c.on("exit", () => resolve(c.pid ?? 0));
  });

const small = randomIcuShapedMdp("old", { states: 4, actions: 2, expert: true });
const other = randomIcuShapedMdp("new", { states: 7, actions: 3, admissibility: true });

describe("folder swap", () => {
  let root = "";
  let oldDir = "";
  let newDir = "";
  let oldBytes: Record<string, string> = {};
  let newBytes: Record<string, string> = {};
  beforeAll(async () => {
    root = await tempDir();
    oldDir = join(root, "old-src");
    newDir = join(root, "new-src");
    await writeMdpDir(small, oldDir);
    await writeMdpDir(other, newDir, { gzip: true });
    oldBytes = await snapshot(oldDir);
    newBytes = await snapshot(newDir);
  });

  // Each named point of a write, killed with SIGKILL there: the folder is the old one or the new one after the
  // recovery any later writer runs first, and nothing of the killed run is left behind.
  it.each([
    ["file-written:1", "old"],
    ["file-written:3", "old"],
    ["folder-filled", "old"],
    ["old-moved-aside", "old"],
    ["new-in-place", "new"],
  ])("kill -9 at %s leaves the %s folder", async (point, which) => {
    const out = join(root, `out-${point.replace(":", "-")}`);
    await writeMdpDir(small, out);
    expect(await killedExport(newDir, out, point)).toBe("SIGKILL");
    await recoverOutputDir(out);
    expect(await snapshot(out)).toEqual(which === "old" ? oldBytes : newBytes);
    const left = (await readdir(root)).filter((n) => n.startsWith(`.${basename(out)}.`));
    expect(left).toEqual([]);
    await writeMdpDir(other, out, { gzip: true });
    expect(await snapshot(out)).toEqual(newBytes);
  });

  it("a live writer's lock is respected; a dead writer's lock is taken over", async () => {
    const out = join(root, "locked");
    const lock = join(root, ".locked.tabmdp-lock");
    await writeFile(lock, `${process.pid}\n`);
    await expect(writeMdpDir(small, out)).rejects.toThrow(/another process \(pid \d+\) is writing it/);
    await writeFile(lock, `${await deadPid()}\n`);
    await writeMdpDir(small, out);
    expect(await snapshot(out)).toEqual(oldBytes);
    expect((await readdir(root)).filter((n) => n.startsWith(".locked."))).toEqual([]);
  });

  it("two writers at once: one wins, the other is refused, the folder is whole", async () => {
    const out = join(root, "race");
    const results = await Promise.allSettled([
      writeMdpDir(small, out),
      writeMdpDir(other, out, { gzip: true }),
    ]);
    const ok = results.filter((r) => r.status === "fulfilled").length;
    expect(ok).toBeGreaterThanOrEqual(1);
    for (const r of results) if (r.status === "rejected") expect(String(r.reason)).toMatch(/another process/);
    expect([oldBytes, newBytes]).toContainEqual(await snapshot(out));
  });

  it("recovery puts a lone backup back and deletes leftover temporaries", async () => {
    const out = join(root, "lost");
    const backup = join(root, ".lost.tabmdp-old-1-0000abcd");
    await writeMdpDir(small, backup.replace(".tabmdp-old-1-0000abcd", ".staging"));
    await mkdir(dirname(backup), { recursive: true });
    const { rename } = await import("node:fs/promises");
    await rename(join(root, ".lost.staging"), backup);
    await mkdir(join(root, ".lost.tabmdp-new-2-0000abcd"));
    await recoverOutputDir(out);
    expect(await snapshot(out)).toEqual(oldBytes);
    expect((await readdir(root)).filter((n) => n.startsWith(".lost."))).toEqual([]);
  });

  it("a file write removes its own temporaries left by dead writers, not those of live ones", async () => {
    const dir = join(root, "files");
    await mkdir(dir);
    const dead = `.values.csv.${await deadPid()}.deadbeef.tmp`;
    const live = `.values.csv.${process.pid}.0badcafe.tmp`;
    for (const n of [dead, live]) await writeFile(join(dir, n), "partial");
    await writeVectorCsv(join(dir, "values.csv"), [0.5]);
    expect((await readdir(dir)).sort()).toEqual([live, "values.csv"].sort());
  });

  it("a failing fill leaves the previous folder and no temporary", async () => {
    const out = join(root, "keep");
    await writeMdpDir(small, out);
    const fail = replaceDir(
      out,
      async (tmp) => {
        await writeFile(join(tmp, "metadata.json"), "{}");
        throw new Error("simulated failure");
      },
      { ownNames: () => true },
    );
    await expect(fail).rejects.toThrow("simulated failure");
    expect(await snapshot(out)).toEqual(oldBytes);
    expect((await readdir(root)).filter((n) => n.startsWith(".keep."))).toEqual([]);
    expect((await readMdpDir(out)).nS).toBe(small.nS);
  });
});
