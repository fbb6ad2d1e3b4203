import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { watKernel } from "../scripts/wat-variants.js";
import { wasmVariants } from "../solvers/learning/compact-learner-kernel.generated.js";
import { COMPACT_LEARNER_LAYOUTS } from "../solvers/learning/compact-learner-kernel.js";
import {
  type Variant,
  variantKey,
  variantValues,
} from "../solvers/learning/compact-learner-kernel.layout.generated.js";
import { ALGOS, RULES } from "../solvers/learning/rules.js";
import { ENV_LAYOUTS } from "../src/env/env-kernels.js";
import { packedRecordWords, packRecords } from "../src/env/sampler.js";
import { repoRoot } from "./helpers/shared.js";

const kernelPath = join(repoRoot, "solvers/learning/compact-learner-kernel.wat");
const kernel = watKernel(kernelPath, readFileSync(kernelPath, "utf8"));

/** Whether a `rule=a|b` condition of the kernel's rules fragment holds for `rule`. */
function defined(name: string, rule: string): boolean {
  const cond = kernel.defines.get(name);
  if (cond === undefined) throw new Error(`the kernel defines no "${name}"`);
  const m = /^rule=(.+)$/.exec(cond);
  if (!m) throw new Error(`"${name}" is not a rule condition: ${cond}`);
  return m[1]!.split("|").includes(rule);
}

describe("the rule table and the compiled learner's rules fragment", () => {
  it("compiles every rule of the table, and nothing else", () => {
    expect([...variantValues.rule].sort()).toEqual([...ALGOS].sort());
  });

  it.each(ALGOS.map((a) => [a]))("%s: the kernel's named conditions match the rule's fields", (algo) => {
    const rule = RULES[algo];
    expect(defined("twoTables", algo)).toBe(rule.tables === 2);
    expect(defined("rowSums", algo)).toBe(rule.rowSums);
    expect(defined("traces", algo)).toBe(rule.traces);
    expect(defined("cutsTraces", algo)).toBe(rule.cutsTraces !== null);
    // Exactly one bootstrap fragment per rule.
    const bootstraps = [...kernel.defines.keys()].filter((n) => n.endsWith("Bootstrap") && defined(n, algo));
    expect(bootstraps).toHaveLength(1);
  });
});

describe("the generated variant key", () => {
  it("names exactly the assembled binaries", () => {
    const flags = [false, true];
    const keys: string[] = [];
    for (const rule of variantValues.rule) {
      for (const wide of flags) {
        for (const pairRewards of flags) {
          for (const visits of flags) {
            const v: Variant = { rule, wide, pairRewards, visits };
            keys.push(variantKey(v));
          }
        }
      }
    }
    expect(keys.sort()).toEqual(Object.keys(wasmVariants).sort());
  });
});

describe("transition records as packRecords writes them and the kernels declare them", () => {
  // Two records: threshold, own, alias.
  const rec = Uint32Array.of(0x80000000, 3, 5, 0xffffffff, 65535, 1);
  it.each([
    ["narrow", 2],
    ["wide", 4],
  ] as const)("%s records sit at the declared offsets", (kind, words) => {
    const layout = ENV_LAYOUTS[kind];
    expect(layout.bytes).toBe(4 * words);
    const out = new Uint32Array(2 * words);
    packRecords(rec, 0, 2, out, 0, words);
    const data = new DataView(out.buffer);
    const read = (at: number, field: "threshold" | "own" | "alias"): number => {
      const f = layout.fields[field];
      return f.type === "u16" ? data.getUint16(at + f.offset, true) : data.getUint32(at + f.offset, true);
    };
    for (let r = 0; r < 2; r++) {
      expect([
        read(r * layout.bytes, "threshold"),
        read(r * layout.bytes, "own"),
        read(r * layout.bytes, "alias"),
      ]).toEqual(Array.from(rec.subarray(3 * r, 3 * r + 3)));
    }
    expect(packedRecordWords(10)).toBe(COMPACT_LEARNER_LAYOUTS.narrow.bytes / 4);
  });
});
