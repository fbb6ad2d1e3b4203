import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/shared.js";

/**
 * Imports only point down the layers (model <- solvers <- CLI): a module may import from lower layers and from
 * its own module, never from a sibling or a higher layer.
 */
const LAYERS: [prefix: string, rank: number][] = [
  ["src/core/", 0],
  ["src/wasm/", 0],
  ["src/model/", 1],
  ["src/io/", 2],
  ["src/env/", 2],
  ["src/sim/", 2],
  ["src/report/", 2],
  ["solvers/learning/", 4],
  ["solvers/", 3],
  ["src/discretize/", 5],
  ["src/cli/", 9],
];

function moduleOf(file: string): [prefix: string, rank: number] | null {
  return LAYERS.find(([p]) => file.startsWith(p)) ?? null;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sources(full));
    else if (name.endsWith(".ts")) out.push(full);
  }
  return out;
}

describe("architecture", () => {
  it("imports only point down the layers", () => {
    const violations: string[] = [];
    for (const abs of [...sources(join(repoRoot, "src")), ...sources(join(repoRoot, "solvers"))]) {
      const file = relative(repoRoot, abs);
      const from = moduleOf(file);
      if (from === null) continue;
      const text = readFileSync(abs, "utf8");
      for (const match of text.matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)) {
        const target = relative(repoRoot, resolve(dirname(abs), match[1]!));
        const to = moduleOf(target);
        if (to === null || to[0] === from[0]) continue;
        if (to[1] >= from[1]) violations.push(`${file} imports ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
