// npm run bench -- scale [--states=1000,10000,100000] [--reps=3] [--ops=vi,eval,det,learn]
// [--variants=continuing,episodic] [--sweeps=100]:
// tabmdp beside scipy on random sparse MDPs
// (10 actions, 10 successors per pair), repetitions interleaved (tabmdp, scipy, tabmdp, ...) so that the noise
// of a shared machine hits both sides alike; medians. scipy runs in one python3 process fed over stdin.
// Wall times, then CPU times (all threads of the process): on a machine busier than its cores, wall time
// also counts the waits for a core, which CPU time leaves out (and threads show only in wall time).
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { deterministicTable, expectedReturnOf, uniformTable, valueIteration } from "../solvers/index.js";
import { residualTarget } from "../solvers/linear/restricted-solve.js";
import { expectedRewardSA, type TabularMdp } from "../src/model/mdp.js";
import { randomSparseMdp } from "../src/model/random-sparse-mdp.js";
import { type BenchFigure, median } from "./harness.js";
import { checkpointSeconds, envRate, qLearningRates } from "./scale-learn.js";

const ACTIONS = 10;
const SUCCESSORS = 10;
const SEED = 1;
/** Episodic variant: each step ends the episode with this probability (mean length 20). */
const EXIT = 0.05;
/** VI is timed over a fixed number of sweeps on both sides (--sweeps; full convergence at 10^5 states takes minutes). */
const DEFAULT_SWEEPS = "100";
/** Sizes up to this many states get five warm-up rounds instead of one (a round there takes milliseconds). */
const WARM_SIZES_UP_TO = 10_000;
const GAMMA = 0.99;

const arg = (name: string, fallback: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;

interface Scipy {
  ask(line: string): Promise<Record<string, number>>;
  close(): void;
}

/** The python3 + scipy server (bench/scale_scipy.py), or null when python3 or scipy is missing. */
async function startScipy(): Promise<Scipy | null> {
  const child = spawn("python3", [join(import.meta.dirname, "scale_scipy.py")], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += String(d);
  });
  const ask = async (line: string): Promise<Record<string, number>> => {
    child.stdin.write(`${line}\n`);
    const r = await lines.next();
    if (r.done) throw new Error(`scipy side ended: ${stderr.slice(-500)}`);
    return JSON.parse(r.value) as Record<string, number>;
  };
  const close = (): void => {
    child.stdin.end("quit\n");
  };
  try {
    await new Promise<void>((ok, fail) => {
      child.once("spawn", ok);
      child.once("error", fail);
    });
    return { ask, close };
  } catch {
    return null;
  }
}

/** The model's CSR arrays and expected rewards as raw files for numpy.fromfile. */
async function dump(m: TabularMdp, dir: string): Promise<void> {
  const raw = (a: Int32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  await writeFile(join(dir, "rowPtr.i32"), raw(m.rowPtr));
  await writeFile(join(dir, "next.i32"), raw(m.next));
  await writeFile(join(dir, "prob.f64"), raw(m.prob));
  await writeFile(join(dir, "reward.f64"), raw(expectedRewardSA(m)));
  const terminal: number[] = [];
  for (let s = 0; s < m.nS; s++) if (m.terminalS[s] === 1) terminal.push(s);
  await writeFile(join(dir, "meta.json"), JSON.stringify({ nS: m.nS, nA: m.nA, terminal }));
}

/** The residual bound tabmdp's solver works to for the policy: scipy's gmres gets the same. */
function evaluationTarget(m: TabularMdp, gamma: number, piSA: Float64Array): number {
  const rSA = expectedRewardSA(m);
  let max = 0;
  let live = 0;
  for (let s = 0; s < m.nS; s++) {
    if (m.terminalS[s] === 1) continue;
    live++;
    let r = 0;
    for (let a = 0; a < m.nA; a++) r += piSA[s * m.nA + a]! * rSA[s * m.nA + a]!;
    max = Math.max(max, Math.abs(r));
  }
  return residualTarget(max, live, gamma);
}

/** The deterministic policy of the "det" operation, action s mod A in state s (scale_scipy.py's "cyclic"). */
const cyclicPolicy = (m: TabularMdp): Float64Array =>
  deterministicTable(
    m,
    Int32Array.from({ length: m.nS }, (_, s) => s % m.nA),
  );

interface Row {
  readonly op: string;
  readonly states: number;
  readonly tabmdp: number;
  readonly scipy: number | null;
  readonly tabmdpCpu: number;
  readonly scipyCpu: number | null;
}

interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

const NOT_RUN: Timing = { wall: Number.NaN, cpu: Number.NaN };

/** Wall and CPU milliseconds of f (CPU: user + system of every thread of this process). */
const time = (f: () => unknown): Timing => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1e3 };
};

/**
 * tabmdp's exact return of a policy, timed, then scipy's answer to `command` (the same evaluation). A fresh
 * model object each time: the chain pattern and expected rewards cached per model are rebuilt, as in a
 * one-off evaluation (scipy also rebuilds P_pi each time).
 */
async function evaluateBoth(
  m: TabularMdp,
  piSA: Float64Array,
  gamma: number,
  scipy: Scipy | null,
  command: string,
): Promise<{ time: Timing; value: number; scipy: Record<string, number> | undefined }> {
  const fresh: TabularMdp = { ...m };
  let value = 0;
  const t = time(() => {
    value = expectedReturnOf(fresh, piSA, { gamma });
  });
  return { time: t, value, scipy: await scipy?.ask(command) };
}

/** What an operation not asked for reports. */
const NOT_EVALUATED = { time: NOT_RUN, value: 0, scipy: undefined } as const;

export async function benchScale(): Promise<BenchFigure[]> {
  const sizes = arg("states", "1000,10000,100000").split(",").map(Number);
  const reps = Number(arg("reps", "3"));
  const ops = new Set(arg("ops", "vi,eval").split(","));
  const variants = new Set(arg("variants", "continuing,episodic").split(","));
  const sweeps = Number(arg("sweeps", DEFAULT_SWEEPS));
  const scipy = await startScipy();
  const work = await mkdtemp(join(tmpdir(), "tabmdp-scale-"));
  const rows: Row[] = [];
  const memory: string[] = [];
  const learning: string[] = [];
  try {
    for (const n of sizes) {
      for (const episodic of [false, true]) {
        if (!variants.has(episodic ? "episodic" : "continuing")) continue;
        const exitProbability = episodic ? EXIT : 0;
        const m = randomSparseMdp(SEED, {
          states: n,
          actions: ACTIONS,
          successors: SUCCESSORS,
          exitProbability,
        });
        const gamma = episodic ? 1 : GAMMA;
        const label = episodic ? "episodic, gamma = 1" : `gamma = ${GAMMA}`;
        const dir = join(work, `${n}-${episodic}`);
        await mkdir(dir);
        await dump(m, dir);
        await scipy?.ask(`load ${dir}`);
        const pi = uniformTable(m);
        const atol = evaluationTarget(m, gamma, pi);
        const piDet = cyclicPolicy(m);
        const atolDet = evaluationTarget(m, gamma, piDet);
        const t: Record<string, number[]> = {
          vi: [],
          ev: [],
          de: [],
          svi: [],
          sev: [],
          sde: [],
          cvi: [],
          cev: [],
          cde: [],
          csvi: [],
          csev: [],
          csde: [],
        };
        const checks: string[] = [];
        // Rounds that warm both sides up: at the small sizes, timed first, one round leaves the JIT unsettled.
        const warmups = n <= WARM_SIZES_UP_TO ? 5 : 1;
        for (let r = 0; r < reps + warmups; r++) {
          const keep = r >= warmups;
          const vi = ops.has("vi")
            ? time(() => valueIteration(m, { gamma, tolerance: 1e-300, maxIterations: sweeps }))
            : NOT_RUN;
          const s1 = ops.has("vi") ? await scipy?.ask(`vi ${gamma} ${sweeps}`) : undefined;
          const {
            time: ev,
            value,
            scipy: s2,
          } = ops.has("eval")
            ? await evaluateBoth(m, pi, gamma, scipy, `eval ${gamma} ${atol}`)
            : NOT_EVALUATED;
          const {
            time: de,
            value: valueDet,
            scipy: s3,
          } = ops.has("det")
            ? await evaluateBoth(m, piDet, gamma, scipy, `eval ${gamma} ${atolDet} cyclic`)
            : NOT_EVALUATED;
          if (!keep) {
            if (s2 && r === 0)
              checks.push(
                `values ${value} vs ${s2.value} (scipy residual ${s2.residual?.toExponential(1)}, target ${atol.toExponential(1)})`,
              );
            if (s3 && r === 0)
              checks.push(
                `deterministic policy: values ${valueDet} vs ${s3.value} (scipy residual ${s3.residual?.toExponential(1)}, target ${atolDet.toExponential(1)})`,
              );
            continue;
          }
          t.de!.push(de.wall);
          t.cde!.push(de.cpu);
          if (s3) t.sde!.push(s3.ms!);
          if (s3) t.csde!.push(s3.cpuMs!);
          t.vi!.push(vi.wall);
          t.ev!.push(ev.wall);
          t.cvi!.push(vi.cpu);
          t.cev!.push(ev.cpu);
          if (s1) t.svi!.push(s1.ms!);
          if (s2) t.sev!.push(s2.ms!);
          if (s1) t.csvi!.push(s1.cpuMs!);
          if (s2) t.csev!.push(s2.cpuMs!);
        }
        const sOf = (k: string): number | null => (t[k]!.length > 0 ? median(t[k]!) : null);
        if (ops.has("vi"))
          rows.push({
            op: `value iteration, ${sweeps} sweeps, ${label}`,
            states: n,
            tabmdp: median(t.vi!),
            scipy: sOf("svi"),
            tabmdpCpu: median(t.cvi!),
            scipyCpu: sOf("csvi"),
          });
        if (ops.has("eval"))
          rows.push({
            op: `exact evaluation (uniform policy), ${label}`,
            states: n,
            tabmdp: median(t.ev!),
            scipy: sOf("sev"),
            tabmdpCpu: median(t.cev!),
            scipyCpu: sOf("csev"),
          });
        if (ops.has("det"))
          rows.push({
            op: `exact evaluation (deterministic policy, action s mod A), ${label}`,
            states: n,
            tabmdp: median(t.de!),
            scipy: sOf("sde"),
            tabmdpCpu: median(t.cde!),
            scipyCpu: sOf("csde"),
          });
        if (ops.has("learn") && episodic) {
          qLearningRates(m, 99); // warm-up
          const q = Array.from({ length: reps }, (_, r) => qLearningRates(m, r + 1));
          const e = Array.from({ length: reps }, (_, r) => envRate(m, r + 1));
          const rate = median(q.map((x) => x.stepRate));
          const setup = median(q.map((x) => x.setup));
          // One run only: at 10^6 states a checkpoint's two exact evaluations take many seconds.
          const checkpoint = checkpointSeconds(m, 1);
          learning.push(
            `| ${n} | ${m.prob.length} | ${rate.toFixed(1)} | ${setup.toFixed(2)} | ${median(e).toFixed(1)} | ${checkpoint.toPrecision(3)} |`,
          );
        }
        const nnz = m.prob.length;
        const ours = process.resourceUsage().maxRSS * 1024;
        const theirs = scipy ? ((await scipy.ask("vi 0.5 1")).maxRssKb ?? 0) * 1024 : null;
        memory.push(
          `${n} states, ${label}: ${nnz} non-zeros; peak RSS per non-zero: tabmdp ${(ours / nnz).toFixed(1)} B` +
            (theirs === null ? "" : `, scipy ${(theirs / nnz).toFixed(1)} B`) +
            `; ${checks.join("; ")}`,
        );
      }
    }
  } finally {
    scipy?.close();
    await rm(work, { recursive: true, force: true });
  }
  if (rows.length > 0) {
    printTable(rows, sizes);
    process.stdout.write("CPU time (user + system, all threads):\n");
    printTable(
      rows.map((r) => ({ ...r, tabmdp: r.tabmdpCpu, scipy: r.scipyCpu })),
      sizes,
    );
  }
  if (learning.length > 0) {
    process.stdout.write(
      "Learners (episodic variant, all actions; medians; the checkpoint from one run):\n| states | transitions | q-learning, M steps/s | q-learning set-up per run, s | env alone, random actions, M steps/s | study checkpoint (two exact evaluations), s |\n|---|---|---|---|---|---|\n",
    );
    process.stdout.write(`${learning.join("\n")}\n`);
  }
  for (const line of memory) process.stdout.write(`${line}\n`);
  return rows.map((r) => ({ name: `${r.op}, ${r.states} states`, median: r.tabmdp, unit: "ms", runs: reps }));
}

function printTable(rows: readonly Row[], sizes: readonly number[]): void {
  const ops = [...new Set(rows.map((r) => r.op))];
  const head = `| operation | ${sizes.map((n) => `${n} states: tabmdp / scipy (ratio)`).join(" | ")} | growth per 10x (tabmdp, scipy) |`;
  const out = [head, `|---|${sizes.map(() => "---|").join("")}---|`];
  for (const op of ops) {
    const cells = sizes.map((n) => {
      const r = rows.find((x) => x.op === op && x.states === n)!;
      return r.scipy === null
        ? `${r.tabmdp.toFixed(1)} ms / -`
        : `${r.tabmdp.toFixed(1)} / ${r.scipy.toFixed(1)} ms (${(r.scipy / r.tabmdp).toFixed(2)}x)`;
    });
    const first = rows.find((x) => x.op === op && x.states === sizes[0])!;
    const last = rows.find((x) => x.op === op && x.states === sizes.at(-1))!;
    const decades = Math.log10(last.states / first.states);
    const exp = (a: number | null, b: number | null): string =>
      a === null || b === null || decades === 0 ? "-" : (Math.log10(b / a) / decades).toFixed(2);
    out.push(
      `| ${op} | ${cells.join(" | ")} | ${exp(first.tabmdp, last.tabmdp)}, ${exp(first.scipy, last.scipy)} |`,
    );
  }
  process.stdout.write(`${out.join("\n")}\n`);
}
