import { readFile } from "node:fs/promises";
import cliProgress from "cli-progress";
import {
  DEFAULT_WINDOW,
  RELEASED_RULE,
  type ReleasedRuleOptions,
} from "../../../solvers/learning/convergence.js";
import { DEFAULT_PARAMS, type LearnParams, PARAMS, parseParam } from "../../../solvers/learning/params.js";
import { UsageError } from "../../core/errors.js";
import { parseShard } from "../../study/manifest.js";
import type { OutMode } from "../../study/run-folder.js";

/** Options shared by learn, bench and tune, read back untyped from commander (flags are added in loops). */
export type RawOptions = Record<string, unknown>;

/** The part of a commander Command these helpers use (flags are added in loops, so untyped). */
export interface OptionSink {
  option(flags: string, description: string, defaultValue?: string): unknown;
}

const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** One --flag per hyperparameter in PARAMS (except algo), documented from the same table. */
export function addParamOptions(cmd: OptionSink): void {
  for (const p of PARAMS) {
    if (p.key === "algo") continue;
    cmd.option(
      `--${p.flag} <${p.kind === "choice" ? "name" : "x"}>`,
      `${p.doc}${p.choices ? ` (${p.choices.join("|")})` : ""} [default: ${DEFAULT_PARAMS[p.key] ?? "from the MDP"}]`,
    );
  }
}

/** The hyperparameters given explicitly on the command line (defaults stay in DEFAULT_PARAMS). */
export function paramsFromOptions(o: RawOptions): Partial<LearnParams> {
  const out: Record<string, unknown> = {};
  for (const p of PARAMS) {
    const v = o[camel(p.flag)];
    if (p.key !== "algo" && typeof v === "string") out[p.key] = parseParam(p, v);
  }
  return out as Partial<LearnParams>;
}

/** --params FILE: a JSON object of hyperparameters, or of such objects keyed by algorithm name. */
export async function paramsFile(path: unknown): Promise<Record<string, unknown>> {
  if (typeof path !== "string") return {};
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    throw new UsageError(`cannot read --params ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new UsageError(`--params ${path}: expected a JSON object`);
  return doc as Record<string, unknown>;
}

export function addRunOptions(cmd: OptionSink, o: { seeds: boolean }): void {
  cmd.option("--episodes <n>", "episodes per run", "300000");
  cmd.option("--eval-every <n>", "exact evaluation every n episodes (default: episodes / 50)");
  cmd.option("--window <w>", "moving-average window of the curves (episodes)", String(DEFAULT_WINDOW));
  const r = RELEASED_RULE;
  cmd.option("--convergence-delta <d>", "released convergence rule: relative tolerance", String(r.delta));
  cmd.option("--convergence-start <n>", "released convergence rule: first episode tested", String(r.start));
  cmd.option("--convergence-every <n>", "released convergence rule: episodes between tests", String(r.every));
  cmd.option(
    "--convergence-recent <n>",
    "released convergence rule: recent window (episodes)",
    String(r.recent),
  );
  cmd.option(
    "--convergence-final <n>",
    "released convergence rule: final window (episodes)",
    String(r.final),
  );
  cmd.option("--params <file>", 'JSON hyperparameters, shared or per algorithm: { "q-learning": {...} }');
  // Not requiredOption: commander checks an ancestor's mandatory options for subcommands (bench merge).
  cmd.option("--out <dir>", "run folder to write (required)");
  addOutModeOptions(cmd);
  if (o.seeds) {
    cmd.option("--seeds <k>", "seeds 1..k (or a list: 3,5,8)", "8");
    cmd.option("--workers <n>", "worker threads (0: run on the main thread)", "2");
    cmd.option("--shard <i/n>", "run only every n-th job, starting with job i", "1/1");
  } else cmd.option("--seed <s>", "seed (integer)", "1");
}

/** How a sweep treats an --out folder that already holds files, and whether partial runs count. */
export function addOutModeOptions(cmd: OptionSink): void {
  cmd.option("--resume", "continue the sweep already in --out: keep its finished jobs, run the rest");
  cmd.option("--force", "replace the run files in --out (a different or finished sweep)");
  cmd.option("--include-partial", "average runs stopped early (interrupted) with the complete ones");
}

export function outMode(o: RawOptions): { mode: OutMode; includePartial: boolean } {
  if (o.resume === true && o.force === true) throw new UsageError("--resume and --force exclude each other");
  return {
    mode: o.resume === true ? "resume" : o.force === true ? "force" : "new",
    includePartial: o.includePartial === true,
  };
}

export function intOption(o: RawOptions, name: string, min: number): number {
  const v = Number(o[name]);
  if (!(Number.isInteger(v) && v >= min))
    throw new UsageError(`--${name} must be an integer >= ${min}, got "${o[name]}"`);
  return v;
}

export function numOption(o: RawOptions, name: string): number {
  const v = Number(o[name]);
  if (!(Number.isFinite(v) && v >= 0))
    throw new UsageError(`--${name} must be a non-negative number, got "${o[name]}"`);
  return v;
}

/** "8" -> 1..8; "3,5,8" -> [3, 5, 8]. */
export function parseSeeds(text: unknown): number[] {
  const t = String(text);
  const xs = t.includes(",") ? t.split(",").map(Number) : Array.from({ length: Number(t) }, (_, i) => i + 1);
  if (xs.length === 0 || !xs.every((x) => Number.isSafeInteger(x)))
    throw new UsageError(`--seeds: expected a count or a list of integers, got "${t}"`);
  return xs;
}

export function shardOption(o: RawOptions): [number, number] {
  const s = parseShard(String(o.shard ?? "1/1"));
  if (Number.isNaN(s[0])) throw new UsageError(`--shard must be i/n with 1 <= i <= n, got "${o.shard}"`);
  return s;
}

/** Common sweep settings from the options. */
export function sweepSettings(o: RawOptions) {
  if (typeof o.out !== "string" || o.out === "") throw new UsageError("--out <dir> is required");
  const episodes = intOption(o, "episodes", 1);
  const evalEvery =
    o.evalEvery === undefined
      ? Math.max(1, Math.floor(episodes / 50))
      : intOption({ "eval-every": o.evalEvery }, "eval-every", 1);
  return {
    episodes,
    evalEvery,
    window: intOption(o, "window", 1),
    rule: releasedRuleOptions(o),
    ...outMode(o),
  };
}

/** The released convergence rule's settings; its windows must line up with its test grid. */
function releasedRuleOptions(o: RawOptions): ReleasedRuleOptions {
  const every = intOption({ "convergence-every": o.convergenceEvery }, "convergence-every", 1);
  const multiple = (name: string, v: unknown): number => {
    const x = intOption({ [name]: v }, name, 1);
    if (x % every !== 0)
      throw new UsageError(`--${name} must be a multiple of --convergence-every (${every}), got ${x}`);
    return x;
  };
  return {
    start: multiple("convergence-start", o.convergenceStart),
    every,
    recent: multiple("convergence-recent", o.convergenceRecent),
    final: intOption({ "convergence-final": o.convergenceFinal }, "convergence-final", 1),
    delta: numOption({ "convergence-delta": o.convergenceDelta }, "convergence-delta"),
  };
}

/** A job-count progress bar on an interactive stderr, and a SIGINT handler that aborts the sweep. */
export function runControls(label: string): {
  signal: AbortSignal;
  onJob: (d: number, t: number) => void;
  close: () => void;
} {
  const ac = new AbortController();
  // First Ctrl-C: stop after the running episodes and write every output. Second: leave at once; the jobs
  // already saved stay in the folder, where --resume or bench merge picks them up.
  const onSigint = (): void => {
    if (ac.signal.aborted) {
      process.stderr.write("\nsecond interrupt: exiting now; finished jobs are kept (rerun with --resume)\n");
      process.exit(130);
    }
    process.stderr.write("\ninterrupted: writing the finished runs (Ctrl-C again to exit at once)\n");
    ac.abort();
  };
  process.on("SIGINT", onSigint);
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${label} {bar} {value}/{total} runs  {duration_formatted}`,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let started = false;
  return {
    signal: ac.signal,
    onJob: (d, t) => {
      if (bar === null) return;
      if (!started) bar.start(t, d);
      else bar.update(d);
      started = true;
    },
    close: () => {
      bar?.stop();
      process.removeListener("SIGINT", onSigint);
    },
  };
}
