import { afterAll, describe, expect, it } from "vitest";
import { runEpisodes } from "../solvers/learning/loop.js";
import { evaluatePolicy, uniformTable } from "../solvers/policy-evaluation.js";
import { monteCarlo } from "../src/env/monte-carlo.js";
import { TabularEnv } from "../src/env/tabular-env.js";
import { TabularVectorEnv } from "../src/env/vector-env.js";
import { readMdpDir } from "../src/io/index.js";
import { cleanFixtures, fixture } from "./helpers/io-fixture.js";
import { runCli } from "./helpers/run-cli.js";

afterAll(cleanFixtures);

/** The shared tiny folder with half of d0 on its terminal state 2: every other start ends surely in 2. */
const halfTerminal = (): Promise<string> => fixture({ "initialStateDistribution.csv": "0.5,0,0.5\n" });

describe("an episode that starts in a terminal state has length 0 and return 0", () => {
  it("exact evaluation: return 0.5, and the start mass counts as ending in that terminal", async () => {
    const m = await readMdpDir(await halfTerminal());
    const e = evaluatePolicy(m, uniformTable(m), { gamma: 1 });
    expect(e.expectedReturn).toBeCloseTo(0.5, 14);
    expect(e.terminalProbabilities).toEqual([{ state: 2, probability: 1 }]);
  });

  it("simulate's 95 % interval covers evaluate's exact value (return and length)", async () => {
    const dir = await halfTerminal();
    const exact = JSON.parse((await runCli("evaluate", dir, "--policy", "random", "--json")).out);
    const sim = await runCli(
      "simulate",
      dir,
      "--policy",
      "random",
      "--episodes",
      "20000",
      "--seed",
      "5",
      "--json",
    );
    expect(sim.code).toBe(0);
    const mc = JSON.parse(sim.out);
    expect(mc.exact.return).toBeCloseTo(exact.return, 14);
    expect(mc.return.ci95[0]).toBeLessThanOrEqual(exact.return);
    expect(mc.return.ci95[1]).toBeGreaterThanOrEqual(exact.return);
    expect(mc.length.ci95[0]).toBeLessThanOrEqual(exact.length);
    expect(mc.length.ci95[1]).toBeGreaterThanOrEqual(exact.length);
    // Same seed, same bytes (the zero-length counts come from their own seeded stream).
    const again = await runCli(
      "simulate",
      dir,
      "--policy",
      "random",
      "--episodes",
      "20000",
      "--seed",
      "5",
      "--json",
    );
    expect(JSON.parse(again.out).return).toEqual(mc.return);
  });

  it("TabularEnv: reset returns the terminal state already terminated, and step refuses to leave it", async () => {
    const m = await readMdpDir(await halfTerminal());
    const env = new TabularEnv(m);
    let terminalStarts = 0;
    for (let i = 0; i < 200; i++) {
      const [s] = i === 0 ? env.reset({ seed: 1 }) : env.reset();
      expect(env.terminated).toBe(s === 2);
      if (s === 2) {
        terminalStarts++;
        expect(env.elapsed).toBe(0);
        expect(() => env.step(0)).toThrow("step() called after the episode ended: reset() first");
      }
    }
    expect(terminalStarts).toBeGreaterThan(60);
    expect(terminalStarts).toBeLessThan(140);
  });

  it("the vector env never shows a terminal start as a state but counts them in terminalStarts", async () => {
    const m = await readMdpDir(await halfTerminal());
    const env = new TabularVectorEnv(m, { numEnvs: 8 });
    env.reset({ seed: 2 });
    let counted = 0;
    let episodes = 0;
    for (let t = 0; t < 2000; t++) {
      for (const s of env.states) expect(s).not.toBe(2);
      for (const z of env.terminalStarts) counted += z;
      env.sampleAndStep();
      for (let e = 0; e < 8; e++) if (env.terminated[e] === 1 || env.truncated[e] === 1) episodes++;
    }
    // Half of all episodes are terminal starts: counted / (counted + stepped episodes) near 1/2.
    const share = counted / (counted + episodes);
    expect(Math.abs(share - 0.5)).toBeLessThan(0.05);
  });

  it("every start terminal: Monte Carlo gives 0 without stepping; the vector env refuses to be built", async () => {
    const m = await readMdpDir(await fixture({ "initialStateDistribution.csv": "0,0,1\n" }));
    const mc = monteCarlo(m, uniformTable(m), { episodes: 50, seed: 1 });
    expect([mc.return.mean, mc.length.mean, mc.steps]).toEqual([0, 0, 0]);
    expect(() => new TabularVectorEnv(m)).toThrow(
      "every initial state is terminal, so every episode has length 0 and there is nothing to step",
    );
  });

  it("the learners refuse such an MDP with a message saying why", async () => {
    const m = await readMdpDir(await halfTerminal());
    expect(() => runEpisodes(m, {}, { episodes: 10, seed: 1 })).toThrow(
      "the initial state distribution puts mass on terminal state 2: such episodes have length 0 and teach a " +
        "learner nothing, and the learners do not count them; move that mass to non-terminal states to learn on this MDP",
    );
  });
});
