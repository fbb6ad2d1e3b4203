import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SHIPPED, SHIPPED_VERSION } from "../scripts/shipped.js";
import { buildFromSimulator } from "../src/builder/build.js";
import { writeMdpDir } from "../src/io/index.js";
import { repoRoot } from "./helpers/shared.js";

// The smallest shipped MDP (SepsisPilot mild sepsis: short stays) rebuilt from its recipe must match byte for byte.
const spec = SHIPPED.find((s) => s.dir === "sepsispilot-mild-sepsis")!;
const shipped = join(repoRoot, "data", spec.dir);

describe.skipIf(!existsSync(shipped))("shipped data", () => {
  it(`rebuilding ${spec.dir} gives identical bytes`, async () => {
    const { dir, ...opts } = spec;
    const tmp = await mkdtemp(join(tmpdir(), "tabmdp-shipped-"));
    try {
      await writeMdpDir(buildFromSimulator({ ...opts, toolVersion: SHIPPED_VERSION }).mdp, tmp, {
        gzip: true,
      });
      const files = (await readdir(tmp)).sort();
      expect((await readdir(shipped)).sort()).toEqual(files);
      for (const f of files)
        expect(await readFile(join(tmp, f)), `${dir}/${f}`).toEqual(await readFile(join(shipped, f)));
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
