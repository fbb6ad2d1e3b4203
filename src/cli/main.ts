import { Command, CommanderError } from "@commander-js/extra-typings";
import { TabmdpError } from "../core/errors.js";
import { VERSION } from "../core/version.js";
import { registerCommands } from "./commands/index.js";

/**
 * Build the command tree for `args` (argv without node and script): only the modules of the command asked
 * for are loaded. Only src/cli touches argv, stdout, stderr and the exit code.
 */
export async function program(args: readonly string[]): Promise<Command> {
  const root = new Command("tabmdp")
    .description(
      "Tabular MDPs for RL research: read and write ICU-Sepsis-style CSV tables, solve and evaluate them " +
        "exactly, simulate, learn, and build new MDPs from sepsis simulators. Every command has --help and --json.",
    )
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  await registerCommands(root, args);
  return root;
}

/** Run the CLI; resolves to the exit code (0 ok, 1 unexpected failure, 2 bad input or usage, 3 not converged). */
export async function main(argv: readonly string[]): Promise<number> {
  process.exitCode = 0;
  try {
    await (await program(argv.slice(2))).parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit "successfully"; usage errors were already printed by commander.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof TabmdpError) {
      process.stderr.write(`tabmdp: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
