import type { Command } from "@commander-js/extra-typings";
import { readMdpDir } from "../../io/index.js";
import { resolveGamma, terminalStates } from "../../model/mdp.js";
import { idRanges, printJson, printLines } from "../output.js";
import { readOptions, rowSumToleranceOption } from "../vocabulary.js";

export function registerInfo(root: Command): void {
  root
    .command("info")
    .description("Summarise an MDP folder: sizes, sparsity, terminal states, admissible actions, extras")
    .argument("<dir>", "folder in the ICU-Sepsis layout (plain or gzipped CSVs, flat or under extras/)")
    .addOption(rowSumToleranceOption())
    .option("--json", "print JSON")
    .addHelpText("after", "\nExample:\n  tabmdp info data/sepsisim-management-medium")
    .action(async (dir, o) => {
      const m = await readMdpDir(dir, readOptions(o));
      let admissible = 0;
      for (let s = 0; s < m.nS; s++) {
        if (m.terminalS[s] === 1) continue;
        for (let a = 0; a < m.nA; a++) admissible += m.admissibleSA[s * m.nA + a]!;
      }
      let perRowMax = 0;
      for (let r = 0; r < m.nS * m.nA; r++) perRowMax = Math.max(perRowMax, m.rowPtr[r + 1]! - m.rowPtr[r]!);
      const d0Support = m.d0.reduce((n, p) => n + (p > 0 ? 1 : 0), 0);
      const summary = {
        states: m.nS,
        actions: m.nA,
        nonZeros: m.next.length,
        density: m.next.length / (m.nS * m.nS * m.nA),
        maxSuccessors: perRowMax,
        rewardKind: m.reward.kind,
        terminalStates: terminalStates(m),
        admissibleKnown: m.admissibleKnown,
        admissiblePairsNonTerminal: admissible,
        d0Support,
        gamma: resolveGamma(m),
        hasExpertPolicy: m.expertPolicy !== null,
        centroidDim: m.centroids?.dim ?? null,
        hasSofa: m.sofa !== null,
        metadata: m.metadata,
      };
      if (o.json) return printJson(summary);
      printLines([
        `states            ${m.nS} (terminal: ${idRanges(summary.terminalStates)})`,
        `actions           ${m.nA}`,
        `transitions       ${m.next.length.toLocaleString("en")} non-zeros (${(100 * summary.density).toFixed(1)} %), at most ${perRowMax} successors per (s, a)`,
        `reward            ${m.reward.kind === "next-state" ? "R(s') on entering s'" : "R(s, a)"}`,
        `admissible        ${m.admissibleKnown ? `${admissible} (s, a) pairs over non-terminal states` : "all actions (no admissibleActions file)"}`,
        `initial states    ${d0Support} with positive probability`,
        `gamma             ${summary.gamma}${m.metadata.gamma === undefined ? " (default)" : " (metadata)"}`,
        `extras            ${[m.expertPolicy && "expert policy", m.centroids && `centroids (${m.centroids.dim}-d)`, m.sofa && "SOFA scores"].filter(Boolean).join(", ") || "none"}`,
      ]);
    });
}
