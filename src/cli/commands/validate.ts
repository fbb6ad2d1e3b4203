import type { Command } from "@commander-js/extra-typings";
import { validateMdpDir } from "../../io/index.js";
import { idRanges, printJson, printLines } from "../output.js";
import { parsePositive, parsePositiveInt } from "../parse.js";
import { deprecatedAlias, rowSumToleranceOption } from "../vocabulary.js";

export function registerValidate(root: Command): void {
  const cmd = root
    .command("validate")
    .description("Check an MDP folder and list every problem as file:line:column: reason (exit 2 if any)")
    .argument("<dir>", "folder in the ICU-Sepsis layout (plain or gzipped CSVs, flat or under extras/)")
    .addOption(rowSumToleranceOption())
    .option("--max-problems <n>", "stop after this many problems", parsePositiveInt, 50)
    .option("--json", "print JSON")
    .addHelpText("after", "\nExample:\n  tabmdp validate ../icu-sepsis --row-sum-tolerance 1e-12")
    .action(async (dir, o) => {
      const r = await validateMdpDir(dir, { tolerance: o.rowSumTolerance, maxProblems: o.maxProblems });
      if (!r.ok) process.exitCode = 2;
      if (o.json) {
        const problems = r.problems.map((p) => ({
          file: p.file,
          line: p.line,
          column: p.column,
          reason: p.reason,
          message: p.message,
        }));
        return printJson({ ok: r.ok, problems, summary: r.summary ?? null });
      }
      if (!r.ok) {
        const capped =
          r.problems.length >= o.maxProblems ? ` (stopped at --max-problems ${o.maxProblems})` : "";
        return printLines([...r.problems.map((p) => p.message), `${r.problems.length} problem(s)${capped}`]);
      }
      const s = r.summary;
      if (s === undefined) return;
      printLines([
        `OK ${dir}`,
        `states            ${s.nS} (terminal: ${idRanges(s.terminalStates)})`,
        `actions           ${s.nA}`,
        `non-zeros         ${s.nonZeros.toLocaleString("en")}`,
        `reward            ${s.rewardKind === "next-state" ? "R(s')" : "R(s, a)"}`,
        `admissible        ${s.admissibleKnown ? `${s.admissiblePairs} (s, a) pairs in non-terminal states` : "all actions (no admissibleActions file)"}`,
        `max |row sum - 1| ${s.maxRowSumDeviation.toExponential(2)} (tolerance ${o.rowSumTolerance})`,
      ]);
    });
  deprecatedAlias(cmd, "tolerance", "--row-sum-tolerance <t>", parsePositive);
}
