import { join } from "node:path";
import { type Command, Option } from "@commander-js/extra-typings";
import { plan } from "../../../solvers/index.js";
import { PLAN_METHODS, type PlanMethod } from "../../../solvers/plan.js";
import { checkOutputPath, readMdpDir, replaceDir, writeTableCsv, writeVectorCsv } from "../../io/index.js";
import { printJson, printLines, warn } from "../output.js";
import { parseGamma, parsePositive, parsePositiveInt } from "../parse.js";

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
    .option("--all-actions", "maximise over all actions even when admissible actions are known")
    .option(
      "--out <dir>",
      "write values.csv (1 x S) and policy.csv (S x A, one-hot, like expertPolicy.csv); the folder is replaced atomically",
    )
    .option("--json", "print JSON (values, policy, convergence report)")
    .addHelpText(
      "after",
      "\nStopping rule: sup-norm change <= tolerance (VI, GS-VI, MPI) or a stable policy (PI). With gamma < 1 the\n" +
        "report includes the bound |V - V*| <= residual * gamma / (1 - gamma). Ties go to the lowest action index.\n\n" +
        "Example:\n  tabmdp solve ../icu-sepsis --method pi --out runs/icu-optimal",
    )
    .action(async (dir, o) => {
      if (o.out !== undefined) await checkOutputPath(o.out, "folder");
      const m = await readMdpDir(dir);
      const t0 = performance.now();
      const r = plan(m, o.method, {
        ...(o.gamma === undefined ? {} : { gamma: o.gamma }),
        tolerance: o.tolerance,
        ...(o.maxIterations === undefined ? {} : { maxIterations: o.maxIterations }),
        ...(o.allActions ? { admissibleOnly: false } : {}),
      });
      const ms = performance.now() - t0;
      if (o.out !== undefined) {
        const onehot = new Float64Array(m.nS * m.nA);
        for (let s = 0; s < m.nS; s++) if (m.terminalS[s] === 0) onehot[s * m.nA + r.policyS[s]!] = 1;
        await replaceDir(
          o.out,
          async (tmp) => {
            await writeVectorCsv(join(tmp, "values.csv"), r.vS);
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
      for (let s = 0; s < m.nS; s++) startValue += m.d0[s]! * r.vS[s]!;
      const scope = r.admissibleOnly ? "admissible actions only" : "all actions";
      if (o.json) {
        return printJson({
          method: r.method,
          gamma: r.gamma,
          maximisedOver: scope,
          report: r.report,
          milliseconds: ms,
          startValue,
          values: Array.from(r.vS),
          policy: Array.from(r.policyS),
        });
      }
      printLines([
        `${r.method}: ${r.report.converged ? "converged" : "NOT converged"} after ${r.report.iterations} iterations (${r.report.stop}), residual ${r.report.residual.toExponential(2)}${r.report.errorBound === null ? "" : `, error bound ${r.report.errorBound.toExponential(2)}`}`,
        `gamma ${r.gamma}; maximised over ${scope}; ${ms.toFixed(1)} ms`,
        `value from d0: ${startValue.toFixed(6)}`,
        ...(o.out === undefined
          ? []
          : [`wrote ${join(o.out, "values.csv")} and ${join(o.out, "policy.csv")}`]),
      ]);
    });
}
