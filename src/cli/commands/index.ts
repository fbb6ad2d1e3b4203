import type { Command } from "@commander-js/extra-typings";
import { registerBaselines } from "./baselines.js";
import { registerBenchCommand } from "./bench.js";
import { registerBuild } from "./build.js";
import { registerEvaluate } from "./evaluate.js";
import { registerExport } from "./export.js";
import { registerFidelity } from "./fidelity.js";
import { registerInfo } from "./info.js";
import { registerLearnCommand } from "./learn.js";
import { registerSimCommands } from "./sim.js";
import { registerSimulate } from "./simulate.js";
import { registerSolve } from "./solve.js";
import { registerStudy } from "./study.js";
import { registerTuneCommand } from "./tune.js";
import { registerValidate } from "./validate.js";

/** Every subcommand module exports one `register*` function; add new ones here (one line each). */
export function registerCoreCommands(root: Command): void {
  registerInfo(root);
  registerValidate(root);
  registerBaselines(root);
  registerSolve(root);
  registerEvaluate(root);
  registerSimulate(root);
  registerExport(root);
  registerSimCommands(root);
  registerLearnCommand(root);
  registerBenchCommand(root);
  registerTuneCommand(root);
  registerBuild(root);
  registerFidelity(root);
  registerStudy(root);
}
