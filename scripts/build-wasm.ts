/**
 * Assembles the WebAssembly text kernels (src/wasm/*.wat) into TypeScript modules that carry the binary
 * as base64, so the compiled package, the tests and the benchmarks load the same bytes without file-path
 * juggling. Run by `prepare`, `build` and `test`; the generated files are not committed.
 */
import { readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import wabtInit from "wabt";

const dir = resolve(import.meta.dirname, "../src/wasm");
const wabt = await wabtInit();
for (const file of readdirSync(dir).filter((f) => f.endsWith(".wat"))) {
  const name = basename(file, ".wat");
  const mod = wabt.parseWat(file, readFileSync(join(dir, file), "utf8"));
  mod.validate();
  const { buffer } = mod.toBinary({ log: false, write_debug_names: false });
  mod.destroy();
  const out = join(dir, `${name}.generated.ts`);
  const text =
    `// Generated from ${file} by scripts/build-wasm.ts: do not edit.\n` +
    `export const wasmBase64 =\n  "${Buffer.from(buffer).toString("base64")}";\n`;
  writeFileSync(`${out}.tmp`, text);
  renameSync(`${out}.tmp`, out);
}
