/**
 * Bundles the compiled command line (dist/src/cli/main.js, run by bin/tabmdp.js) into dist/cli/: one module
 * per command plus the chunks they share, and the study worker beside them. Run by `build` and `prepare`
 * after tsc; the library (dist/src) is left as tsc wrote it.
 *
 * Why: Node resolves, reads and links every ES module on its own, and unbundled, `tabmdp baselines` loads
 * some 70 of them before its first line of work; bundled, a handful of files. Commands stay split
 * (esbuild's code splitting), so a command never loads another command's modules, and the npm packages stay
 * outside the bundle, loaded from node_modules as before.
 *
 * The worker is an entry of its own because the study pool starts "./worker.js" beside its own module, which
 * in the bundle is a chunk of dist/cli/.
 *
 * Usage: tsx scripts/bundle-cli.ts [DIST]   (DIST defaults to the project's dist/)
 */
import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";

const dist = resolve(process.argv[2] ?? join(import.meta.dirname, "../dist"));
const entries = { main: join(dist, "src/cli/main.js"), worker: join(dist, "src/study/worker.js") };
for (const f of Object.values(entries)) {
  if (!existsSync(f)) {
    process.stderr.write(`bundle-cli: ${f} is missing: compile first (tsc -p tsconfig.build.json)\n`);
    process.exit(2);
  }
}
const outdir = join(dist, "cli");
// Chunk names carry a hash of their content: stale chunks of an earlier build would only confuse a reader.
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
