// Kill -9 test of folder-level atomic writes: replace an old output folder by a new one, kill the writer at a
// random moment, let the next writer's recovery step run, and check the folder equals the old or the new one
// byte for byte (never a mix, never missing), with no leftovers beside it.
//
// Usage: npx tsx scripts/kill-test.ts [--rounds 200] [--seed 1] [--command export|build|bench|learn]
//   export: old = data/sepsisim-management-easy, new = data/sepsisim-management-hard (plain CSVs, ~4.5 MB)
//   build:  old / new = `build sepsispilot/mild-sepsis --patients 300` with seeds 1 / 2
//   bench:  old / new = `bench data/demo`, 2 learners x 3 seeds, 2000 / 3000 episodes, one worker thread, --force
//   learn:  old / new = `learn data/demo`, 20000 / 30000 episodes, --force
// Run folders record timings (learnMs, evalMs, wallSeconds, the report's wall time) and the code version
// (manifest.json's git commit and dirty flag, which move when the repository changes during a long test):
// those values are blanked before comparing, every other byte must match.
// Half the kills fall uniformly over the whole run; the other half are timed from the moment the writer
// takes its lock (an fs.watch event), uniformly over the measured write phase, so the swap itself is hit.
// Kill moments come from the seed; what state each kill lands in depends on the machine's timing.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { watch } from "node:fs";
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { seeded } from "../src/core/rng.js";
import { recoverOutputDir } from "../src/io/index.js";

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};
const rounds = Number(arg("rounds", "200"));
const seed = arg("seed", "1");
const command = arg("command", "export");
const COMMANDS = ["export", "build", "bench", "learn"];
if (!(Number.isInteger(rounds) && rounds > 0) || !COMMANDS.includes(command)) {
  process.stderr.write(
    "usage: tsx scripts/kill-test.ts [--rounds N] [--seed S] [--command export|build|bench|learn]\n",
  );
  process.exit(2);
}

const repo = join(import.meta.dirname, "..");
const work = await mkdtemp(join(tmpdir(), "tabmdp-kill-"));
const demo = join(repo, "data", "demo");
const cliArgs = (which: "old" | "new", out: string): string[] => {
  const old = which === "old";
  switch (command) {
    case "export":
      return ["export", join(repo, "data", `sepsisim-management-${old ? "easy" : "hard"}`), out];
    case "build":
      return [
        "build",
        "sepsispilot/mild-sepsis",
        "--patients",
        "300",
        "--seed",
        old ? "1" : "2",
        "--out",
        out,
      ];
    case "bench":
      return [
        ...["bench", demo, "--algos", "q-learning,sarsa", "--seeds", "3", "--workers", "1"],
        ...["--episodes", old ? "2000" : "3000", "--force", "--out", out],
      ];
    default:
      return ["learn", demo, "--episodes", old ? "20000" : "30000", "--force", "--out", out];
  }
};

/** File bytes with the recorded timings blanked (they differ between two runs of the same sweep). */
const comparable = (name: string, bytes: Buffer): Buffer | string =>
  name.endsWith(".json")
    ? bytes.toString("utf8").replace(/"(learnMs|evalMs|wallSeconds|commit|dirty)": [^,\n}]+/g, '"$1": 0')
    : name.endsWith(".html")
      ? bytes.toString("utf8").replace(/wall time [^;<]+/g, "wall time 0")
      : bytes;

/** sha256 of every file under dir, by relative path; sorted JSON so two folders compare as strings. */
async function digest(dir: string): Promise<string | null> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => null);
  if (entries === null) return null;
  const files: [string, string][] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    files.push([
      p.slice(dir.length + 1),
      createHash("sha256")
        .update(comparable(e.name, await readFile(p)))
        .digest("hex"),
    ]);
  }
  return JSON.stringify(files.sort());
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** ms from spawn to the lock appearing (null: never seen), and to exit. */
  lockAt: number | null;
  exitAt: number;
}

/** Run the CLI; kill it with SIGKILL `killAfter` ms after spawn, or `afterLock` ms after its lock appears. */
function run(
  args: string[],
  out: string,
  kill: { afterSpawn?: number; afterLock?: number } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let lockAt: number | null = null;
    const lockName = `.${basename(out)}.tabmdp-lock`;
    const child = spawn(process.execPath, ["--import", "tsx", join(repo, "src/cli/run.ts"), ...args], {
      stdio: "ignore",
    });
    const w = watch(work, (_ev, name) => {
      if (name !== lockName || lockAt !== null) return;
      lockAt = performance.now() - t0;
      if (kill.afterLock !== undefined) setTimeout(() => child.kill("SIGKILL"), kill.afterLock);
    });
    if (kill.afterSpawn !== undefined) setTimeout(() => child.kill("SIGKILL"), kill.afterSpawn);
    child.on("exit", (code, signal) => {
      w.close();
      resolve({ code, signal, lockAt, exitAt: performance.now() - t0 });
    });
  });
}

const out = join(work, "out");
const ref = { old: join(work, "ref-old"), new: join(work, "ref-new") };
// References: one uninterrupted run each, timed (the write phase starts when the lock appears).
const refOld = await run(cliArgs("old", ref.old), ref.old);
const refNew = await run(cliArgs("new", out), out);
await cp(out, ref.new, { recursive: true });
if (refOld.code !== 0 || refNew.code !== 0 || refNew.lockAt === null) {
  process.stderr.write(`reference runs failed (exit ${refOld.code}, ${refNew.code})\n`);
  process.exit(1);
}
const oldDigest = await digest(ref.old);
const newDigest = await digest(ref.new);
const total = refNew.exitAt;
const writePhase = refNew.exitAt - refNew.lockAt;
process.stdout.write(
  `${command}: reference run ${total.toFixed(0)} ms, write phase (lock to exit) ${writePhase.toFixed(0)} ms; ` +
    `${rounds} rounds, seed ${seed}\n`,
);

const rng = seeded(`kill-test:${seed}`);
const tally = {
  old: 0,
  new: 0,
  mixed: 0,
  missing: 0,
  failed: 0,
  notKilled: 0,
  killedInWritePhase: 0,
  leftovers: 0,
};
for (let i = 0; i < rounds; i++) {
  await rm(out, { recursive: true, force: true });
  await cp(ref.old, out, { recursive: true });
  const timed = i % 2 === 1;
  const r = await run(
    cliArgs("new", out),
    out,
    timed ? { afterLock: rng.next() * writePhase * 1.1 } : { afterSpawn: rng.next() * total * 1.1 },
  );
  if (r.signal !== "SIGKILL" && r.code !== 0) {
    tally.failed++;
    process.stdout.write(`round ${i + 1}: the writer failed by itself (exit ${r.code})\n`);
  } else if (r.signal !== "SIGKILL") tally.notKilled++;
  else if (r.lockAt !== null) tally.killedInWritePhase++;
  await recoverOutputDir(out);
  const d = await digest(out);
  if (d === oldDigest) tally.old++;
  else if (d === newDigest) tally.new++;
  else {
    tally[d === null ? "missing" : "mixed"]++;
    process.stdout.write(
      `round ${i + 1}: folder is neither old nor new (${d === null ? "missing" : "mixed"})\n`,
    );
  }
  const left = (await readdir(work)).filter((n) => n.startsWith(".out."));
  const inside = (await readdir(out).catch(() => [] as string[])).filter((n) => n.startsWith("."));
  if (left.length + inside.length > 0) {
    tally.leftovers++;
    process.stdout.write(`round ${i + 1}: leftovers after recovery: ${[...left, ...inside].join(", ")}\n`);
  }
}
process.stdout.write(
  `${command}, ${rounds} rounds: ${tally.old} old, ${tally.new} new, ${tally.mixed} mixed, ${tally.missing} missing; ` +
    `${rounds - tally.notKilled - tally.failed} killed (${tally.killedInWritePhase} after taking the lock), ` +
    `${tally.notKilled} finished first, ${tally.failed} failed by themselves; ` +
    `${tally.leftovers} with leftovers after recovery\n`,
);
await rm(work, { recursive: true, force: true });
process.exit(tally.mixed + tally.missing + tally.leftovers + tally.failed > 0 ? 1 : 0);
