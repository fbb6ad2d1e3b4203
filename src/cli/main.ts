import { Command, CommanderError } from "@commander-js/extra-typings";
import { TabmdpError } from "../core/errors.js";
import { VERSION } from "../core/version.js";
import { describeFsError, errorCode } from "../io/fs-errors.js";
import { registerAllCommands, registerCommands } from "./commands/index.js";

/** Entry points (not tests, which run main in-process) install these: quiet EPIPE, signals, no stack traces. */
export { exitWhenQuiet, installProcessGuards } from "./process-guards.js";

/**
 * Build the command tree for `args` (argv without node and script): only the modules of the command asked
 * for are loaded ("all": every command). Only src/cli touches argv, stdout, stderr and the exit code.
 */
export async function program(args: readonly string[] | "all"): Promise<Command> {
  const root = new Command("tabmdp")
    .description(
      "Tabular MDPs for RL research: read and write ICU-Sepsis-style CSV tables, solve and evaluate them " +
        "exactly, simulate, learn, and build new MDPs from sepsis simulators. Every command has --help and --json.",
    )
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  if (args === "all") await registerAllCommands(root);
  else await registerCommands(root, args);
  return root;
}

/** One line for an error nobody raised on purpose: system errors by path and code, others by message. */
function unexpected(err: unknown): { line: string; code: number } {
  const path = (err as { path?: unknown } | null)?.path;
  if (errorCode(err) !== null)
    return { line: `${typeof path === "string" ? `${path}: ` : ""}${describeFsError(err)}`, code: 2 };
  const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { line: `internal error: ${msg.split("\n")[0]!.slice(0, 500)} (please report it)`, code: 1 };
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
    // Never a stack trace (set TABMDP_DEBUG=1 to see one).
    const u = unexpected(err);
    process.stderr.write(`tabmdp: ${u.line}\n`);
    if (process.env.TABMDP_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return u.code;
  }
}
