// npm run build:data: the MDPs shipped in data/ (gzipped), one per simulator, plus data/README.md.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildFromSimulator } from "../src/discretize/build.js";
import { fidelity, namedPolicy, returnOf } from "../src/discretize/fidelity.js";
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
  const pairs = (m.metadata.builder as { counts: { admissible_pairs: number } }).counts.admissible_pairs;
  rows.push(
    `| ${dir} | ${m.nS} | ${m.nA} | ${pairs} | ${f4(b.random)} | ${f4(b.expert ?? Number.NaN)} | ` +
      `${f4(b.optimal)} | ${f4(fid.simulated.estimate)} [${f4(fid.simulated.low)}, ${f4(fid.simulated.high)}] | ${f4(fid.gap)} |`,
  );
  console.log(`${dir}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

// Oberst & Sontag: the exact MDP (enumerated from the rules), not an estimate; no fidelity gap to measure.
const os = buildOberstSontagMdp("master");
await writeMdpDir(os, join(out, "oberst-sontag-exact"), { gzip: true });
const ob = base(os);
let osPairs = 0;
for (let s = 0; s < os.nS; s++)
  if (os.terminalS[s] === 0) for (let a = 0; a < os.nA; a++) osPairs += os.admissibleSA[s * os.nA + a]!;
rows.push(
  `| oberst-sontag-exact | ${os.nS} | ${os.nA} | ${osPairs} | ${f4(ob.random)} | ${ob.expert === null ? "–" : f4(ob.expert)} | ` +
    `${f4(ob.optimal)} | exact (no sampling) | 0 |`,
);

const readme = `# Shipped MDPs

Built by \`npm run build:data\` (scripts/build-data.ts) with tabmdp ${VERSION}; every folder holds the ICU-Sepsis
layout (gzipped CSVs) and a metadata.json that records the full recipe (simulator, tier, seeds, cohort size, k,
threshold, block hours, normalisation, dose bins, counts), so \`tabmdp build\` with the same arguments gives the
same bytes. Values are exact (linear algebra) expected returns with gamma = 1, i.e. survival probabilities for the
built MDPs (reward 1 on entering survival). "simulated" = the optimal policy run in the simulator itself
(2,000 stays, seed 2, 95 % Wilson interval); gap = simulated - predicted.

SepsiSim Management: 5,000 stays, k = 150, threshold 20, 4-hour blocks, seed 1. SepsisPilot: 3,000 stays,
k = 100, threshold 20, 4-hour blocks, seed 1. Oberst & Sontag: the exact 1,440-state MDP (master variant,
absorbing death/discharge; returns in {-1, 0, +1}).

| MDP | states | actions | admissible pairs | random | expert | optimal | simulated optimal | gap |
|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}
`;
await mkdir(out, { recursive: true });
await writeFile(join(out, "README.md"), readme);
console.log(readme);
