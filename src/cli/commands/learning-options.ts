import { readFile } from "node:fs/promises";
import cliProgress from "cli-progress";
import { DEFAULT_DELTA, DEFAULT_WINDOW } from "../../../solvers/learning/convergence.js";
import { DEFAULT_PARAMS, type LearnParams, PARAMS, parseParam } from "../../../solvers/learning/params.js";
import { UsageError } from "../../core/errors.js";
import { parseShard } from "../../study/manifest.js";
import { checkRunMemory } from "../memory-budget.js";

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
  cmd.option("--episodes <n>", "episodes per run", "100000");
  cmd.option("--eval-every <n>", "exact evaluation every n episodes (default: episodes / 50)");
  cmd.option("--window <w>", "convergence window W (episodes)", String(DEFAULT_WINDOW));
  cmd.option("--delta <d>", "convergence tolerance on the mean return", String(DEFAULT_DELTA));
  cmd.option("--params <file>", 'JSON hyperparameters, shared or per algorithm: { "q-learning": {...} }');
  // Not requiredOption: commander checks an ancestor's mandatory options for subcommands (bench merge).
  cmd.option("--out <dir>", "run folder to write (required)");
  if (o.seeds) {
    cmd.option("--seeds <k>", "seeds 1..k (or a list: 3,5,8)", "8");
    cmd.option("--workers <n>", "worker threads (0: run on the main thread)", "2");
    cmd.option("--shard <i/n>", "run only every n-th job, starting with job i", "1/1");
  } else cmd.option("--seed <s>", "seed (integer)", "1");
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
  checkRunMemory(episodes, evalEvery, o.workers === undefined ? 1 : intOption(o, "workers", 0));
  return { episodes, evalEvery, window: intOption(o, "window", 1), delta: numOption(o, "delta") };
}

/** A job-count progress bar on an interactive stderr, and SIGINT / SIGTERM handlers that abort the sweep. */
export function runControls(label: string): {
  signal: AbortSignal;
  onJob: (d: number, t: number) => void;
  close: () => void;
} {
  const ac = new AbortController();
  const onSigint = (): void => {
    process.stderr.write("\ninterrupted: writing the finished runs\n");
    ac.abort();
  };
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigint);
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
      process.removeListener("SIGTERM", onSigint);
    },
  };
}
