// npm run build:data: the MDPs shipped in data/ (gzipped), one per simulator, plus data/README.md.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { baselines } from "../solvers/index.js";
import { assembleAt, prepareStates } from "../src/builder/build.js";
import { cohortTruth } from "../src/builder/cohort-truth.js";
import { namedPolicy } from "../src/builder/fidelity.js";
import type { FidelityRow } from "../src/builder/fidelity-row.js";
import { survivalOnHorizon } from "../src/builder/horizon.js";
import { fixed } from "../src/core/format.js";
import { writeMdpDir } from "../src/io/index.js";
import { buildOberstSontagMdp, MAX_STEPS } from "../src/sim/oberst-sontag/index.js";
import { SHIPPED, SHIPPED_VERSION as VERSION } from "./shipped.js";
import { shippedFidelity } from "./shipped-fidelity.js";

const out = process.argv[2] ?? "data";
/** Stays simulated per policy, their seed (also the bootstrap's), and bootstrap replicates per MDP. */
const CHECK = { patients: 2000, seed: 2, bootstrap: 50 } as const;
const THRESHOLD = 20;

const f4 = (x: number | null): string => (x === null ? "unbounded" : fixed(x, 4));
const ci = (c: readonly [number, number] | undefined): string =>
  c === undefined ? "" : ` [${f4(c[0])}, ${f4(c[1])}]`;
const label = (r: FidelityRow & { tieBreak?: string }): string =>
  r.tieBreak === undefined ? r.policy : `optimal (${r.tieBreak})`;

const summary: string[] = [];
const policyRows: string[] = [];
const spreads: string[] = [];
const verdicts: string[] = [];
const allOnes: string[] = [];
for (const spec of SHIPPED) {
  const { dir, ...opts } = spec;
  const t0 = performance.now();
  const prep = prepareStates({ ...opts, toolVersion: VERSION });
  const m = assembleAt(prep, THRESHOLD).mdp;
  await writeMdpDir(m, join(out, dir), { gzip: true });
  const fid = shippedFidelity(prep, m, THRESHOLD, CHECK);
  const bm = m.metadata.builder as { block_hours: number; counts: { admissible_pairs: number } };
  const truth = cohortTruth(m)!;
  const [lo, hi] = fid.lengthRange;
  summary.push(
    `| ${dir} | ${bm.block_hours} h | ${fid.blocks} | ${m.nS} | ${m.nA} | ${bm.counts.admissible_pairs} | ` +
      `${f4(truth.cohort.survival)} | ${f4(truth.behaviourBeforeThreshold.survival)} | ` +
      `${f4(truth.behaviourAfterThreshold.survival)} | ${lo === hi ? f4(lo) : `${f4(lo)} – ${f4(hi)}`} |`,
  );
  for (const r of fid.rows) {
    const p = r.predicted;
    policyRows.push(
      `| ${dir} | ${label(r)} | ${f4(p.horizon.survival)}${ci(p.horizon.ci95)} | ` +
        `${f4(p.infinite.survival)}${p.infinite.exact ? "" : "*"}${ci(p.infinite.ci95)} | ` +
        `${f4(r.simulated.survival)}${ci(r.simulated.ci95)} | ${f4(r.gap.horizon.value)}${ci(r.gap.horizon.ci95)} | ` +
        `${f4(r.gap.infinite.value)}${ci(r.gap.infinite.ci95)} |`,
    );
  }
  const s = fid.spread;
  spreads.push(`| ${dir} | ${f4(s.simulated)} | ${f4(s.predicted.horizon)} | ${f4(s.predicted.infinite)} |`);
  const beh = fid.rows.find((r) => r.policy === "behaviour")!;
  const [slo, shi] = beh.simulated.ci95;
  const inside = (x: number | null): string => (x !== null && x >= slo && x <= shi ? "yes" : "no");
  const before = truth.behaviourBeforeThreshold.survival;
  verdicts.push(
    `| ${dir} | ${f4(beh.simulated.survival)}${ci(beh.simulated.ci95)} | ${f4(beh.predicted.horizon.survival)} | ` +
      `${inside(beh.predicted.horizon.survival)} | ${f4(beh.predicted.infinite.survival)} | ` +
      `${inside(beh.predicted.infinite.survival)} | ${f4(before)} | ${inside(before)} | ` +
      `${f4(truth.bias.survival)} | ${f4(beh.predicted.horizon.survival - beh.predicted.infinite.survival)} |`,
  );
  if (fid.rows.every((r) => r.predicted.infinite.survival === 1 && r.predicted.horizon.survival === 1)) {
    const b = m.metadata.builder as {
      cohort: { patients: number; deaths: number };
      counts: { dropped_states: number };
      k: number;
    };
    let intoDeath = 0;
    const death = m.metadata.death_state as number;
    for (let j = 0; j < m.next.length; j++) if (m.next[j] === death && m.prob[j]! > 0) intoDeath++;
    allOnes.push(
      `${dir} predicts survival 1 for every policy, on the horizon and without: ${intoDeath === 0 ? "none" : intoDeath} of ` +
        `its transitions ${intoDeath === 1 ? "leads" : "lead"} to death. Its cohort had ${b.cohort.deaths} deaths in ` +
        `${b.cohort.patients.toLocaleString("en-US")} stays; the threshold dropped ${b.counts.dropped_states} of ` +
        `its ${b.k} clusters and every (state, action) pair taken ${THRESHOLD} times or fewer, and those deaths ` +
        "went with them.",
    );
  }
  console.log(`${dir}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

// Oberst & Sontag: the exact MDP (enumerated from the rules), not an estimate; no fidelity gap to measure.
const os = buildOberstSontagMdp("master");
await writeMdpDir(os, join(out, "oberst-sontag-exact"), { gzip: true });
const osReturns = (gamma?: number) => {
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
const osOwn = osReturns();
const os1 = osReturns(1);
// The simulator's rule on its own horizon: a stay survives unless it enters a death state within MAX_STEPS.
const osDeaths: number[] = [];
if (os.reward.kind === "next-state")
  for (let s = 0; s < os.nS; s++) if (os.terminalS[s] === 1 && os.reward.rS[s]! < 0) osDeaths.push(s);
const osOnHorizon = (["random", "expert", "optimal"] as const)
  .map((p) => `${p} ${f4(survivalOnHorizon(os, namedPolicy(os, p), MAX_STEPS, osDeaths))}`)
  .join(", ");
let osPairs = 0;
for (let s = 0; s < os.nS; s++)
  if (os.terminalS[s] === 0) for (let a = 0; a < os.nA; a++) osPairs += os.admissibleSA[s * os.nA + a]!;

const mildNote =
  allOnes.length === 0
    ? ""
    : `\n${allOnes.join("\n")} It is shipped anyway, as the easy end of the range and as a visible example of
what the threshold does to a task whose deaths are rare: do not use it to compare policies by survival (its
"simulated" column says what the simulator makes of each policy).\n`;

const readme = `# Shipped MDPs

Built by \`npm run build:data\` (scripts/build-data.ts) with tabmdp ${VERSION}; every folder holds the ICU-Sepsis
layout (gzipped CSVs) and a metadata.json that records the full recipe (simulator, tier, seeds, cohort size, k,
threshold, block hours, normalisation, dose bins, counts), so \`tabmdp build\` with the same arguments gives the
same bytes. For the built MDPs gamma = 1 (their metadata value) and the reward is 1 on entering survival, so
values are survival probabilities.

SepsiSim Management: 5,000 stays, k = 150, threshold ${THRESHOLD} (admissible iff count > ${THRESHOLD}), 4-hour blocks, seed 1;
behaviour = heuristic with epsilon 0.25, dose jitter 0.5, antibiotic start delayed by a geometric number of
hours (mean 3) and missed for 10 % of patients. SepsisPilot: 3,000 stays, k = 100, threshold ${THRESHOLD}, seed 1;
mild sepsis 4-hour blocks, epsilon 0.25; septic shock 4-hour blocks, epsilon 0.8; severe MODS hourly steps,
epsilon 0.4 (see the main README, "Behaviour defaults"). Oberst & Sontag: the exact 1,440-state MDP (master
variant, absorbing death/discharge; returns in {-1, 0, +1}) at its own gamma ${osOwn.gamma} (the metadata value).

## The cohort and the behaviour policy

"horizon" = the decisions the simulator allows a stay (its max steps over the block hours, a last partial
block included); "cohort" = the behaviour policy's observed survival in the cohort the MDP was counted from
(alive at the horizon = survivor, as the simulator counts it); "behaviour, all counts" = the cohort's per-state
action frequencies evaluated in the MDP of the same states with every (state, action) seen admissible
(equals the cohort's survival); "behaviour, this MDP" = the same table in the shipped MDP (threshold and mean
rule applied): the difference is the bias they introduce. "optimal length" = the expected episode length in
blocks over all optimal policies (\`baselines\`' lengthRange: one value when it does not depend on the tie).

| MDP | step | horizon (decisions) | states | actions | admissible pairs | cohort | behaviour, all counts | behaviour, this MDP | optimal length |
|---|---|---|---|---|---|---|---|---|---|
${summary.join("\n")}

## Predicted and simulated survival

Each row is \`tabmdp fidelity DIR --policy P --patients ${CHECK.patients} --seed ${CHECK.seed} --bootstrap ${CHECK.bootstrap}\` (the optimal
rows: \`--policy optimal\`, which simulates every tie-break). "predicted, horizon" = survival within the
simulator's horizon, stays still in treatment then counted as survivors (finite-horizon evaluation);
"predicted, infinite" = the MDP's own value (episodes run until death or survival); both with 95 % bootstrap
intervals (${CHECK.bootstrap} resampled cohorts, same clusters). "simulated" = the policy run in the simulator itself
(${CHECK.patients.toLocaleString("en-US")} stays, seed ${CHECK.seed}, 95 % Wilson interval); behaviour = the policy that generated the cohort,
as the simulator applied it. random = uniform over all actions; expert = the stored expertPolicy.csv.
Optimal tie-breaks (docs/builder.md): tie-rule = the planners' rule (shortest expected episode, then lowest
index); most-frequent / least-frequent = the optimal action the cohort's behaviour took most / least often.
gap = simulated - predicted, with the interval of the difference. * = the policy can run forever in the MDP
(infinite value = survival of the episodes that end).

| MDP | policy | predicted, horizon | predicted, infinite | simulated | gap, horizon | gap, infinite |
|---|---|---|---|---|---|---|
${policyRows.join("\n")}

Tie-break spread (max - min over the three optimal policies):

| MDP | simulated | predicted, horizon | predicted, infinite |
|---|---|---|---|
${spreads.join("\n")}

The behaviour policy, like with like: is its prediction inside the simulated survival's 95 % interval?
"all counts" = the prediction before thresholding (= the cohort's survival); "threshold bias" = this MDP minus
all counts (what the threshold and the mean rule add); "horizon shift" = horizon minus infinite = the
probability that the MDP sends a stay to death only after the simulator's horizon.

| MDP | simulated | predicted, horizon | inside | predicted, infinite | inside | all counts | inside | threshold bias | horizon shift |
|---|---|---|---|---|---|---|---|---|---|
${verdicts.join("\n")}

Two causes account for the behaviour's gaps, each measured in its column. The threshold and the mean rule
replace the rows of rarely taken (state, action) pairs by the mean of the admissible rows; the behaviour
took those pairs, and in SepsiSim Management the admissible rows are mostly the heuristic's surviving ones
(the cohort's survival, "all counts", lies inside the simulated interval: the prediction before
thresholding is right). Counting at the horizon: a built MDP already carries the simulator's horizon in its
counts (a stay alive at the horizon ends in the survival state), but its episodes have no time limit, so
cutting them at the horizon again turns into survivors the stays it would send to death later. Where that
shift is not 0 (SepsisPilot here), the infinite prediction is the like-for-like one for the behaviour; the
horizon one is never below it (the shift cannot be negative).
${mildNote}
## Oberst & Sontag (exact)

| MDP | states | actions | admissible pairs | random | expert | optimal |
|---|---|---|---|---|---|---|
| oberst-sontag-exact (gamma ${osOwn.gamma}) | ${os.nS} | ${os.nA} | ${osPairs} | ${osOwn.random} | ${osOwn.expert} | ${osOwn.optimal} |

At gamma = 1: random ${os1.random}, expert ${os1.expert}, optimal ${os1.optimal}. Its optimal policy (at gamma = 1 and
also at ${osOwn.gamma}) keeps some patients in treatment forever rather than risk death, so its expected length is
unbounded; the gamma = 1 optimal value is the certified fixed point. On the simulator's own horizon
(${MAX_STEPS} steps, alive at step ${MAX_STEPS} = survivor, as the simulator counts it), survival: ${osOnHorizon}
(optimal = the gamma = 1 optimal policy).
`;
await mkdir(out, { recursive: true });
await writeFile(join(out, "README.md"), readme);
console.log(readme);
