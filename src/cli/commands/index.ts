import type { Command } from "@commander-js/extra-typings";
import { registerExport } from "./export.js";
import { registerSimCommands } from "./sim.js";
import { registerValidate } from "./validate.js";

/** Every subcommand module exports one `register*` function; add new ones here (one line each). */
export function registerCoreCommands(root: Command): void {
  void root;
  registerValidate(root);
  registerExport(root);
  registerSimCommands(root);
}
