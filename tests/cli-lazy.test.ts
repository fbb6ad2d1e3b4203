import { afterEach, describe, expect, it, vi } from "vitest";
import { program } from "../src/cli/main.js";
import { runCli } from "./helpers/run-cli.js";

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
