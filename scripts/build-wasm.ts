/**
 * Assembles the WebAssembly text kernels (src/wasm/*.wat) into TypeScript modules that carry the binary
 * as base64 (one binary per variant for kernels that declare variants: see wat-variants.ts), so the
 * compiled package, the tests and the benchmarks load the same bytes without file-path juggling. Run by `prepare`, `build` and `test`; the generated files are not committed.
 */
import { readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import wabtInit from "wabt";
import { watVariants } from "./wat-variants.js";

const dir = resolve(import.meta.dirname, "../src/wasm");
const wabt = await wabtInit();
for (const file of readdirSync(dir).filter((f) => f.endsWith(".wat"))) {
  const name = basename(file, ".wat");
  const variants = watVariants(file, readFileSync(join(dir, file), "utf8")).map(({ key, text }) => {
    const mod = wabt.parseWat(file, text);
    mod.validate();
    const { buffer } = mod.toBinary({ log: false, write_debug_names: false });
    mod.destroy();
    return [key, Buffer.from(buffer).toString("base64")] as const;
  });
  const out = join(dir, `${name}.generated.ts`);
  const body =
    variants.length === 1 && variants[0]![0] === ""
      ? `export const wasmBase64 =\n  "${variants[0]![1]}";\n`
      : `export const wasmVariants: Readonly<Record<string, string>> = {\n${variants
          .map(([key, b64]) => `  "${key}":\n    "${b64}",\n`)
          .join("")}};\n`;
  writeFileSync(`${out}.tmp`, `// Generated from ${file} by scripts/build-wasm.ts: do not edit.\n${body}`);
  renameSync(`${out}.tmp`, out);
}
