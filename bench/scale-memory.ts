// npx tsx bench/scale-memory.ts --states=N [--op=vi|eval] [--episodic]: peak resident memory of one operation
// on the scale bench's random sparse MDP (10 actions, 10 successors, seed 1), in a process of its own so that
// nothing else it did (earlier sizes, repetitions, garbage not yet collected) counts. Prints the process's
// peak RSS after building the model and after the operation, each per stored transition of the model.
import { expectedReturnOf, uniformTable, valueIteration } from "../solvers/index.js";
import { randomSparseMdp } from "../src/model/random-sparse-mdp.js";

const arg = (name: string, fallback: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;

const states = Number(arg("states", "100000"));
const op = arg("op", "vi");
const episodic = process.argv.includes("--episodic");
if (!(Number.isInteger(states) && states > 0) || (op !== "vi" && op !== "eval")) {
  process.stderr.write("usage: scale-memory.ts --states=N [--op=vi|eval] [--episodic]\n");
  process.exit(2);
}
const m = randomSparseMdp(1, {
  states,
  actions: 10,
  successors: 10,
  exitProbability: episodic ? 0.05 : 0,
});
const nnz = m.prob.length;
const peak = (): number => process.resourceUsage().maxRSS * 1024;
const model = peak();
const gamma = episodic ? 1 : 0.99;
if (op === "vi") valueIteration(m, { gamma, tolerance: 1e-300, maxIterations: 10 });
else expectedReturnOf(m, uniformTable(m), { gamma });
const after = peak();
const perNnz = (bytes: number): string => (bytes / nnz).toFixed(1);
process.stdout.write(
  `${states} states (${episodic ? "episodic, gamma = 1" : "gamma = 0.99"}), ${nnz} stored transitions: ` +
    `peak RSS after the model ${perNnz(model)} B each, after ${op === "vi" ? "10 value-iteration sweeps" : "exact evaluation (uniform policy)"} ${perNnz(after)} B each\n`,
);
