import { describe, expect, it } from "vitest";
import { decodeDigits, encodeDigits } from "../src/builder/actions.js";
import { pruneStates } from "../src/builder/admissibility.js";
import { binOf, fitBins, quantile } from "../src/builder/binning.js";
import { countTransitions } from "../src/builder/counting.js";
import { kmeans } from "../src/builder/kmeans.js";
import { nearestCentroid } from "../src/builder/nearest.js";
import { fitNormalizer, normalizeInto, normalizeRows } from "../src/builder/normalize.js";
import { normal, seeded } from "../src/core/rng.js";
import { meanRuleCsr } from "../src/model/mean-rule.js";
import type { FeatureSpec } from "../src/sim/types.js";

const spec = (name: string, extra: Partial<FeatureSpec> = {}): FeatureSpec => ({
  name,
  unit: "",
  low: 0,
  high: 1,
  ...extra,
});

describe("normalisation", () => {
  const specs = [spec("flag", { binary: true }), spec("x"), spec("heavy", { logScale: true }), spec("const")];
  const rows = Float64Array.of(1, 1, 0, 5, 0, 3, 9.9, 5);
  it("centres binary, z-scores, log-z-scores and leaves constants at 0", () => {
    const input = rows.slice();
    const nz = fitNormalizer(specs, input);
    expect(input).toEqual(rows); // inputs untouched
    expect(nz.scaling).toEqual(["binary", "z", "log-z", "z"]);
    expect(nz.mean[1]).toBe(2);
    expect(nz.std[1]).toBe(1);
    const lo = Math.log(0.1);
    const hi = Math.log(10);
    expect(nz.mean[2]).toBeCloseTo((lo + hi) / 2, 12);
    const out = normalizeRows(nz, rows);
    expect(Array.from(out.subarray(0, 4))).toEqual([0.5, -1, -1, 0]);
    expect(out[4]).toBe(-0.5);
    expect(out[5]).toBe(1);
    expect(out[6]).toBeCloseTo(1, 12);
  });
  it("maps a new observation with the saved parameters", () => {
    const nz = JSON.parse(JSON.stringify(fitNormalizer(specs, rows)));
    const out = new Float64Array(4);
    normalizeInto(nz, [0, 4, 0, 5], out);
    expect(out[0]).toBe(-0.5);
    expect(out[1]).toBe(2);
  });
});

function blobs(n: number, seed: number): Float64Array {
  const r = seeded(seed);
  const centres = [
    [0, 0],
    [8, 0],
    [0, 8],
    [8, 8],
    [4, 4],
  ];
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    const c = centres[i % centres.length]!;
    out[2 * i] = c[0]! + normal(r) * 0.7;
    out[2 * i + 1] = c[1]! + normal(r) * 0.7;
  }
  return out;
}

/** Plain Lloyd, no bounds: the reference the accelerated version must match. */
function plainLloyd(data: Float64Array, init: Float64Array, k: number, iters: number): Int32Array {
  const n = data.length / 2;
  const c = init.slice();
  const a = new Int32Array(n);
  for (let it = 0; it < iters; it++) {
    for (let i = 0; i < n; i++) a[i] = nearestCentroid(data.subarray(2 * i, 2 * i + 2), c, 2);
    const s = new Float64Array(2 * k);
    const m = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      s[2 * a[i]!]! += data[2 * i]!;
      s[2 * a[i]! + 1]! += data[2 * i + 1]!;
      m[a[i]!]!++;
    }
    for (let j = 0; j < k; j++)
      if (m[j]! > 0) [c[2 * j], c[2 * j + 1]] = [s[2 * j]! / m[j]!, s[2 * j + 1]! / m[j]!];
  }
  return a;
}

describe("k-means", () => {
  const data = blobs(2000, 3);
  it("is deterministic for a seed and reports convergence", () => {
    const a = kmeans({ data, dim: 2 }, { k: 5, seed: 7, restarts: 2 });
    const b = kmeans({ data, dim: 2 }, { k: 5, seed: 7, restarts: 2 });
    expect(Array.from(a.centroids)).toEqual(Array.from(b.centroids));
    expect(a.report.converged).toBe(true);
    expect(a.inertias).toHaveLength(2);
    expect(a.inertia).toBe(Math.min(...a.inertias));
  });
  it("k-means++ is never worse than random initialisation on the fixture", () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const pp = kmeans({ data, dim: 2 }, { k: 5, seed, restarts: 3 });
      const rnd = kmeans({ data, dim: 2 }, { k: 5, seed, restarts: 3, init: "random" });
      expect(pp.inertia).toBeLessThanOrEqual(rnd.inertia + 1e-9);
    }
  });
  it("the accelerated Lloyd gives plain Lloyd's assignment", () => {
    const r = kmeans({ data, dim: 2 }, { k: 12, seed: 4, init: "random", tol: 0, maxIter: 300 });
    const again = kmeans({ data, dim: 2 }, { k: 12, seed: 4, init: "random", tol: 0, maxIter: 300 });
    expect(r.report.stop).toBe("stable-assignment");
    // One more plain Lloyd step from the result must not move any point.
    const plain = plainLloyd(data, r.centroids, 12, 1);
    expect(Array.from(plain)).toEqual(Array.from(r.assignment));
    expect(again.inertia).toBe(r.inertia);
  });
  it("the @example: two pairs", () => {
    const r = kmeans({ data: new Float64Array([0, 0, 0, 1, 10, 10, 10, 11]), dim: 2 }, { k: 2, seed: 1 });
    expect(r.inertia).toBe(1);
  });
  it("rejects k larger than the data", () => {
    expect(() => kmeans({ data: new Float64Array(4), dim: 2 }, { k: 3, seed: 1 })).toThrow(/exceeds/);
  });
});

describe("dose binning", () => {
  it("puts 0 in bin 0 and quartiles of the non-zero doses in 1-4, with medians", () => {
    const doses = [0, 0, 1, 2, 3, 4, 5, 6, 7, 8];
    const b = fitBins("fluid", "mL", doses);
    expect(b.edges).toEqual([2.75, 4.5, 6.25]);
    expect(doses.map((x) => binOf(b, x))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(b.medians).toEqual([0, 1.5, 3.5, 5.5, 7.5]);
    expect(b.counts).toEqual([2, 2, 2, 2, 2]);
    expect(quantile(Float64Array.of(1, 2, 3), 0.5)).toBe(2);
  });
  it("encodes 25·abx + 5·fluid + vaso", () => {
    const ch = [
      { name: "abx", unit: "", role: "flag" as const, radix: 2 },
      { name: "fluid", unit: "", role: "sum" as const, radix: 5 },
      { name: "vaso", unit: "", role: "max" as const, radix: 5 },
    ];
    expect(encodeDigits(ch, [1, 3, 2])).toBe(42);
    expect(decodeDigits(ch, 42)).toEqual([1, 3, 2]);
  });
});

// Hand-made stays over 3 clusters, 2 actions; successor 3 = death, 4 = survival.
function handMade(): ReturnType<typeof countTransitions> {
  const states: number[] = [];
  const actions: number[] = [];
  const start = [0];
  const died: number[] = [];
  const stay = (s: number[], a: number[], d: number): void => {
    states.push(...s);
    actions.push(...a);
    start.push(states.length);
    died.push(d);
  };
  for (let i = 0; i < 30; i++) stay([0, 1], [0, 0], i < 10 ? 1 : 0); // (0,0)->1 x30; (1,0)->death x10, survival x20
  for (let i = 0; i < 5; i++) stay([0, 2], [1, 1], 0); // (0,1)->2 x5; (2,1)->survival x5
  return countTransitions(
    Int32Array.from(states),
    Int32Array.from(actions),
    Int32Array.from(start),
    Uint8Array.from(died),
    3,
    2,
  );
}

describe("counting and pruning", () => {
  it("counts transitions, outcomes and first blocks", () => {
    const c = handMade();
    expect(Array.from(c.saCount)).toEqual([30, 5, 30, 0, 0, 5]);
    expect(Array.from(c.d0Count)).toEqual([35, 0, 0]);
    const row = (s: number, a: number) => {
      const r = s * 2 + a;
      return Array.from(c.next.subarray(c.rowPtr[r]!, c.rowPtr[r + 1]!)).map((t, j) => [
        t,
        c.count[c.rowPtr[r]! + j]!,
      ]);
    };
    expect(row(0, 0)).toEqual([[1, 30]]);
    expect(row(1, 0)).toEqual([
      [3, 10],
      [4, 20],
    ]);
  });
  it("applies the threshold and drops states with no admissible action", () => {
    const p = pruneStates(handMade(), 20);
    expect(Array.from(p.keep)).toEqual([1, 1, 0]); // state 2 seen 5 times only
    expect(Array.from(p.admissibleSA)).toEqual([1, 0, 1, 0, 0, 0]);
    expect(p.nSA[1]).toBe(0); // (0,1) only led to the dropped state
    const low = pruneStates(handMade(), 4);
    expect(Array.from(low.keep)).toEqual([1, 1, 1]);
    expect(Array.from(low.admissibleSA)).toEqual([1, 1, 1, 0, 0, 1]);
  });
  it("admits a pair only when its count is greater than the threshold (ICU-Sepsis's rule)", () => {
    // (2,1) and (0,1) were taken exactly 5 times: inadmissible at 5, admissible at 4.
    expect(pruneStates(handMade(), 5).keep[2]).toBe(0);
    expect(pruneStates(handMade(), 4).admissibleSA[5]).toBe(1);
    expect(pruneStates(handMade(), 29).admissibleSA[0]).toBe(1); // taken 30 times
    expect(pruneStates(handMade(), 30).admissibleSA[0]).toBe(0);
  });
  it("pruning cascades until no state is left without an admissible action", () => {
    // 0 -a0-> 1 (x25), 1 -a0-> 2 (x25), 2 seen 25 times but only ends stays after 1 -> all fine at 24;
    // at 25 state 2 goes, then 1 (its only action led to 2), then 0.
    const s: number[] = [];
    const st = [0];
    for (let i = 0; i < 25; i++) {
      s.push(0, 1, 2);
      st.push(s.length);
    }
    const c = countTransitions(
      Int32Array.from(s),
      new Int32Array(s.length),
      Int32Array.from(st),
      new Uint8Array(25),
      3,
      1,
    );
    expect(pruneStates(c, 24).dropped).toBe(0);
    const p = pruneStates(c, 25);
    expect(p.dropped).toBe(3);
  });
});

describe("mean rule", () => {
  it("replaces inadmissible rows by the mean of the state's admissible rows", () => {
    // 1 state + 2 absorbing successors, 3 actions; action 2 inadmissible.
    const src = {
      rowPtr: Int32Array.of(0, 1, 3, 4, 5, 6, 7, 8, 9, 10),
      next: Int32Array.of(1, 1, 2, 0, 1, 1, 1, 2, 2, 2),
      prob: Float64Array.of(1, 0.5, 0.5, 1, 1, 1, 1, 1, 1, 1),
    };
    const adm = Uint8Array.of(1, 1, 0, 1, 1, 1, 1, 1, 1);
    const out = meanRuleCsr(3, 3, src, adm);
    const r = 2;
    expect(Array.from(out.next.subarray(out.rowPtr[r]!, out.rowPtr[r + 1]!))).toEqual([1, 2]);
    expect(Array.from(out.prob.subarray(out.rowPtr[r]!, out.rowPtr[r + 1]!))).toEqual([0.75, 0.25]);
    expect(() => meanRuleCsr(3, 3, src, new Uint8Array(9))).toThrow(/no admissible/);
  });
});
