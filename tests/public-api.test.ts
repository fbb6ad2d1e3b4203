import { describe, expect, it } from "vitest";
import * as tabmdp from "../src/index.js";
import { repoRoot } from "./helpers/shared.js";

describe("the package entry point", () => {
  it("exposes the model, io, env, solvers, learners, simulators and builder", () => {
    for (const name of [
      "readMdpDir",
      "writeMdpDir",
      "validateMdpDir",
      "makeMdp",
      "TabularEnv",
      "TabularVectorEnv",
      "monteCarlo",
      "evaluatePolicy",
      "valueIteration",
      "policyIteration",
      "baselines",
      "runEpisodes",
      "listSimulators",
      "buildOberstSontagMdp",
      "buildFromSimulator",
    ]) {
      expect(typeof (tabmdp as Record<string, unknown>)[name], name).toBe("function");
    }
  });

  it("runs the README's three-line example", async () => {
    const mdp = await tabmdp.readMdpDir(`${repoRoot}/data/demo`);
    const b = tabmdp.baselines(mdp);
    expect(b.policies.optimal.return).toBeGreaterThan(b.policies.random.return!);
    const env = new tabmdp.TabularEnv(mdp);
    const [s] = env.reset({ seed: 1 });
    expect(s).toBeGreaterThanOrEqual(0);
  });
});
