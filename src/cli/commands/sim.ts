import { type Command, Option } from "@commander-js/extra-typings";
import { UsageError } from "../../core/errors.js";
import { fixed } from "../../core/format.js";
import { checkOutputPath } from "../../io/index.js";
import { parsePolicy } from "../../sim/policies.js";
import { createSimulator, listSimulators } from "../../sim/registry.js";
import { type EpisodeResult, rollout } from "../../sim/rollout.js";
import { type Interval, type RolloutSummary, summarize } from "../../sim/summary.js";
import { progressBar } from "../progress.js";
import { DEFAULT_SEED } from "../vocabulary.js";
import { addSimExportCommand } from "./sim-export.js";
import { writeTraceAtomic } from "./sim-trace.js";

function parseEpisodes(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--episodes must be a positive integer, got "${v}"`);
  return n;
}

function parseSeed(v: string): number | string {
  if (v.trim() === "") throw new UsageError("--seed must not be empty");
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

const fmt = (x: number, dp = 3): string => (Number.isFinite(x) ? fixed(x, dp) : "n/a");
const ci = (i: Interval, dp = 3): string => `[${fmt(i.low, dp)}, ${fmt(i.high, dp)}]`;

export function formatSummary(head: string, s: RolloutSummary): string {
  const o = s.outcomes;
  const lines = [
    head,
    `survival  ${fmt(s.survival.estimate)}  95% Wilson ${ci(s.survival)}  ` +
      `(${s.episodes - o.dead}/${s.episodes}: stable ${o.stable}, alive ${o.alive}, dead ${o.dead})`,
    `return    ${fmt(s.return.estimate)}  95% CI ${ci(s.return)}  (sd ${fmt(s.return.sd)})`,
    `length    ${fmt(s.length, 2)} steps`,
  ];
  if (s.grade !== undefined) lines.push(`grade     ${fmt(s.grade.estimate, 4)}  95% CI ${ci(s.grade, 4)}`);
  return `${lines.join("\n")}\n`;
}

const perEpisode = (r: EpisodeResult) => ({
  episode: r.episode,
  seed: r.seed,
  outcome: r.outcome,
  return: r.return,
  length: r.length,
  ...(r.grade === undefined ? {} : { grade: r.grade }),
});

interface RunOptions {
  tier?: string;
  policy: string;
  episodes: number;
  seed: number | string;
  noise: string;
  json?: boolean;
  trace?: string;
}

async function runCommand(id: string, o: RunOptions): Promise<void> {
  const { definition, options, simulator } = createSimulator(id, {
    noise: o.noise === "on",
    ...(o.tier === undefined ? {} : { tier: o.tier }),
  });
  const policy = parsePolicy(o.policy, definition, simulator, options);
  if (o.trace !== undefined) await checkOutputPath(o.trace, "file");
  const bar = progressBar(o.episodes, "sim run", { unit: "episodes", json: o.json });
  let results: EpisodeResult[];
  try {
    results = rollout(simulator, policy, {
      episodes: o.episodes,
      seed: o.seed,
      trace: o.trace !== undefined,
      onEpisode: (done) => bar.update(done),
    });
  } finally {
    bar.stop();
  }
  if (o.trace !== undefined) {
    await writeTraceAtomic(o.trace, simulator, results);
  }
  const summary = summarize(results);
  const tier = options.tier ?? null;
  if (o.json) {
    const doc = {
      id,
      tier,
      policy: o.policy,
      episodes: o.episodes,
      seed: o.seed,
      noise: options.noise ?? true,
      summary,
      perEpisode: results.map(perEpisode),
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    const head =
      `${id}${tier === null ? "" : ` (tier ${tier})`}  policy ${o.policy}  episodes ${o.episodes}  ` +
      `seed ${o.seed}  noise ${o.noise}`;
    process.stdout.write(formatSummary(head, summary));
  }
}

function listCommand(o: { json?: boolean }): void {
  const defs = listSimulators();
  if (o.json) {
    const list = defs.map((d) => ({ id: d.id, description: d.description, tiers: d.tiers }));
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    return;
  }
  const width = Math.max(...defs.map((d) => d.id.length));
  for (const d of defs) {
    const tiers = d.tiers.length === 0 ? "" : `  [tiers: ${d.tiers.join(", ")}]`;
    process.stdout.write(`${d.id.padEnd(width)}  ${d.description}${tiers}\n`);
  }
}

/** `tabmdp sims`, `tabmdp sim run` and `tabmdp sim export` (the latter defined in sim-export.ts). */
export function registerSimCommands(root: Command): void {
  root
    .command("sims")
    .description("List the simulators with a one-line description and their tiers")
    .option("--json", "print JSON")
    .action(listCommand);

  const sim = root
    .command("sim")
    .description("Run patient simulators (sim run) or export an exact simulator MDP (sim export)");
  sim
    .command("run")
    .description("Run episodes of a simulator under a policy and report outcome statistics")
    .argument("<id>", "simulator id (see `tabmdp sims`)")
    .option("--tier <tier>", "difficulty tier, where the simulator has them")
    .option(
      "--policy <policy>",
      "heuristic | random | constant:V[,V...] (SepsisPilot: action index)",
      "heuristic",
    )
    .option("--episodes <n>", "number of episodes", parseEpisodes, 100)
    .option(
      "--seed <s>",
      "base seed (episode i and its policy stream are derived from it)",
      parseSeed,
      DEFAULT_SEED as number | string,
    )
    .addOption(
      new Option("--noise <mode>", "on, or off for the noise-free (mean) dynamics")
        .choices(["on", "off"])
        .default("on"),
    )
    .option("--json", "print JSON (summary and per-episode results)")
    .option("--trace <file>", "write per-step traces to this CSV file")
    .action(runCommand);
  addSimExportCommand(sim);
}
