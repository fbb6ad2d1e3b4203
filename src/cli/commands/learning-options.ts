import { readFile } from "node:fs/promises";
import {
  DEFAULT_WINDOW,
  RELEASED_RULE,
  type ReleasedRuleOptions,
} from "../../../solvers/learning/convergence.js";
import { DEFAULT_PARAMS, type LearnParams, PARAMS, parseParam } from "../../../solvers/learning/params.js";
import { UsageError } from "../../core/errors.js";
import { parseShard } from "../../study/manifest.js";
import type { OutMode } from "../../study/run-folder.js";
import { checkRunMemory } from "../memory-budget.js";
import { type Progress, progressBar } from "../progress.js";
import { DEFAULT_SEED } from "../vocabulary.js";

/** The hyperparameter flags as commander hands them over: text, one per PARAMS entry, keyed like LearnParams. */
export type ParamTexts = { readonly [K in keyof LearnParams]?: string };

/** The run flags of learn, bench and tune (text where the value is checked here, with its flag in the message). */
export interface RunTexts {
  readonly episodes?: string;
  readonly evalEvery?: string;
  readonly window?: string;
  readonly convergenceDelta?: string;
  readonly convergenceStart?: string;
  readonly convergenceEvery?: string;
  readonly convergenceRecent?: string;
  readonly convergenceFinal?: string;
  readonly resume?: boolean;
  readonly force?: boolean;
  readonly includePartial?: boolean;
  readonly params?: string;
  readonly out?: string;
  readonly seeds?: string;
  readonly seed?: number;
  readonly workers?: string;
  readonly shard?: string;
  readonly json?: boolean;
  readonly rowSumTolerance?: number;
}

/** Everything learn, bench and tune read from commander (the flags are added in loops from PARAMS). */
export type LearningOptions = ParamTexts & RunTexts;

/** The part of a commander Command these helpers use (flags are added in loops, so untyped). */
export interface OptionSink {
  option(flags: string, description: string, defaultValue?: string): unknown;
}

/** Commander's attribute name of a flag ("max-episode-steps" -> "maxEpisodeSteps"). */
export const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

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
export function paramsFromOptions(o: ParamTexts): Partial<LearnParams> {
  const out: Record<string, unknown> = {};
  for (const p of PARAMS) {
    const v = o[p.key];
    if (p.key !== "algo" && typeof v === "string") out[p.key] = parseParam(p, v);
  }
  return out as Partial<LearnParams>;
}

/** --params FILE: a JSON object of hyperparameters, or of such objects keyed by algorithm name. */
export async function paramsFile(path: string | undefined): Promise<Record<string, unknown>> {
  if (path === undefined) return {};
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
    cmd.option("--seeds <k>", `seeds ${DEFAULT_SEED}..k (or a list: 3,5,8)`, "8");
    cmd.option("--workers <n>", "worker threads (0: run on the main thread)", "2");
    cmd.option("--shard <i/n>", "run only every n-th job, starting with job i", "1/1");
  }
  cmd.option("--json", "print JSON (the summary table's figures and where the outputs are)");
}

/** How a sweep treats an --out folder that already holds files, and whether partial runs count. */
export function addOutModeOptions(cmd: OptionSink): void {
  cmd.option("--resume", "continue the sweep already in --out: keep its finished jobs, run the rest");
  cmd.option("--force", "replace the run files in --out (a different or finished sweep)");
  cmd.option("--include-partial", "average runs stopped early (interrupted) with the complete ones");
}

export function outMode(o: {
  readonly resume?: boolean | undefined;
  readonly force?: boolean | undefined;
  readonly includePartial?: boolean | undefined;
}): { mode: OutMode; includePartial: boolean } {
  if (o.resume === true && o.force === true) throw new UsageError("--resume and --force exclude each other");
  return {
    mode: o.resume === true ? "resume" : o.force === true ? "force" : "new",
    includePartial: o.includePartial === true,
  };
}

/** An integer flag's text, checked (the message names the flag). */
export function intText(text: string | undefined, flag: string, min: number): number {
  const v = Number(text);
  if (!(text !== undefined && text.trim() !== "" && Number.isInteger(v) && v >= min))
    throw new UsageError(`--${flag} must be an integer >= ${min}, got "${text}"`);
  return v;
}

function numText(text: string | undefined, flag: string): number {
  const v = Number(text);
  if (!(text !== undefined && text.trim() !== "" && Number.isFinite(v) && v >= 0))
    throw new UsageError(`--${flag} must be a non-negative number, got "${text}"`);
  return v;
}

/** "8" -> 1..8; "3,5,8" -> [3, 5, 8]. */
export function parseSeeds(text: string | undefined): number[] {
  const t = String(text);
  const xs = t.includes(",")
    ? t.split(",").map(Number)
    : Array.from({ length: Number(t) }, (_, i) => i + DEFAULT_SEED);
  if (xs.length === 0 || !xs.every((x) => Number.isSafeInteger(x)))
    throw new UsageError(`--seeds: expected a count or a list of integers, got "${t}"`);
  return xs;
}

export function shardOption(o: RunTexts): [number, number] {
  const s = parseShard(o.shard ?? "1/1");
  if (Number.isNaN(s[0])) throw new UsageError(`--shard must be i/n with 1 <= i <= n, got "${o.shard}"`);
  return s;
}

/** Common sweep settings from the options. */
export function sweepSettings(o: RunTexts) {
  if (o.out === undefined || o.out === "") throw new UsageError("--out <dir> is required");
  const episodes = intText(o.episodes, "episodes", 1);
  const evalEvery =
    o.evalEvery === undefined
      ? Math.max(1, Math.floor(episodes / 50))
      : intText(o.evalEvery, "eval-every", 1);
  checkRunMemory(episodes, evalEvery, o.workers === undefined ? 1 : intText(o.workers, "workers", 0));
  return {
    episodes,
    evalEvery,
    window: intText(o.window, "window", 1),
    rule: releasedRuleOptions(o),
    out: o.out,
    ...outMode(o),
  };
}

/** The released convergence rule's settings; its windows must line up with its test grid. */
function releasedRuleOptions(o: RunTexts): ReleasedRuleOptions {
  const every = intText(o.convergenceEvery, "convergence-every", 1);
  const multiple = (text: string | undefined, flag: string): number => {
    const x = intText(text, flag, 1);
    if (x % every !== 0)
      throw new UsageError(`--${flag} must be a multiple of --convergence-every (${every}), got ${x}`);
    return x;
  };
  return {
    start: multiple(o.convergenceStart, "convergence-start"),
    every,
    recent: multiple(o.convergenceRecent, "convergence-recent"),
    final: intText(o.convergenceFinal, "convergence-final", 1),
    delta: numText(o.convergenceDelta, "convergence-delta"),
  };
}

/**
 * SIGINT and SIGTERM handlers that abort the sweep, and its progress bar: finished runs for a sweep, or the episodes
 * of the one run of `learn` (from its checkpoints).
 */
export function runControls(
  label: string,
  o: { readonly episodes?: number; readonly json?: boolean | undefined },
): {
  signal: AbortSignal;
  onJob: (done: number, total: number) => void;
  onProgress: (index: number, episode: number) => void;
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
  process.on("SIGTERM", onSigint);
  const perEpisode = o.episodes !== undefined;
  let bar: Progress | null = perEpisode
    ? progressBar(o.episodes, label, { unit: "episodes", json: o.json })
    : null;
  return {
    signal: ac.signal,
    onJob: (d, t) => {
      if (perEpisode) return;
      bar ??= progressBar(t, label, { unit: "runs", json: o.json });
      bar.update(d);
    },
    onProgress: (_index, episode) => {
      if (perEpisode) bar?.update(episode);
    },
    close: () => {
      bar?.stop();
      process.removeListener("SIGINT", onSigint);
      process.removeListener("SIGTERM", onSigint);
    },
  };
}
