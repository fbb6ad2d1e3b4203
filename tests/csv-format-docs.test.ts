import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeMdpDir } from "../src/io/index.js";
import { randomSparseMdp } from "../src/model/random-sparse-mdp.js";
import { cleanFixtures, tempDir } from "./helpers/io-fixture.js";
import { pythonWith } from "./helpers/python.js";
import { repoRoot } from "./helpers/shared.js";

afterAll(cleanFixtures);

/** The ```python blocks of docs/csv-format.md's "Sparse layout" section, in order. */
function pythonSnippets(): string[] {
  const doc = readFileSync(join(repoRoot, "docs/csv-format.md"), "utf8");
  const section = doc.slice(doc.indexOf("## Sparse layout"));
  return [...section.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** An interpreter with every module the snippet imports, or null. */
function pythonFor(snippet: string): string | null {
  return pythonWith([...snippet.matchAll(/^import (\w+)/gm)].map((m) => m[1]!));
}

/** Appended to each snippet: the CSR arrays it built, doubles as exact hex. */
const DUMP = `
import json
P = P.tocsr(); P.sort_indices()
print(json.dumps({"shape": list(P.shape), "indptr": P.indptr.tolist(), "indices": P.indices.tolist(),
                  "data": [float(x).hex() for x in P.data]}))
`;

const hex = (x: number): string => {
  // Python's float.hex for normal doubles: 0x1.<13 hex digits>p<exp>.
  if (x === 0) return "0x0.0p+0";
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x);
  const bits = b.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn) - 1023;
  const mant = (bits & ((1n << 52n) - 1n)).toString(16).padStart(13, "0");
  return `0x1.${mant}p${exp >= 0 ? "+" : ""}${exp}`;
};

describe("docs/csv-format.md: the sparse layout's loading snippets", () => {
  const snippets = pythonSnippets();
  it("has the numpy/scipy, pandas and polars snippets", () => {
    expect(snippets).toHaveLength(3);
  });
  it.each(snippets.map((s, i) => [i, s] as const))(
    "snippet %i builds tabmdp's matrix bit for bit",
    async (_, code) => {
      const python = pythonFor(code);
      if (python === null) {
        console.warn("skipped: no python3 with every module the snippet imports");
        return;
      }
      const m = randomSparseMdp(3, { states: 30, actions: 3, successors: 4, exitProbability: 0.1 });
      const dir = await tempDir();
      await writeMdpDir(m, join(dir, "mdp"), { layout: "sparse" });
      const r = spawnSync(python, ["-c", code + DUMP], { cwd: dir, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      const got = JSON.parse(r.stdout) as {
        shape: number[];
        indptr: number[];
        indices: number[];
        data: string[];
      };
      expect(got.shape).toEqual([m.nS * m.nA, m.nS]);
      expect(got.indptr).toEqual(Array.from(m.rowPtr));
      expect(got.indices).toEqual(Array.from(m.next));
      expect(got.data).toEqual(Array.from(m.prob, hex));
    },
  );
});
