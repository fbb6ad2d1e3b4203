import type { Command } from "@commander-js/extra-typings";

type Register = (root: Command) => void;

interface CommandEntry {
  /**
   * The top-level commands the module registers, each with one line for the root help listing (the module's
   * own description is what `<command> --help` shows).
   */
  readonly commands: Readonly<Record<string, string>>;
  readonly load: () => Promise<Register>;
}

/**
 * Every subcommand module, loaded only when its command runs: importing them all (solvers, learners,
 * simulators, the builder) cost more than the answer of a small command. Add new modules here (one entry).
 */
const COMMANDS: readonly CommandEntry[] = [
  {
    commands: { info: "Summarise an MDP folder" },
    load: async () => (await import("./info.js")).registerInfo,
  },
  {
    commands: { validate: "Check an MDP folder, listing every problem" },
    load: async () => (await import("./validate.js")).registerValidate,
  },
  {
    commands: { baselines: "Exact return and length of the random, expert and optimal policies" },
    load: async () => (await import("./baselines.js")).registerBaselines,
  },
  {
    commands: { solve: "Plan: optimal values and policy" },
    load: async () => (await import("./solve.js")).registerSolve,
  },
  {
    commands: { evaluate: "Exact evaluation of a policy" },
    load: async () => (await import("./evaluate.js")).registerEvaluate,
  },
  {
    commands: { simulate: "Monte Carlo episodes beside the exact values" },
    load: async () => (await import("./simulate.js")).registerSimulate,
  },
  {
    commands: { export: "Rewrite an MDP folder (dense or sparse layout, optionally gzipped)" },
    load: async () => (await import("./export.js")).registerExport,
  },
  {
    commands: { sims: "List the simulators", sim: "Run, trace or export a simulator" },
    load: async () => (await import("./sim.js")).registerSimCommands,
  },
  {
    commands: { learn: "Run one tabular learner" },
    load: async () => (await import("./learn.js")).registerLearnCommand,
  },
  {
    commands: { bench: "Learning sweeps over algorithms, parameters and seeds" },
    load: async () => (await import("./bench.js")).registerBenchCommand,
  },
  {
    commands: { tune: "Random search over a learner's parameters" },
    load: async () => (await import("./tune.js")).registerTuneCommand,
  },
  {
    commands: { build: "Build an ICU-Sepsis-style MDP from a simulator" },
    load: async () => (await import("./build.js")).registerBuild,
  },
  {
    commands: { fidelity: "Simulated vs predicted survival of a built MDP's policy" },
    load: async () => (await import("./fidelity.js")).registerFidelity,
  },
  {
    commands: { study: "Studies of the MDP builder's choices" },
    load: async () => (await import("./study.js")).registerStudy,
  },
];

/** The command `args` (argv without node and script) asks for: the first word, or the one after `help`. */
function requested(args: readonly string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith("-"));
  return words[0] === "help" ? words[1] : words[0];
}

/**
 * Register the commands `args` needs: the requested command's module only; with no command (root help,
 * version), one-line placeholders; with an unknown one, every module, so usage errors can suggest names.
 */
export async function registerCommands(root: Command, args: readonly string[]): Promise<void> {
  const name = requested(args);
  const entry = COMMANDS.find((c) => name !== undefined && Object.hasOwn(c.commands, name));
  if (entry !== undefined) return (await entry.load())(root);
  if (name === undefined) {
    for (const c of COMMANDS)
      for (const [n, line] of Object.entries(c.commands)) root.command(n).summary(line);
    return;
  }
  await registerAllCommands(root);
}

/** Every command's module, loaded and registered (unknown command names, and tests that walk the tree). */
export async function registerAllCommands(root: Command): Promise<void> {
  for (const c of COMMANDS) (await c.load())(root);
}
