/**
 * npm run docs:studies [-- --check] [--icu-sepsis DIR] [NAME...]: run the `tabmdp` commands behind the study
 * figures of the docs (scripts/study-blocks.ts) and write each one's printed output between its markers, with
 * the command and its seeds and sizes. Without names it runs every study (about a quarter of an hour on 2
 * cores). Each doc is rewritten as soon as its study finishes, atomically, so a failure leaves every block
 * either as it was or freshly generated. Wall times go to docs/studies-manifest.json only.
 *
 * --check writes nothing: it re-runs the studies and exits 1 if a committed block or plot differs from what
 * the command prints now (naming the first differing line), 0 if all match.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { TabmdpError, UsageError } from "../src/core/errors.js";
import { atomicWrite } from "../src/io/atomic.js";
import { readMarkedBlock, replaceMarkedBlock } from "./doc-markers.js";
import {
  type DocStudy,
  firstDifference,
  runArgs,
  selectStudies,
  shownCommand,
  studyBlock,
  studyMarkers,
} from "./study-blocks.js";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const manifestFile = resolve(root, "docs/studies-manifest.json");

interface Options {
  readonly check: boolean;
  readonly icuSepsis: string;
  readonly names: readonly string[];
}

function parseArgs(args: readonly string[]): Options {
  let check = false;
  let icuSepsis = resolve(root, "../shared/icu-sepsis");
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--check") check = true;
    else if (a === "--icu-sepsis") {
      const dir = args[++i];
      if (dir === undefined) throw new UsageError("--icu-sepsis needs the folder of the ICU-Sepsis tables");
      icuSepsis = resolve(dir);
    } else if (a.startsWith("-"))
      throw new UsageError(`unknown option ${a}; expected --check or --icu-sepsis DIR`);
    else names.push(a);
  }
  return { check, icuSepsis, names };
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new TabmdpError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
}

interface StudyRun {
  readonly block: string;
  /** Each artifact's bytes, keyed by the path the docs show. */
  readonly artifacts: ReadonlyMap<string, Buffer>;
  readonly seconds: number;
}

function runStudy(study: DocStudy, icuSepsis: string): StudyRun {
  const tmp = mkdtempSync(join(tmpdir(), `tabmdp-${study.name}-`));
  try {
    const started = process.hrtime.bigint();
    const r = spawnSync(
      resolve(root, "node_modules/.bin/tsx"),
      ["src/cli/run.ts", ...runArgs(study, tmp, icuSepsis)],
      {
        cwd: root,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.status !== 0) {
      const why = (r.stderr ?? "").trim().split("\n").at(-1) ?? "";
      throw new TabmdpError(
        `${study.name}: \`${shownCommand(study)}\` stopped with ${r.status ?? r.signal}: ${why}`,
      );
    }
    const artifacts = new Map<string, Buffer>();
    for (const a of study.artifacts ?? []) artifacts.set(a.shown, readFileSync(join(tmp, a.output)));
    return { block: studyBlock(study, r.stdout), artifacts, seconds };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** What differs between the committed block and plots and a fresh run; empty when they match. */
function differences(study: DocStudy, run: StudyRun): string[] {
  const docFile = resolve(root, study.doc);
  const committed = readMarkedBlock(readText(docFile), studyMarkers(study.name), study.doc);
  const found: string[] = [];
  const changed = firstDifference(committed, run.block);
  if (changed !== null) found.push(`${study.doc}: ${changed}`);
  for (const [shown, bytes] of run.artifacts) {
    let old: Buffer | null = null;
    try {
      old = readFileSync(resolve(root, shown));
    } catch {
      old = null;
    }
    if (old === null || !old.equals(bytes)) found.push(`${shown}: differs from what the command writes now`);
  }
  return found;
}

interface ManifestEntry {
  readonly command: string;
  readonly seconds: number;
  readonly finished: string;
  readonly machine: {
    readonly cpu: string;
    readonly cores: number;
    readonly node: string;
    readonly load1: number;
  };
}

function readManifest(): Record<string, ManifestEntry> {
  let text: string;
  try {
    text = readFileSync(manifestFile, "utf8");
  } catch {
    return {};
  }
  try {
    const o = JSON.parse(text) as { studies?: Record<string, ManifestEntry> };
    return o.studies ?? {};
  } catch {
    throw new TabmdpError(`${manifestFile}: not JSON; delete it to start a new manifest`);
  }
}

async function writeStudy(study: DocStudy, run: StudyRun): Promise<void> {
  const docFile = resolve(root, study.doc);
  await atomicWrite(
    docFile,
    replaceMarkedBlock(readText(docFile), studyMarkers(study.name), run.block, study.doc),
  );
  for (const [shown, bytes] of run.artifacts) await atomicWrite(resolve(root, shown), bytes);
  const studies = readManifest();
  studies[study.name] = {
    command: shownCommand(study),
    seconds: Math.round(run.seconds * 10) / 10,
    finished: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model.trim() ?? "unknown",
      cores: cpus().length,
      node: process.version,
      load1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    },
  };
  const sorted = Object.fromEntries(Object.entries(studies).sort(([a], [b]) => a.localeCompare(b)));
  const note = "Wall times of `npm run docs:studies`, per study; the docs hold only the figures.";
  await atomicWrite(manifestFile, `${JSON.stringify({ note, studies: sorted }, null, 2)}\n`);
}

async function main(args: readonly string[]): Promise<number> {
  const o = parseArgs(args);
  const studies = selectStudies(o.names);
  // Markers are checked before anything runs, so a missing one does not cost a study's run time.
  for (const s of studies) readMarkedBlock(readText(resolve(root, s.doc)), studyMarkers(s.name), s.doc);
  let differing = 0;
  for (const study of studies) {
    process.stderr.write(`${study.name}: ${shownCommand(study)}\n`);
    const run = runStudy(study, o.icuSepsis);
    const took = `${run.seconds.toFixed(1)} s`;
    if (o.check) {
      const found = differences(study, run);
      differing += found.length > 0 ? 1 : 0;
      const verdict = found.length === 0 ? "matches the docs" : `DIFFERS\n  ${found.join("\n  ")}`;
      process.stdout.write(`${study.name} (${took}): ${verdict}\n`);
    } else {
      await writeStudy(study, run);
      process.stdout.write(`${study.name} (${took}): ${study.doc} written\n`);
    }
  }
  return differing > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof TabmdpError ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
