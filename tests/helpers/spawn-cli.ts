import { spawn } from "node:child_process";
import { join } from "node:path";

export const repoRoot = join(import.meta.dirname, "..", "..");

export interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/**
 * Run the CLI from source in a child process (for what only a real process shows: kills, closed pipes).
 * `onStdout` may close the child's stdout early, as `| head` does.
 */
export function spawnCli(
  args: readonly string[],
  o: { env?: Record<string, string>; onStdout?: (chunk: string, close: () => void) => void } = {},
): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "src/cli/run.ts"), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...o.env },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      o.onStdout?.(c.toString(), () => child.stdout.destroy());
    });
    child.stderr.on("data", (c: Buffer) => {
      err += c.toString();
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, out, err }));
  });
}
