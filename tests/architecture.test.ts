import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/shared.js";

/**
 * The layers of docs/architecture.md. Imports only point down: a module may import from a lower rank and from
 * its own folder, never from a sibling folder of the same rank or from above. Every folder holding TypeScript
 * must be listed here (the longest matching prefix wins), so a new folder cannot slip past the check.
 */
const LAYERS: readonly [prefix: string, rank: number][] = [
  ["src/core/", 0],
  ["src/model/", 1],
  ["src/io/", 2],
  ["src/env/", 2],
  ["src/sim/", 2],
  ["src/report/", 2],
  ["solvers/linear/", 3],
  ["solvers/", 4],
  ["solvers/learning/", 5],
  ["src/builder/", 6],
  ["src/study/", 7],
  ["src/cli/", 8],
  ["src/index.ts", 9],
  ["tests/helpers/", 9],
  ["bench/", 10],
  ["scripts/", 10],
];

function layerOf(file: string): readonly [prefix: string, rank: number] | null {
  let best: readonly [string, number] | null = null;
  for (const layer of LAYERS) {
    if (file.startsWith(layer[0]) && (best === null || layer[0].length > best[0].length)) best = layer;
  }
  return best;
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

/** Every source file outside tests, with the project files it imports (relative specifiers, .js -> .ts). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const top of ["src", "solvers", "bench", "scripts"]) {
    for (const abs of sources(join(repoRoot, top))) {
      const file = relative(repoRoot, abs);
      const text = readFileSync(abs, "utf8");
      const targets: string[] = [];
      for (const match of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
        targets.push(relative(repoRoot, resolve(dirname(abs), match[1]!)).replace(/\.js$/, ".ts"));
      }
      graph.set(file, targets);
    }
  }
  return graph;
}

/** Strongly connected components of more than one file (or a file importing itself): the import cycles. */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe("architecture", () => {
  const graph = importGraph();

  it("ranks every source folder", () => {
    const unranked = [...graph.keys()].filter((f) => layerOf(f) === null);
    expect(unranked).toEqual([]);
  });

  it("imports only point down the layers", () => {
    const violations: string[] = [];
    for (const [file, targets] of graph) {
      const from = layerOf(file);
      if (from === null) continue;
      for (const target of targets) {
        const to = layerOf(target);
        if (to === null) violations.push(`${file} imports ${target}, which no layer holds`);
        else if (to[0] !== from[0] && to[1] >= from[1]) violations.push(`${file} imports ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("has no import cycles", () => {
    expect(cycles(graph)).toEqual([]);
  });
});
