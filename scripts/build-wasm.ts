/**
 * Assembles the WebAssembly text kernels (each *.wat beside the TypeScript driver that loads it, under src/ and
 * solvers/) into TypeScript modules that carry the binary
 * as base64 (one binary per variant for kernels that declare variants: see wat-variants.ts), so the
 * compiled package, the tests and the benchmarks load the same bytes without file-path juggling. Run by
 * `prepare`, `build` and `test`; the generated files are not committed.
 */
import { readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import wabtInit from "wabt";
import { contractModule } from "./wat-contract.js";
import { type WatVariant, watKernel } from "./wat-variants.js";

const root = resolve(import.meta.dirname, "..");
const wabt = await wabtInit();
// Fragments (*.part.wat) are not modules: kernels include them (see wat-variants.ts).
const kernels = ["src", "solvers"]
  .flatMap((top) =>
    readdirSync(join(root, top), { recursive: true, encoding: "utf8" }).map((f) => join(root, top, f)),
  )
  .filter((f) => f.endsWith(".wat") && !f.endsWith(".part.wat"))
  .sort();
for (const path of kernels) {
  const file = basename(path);
  const name = basename(file, ".wat");
  const kernel = watKernel(path, readFileSync(path, "utf8"));
  const variants = kernel.variants.map((v) => {
    const mod = parsed(v);
    const { buffer } = mod.toBinary({ log: false, write_debug_names: false });
    mod.destroy();
    return [v.key, Buffer.from(buffer).toString("base64")] as const;
  });
  const out = join(dirname(path), `${name}.generated.ts`);
  const body =
    variants.length === 1 && variants[0]![0] === ""
      ? `export const wasmBase64 =\n  "${variants[0]![1]}";\n`
      : `export const wasmVariants: Readonly<Record<string, string>> = {\n${variants
          .map(([key, b64]) => `  "${key}":\n    "${b64}",\n`)
          .join("")}};\n`;
  writeAtomically(out, `// Generated from ${file} by scripts/build-wasm.ts: do not edit.\n${body}`);
  // The driver's side of the records and variants the kernel declares (see wat-contract.ts).
  const contract = contractModule(file, kernel.dimensions, kernel.layouts);
  if (contract !== null) writeAtomically(join(dirname(path), `${name}.layout.generated.ts`), contract);
}

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** The variant parsed and validated; wabt's messages point at the source line (file and fragment). */
function parsed(v: WatVariant): ReturnType<typeof wabt.parseWat> {
  try {
    // Threads: shared memories, for kernels whose work is split over worker threads.
    const features = { threads: true };
    const mod = wabt.parseWat("kernel", v.text, features);
    // wabt's typings omit validate's features argument, which its runtime reads (shared memories fail without it).
    (mod as unknown as { validate(f: typeof features): void }).validate(features);
    return mod;
  } catch (e) {
    const message = String(e instanceof Error ? e.message : e).replace(
      /kernel:(\d+):(\d+)/g,
      (_, line: string, col: string) => `${v.origins[Number(line) - 1] ?? `line ${line}`}:${col}`,
    );
    throw new Error(`variant ${v.key || "(only)"}: ${message}`);
  }
}
