import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { certifiedPlan, plan, UnboundedValueError } from "../solvers/index.js";
import { PLAN_METHODS as METHODS } from "../solvers/plan.js";
import { writeMdpDir } from "../src/io/index.js";
import { csrFromDense, makeMdp } from "../src/model/build.js";
import type { TabularMdp } from "../src/model/mdp.js";
import { runCli } from "./helpers/run-cli.js";
import { hasIcuSepsis, icuSepsisDir } from "./helpers/shared.js";
import { geometricChain, twoStateCycle } from "./helpers/tiny-mdps.js";

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UnboundedValueError);
    return (err as Error).message;
  }
  throw new Error("expected an UnboundedValueError");
};

describe("gamma = 1: unbounded values are rejected before iterating, with the states", () => {
  it("a cycle collecting positive reward gives +infinity, for every planner", () => {
    const m = twoStateCycle(1, 1);
    for (const method of METHODS) {
      expect(message(() => plan(m, method, { gamma: 1 }))).toBe(
        "the undiscounted optimal value is +infinity: from states 0, 1 a policy can reach states 0, 1 and repeat " +
          "a cycle among them forever, collecting positive reward without ever reaching a terminal state; use " +
          "--gamma < 1, or make that cycle lead to a terminal state",
      );
    }
  });

  it("a cycle whose rewards have both signs is not decided", () => {
    expect(message(() => plan(twoStateCycle(1, -2), "pi", { gamma: 1 }))).toBe(
      "the undiscounted optimal value may be unbounded: states 0, 1 lie on cycles a policy can repeat forever " +
        "whose rewards have both signs; the value is finite only if every such cycle loses reward on average, " +
        "which tabmdp does not decide at gamma = 1; use --gamma < 1",
    );
  });

  it("a losing cycle a maximiser can leave is fine; one it cannot leave gives -infinity", () => {
    const leave = certifiedPlan(twoStateCycle(-1, -1, -5), "vi", { gamma: 1 });
    expect(leave.certified.vS[0]).toBe(-5);
    expect(Array.from(leave.certified.policyS.subarray(0, 2))).toEqual([1, 1]);
    // Without the way out (both actions cycle), every policy loses forever.
    const m = twoStateCycle(-1, -1, -5);
    const trapped = { ...m, next: Int32Array.from(m.next, (t, k) => (k === 1 ? 1 : k === 3 ? 0 : t)) };
    expect(message(() => plan(trapped, "mpi", { gamma: 1 }))).toBe(
      "the undiscounted optimal value is -infinity at states 0, 1: every policy from there can, with positive " +
        "probability, be trapped in cycles that lose reward on every pass and never reach a terminal state; use " +
        "--gamma < 1, or give those states a way to a terminal state",
    );
  });

  it("a zero-reward loop that ties with the way out is never chosen; the range says what it allows", () => {
    const m = geometricChain(0.3, 0.1);
    for (const method of METHODS) {
      const { certified: c } = certifiedPlan(m, method, { gamma: 1 });
      expect(c.vS[0]).toBeCloseTo(0.75, 14);
      expect(c.tiedStates).toBe(1);
      expect(c.policyS[0]).toBe(0);
      expect(c.lengthRange[0]).toBeCloseTo(2.5, 12);
      expect(c.lengthRange[1]).toBeNull();
    }
  });

  it("when staying beats every way out, all planners agree on the value 0 and the length is unbounded", () => {
    const m = geometricChain(0.3, 0.1);
    const dying = { ...m, reward: { kind: "next-state" as const, rS: Float64Array.of(0, -1, 0) } };
    for (const method of METHODS) {
      const { plan: r, certified: c } = certifiedPlan(dying, method, { gamma: 1 });
      expect(r.vS[0]).toBeCloseTo(0, 9);
      expect(c.vS[0]).toBe(0);
      expect(c.policyS[0]).toBe(1);
      expect(c.lengthRange).toEqual([null, null]);
    }
  });
});

describe("CLI: rejected with exit 2, never an iteration cap printed as a value", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  it('"terminal_states": [] makes an absorbing survival state a reward collected forever', async () => {
    const dir = await mkdtemp(join(tmpdir(), "tabmdp-wellposed-"));
    dirs.push(dir);
    await writeMdpDir(geometricChain(0.3, 0.1), dir);
    const metaPath = join(dir, "metadata.json");
    const meta = JSON.parse(await readFile(metaPath, "utf8")) as Record<string, unknown>;
    await writeFile(metaPath, JSON.stringify({ ...meta, gamma: 1, terminal_states: [] }));
    for (const args of [["baselines", dir], ...METHODS.map((method) => ["solve", dir, "--method", method])]) {
      const r = await runCli(...args);
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
      expect(r.err.trim()).toBe(
        "tabmdp: the undiscounted optimal value is +infinity: from states 0, 2 a policy can reach states 2 and repeat a " +
          "cycle among them forever, collecting positive reward without ever reaching a terminal state; use " +
          "--gamma < 1, or make that cycle lead to a terminal state",
      );
    }
  });
});

/** Small random MDPs with zero-reward self-loops, duplicated rows (ties) and rows that never end. */
function randomEpisodicMdp(seed: number, n: number, nA: number): TabularMdp {
  let x = seed * 2654435761;
  const next = (): number => {
    x = (Math.imul(x ^ (x >>> 15), 2246822507) + 0x6d2b79f5) >>> 0;
    return x / 2 ** 32;
  };
  const nS = n + 2;
  const dense = new Float64Array(nS * nA * nS);
  for (let s = 0; s < n; s++) {
    for (let a = 0; a < nA; a++) {
      const row = (s * nA + a) * nS;
      if (a > 0 && next() < 0.25) {
        dense.copyWithin(row, (s * nA + a - 1) * nS, (s * nA + a) * nS); // a tie with the previous action
        continue;
      }
      if (next() < 0.15) {
        dense[row + s] = 1; // a zero-reward loop
        continue;
      }
      const exit = 0.05 + 0.3 * next();
      const split = next();
      dense[row + n] = exit * split;
      dense[row + n + 1] = exit * (1 - split);
      for (let i = 0; i < 3; i++) dense[row + Math.floor(next() * n)]! += (1 - exit) / 3;
    }
  }
  for (const t of [n, n + 1]) for (let a = 0; a < nA; a++) dense[(t * nA + a) * nS + t] = 1;
  const rS = new Float64Array(nS);
  rS[n + 1] = 1;
  rS[n] = -1;
  const d0 = new Float64Array(nS);
  for (let s = 0; s < n; s++) d0[s] = 1 / n;
  return makeMdp({ nS, nA, ...csrFromDense(dense, nS * nA, nS), reward: { kind: "next-state", rS }, d0 });
}

describe("property: the four planners agree on random episodic MDPs", () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    for (const gamma of [1, 0.95]) {
      it(`seed ${seed}, gamma ${gamma}`, () => {
        const m = randomEpisodicMdp(seed, 12 + 3 * seed, 3);
        const runs = METHODS.map((method) => certifiedPlan(m, method, { gamma }));
        const [first] = runs;
        for (const { plan: r, certified: c } of runs) {
          expect(r.report.converged).toBe(true);
          for (let s = 0; s < m.nS; s++) {
            expect(Math.abs(r.vS[s]! - first!.certified.vS[s]!)).toBeLessThan(1e-7);
            expect(Math.abs(c.vS[s]! - first!.certified.vS[s]!)).toBeLessThan(1e-12);
          }
          expect(Array.from(c.optimalActions.actions)).toEqual(
            Array.from(first!.certified.optimalActions.actions),
          );
          expect(Array.from(c.policyS)).toEqual(Array.from(first!.certified.policyS));
          expect(c.lengthRange).toEqual(first!.certified.lengthRange);
        }
      });
    }
  }
});

describe("Oberst & Sontag at gamma = 1: policy iteration agrees with value iteration", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  it("sim export, then solve --gamma 1 with pi and vi", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tabmdp-oberst-"));
    dirs.push(dir);
    expect((await runCli("sim", "export", "oberst-sontag", join(dir, "os"))).code).toBe(0);
    const values: number[] = [];
    for (const method of ["pi", "vi"]) {
      const r = await runCli("solve", join(dir, "os"), "--gamma", "1", "--method", method, "--json");
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out) as {
        startValue: number;
        lengthRange: unknown;
        report: { converged: boolean };
      };
      expect(j.report.converged).toBe(true);
      expect(j.lengthRange).toEqual([null, null]);
      values.push(j.startValue);
    }
    expect(values[0]!.toFixed(6)).toBe("0.540020");
    expect(Math.abs(values[0]! - values[1]!)).toBeLessThan(1e-12);
  }, 120_000);
});

describe.skipIf(!hasIcuSepsis)("ICU-Sepsis keeps one optimal length", () => {
  it("baselines --json: lengthRange is [10.9917, 10.9917]", async () => {
    const r = await runCli("baselines", icuSepsisDir, "--json");
    expect(r.code).toBe(0);
    const opt = (JSON.parse(r.out) as { policies: { optimal: { length: number; lengthRange: number[] } } })
      .policies.optimal;
    expect(opt.lengthRange.map((x) => x.toFixed(4))).toEqual(["10.9917", "10.9917"]);
    expect(opt.length.toFixed(4)).toBe("10.9917");
  });
});
