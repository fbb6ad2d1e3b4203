import { join } from "node:path";
import { type Command, Option } from "@commander-js/extra-typings";
import { lengthRangeNote } from "../../../solvers/certify.js";
import { certifiedPlan, PLAN_METHODS, type PlanMethod } from "../../../solvers/plan.js";
import { fixed } from "../../core/format.js";
import { checkOutputPath, readMdpDir, replaceDir, writeTableCsv, writeVectorCsv } from "../../io/index.js";
import { resolveGamma } from "../../model/mdp.js";
import { accuracyLines, lengthLine, printJson, printLines, warn } from "../output.js";
import { parseGamma, parsePositive, parsePositiveInt } from "../parse.js";
import { readOptions, rowSumToleranceOption } from "../vocabulary.js";
import { solveFiniteHorizon } from "./horizon.js";

export function registerSolve(root: Command): void {
  root
    .command("solve")
    .description(
      "Find an optimal policy by value iteration, Gauss-Seidel VI, policy iteration or modified PI",
    )
    .argument("<dir>", "MDP folder")
    .addOption(new Option("--method <m>", "planner").choices(PLAN_METHODS).default("vi" as PlanMethod))
    .option("--gamma <g>", "discount in (0, 1] (default: metadata's, else 1)", parseGamma)
    .option("--tolerance <t>", "stop when a sweep changes V by at most this (sup norm)", parsePositive, 1e-10)
    .option("--max-iterations <n>", "iteration cap (then converged = false, exit code 3)", parsePositiveInt)
    .addOption(rowSumToleranceOption())
    .option("--all-actions", "maximise over all actions even when admissible actions are known")
    .option(
      "--out <dir>",
      "write values.csv (1 x S) and policy.csv (S x A, one-hot, like expertPolicy.csv); the folder is replaced atomically",
    )
    .option(
      "--horizon <H>",
      "finite horizon: backward induction over H steps, time-dependent policy (--method, --tolerance and --max-iterations do not apply)",
      parsePositiveInt,
    )
    .option("--json", "print JSON (values, policy, convergence report)")
    .addHelpText(
      "after",
      "\nStopping rule: sup-norm change <= tolerance (VI, GS-VI, MPI) or a stable policy (PI). The planner's greedy\n" +
        "policy is then certified: evaluated exactly (policy iteration polishes it if needed); values, optimal action\n" +
        "sets and the error bound come from those exact values, so they do not depend on the tolerance. Among optimal\n" +
        "actions the policy takes the one with the shortest expected episode, then the lowest index. The length\n" +
        "range is the shortest and longest expected episode over all optimal policies. With gamma = 1 an MDP whose\n" +
        "optimal value is infinite (a cycle collecting reward forever) is rejected before iterating (exit 2).\n\n" +
        "Example:\n  tabmdp solve ../icu-sepsis --method pi --out runs/icu-optimal",
    )
    .action(async (dir, o) => {
      if (o.out !== undefined) await checkOutputPath(o.out, "folder");
      const m = await readMdpDir(dir, readOptions(o));
      if (o.horizon !== undefined) return solveFiniteHorizon(m, { ...o, horizon: o.horizon });
      const t0 = performance.now();
      const { plan: r, certified: c } = certifiedPlan(m, o.method, {
        gamma: resolveGamma(m, o.gamma),
        tolerance: o.tolerance,
        ...(o.maxIterations === undefined ? {} : { maxIterations: o.maxIterations }),
        ...(o.allActions ? { admissibleOnly: false } : {}),
      });
      const ms = performance.now() - t0;
      if (o.out !== undefined) {
        const onehot = new Float64Array(m.nS * m.nA);
        for (let s = 0; s < m.nS; s++) if (m.terminalS[s] === 0) onehot[s * m.nA + c.policyS[s]!] = 1;
        await replaceDir(
          o.out,
          async (tmp) => {
            await writeVectorCsv(join(tmp, "values.csv"), c.vS);
            await writeTableCsv(join(tmp, "policy.csv"), onehot, m.nS, m.nA);
          },
          { ownNames: (n) => n === "values.csv" || n === "policy.csv" },
        );
      }
      if (!r.report.converged) {
        warn(
          `${r.method} did not converge in ${r.report.iterations} iterations (residual ${r.report.residual})`,
        );
        process.exitCode = 3;
      }
      let startValue = 0;
      for (let s = 0; s < m.nS; s++) startValue += m.d0[s]! * c.vS[s]!;
      const scope = r.admissibleOnly ? "admissible actions only" : "all actions";
      const note = lengthRangeNote(m, c);
      const [shortest, longest] = c.lengthRange;
      const certifiedReport = {
        residual: c.residual,
        errorBound: c.errorBound,
        ...(c.boundLength === null ? {} : { largestExpectedLength: c.boundLength }),
        evaluations: c.evaluations,
        tieTolerance: c.tieTolerance,
        lessAccurateThan1e10: c.lessAccurateThan1e10,
      };
      if (o.json) {
        return printJson({
          method: r.method,
          gamma: r.gamma,
          maximisedOver: scope,
          report: r.report,
          milliseconds: ms,
          certified: certifiedReport,
          startValue,
          tiedStates: c.tiedStates,
          lengthRange: c.lengthRange,
          ...(note === null ? {} : { lengthRangeNote: note }),
          values: Array.from(c.vS),
          policy: Array.from(c.policyS),
          optimalActions: Array.from({ length: m.nS }, (_, s) =>
            Array.from(
              c.optimalActions.actions.subarray(c.optimalActions.ptr[s]!, c.optimalActions.ptr[s + 1]!),
            ),
          ),
        });
      }
      printLines([
        `${r.method}: ${r.report.converged ? "converged" : "NOT converged"} after ${r.report.iterations} iterations (${r.report.stop}), residual ${r.report.residual.toExponential(2)}${r.report.errorBound === null ? "" : `, error bound ${r.report.errorBound.toExponential(2)}`}`,
        `gamma ${r.gamma}; maximised over ${scope}; ${ms.toFixed(1)} ms`,
        `certified: greedy policy evaluated exactly (${c.evaluations} evaluation${c.evaluations === 1 ? "" : "s"}), Bellman residual ${c.residual.toExponential(2)}, error bound ${c.errorBound === null ? "none" : c.errorBound.toExponential(2)}${c.boundLength === null ? "" : ` (residual x largest expected length ${c.boundLength.toFixed(4)})`}`,
        ...accuracyLines(c.lessAccurateThan1e10, c.errorBound),
        `value from d0: ${fixed(startValue, 6)}`,
        `optimal actions: ${c.tiedStates} of ${m.nS - countTerminals(m.terminalS)} non-terminal states have ties (tie tolerance ${c.tieTolerance.toExponential(1)}); chosen: shortest expected episode, then lowest index`,
        lengthLine(shortest, longest),
        ...(note === null ? [] : [note]),
        ...(o.out === undefined
          ? []
          : [`wrote ${join(o.out, "values.csv")} and ${join(o.out, "policy.csv")}`]),
      ]);
    });
}

function countTerminals(terminalS: Uint8Array): number {
  let n = 0;
  for (const t of terminalS) n += t;
  return n;
}
