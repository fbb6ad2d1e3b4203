/**
 * Native reference loops: the value-iteration sweep, random-action stepping and Q-learning written in C,
 * over the same data, compiled with this machine's C compiler, and timed alternately with tabmdp's own, so
 * the ratio holds even when the shared machine's speed drifts between runs. They tell what a target would
 * need from the hardware; they are not part of tabmdp. Skipped when no C compiler (`cc`) is installed.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { continuation } from "../solvers/bellman.js";
import { compactRows } from "../solvers/compact-rows.js";
import { valueIteration } from "../solvers/index.js";
import { initialStateRecords, transitionSampler } from "../src/env/sampler.js";
import { readMdpDir } from "../src/io/index.js";
import { actionSets } from "../src/model/action-sets.js";
import { expectedRewardSA, type TabularMdp } from "../src/model/mdp.js";
import { hasIcuSepsis, icuSepsisDir } from "../tests/helpers/shared.js";
import { randomStepsPerSecond, vectorStepsPerSecond } from "./core.js";
import { type BenchFigure, median } from "./harness.js";
import { learnerStepsPerSecond, STUDY } from "./learning.js";

const RUNS = 5;
/** Q-learning runs: 300k episodes (about 3 M steps), long enough that the Q table's visit counts matter. */
const QL_EPISODES = 300_000;
const SOURCES = resolve(import.meta.dirname, "native");

export async function benchNative(): Promise<BenchFigure[]> {
  if (!hasIcuSepsis) return [];
  if (spawnSync("cc", ["--version"]).status !== 0) {
    process.stderr.write("bench: no C compiler (cc) found; native reference figures skipped\n");
    return [];
  }
  const m = await readMdpDir(icuSepsisDir);
  const dir = mkdtempSync(join(tmpdir(), "tabmdp-native-"));
  try {
    dumpInputs(m, dir);
    const vi = {
      o2: compile(dir, "vi", ["-O2"]),
      o3: compile(dir, "vi", ["-O3", "-march=native"]),
    };
    const walk = compile(dir, "walk", ["-O2"]);
    const qlearn = compile(dir, "qlearn", ["-O2"]);
    const t = { js: [] as number[], o2: [] as number[], o3: [] as number[] };
    const w = { js: [] as number[], vec: [] as number[], c1: [] as number[], c4: [] as number[] };
    const ql = { js: [] as number[], c1: [] as number[], c64: [] as number[] };
    const qParams = { ...STUDY, algo: "q-learning" } as const;
    valueIteration(m, { gamma: 1 }); // warm-ups
    randomStepsPerSecond(m, 5_000_000, 0);
    vectorStepsPerSecond(m, 256, 5_000_000, 0);
    learnerStepsPerSecond(m, qParams, 20_000, 0);
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      valueIteration(m, { gamma: 1, tolerance: 1e-10 });
      t.js.push(performance.now() - t0);
      t.o2.push(run(vi.o2, [dir])[1]!);
      t.o3.push(run(vi.o3, [dir])[1]!);
      w.js.push(randomStepsPerSecond(m, 20_000_000, i + 1) / 1e6);
      w.c1.push(run(walk, [dir, "1", "20000000"])[0]!);
      w.c4.push(run(walk, [dir, "4", "20000000"])[0]!);
      w.vec.push(vectorStepsPerSecond(m, 256, 20_000_000, i + 1) / 1e6);
      ql.js.push(learnerStepsPerSecond(m, qParams, QL_EPISODES, i + 1));
      ql.c1.push(run(qlearn, [dir, "1", String(QL_EPISODES)])[0]!);
      ql.c64.push(run(qlearn, [dir, "64", String(QL_EPISODES)])[0]!);
    }
    return [
      figure("native C value iteration, Jacobi, -O2 (same rows, same sums)", t.o2, "ms"),
      figure("native C value iteration, Jacobi, -O3 -march=native", t.o3, "ms"),
      figure("tabmdp VI alongside (whole solve: setup, sweeps, greedy policy)", t.js, "ms"),
      ratioFigure("  ratio tabmdp VI / C -O2 (run by run)", t.js, t.o2),
      figure("native C random-action steps, one episode at a time, -O2", w.c1, "M/s"),
      figure("native C random-action steps, 4 episodes interleaved, -O2", w.c4, "M/s"),
      figure("tabmdp env random-action steps alongside, one episode (stepFast)", w.js, "M/s"),
      figure("tabmdp vector env alongside, 256 episodes (sampleAndStep)", w.vec, "M/s"),
      ratioFigure("  ratio C (one episode) / tabmdp env (run by run)", w.c1, w.js),
      figure(
        "native C Q-learning, compact layout, one episode at a time, -O2 (study settings)",
        ql.c1,
        "M/s",
      ),
      figure("native C Q-learning, compact layout, 64 actors sharing Q, -O2", ql.c64, "M/s"),
      figure("tabmdp Q-learning alongside (study settings)", ql.js, "M/s"),
      ratioFigure("  ratio C (one episode) / tabmdp Q-learning (run by run)", ql.c1, ql.js),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The median of run-by-run ratios a[i] / b[i]: immune to drift that hits both runs of a pair. */
function ratioFigure(name: string, a: number[], b: number[]): BenchFigure {
  return { name, median: median(a.map((x, i) => x / b[i]!)), unit: "x", runs: a.length };
}

function figure(name: string, xs: number[], unit: string): BenchFigure {
  return { name, median: median(xs), unit, runs: xs.length };
}

/** The arrays the C programs read, as raw little-endian binaries. */
function dumpInputs(m: TabularMdp, dir: string): void {
  const sets = actionSets(m, true);
  const rows = compactRows(m, sets, expectedRewardSA(m), continuation(m, 1));
  const sampler = transitionSampler(m);
  const arrays: Record<string, ArrayBufferView> = {
    statePtr: rows.statePtr,
    rowPtr: rows.rowPtr,
    next: rows.next,
    weight: rows.weight,
    reward: rows.reward,
    rowStart: sampler.rowStart,
    rowLen: sampler.rowLen,
    rec: sampler.rec,
    terminal: m.terminalS,
    d0rec: initialStateRecords(m),
    nA: Int32Array.of(m.nA),
    nS: Int32Array.of(m.nS),
    setPtr: sets.ptr,
    setAct: sets.actions,
    rS: m.reward.kind === "next-state" ? m.reward.rS : new Float64Array(m.nS),
  };
  for (const [name, a] of Object.entries(arrays)) {
    writeFileSync(join(dir, `${name}.bin`), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
}

function compile(dir: string, name: string, flags: string[]): string {
  const out = join(dir, `${name}${flags.join("").replace(/[^A-Za-z0-9]/g, "")}`);
  const r = spawnSync("cc", [...flags, "-o", out, join(SOURCES, `${name}.c`), "-lm"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`cc failed on ${name}.c: ${r.stderr}`);
  return out;
}

/** Runs a compiled program; returns the numbers it prints. */
function run(program: string, args: string[]): number[] {
  const r = spawnSync(program, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${program} failed: ${r.stderr}`);
  return r.stdout.trim().split(/\s+/).map(Number);
}
