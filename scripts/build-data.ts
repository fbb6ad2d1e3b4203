// npm run build:data: the MDPs shipped in data/ (gzipped), one per simulator, plus data/README.md.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { baselines } from "../solvers/index.js";
import { buildFromSimulator } from "../src/builder/build.js";
import { cohortTruth } from "../src/builder/cohort-truth.js";
import { namedPolicy, returnOf } from "../src/builder/fidelity.js";
import { fidelity } from "../src/builder/fidelity-row.js";
import { writeMdpDir } from "../src/io/index.js";
import type { TabularMdp } from "../src/model/mdp.js";
import { buildOberstSontagMdp } from "../src/sim/oberst-sontag/index.js";
import { SHIPPED, SHIPPED_VERSION as VERSION } from "./shipped.js";

const out = process.argv[2] ?? "data";

const f4 = (x: number): string => x.toFixed(4);
/** Exact returns of the three baselines (optimal: greedy VI policy that surely ends, see namedPolicy). */
const base = (m: TabularMdp) => ({
  random: returnOf(m, namedPolicy(m, "random")).value,
  expert: m.expertPolicy ? returnOf(m, m.expertPolicy).value : null,
  optimal: returnOf(m, namedPolicy(m, "optimal")).value,
});
const rows: string[] = [];
for (const spec of SHIPPED) {
  const { dir, ...opts } = spec;
  const t0 = performance.now();
  const m = buildFromSimulator({ ...opts, toolVersion: VERSION }).mdp;
  await writeMdpDir(m, join(out, dir), { gzip: true });
  const b = base(m);
  const fid = fidelity(m, "optimal", namedPolicy(m, "optimal"), { patients: 2000, seed: 2 });
  const bm = m.metadata.builder as { block_hours: number; counts: { admissible_pairs: number } };
  const truth = cohortTruth(m)!;
  const g = fid.simulated;
  rows.push(
    `| ${dir} | ${bm.block_hours} h | ${m.nS} | ${m.nA} | ${bm.counts.admissible_pairs} | ${f4(truth.cohort.survival)} | ` +
      `${f4(truth.behaviourBeforeThreshold.survival ?? Number.NaN)} | ${f4(truth.behaviourAfterThreshold.survival ?? Number.NaN)} | ` +
      `${f4(b.random)} | ${f4(b.expert ?? Number.NaN)} | ` +
      `${f4(b.optimal)} | ${f4(g.survival)} [${f4(g.ci95[0])}, ${f4(g.ci95[1])}] | ${f4(fid.gap.infinite.value)} |`,
  );
  console.log(`${dir}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

// Oberst & Sontag: the exact MDP (enumerated from the rules), not an estimate; no fidelity gap to measure.
const os = buildOberstSontagMdp("master");
await writeMdpDir(os, join(out, "oberst-sontag-exact"), { gzip: true });
// Baselines at the MDP's own gamma (metadata: 0.99), and at gamma = 1 for comparison.
const osRet = (gamma?: number) => {
  const b = baselines(os, gamma === undefined ? {} : { gamma });
  const f = (x: { return: number | null } | undefined): string =>
    x === undefined || x.return === null ? "–" : f4(x.return);
  return {
    gamma: b.gamma,
    random: f(b.policies.random),
    expert: f(b.policies.expert),
    optimal: f(b.policies.optimal),
  };
};
const osOwn = osRet();
const os1 = osRet(1);
let osPairs = 0;
for (let s = 0; s < os.nS; s++)
  if (os.terminalS[s] === 0) for (let a = 0; a < os.nA; a++) osPairs += os.admissibleSA[s * os.nA + a]!;
rows.push(
  `| oberst-sontag-exact (gamma ${osOwn.gamma}) | – | ${os.nS} | ${os.nA} | ${osPairs} | – | – | – | ${osOwn.random} | ${osOwn.expert} | ` +
    `${osOwn.optimal} | exact (no sampling) | 0 |`,
);

const readme = `# Shipped MDPs

Built by \`npm run build:data\` (scripts/build-data.ts) with tabmdp ${VERSION}; every folder holds the ICU-Sepsis
layout (gzipped CSVs) and a metadata.json that records the full recipe (simulator, tier, seeds, cohort size, k,
threshold, block hours, normalisation, dose bins, counts), so \`tabmdp build\` with the same arguments gives the
same bytes. Values are exact (linear algebra) expected returns. For the built MDPs gamma = 1 (their metadata
value), i.e. survival probabilities (reward 1 on entering survival); random = uniform over all actions,
expert = the behaviour's action frequencies per state, optimal = value iteration's greedy policy.
"cohort" = the behaviour policy's survival in the simulator (the cohort the MDP was counted from);
"behaviour, all counts" = the cohort's per-state action frequencies evaluated in the MDP of the same states
with every (state, action) seen admissible (threshold 0: equals the cohort's survival); "behaviour, this MDP"
= the same table in the shipped MDP (admissible iff count > 20, mean rule): the difference is the bias the
threshold and the mean rule introduce;
"simulated" = the MDP's optimal policy run in the simulator itself (2,000 stays, seed 2, 95 % Wilson
interval); gap = simulated - predicted.

SepsiSim Management: 5,000 stays, k = 150, threshold 20 (admissible iff count > 20), 4-hour blocks, seed 1; behaviour = heuristic with
epsilon 0.25, dose jitter 0.5, antibiotic start delayed by a geometric number of hours (mean 3) and missed
for 10 % of patients. SepsisPilot: 3,000 stays, k = 100, threshold 20, seed 1; mild sepsis 4-hour blocks,
epsilon 0.25; septic shock 4-hour blocks, epsilon 0.8; severe MODS hourly steps, epsilon 0.4 (see
the main README, "Behaviour defaults"). Oberst & Sontag: the exact 1,440-state MDP (master variant,
absorbing death/discharge; returns in {-1, 0, +1}) at its own gamma ${osOwn.gamma} (the metadata value).

| MDP | step | states | actions | admissible pairs | cohort | behaviour, all counts | behaviour, this MDP | random | expert | optimal | simulated optimal | gap |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}

Oberst & Sontag at gamma = 1: random ${os1.random}, expert ${os1.expert}, optimal ${os1.optimal}. Its optimal
policy (at gamma = 1 and also at ${osOwn.gamma}) keeps some patients in treatment forever rather than risk
death, so its expected length is unbounded; the gamma = 1 optimal value is value iteration's fixed point.
`;
await mkdir(out, { recursive: true });
await writeFile(join(out, "README.md"), readme);
console.log(readme);
