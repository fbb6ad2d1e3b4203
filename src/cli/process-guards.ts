/**
 * Process-wide handlers installed once by the entry points (bin/tabmdp.js, src/cli/run.ts): a closed stdout
 * (`| head`) ends the program quietly, and nothing escapes as a stack trace.
 *
 * SIGINT and SIGTERM keep Node's default (exit at once): a handler would only run once the current
 * synchronous computation finished, making Ctrl-C unresponsive for minutes. Outputs stay consistent anyway
 * (folders are swapped in whole, leftovers are cleaned by the next run); learn, bench and tune add their own
 * handlers, which stop the runs and write what finished.
 */
import { errorCode } from "../io/fs-errors.js";

let installed = false;

/** The reader has gone: there is no one left to tell, so stop at once with the status so far, as `cat` does. */
const quitOnEpipe = (e: unknown): void => {
  if (errorCode(e) === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
};

export function installProcessGuards(): void {
  if (installed) return;
  installed = true;
  process.stdout.on("error", quitOnEpipe);
  process.stderr.on("error", quitOnEpipe);
  process.on("uncaughtException", (e) => {
    quitOnEpipe(e);
    process.stderr.write(`tabmdp: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.TABMDP_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    process.exit(1);
  });
}

/**
 * How long the event loop idles after a command before the process ends. Why: Node 20 can deadlock at exit
 * when V8 is still optimising a function on a background thread and that job asks the main thread for a
 * garbage collection while the main thread, shutting down, waits for the job (nodejs/node#54918); the
 * command's output is complete but the process never ends. Idling a moment lets such jobs finish first.
 */
const QUIET_BEFORE_EXIT_MS = 10;

/** Ends an entry point: the exit status, then the process ends after a short quiet spell (see above). */
export function exitWhenQuiet(code: number): void {
  process.exitCode = code;
  setTimeout(() => {}, QUIET_BEFORE_EXIT_MS);
}
