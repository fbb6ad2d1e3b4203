import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/shared.js";

/**
 * The assembled kernels, byte for byte. Refactoring the .wat sources (fragments, layout directives, moves)
 * must not change what runs: the bit-identity tests check behaviour, this checks the binaries themselves.
 * A deliberate kernel change updates tests/fixtures/kernel-hashes.json in the same commit, with the reason.
 */
function assembledHashes(): Record<string, string> {
  const out: Record<string, string> = {};
  const generated = ["src", "solvers"]
    .flatMap((top) =>
      readdirSync(join(repoRoot, top), { recursive: true, encoding: "utf8" }).map((f) => join(top, f)),
    )
    .filter((f) => f.endsWith(".generated.ts"));
  for (const file of generated) {
    const name = basename(file, ".generated.ts");
    const text = readFileSync(join(repoRoot, file), "utf8");
    for (const m of text.matchAll(/(?:"([^"]*)":\s*)?"([A-Za-z0-9+/=]{20,})"/g)) {
      const key = m[1] === undefined || m[1] === "" ? name : `${name}:${m[1]}`;
      out[key] = createHash("sha256").update(Buffer.from(m[2]!, "base64")).digest("hex");
    }
  }
  return out;
}

describe("assembled kernels", () => {
  it("are byte-identical to the recorded binaries", () => {
    const expected = JSON.parse(readFileSync(join(repoRoot, "tests/fixtures/kernel-hashes.json"), "utf8"));
    const actual = assembledHashes();
    expect(Object.keys(actual).length).toBeGreaterThan(0);
    expect(Object.fromEntries(Object.entries(actual).sort())).toEqual(expected);
  });
});
