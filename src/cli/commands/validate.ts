import { type Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { validateMdpDir } from "../../io/index.js";

const printJson = (v: unknown): void => void process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
const printLines = (lines: readonly string[]): void => void process.stdout.write(`${lines.join("\n")}\n`);

function positive(text: string): number {
  const x = Number(text);
  if (!(x > 0 && Number.isFinite(x)))
    throw new InvalidArgumentError(`expected a positive number, got "${text}"`);
  return x;
}

function positiveInt(text: string): number {
  const x = Number(text);
  if (!(Number.isInteger(x) && x > 0))
    throw new InvalidArgumentError(`expected a positive integer, got "${text}"`);
  return x;
}

export function registerValidate(root: Command): void {
  root
    .command("validate")
    .description("Check an MDP folder and list every problem as file:line:column: reason (exit 2 if any)")
    .argument("<dir>", "folder in the ICU-Sepsis layout (plain or gzipped CSVs, flat or under extras/)")
    .option("--tolerance <t>", "allowed |row sum - 1| for transitions, d0 and policies", positive, 1e-9)
    .option("--max-problems <n>", "stop after this many problems", positiveInt, 50)
    .option("--json", "print JSON")
    .addHelpText("after", "\nExample:\n  tabmdp validate ../icu-sepsis --tolerance 1e-12")
    .action(async (dir, o) => {
      const r = await validateMdpDir(dir, { tolerance: o.tolerance, maxProblems: o.maxProblems });
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
        `states            ${s.nS} (terminal: ${s.terminalStates.join(", ") || "none"})`,
        `actions           ${s.nA}`,
        `non-zeros         ${s.nonZeros.toLocaleString("en")}`,
        `reward            ${s.rewardKind === "next-state" ? "R(s')" : "R(s, a)"}`,
        `admissible        ${s.admissibleKnown ? `${s.admissiblePairs} (s, a) pairs in non-terminal states` : "all actions (no admissibleActions file)"}`,
        `max |row sum - 1| ${s.maxRowSumDeviation.toExponential(2)} (tolerance ${o.tolerance})`,
      ]);
    });
}
