import type { Command } from "@commander-js/extra-typings";
import { registerSimCommands } from "./sim.js";

/** Every subcommand module exports one `register*` function; add new ones here (one line each). */
export function registerCoreCommands(root: Command): void {
  void root;
  registerSimCommands(root);
}
