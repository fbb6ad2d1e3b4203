import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * tabmdp's version, read from its package.json so that the CLI, build metadata and study manifests cannot
 * disagree with the published package. The file is found by walking up from this module, because the module
 * runs from src/core under tsx and from dist/src/core once compiled.
 */
export const VERSION: string = readVersion();

function readVersion(): string {
  let dir = import.meta.dirname;
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "tabmdp" && typeof pkg.version === "string") return pkg.version;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error("tabmdp's package.json was not found above its modules");
    dir = up;
  }
}
