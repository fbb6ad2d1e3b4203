// Run folders of learn/bench/tune are replaced whole: a run killed at any moment leaves --out as it was, and
// --resume of the same sweep takes over the jobs the killed run had finished (kept in its hidden folder).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recoverOutputDir, writeMdpDir } from "../src/io/index.js";
import { randomMdp } from "./helpers/learning-mdps.js";
import { runCli } from "./helpers/run-cli.js";
import { repoRoot, spawnCli } from "./helpers/spawn-cli.js";

let root = "";
let mdpDir = "";
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "tabmdp-swap-"));
  mdpDir = join(root, "mdp");
  const m = randomMdp(6, 3, 5);
  await writeMdpDir({ ...m, metadata: { ...m.metadata, gamma: 0.9 } }, mdpDir);
});
afterAll(() => rm(root, { recursive: true, force: true }));

const sweep = (episodes: number, out: string): string[] => [
  "bench",
  mdpDir,
  ...["--algos", "q-learning,sarsa", "--seeds", "2", "--episodes", String(episodes), "--workers", "0"],
  ...["--out", out],
];

/** Every file under dir with its bytes, sorted by path. */
async function snapshot(dir: string): Promise<[string, string][]> {
  const names = (await readdir(dir, { recursive: true })) as string[];
  const files: [string, string][] = [];
  for (const n of names.sort()) {
    const text = await readFile(join(dir, n), "utf8").catch(() => null);
    if (text !== null) files.push([n, text]);
  }
  return files;
}

const hidden = async (out: string): Promise<string[]> =>
  (await readdir(root)).filter((n) => n.startsWith(`.${out.slice(root.length + 1)}.`));

describe("bench --out is swapped in whole", () => {
  it("a bench killed after two saved jobs leaves the old folder untouched", async () => {
    const out = join(root, "keep");
    expect((await runCli(...sweep(200, out))).code).toBe(0);
    const before = await snapshot(out);
    const killed = await spawnCli([...sweep(300, out), "--force"], {
      env: { TABMDP_KILL_AT: "job-saved:2" },
    });
    expect(killed.signal).toBe("SIGKILL");
    expect(await snapshot(out)).toEqual(before);
    // The next writer that does not resume removes the killed run's folder.
    const again = await runCli(...sweep(300, out), "--force");
    expect(again.code).toBe(0);
    expect(await hidden(out)).toEqual([]);
    expect(JSON.parse(await readFile(join(out, "sweep.json"), "utf8")).settings.episodes).toBe(300);
  });

  // The swap itself: killed between its two renames only the backup exists, and recovery puts it back.
  it.each([
    ["old-moved-aside", 200],
    ["new-in-place", 300],
  ])(
    "a bench killed at %s leaves the folder of the %i-episode sweep after recovery",
    async (point, episodes) => {
      const out = join(root, `swap-${point}`);
      expect((await runCli(...sweep(200, out))).code).toBe(0);
      const killed = await spawnCli([...sweep(300, out), "--force"], { env: { TABMDP_KILL_AT: point } });
      expect(killed.signal).toBe("SIGKILL");
      await recoverOutputDir(out);
      expect(JSON.parse(await readFile(join(out, "manifest.json"), "utf8")).sweep.episodes).toBe(episodes);
      expect(await hidden(out)).toEqual([]);
    },
  );

  it("a damaged sweep.json is named, and --force replaces it", async () => {
    const out = join(root, "damaged");
    expect((await runCli(...sweep(200, out))).code).toBe(0);
    await writeFile(join(out, "sweep.json"), "{ cut short");
    const r = await runCli(...sweep(200, out), "--resume");
    expect(r.code).toBe(2);
    expect(r.err).toContain("sweep.json: not valid JSON");
    expect((await runCli(...sweep(200, out), "--force")).code).toBe(0);
    expect(JSON.parse(await readFile(join(out, "sweep.json"), "utf8")).settings.episodes).toBe(200);
  });

  it("--resume takes over the jobs a killed run finished, and ends as an uninterrupted run", async () => {
    const [out, full] = [join(root, "resumed"), join(root, "full")];
    const killed = await spawnCli(sweep(300, out), { env: { TABMDP_KILL_AT: "job-saved:3" } });
    expect(killed.signal).toBe("SIGKILL");
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
    expect(await hidden(out)).toHaveLength(2); // the killed run's folder and its lock
    const r = await runCli(...sweep(300, out), "--resume", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(await readFile(join(out, "manifest.json"), "utf8")).resumedJobs).toBe(3);
    expect(await hidden(out)).toEqual([]);
    expect((await runCli(...sweep(300, full))).code).toBe(0);
    for (const f of ["results.csv", "summary.csv", "summary.json", "curves.svg"])
      expect(await readFile(join(out, f), "utf8")).toBe(await readFile(join(full, f), "utf8"));
  });

  it("a resume that finds another sweep's leftovers drops them and runs every job", async () => {
    const out = join(root, "other");
    const killed = await spawnCli(sweep(200, out), { env: { TABMDP_KILL_AT: "job-saved:2" } });
    expect(killed.signal).toBe("SIGKILL");
    expect((await runCli(...sweep(300, out), "--resume")).code).toBe(0);
    expect(JSON.parse(await readFile(join(out, "manifest.json"), "utf8")).resumedJobs).toBe(0);
    expect(await hidden(out)).toEqual([]);
  });

  it("Ctrl-C after the first saved job: exit 130, the folder swapped in, the stopped run flagged and left out", async () => {
    const out = join(root, "interrupted");
    // Long jobs on a worker thread, so the main thread answers SIGINT while the second job runs.
    const args = [
      ...["bench", mdpDir, "--algos", "q-learning", "--seeds", "3", "--episodes", "400000"],
      ...["--eval-every", "100000", "--workers", "1", "--out", out, "--json"],
    ];
    const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "src/cli/run.ts"), ...args], {
      cwd: repoRoot,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    // Wait (by polling, no timing assumption) for the first job file in the hidden folder being filled.
    const firstJob = async (): Promise<boolean> => {
      for (const n of await readdir(root)) {
        const jobs = join(root, n, "jobs");
        if (n.startsWith(".interrupted.tabmdp-new-") && existsSync(jobs) && (await readdir(jobs)).length > 0)
          return true;
      }
      return false;
    };
    while (!(await firstJob())) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(out)).toBe(false); // nothing in --out before the swap
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toContain("interrupted: writing the finished runs");
    expect(stderr).not.toMatch(/\n\s+at /);
    const printed = JSON.parse(stdout);
    expect(printed.interrupted).toBe(true);
    expect(printed.finishedJobs).toBeGreaterThanOrEqual(1);
    expect(printed.finishedJobs).toBeLessThan(3);
    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    expect(manifest.interrupted).toBe(true);
    expect(await readFile(join(out, "report.html"), "utf8")).toContain("Interrupted");
    expect(await hidden(out)).toEqual([]);
    // The summary flags the run stopped early and leaves it out of the means.
    const summary = await readFile(join(out, "summary.csv"), "utf8");
    const [head, row] = summary
      .trim()
      .split("\n")
      .map((l) => l.split(","));
    expect(Number(row![head!.indexOf("runs")])).toBe(printed.finishedJobs);
    expect(Number(row![head!.indexOf("partial_runs")])).toBe(1);
  }, 300_000);
});
