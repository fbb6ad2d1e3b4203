/**
 * npm run docs:performance [-- --from FILE] [--doc FILE] [SUITE...]: write the performance table of
 * docs/performance.md (or --doc). Without --from it runs `npm run bench -- --json [SUITE...]` (minutes: every
 * suite by default) and keeps its output in runs/bench.jsonl; with --from it formats a saved run, so the
 * table can be rebuilt without timing anything.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { TabmdpError } from "../src/core/errors.js";
import { atomicWrite } from "../src/io/atomic.js";
import { parseBenchRun, performanceBlock, spliceBetweenMarkers } from "./performance-table.js";

const root = resolve(fileURLToPath(import.meta.url), "../..");

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "unreadable";
    throw new TabmdpError(`${file}: cannot read ${what} (${code})`);
  }
}

/** Split off `--from FILE` and `--doc FILE`; everything else names bench suites. */
function parseArgs(args: readonly string[]): { from?: string; doc: string; suites: string[] } {
  const suites: string[] = [];
  let from: string | undefined;
  let doc = resolve(root, "docs/performance.md");
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--from" || a === "--doc") {
      const value = args[++i];
      if (value === undefined) throw new TabmdpError(`${a} needs a file name`);
      if (a === "--from") from = value;
      else doc = value;
    } else suites.push(a);
  }
  return { ...(from === undefined ? {} : { from }), doc, suites };
}

function runBench(suites: readonly string[]): string {
  const r = spawnSync(resolve(root, "node_modules/.bin/tsx"), ["bench/run.ts", "--json", ...suites], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0)
    throw new TabmdpError(`the bench stopped with ${r.status ?? r.signal}; nothing written`);
  return r.stdout;
}

async function main(args: readonly string[]): Promise<void> {
  const { from, doc, suites } = parseArgs(args);
  const docText = readText(doc, "the document");
  const text = from === undefined ? runBench(suites) : readText(from, "the saved bench run");
  const source = from ?? (await atomicWrite(resolve(root, "runs/bench.jsonl"), text));
  const run = parseBenchRun(text, source);
  const command =
    suites.length === 0 ? "npm run docs:performance" : `npm run docs:performance -- ${suites.join(" ")}`;
  await atomicWrite(doc, spliceBetweenMarkers(docText, performanceBlock(run, command), doc));
  process.stdout.write(`${doc}: ${run.figures.length} figures from ${source}\n`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof TabmdpError ? e.message : String(e)}\n`);
  process.exitCode = 2;
});
