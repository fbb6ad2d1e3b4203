import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import wabtInit from "wabt";
import { watVariants } from "../scripts/wat-variants.js";
import type { GreedyCache } from "../solvers/learning/greedy-cache.js";
import { epsilonGreedy } from "../solvers/learning/policy.js";
import type { FastRng } from "../src/core/fast-rng.js";
import { wasmModule, wasmSpace } from "../src/core/kernel-space.js";
import type { ActionSets } from "../src/model/action-sets.js";

const TWO_32 = 4294967296;

/**
 * The compiled learner's epsilon-greedy choice (compact-learner-explore.part.wat) wrapped in a function of
 * one state record at address 0: greedy pair, first pair, end of pairs at offsets 16, 20, 24, as in the kernel.
 */
async function compiledChoice(): Promise<
  (u: number, eps: number, first: number, n: number, greedy: number) => number
> {
  const source = [
    "(module",
    '  (import "env" "memory" (memory 1))',
    '  (func (export "choose") (param $u f64) (param $eps f64) (result i32)',
    "    (local $o i32) (local $x i64) (local $lo i32) (local $p2 i32)",
    ";;#include compact-learner-explore.part.wat",
    "    (local.get $p2)))",
  ].join("\n");
  const [variant] = watVariants(
    resolve(import.meta.dirname, "../solvers/learning/explore-harness.wat"),
    source,
  );
  const wabt = await wabtInit();
  const mod = wabt.parseWat("explore-harness", variant!.text);
  mod.validate();
  const { buffer } = mod.toBinary({});
  mod.destroy();
  const space = wasmSpace<{ choose(u: number, eps: number): number }, { record: { type: "i32"; length: 8 } }>(
    wasmModule(Buffer.from(buffer).toString("base64")),
    { record: { type: "i32", length: 8 } },
  );
  return (u, eps, first, n, greedy) => {
    space.view.record.set([greedy, first, first + n], 4);
    return space.kernels.choose(u, eps);
  };
}

/** The JavaScript loop's choice for a state whose allowed actions are first..first + n - 1. */
function javascriptChoice(u: number, eps: number, first: number, n: number, greedy: number): number {
  const sets: ActionSets = {
    ptr: Int32Array.of(first, first + n),
    actions: Int32Array.from({ length: first + n }, (_, i) => i),
  };
  const cache: GreedyCache = {
    best: Int32Array.of(greedy),
    max: new Float64Array(1),
    second: new Float64Array(1),
    sum: new Float64Array(1),
  };
  const draw = { next: () => u } as unknown as FastRng;
  return epsilonGreedy(cache, 0, sets, eps, draw);
}

describe("epsilon-greedy: one draw decides and, as a 32-bit fraction, picks the action", () => {
  it("explores below epsilon with floor(F * n / 2^32), F = floor(u / eps * 2^32), and is greedy above", () => {
    // t = 2^30, eps = 0.3, 6 actions: (u / eps) * 6 rounds up to exactly 5 in floating point, while the
    // fraction F = floor(u / eps * 2^32) gives floor(F * 6 / 2^32) = 4. The integer rule is the specified one.
    expect(javascriptChoice(2 ** 30 / TWO_32, 0.3, 10, 6, 99)).toBe(14);
    expect(javascriptChoice(0, 0.3, 10, 6, 99)).toBe(10);
    expect(javascriptChoice(0.3, 0.3, 10, 6, 99)).toBe(99);
    // The last draw below epsilon stays inside the row.
    const last = (Math.ceil(0.3 * TWO_32) - 1) / TWO_32;
    expect(javascriptChoice(last, 0.3, 10, 6, 99)).toBe(15);
  });

  it("the WebAssembly loop picks exactly the JavaScript loop's action, draw for draw", async () => {
    const choose = await compiledChoice();
    const cases: [number, number, number][] = [
      // Draws where rescaling in floating point and in integers disagree (t, eps, row length).
      [2 ** 30, 0.3, 6],
      [184070027, 0.3, 7],
      [736280108, 0.3, 7],
      [1159641170, 0.3, 10],
      [536870912, 0.3, 12],
      [0, 0.3, 3],
      [Math.ceil(0.3 * TWO_32) - 1, 0.3, 25],
      [Math.ceil(0.3 * TWO_32), 0.3, 25],
      [TWO_32 - 1, 1, 25],
      [12345, 0, 4],
      [0, 0, 4],
    ];
    // And a spread of ordinary draws, epsilons and row lengths (a fixed sequence, so the test is repeatable).
    let t = 2463534242;
    for (let i = 0; i < 20000; i++) {
      t ^= t << 13;
      t ^= t >>> 17;
      t ^= t << 5;
      t >>>= 0;
      cases.push([t, [0.05, 0.1, 0.3, 0.5, 0.9, 1][i % 6]!, 1 + (i % 25)]);
    }
    const mismatches = cases.filter(([draw, eps, n]) => {
      const u = draw / TWO_32;
      return choose(u, eps, 7, n, 3) !== javascriptChoice(u, eps, 7, n, 3);
    });
    expect(mismatches).toEqual([]);
  });
});
