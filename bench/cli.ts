// Whole-process CLI figures: `tabmdp baselines ICU-Sepsis --json` against bench/baselines_numpy.py, run
// alternately so that noise on a shared machine hits both alike, and `tabmdp --help`. Medians of wall time and
// of the child's CPU time (Linux: from /proc), with the load average around the runs.
// TABMDP_BENCH_OTHER_CLI=<path to another build's bin/tabmdp.js> adds that build to the rotation (before/after).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { type BenchFigure, median } from "./harness.js";

const root = resolve(import.meta.dirname, "..");
const icuDir = resolve(root, "../shared/icu-sepsis");
const RUNS = 5;

/** CPU seconds of this process's waited-for children (user + system), or null off Linux. */
function childrenCpu(): number | null {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 16 and 17 of stat (cutime, cstime), counted from the state field (3): indices 13 and 14.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

interface Timed {
  readonly wallMs: number;
  readonly cpuMs: number | null;
}

function timeProcess(cmd: string, args: readonly string[]): Timed {
  const c0 = childrenCpu();
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 26 });
  const wallMs = performance.now() - t0;
  const c1 = childrenCpu();
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${String(r.stderr).slice(0, 500)}`);
  return { wallMs, cpuMs: c0 === null || c1 === null ? null : (c1 - c0) * 1000 };
}

function hasNumpy(): boolean {
  const r = spawnSync("python3", ["-c", "import numpy, scipy"], { stdio: "ignore" });
  return r.status === 0;
}

interface Side {
  readonly label: string;
  readonly cmd: string;
  readonly args: readonly string[];
  readonly target?: string;
  readonly runs: Timed[];
}

const figuresOf = (s: Side): BenchFigure[] => {
  const cpu = s.runs.map((r) => r.cpuMs).filter((x): x is number => x !== null);
  const wall = median(s.runs.map((r) => r.wallMs));
  return [
    {
      name: s.label,
      median: wall,
      unit: "ms",
      runs: s.runs.length,
      ...(s.target ? { target: s.target } : {}),
    },
    ...(cpu.length === s.runs.length
      ? [
          {
            name: "  CPU time (user + system) of that process",
            median: median(cpu),
            unit: "ms",
            runs: cpu.length,
          },
        ]
      : []),
  ];
};

export async function benchCli(): Promise<BenchFigure[]> {
  if (!existsSync(join(root, "dist/cli/main.js"))) {
    process.stderr.write("bench: dist/ is missing (run npm run build); cli figures skipped\n");
    return [];
  }
  const cli = join(root, "bin/tabmdp.js");
  const other = process.env.TABMDP_BENCH_OTHER_CLI;
  const load0 = loadavg()[0]!;
  const help: Side = {
    label: "tabmdp --help (whole process)",
    cmd: process.execPath,
    args: [cli, "--help"],
    target: "<= 150 ms",
    runs: [],
  };
  const helpOther: Side = {
    label: "  the other build's --help",
    cmd: process.execPath,
    args: [other ?? "", "--help"],
    runs: [],
  };
  for (let i = 0; i < RUNS + 1; i++) {
    const a = timeProcess(help.cmd, help.args);
    const b = other ? timeProcess(helpOther.cmd, helpOther.args) : null;
    if (i === 0) continue; // warms the file cache
    help.runs.push(a);
    if (b) helpOther.runs.push(b);
  }
  const figures = [...figuresOf(help), ...(other ? figuresOf(helpOther) : [])];
  if (!existsSync(join(icuDir, "transitionFunction.csv.gz"))) {
    process.stderr.write(
      "bench: ICU-Sepsis tables not found beside the project; baselines figures skipped\n",
    );
    return figures;
  }
  const sides: Side[] = [
    {
      label: "tabmdp baselines ICU-Sepsis --json (whole process)",
      cmd: process.execPath,
      args: [cli, "baselines", icuDir, "--json"],
      target: "<= 500 ms",
      runs: [],
    },
  ];
  if (other)
    sides.push({
      label: "  the other build's baselines",
      cmd: process.execPath,
      args: [other, "baselines", icuDir, "--json"],
      runs: [],
    });
  const numpy = hasNumpy();
  if (numpy)
    sides.push({
      label: "bench/baselines_numpy.py ICU-Sepsis (whole process, numpy/scipy)",
      cmd: "python3",
      args: [join(root, "bench/baselines_numpy.py"), icuDir],
      runs: [],
    });
  else
    process.stderr.write("bench: python3 with numpy and scipy not found; the numpy comparison is skipped\n");
  for (let i = 0; i < RUNS + 1; i++) {
    for (const s of sides) {
      const t = timeProcess(s.cmd, s.args);
      if (i > 0) s.runs.push(t);
    }
  }
  for (const s of sides) figures.push(...figuresOf(s));
  if (numpy) {
    const ours = median(sides[0]!.runs.map((r) => r.wallMs));
    const theirs = median(sides[sides.length - 1]!.runs.map((r) => r.wallMs));
    figures.push({
      name: "  numpy/scipy time / tabmdp time (wall medians)",
      median: theirs / ours,
      unit: "x",
      runs: RUNS,
      target: ">= 4x",
    });
  }
  const load1 = loadavg()[0]!;
  figures.push({ name: "load average (1 min) before / after the runs", median: load0, unit: "", runs: 1 });
  figures.push({ name: "  after", median: load1, unit: "", runs: 1 });
  return figures;
}
