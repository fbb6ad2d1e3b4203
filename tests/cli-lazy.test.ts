import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { program } from "../src/cli/main.js";
import { runCli } from "./helpers/run-cli.js";
import { repoRoot } from "./helpers/shared.js";

afterEach(() => vi.restoreAllMocks());

const names = async (args: string[]): Promise<string[]> =>
  (await program(args)).commands.map((c) => c.name()).sort();

describe("commands loaded on demand", () => {
  it("the root help lists exactly the commands the modules register", async () => {
    // An unknown command loads every module (so commander can suggest a name): the full tree.
    expect(await names([])).toEqual(await names(["no-such-command"]));
  });
  it("a command loads only its own module", async () => {
    expect(await names(["baselines", "x"])).toEqual(["baselines"]);
    expect(await names(["sim", "run"])).toEqual(["sim", "sims"]);
    expect(await names(["help", "export"])).toEqual(["export"]);
  });
  it("help for one command shows that command's own options", async () => {
    const r = await runCli("help", "export");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--layout <layout>/);
  });
  it("an unknown command is a usage error with a suggestion", async () => {
    const r = await runCli("baseline", "x");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Did you mean baselines\?/);
  });
});

/** The modules the bundled entry imports statically (not through import()), and theirs, as text. */
function staticClosure(file: string, seen = new Set<string>()): string {
  if (seen.has(file)) return "";
  seen.add(file);
  const text = readFileSync(file, "utf8");
  const deps = [...text.matchAll(/^import[^;]*?from\s*"(\.\/[^"]+)";/gm)].map((m) =>
    join(dirname(file), m[1]!),
  );
  return text + deps.map((d) => staticClosure(d, seen)).join("\n");
}

const bundledMain = join(repoRoot, "dist/cli/main.js");

describe.skipIf(!existsSync(bundledMain))("the bundled command line (npm run build first)", () => {
  it("starts without any command's code: each command is a chunk loaded when it runs", () => {
    const start = staticClosure(bundledMain);
    expect(start).toMatch(/registerCommands/);
    for (const name of ["readStochasticCsr", "valueIteration", "evaluatePolicy", "registerBaselines"])
      expect(start, name).not.toMatch(new RegExp(`function ${name}\\b`));
  });
  it("keeps the npm packages outside the bundle", () => {
    expect(staticClosure(bundledMain)).toMatch(/from "@commander-js\/extra-typings"/);
  });
});
