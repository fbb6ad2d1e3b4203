/**
 * Prints the optimal-policy table of docs/planning.md for every MDP in data/, then for each folder given as an
 * argument (e.g. the ICU-Sepsis tables): optimal value from d0, the tie rule's expected length, the range of
 * expected lengths over all optimal policies and the number of states with ties, at each MDP's own gamma
 * (and at gamma = 1 too where that is lower). Deterministic (exact solves, no sampling).
 *
 *   npx tsx scripts/planning-table.ts [MDP-DIR ...]
 */
import { readdir } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { certifiedPlan } from "../solvers/index.js";
import { readMdpDir } from "../src/io/index.js";
import { defaultGamma, type TabularMdp } from "../src/model/mdp.js";

const dataDir = resolve(fileURLToPath(import.meta.url), "../../data");
const show = (x: number | null): string => (x === null ? "unbounded" : x.toFixed(4));

function row(name: string, m: TabularMdp, gamma: number): string {
  const { certified: c } = certifiedPlan(m, "vi", { gamma });
  let value = 0;
  for (let s = 0; s < m.nS; s++) if (m.terminalS[s] === 0) value += m.d0[s]! * c.vS[s]!;
  // The tie rule's policy attains the shortest expected length over optimal policies.
  const length = c.lengthRange[0];
  const nonTerminal = m.terminalS.reduce((n, t) => n + (t === 0 ? 1 : 0), 0);
  return `| ${name} | ${gamma} | ${value.toFixed(4)} | ${show(length)} | [${show(c.lengthRange[0])}, ${show(c.lengthRange[1])}] | ${c.tiedStates} / ${nonTerminal} |`;
}

const lines = [
  "| MDP | gamma | optimal value | optimal length | length range over optimal policies | states with ties |",
  "|---|---|---|---|---|---|",
];
const shipped = (await readdir(dataDir, { withFileTypes: true }))
  .filter((d) => d.isDirectory())
  .map((d) => join(dataDir, d.name))
  .sort();
for (const dir of [...shipped, ...process.argv.slice(2)]) {
  const m = await readMdpDir(dir);
  const name = basename(resolve(dir));
  lines.push(row(name, m, defaultGamma(m)));
  if (defaultGamma(m) < 1) lines.push(row(name, m, 1));
}
process.stdout.write(`${lines.join("\n")}\n`);
