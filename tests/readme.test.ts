import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { baselines } from "../solvers/baselines.js";
import { deterministicTable, evaluatePolicy, uniformTable } from "../solvers/policy-evaluation.js";
import { policyIteration } from "../solvers/policy-iteration.js";
import * as api from "../src/index.js";
import { readMdpDir } from "../src/io/index.js";
import { repoRoot } from "./helpers/shared.js";

/**
 * The README's runnable examples: each fenced block after `<!-- test -->` runs as written (`npx tabmdp ...`
 * through the CLI's source entry point, TypeScript through tsx with "tabmdp" resolved to src/index.ts), and its
 * output must equal the ```text block that follows it. The figures are read from the README, never copied here.
 */
interface Example {
  readonly lang: string;
  readonly code: string;
  readonly expected: string;
  readonly line: number;
}

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
const tsx = join(repoRoot, "node_modules/.bin/tsx");

function fences(text: string): { lang: string; body: string; start: number; end: number }[] {
  const out: { lang: string; body: string; start: number; end: number }[] = [];
  const re = /^```(\S*)\n([\s\S]*?)^```$/gm;
  for (const m of text.matchAll(re))
    out.push({ lang: m[1]!, body: m[2]!, start: m.index, end: m.index + m[0].length });
  return out;
}

function examples(text: string): Example[] {
  const blocks = fences(text);
  const out: Example[] = [];
  for (const marker of text.matchAll(/<!-- test -->/g)) {
    const i = blocks.findIndex((b) => b.start > marker.index);
    const code = blocks[i];
    const output = blocks[i + 1];
    const line = text.slice(0, marker.index).split("\n").length;
    if (code === undefined || output === undefined || output.lang !== "text") {
      throw new Error(
        `README.md:${line}: a tested block must be followed by a \`\`\`text block with its output`,
      );
    }
    out.push({ lang: code.lang, code: code.body, expected: output.body, line });
  }
  return out;
}

const tmp = mkdtempSync(join(tmpdir(), "tabmdp-readme-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(ex: Example): string {
  if (ex.lang === "sh") {
    let out = "";
    for (const cmd of ex.code.split("\n").filter((l) => l.trim() !== "")) {
      const words = cmd.trim().split(/\s+/);
      expect(words.slice(0, 2), `README.md:${ex.line}: runnable shell lines call npx tabmdp`).toEqual([
        "npx",
        "tabmdp",
      ]);
      expect(cmd, "no quoting or shell syntax in runnable lines").not.toMatch(/["'|&;<>$`]/);
      const r = spawnSync(tsx, ["src/cli/run.ts", ...words.slice(2)], { cwd: repoRoot, encoding: "utf8" });
      expect(r.stderr, cmd).toBe("");
      expect(r.status, cmd).toBe(0);
      out += r.stdout;
    }
    return out;
  }
  if (ex.lang === "ts") {
    const file = join(tmp, `example-${ex.line}.mts`);
    const entry = pathToFileURL(join(repoRoot, "src/index.ts")).href;
    writeFileSync(file, ex.code.replace(/from "tabmdp"/g, `from ${JSON.stringify(entry)}`));
    const r = spawnSync(tsx, [file], { cwd: repoRoot, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    return r.stdout;
  }
  throw new Error(`README.md:${ex.line}: no runner for \`\`\`${ex.lang} blocks`);
}

/** The baselines table as printed: policy -> [return, length]. */
function baselineRows(text: string): Map<string, [number, number]> {
  const rows = new Map<string, [number, number]>();
  for (const m of text.matchAll(/^(random|expert|optimal)\s+(\S+)\s+(\S+)$/gm)) {
    rows.set(m[1]!, [Number(m[2]), Number(m[3])]);
  }
  return rows;
}

describe("the README", () => {
  const found = examples(readme);

  it("marks a shell quick start and a TypeScript example as runnable", () => {
    expect(found.map((e) => e.lang)).toEqual(["sh", "ts"]);
  });

  for (const ex of found) {
    it(`prints what it says (README.md:${ex.line}, ${ex.lang})`, () => {
      expect(run(ex)).toBe(ex.expected);
    });
  }

  it("shows baseline figures that an independent computation gives", async () => {
    const rows = baselineRows(found[0]!.expected);
    expect([...rows.keys()]).toEqual(["random", "expert", "optimal"]);
    const mdp = await readMdpDir(join(repoRoot, "data/sepsisim-management-medium"));
    // Policy iteration, not the Gauss-Seidel VI that `baselines` runs, finds the optimum here.
    const pi = policyIteration(mdp, { gamma: 1 });
    const optimal = evaluatePolicy(mdp, deterministicTable(mdp, pi.policyS), { gamma: 1 });
    const random = evaluatePolicy(mdp, uniformTable(mdp), { gamma: 1 });
    const expert = evaluatePolicy(mdp, mdp.expertPolicy!, { gamma: 1 });
    expect(rows.get("optimal")![0]).toBe(Number(optimal.expectedReturn.toFixed(4)));
    expect(rows.get("random")).toEqual([
      Number(random.expectedReturn.toFixed(4)),
      Number(random.expectedLength!.toFixed(3)),
    ]);
    expect(rows.get("expert")).toEqual([
      Number(expert.expectedReturn.toFixed(4)),
      Number(expert.expectedLength!.toFixed(3)),
    ]);
    // The library example plans with Jacobi VI: the same optimal value as the command's table.
    expect(Number(found[1]!.expected.split("\n")[0])).toBe(rows.get("optimal")![0]);
    expect(baselines(mdp).policies.optimal.return).toBeCloseTo(optimal.expectedReturn, 10);
  });

  it("is a front page: at most 250 lines, every relative link resolves", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(250);
    for (const m of readme.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      expect(existsSync(resolve(repoRoot, target)), target).toBe(true);
    }
  });
});

describe("the manual", () => {
  const pages = readdirSync(join(repoRoot, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => join("docs", f));

  it("links only to files that exist", () => {
    for (const page of pages) {
      const text = readFileSync(join(repoRoot, page), "utf8");
      for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        expect(existsSync(resolve(repoRoot, dirname(page), target)), `${page} -> ${target}`).toBe(true);
      }
    }
  });

  it("reads as a manual, not a diary: no commit hashes or session language", () => {
    const diary = [
      /slow phase/i,
      /measured and dropped/i,
      /this session/i,
      /earlier version/i,
      /\bat [0-9a-f]{7}\b/,
    ];
    for (const page of ["README.md", ...pages]) {
      const text = readFileSync(join(repoRoot, page), "utf8");
      for (const pattern of diary) expect(text, `${page} matches ${pattern}`).not.toMatch(pattern);
      for (const m of text.matchAll(/\b[0-9a-f]{7,40}\b/g)) {
        expect(/[0-9]/.test(m[0]) && /[a-f]/.test(m[0]), `${page}: "${m[0]}" looks like a commit hash`).toBe(
          false,
        );
      }
    }
  });

  it("has an API reference page for each function, class and constant the package exports, and no other", () => {
    const pages = ["functions", "classes", "variables"].flatMap((kind) =>
      readdirSync(join(repoRoot, "docs/api", kind)).map((f) => f.replace(/\.md$/, "")),
    );
    const stale = "docs/api is out of date with src/index.ts: run npm run docs:api";
    expect(pages.sort(), stale).toEqual(Object.keys(api).sort());
  });
});
