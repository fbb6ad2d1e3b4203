// Writes the small demo MDP shipped in data/demo (used by `npm start` and the README examples).
// Usage: tsx scripts/make-demo-mdp.ts OUT_DIR
import { writeMdpDir } from "../src/io/index.js";
import { randomIcuShapedMdp } from "../src/model/random-mdp.js";

const out = process.argv[2] ?? "data/demo";
const mdp = randomIcuShapedMdp("tabmdp-demo", {
  states: 40,
  actions: 4,
  successors: 6,
  exitMass: 0.12,
  admissibility: true,
  expert: true,
});
const written = await writeMdpDir(mdp, out);
process.stdout.write(`wrote ${written.length} files to ${out}\n`);
