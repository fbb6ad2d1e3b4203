/** Writing a TabularMdp back in the ICU-Sepsis layout (flat, dense or sparse transitions), each file atomically, optionally gzipped. */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { TabularMdp } from "../model/mdp.js";
import { terminalStates } from "../model/mdp.js";
import { formatAdmissible } from "./admissible.js";
import { atomicWrite, atomicWriteChunks } from "./atomic.js";
import { candidates, FILES, type FileKey } from "./locate.js";
import { formatNumber } from "./number.js";
import { defaultLayout, type Layout, sparseTransitionChunks } from "./sparse-writer.js";
import { denseChunks } from "./tables.js";

export interface WriteOptions {
  /** Write `.csv.gz` (and admissibleActions.txt.gz) instead of plain files. Default false. */
  readonly gzip?: boolean;
  /**
   * Transition table as `transitionFunction.csv` (dense, (S*A) x S) or `transitions.csv` (sparse, one row per
   * non-zero). Default: dense while that table would stay under about 200 MB (see defaultLayout), else sparse.
   */
  readonly layout?: Layout;
}

/** Flush text in pieces of about this many characters: bounded memory, few stream writes. */
const CHUNK_CHARS = 1 << 20;

/** Transition rows as CSV text: zeros come from slices of one precomputed ",0,0,..." run. */
function* transitionChunks(m: TabularMdp): Generator<string> {
  const zeros = ",0".repeat(m.nS);
  let parts: string[] = [];
  let size = 0;
  for (let r = 0; r < m.nS * m.nA; r++) {
    let line = "";
    let col = 0;
    for (let k = m.rowPtr[r]!; k < m.rowPtr[r + 1]!; k++) {
      const c = m.next[k]!;
      line += `${zeros.slice(0, 2 * (c - col))},${formatNumber(m.prob[k]!)}`;
      col = c + 1;
    }
    line += zeros.slice(0, 2 * (m.nS - col));
    parts.push(line.slice(1), "\n");
    size += line.length;
    if (size >= CHUNK_CHARS) {
      yield parts.join("");
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield parts.join("");
}

/** metadata.json content: the model's keys, with terminal_states and the table sizes made explicit. */
function metadataText(m: TabularMdp): string {
  const md = { n_states: m.nS, n_actions: m.nA, ...m.metadata, terminal_states: terminalStates(m) };
  return `${JSON.stringify(md, null, 2)}\n`;
}

/**
 * Write `m` into `outDir` (created if needed) as the ICU-Sepsis tables, flat. Numbers are shortest round-trip
 * text, so reading the folder back gives identical doubles. Each file is written to a temporary name and
 * renamed; other variants of the same table (plain vs .gz, flat vs extras/) are removed so the folder reads back
 * unambiguously. Resolves to the paths written.
 * @example await writeMdpDir(m, "out", { gzip: true }); // out/transitionFunction.csv.gz, ...
 */
export async function writeMdpDir(m: TabularMdp, outDir: string, opts: WriteOptions = {}): Promise<string[]> {
  const gz = opts.gzip ?? false;
  const name = (key: FileKey): string =>
    join(outDir, key === "metadata" || !gz ? FILES[key] : `${FILES[key]}.gz`);
  const jobs: [FileKey, () => Promise<string>][] = [
    (opts.layout ?? defaultLayout(m)) === "sparse"
      ? [
          "sparseTransitions",
          () => atomicWriteChunks(name("sparseTransitions"), sparseTransitionChunks(m), gz),
        ]
      : ["transitions", () => atomicWriteChunks(name("transitions"), transitionChunks(m), gz)],
    [
      "reward",
      () =>
        m.reward.kind === "next-state"
          ? atomicWriteChunks(name("reward"), denseChunks(m.reward.rS, 1, m.nS), gz)
          : atomicWriteChunks(name("reward"), denseChunks(m.reward.rSA, m.nS, m.nA), gz),
    ],
    ["d0", () => atomicWriteChunks(name("d0"), denseChunks(m.d0, 1, m.nS), gz)],
    ["metadata", () => atomicWrite(name("metadata"), metadataText(m))],
  ];
  const { expertPolicy: pi, centroids, sofa } = m;
  if (pi) jobs.push(["expert", () => atomicWriteChunks(name("expert"), denseChunks(pi, m.nS, m.nA), gz)]);
  if (m.admissibleKnown) {
    const text = formatAdmissible(m.admissibleSA, m.nS, m.nA);
    jobs.push(["admissible", () => atomicWriteChunks(name("admissible"), [text], gz)]);
  }
  if (centroids) {
    const chunks = () => denseChunks(centroids.data, m.nS, centroids.dim);
    jobs.push(["centers", () => atomicWriteChunks(name("centers"), chunks(), gz)]);
  }
  if (sofa) jobs.push(["sofa", () => atomicWriteChunks(name("sofa"), denseChunks(sofa, 1, m.nS), gz)]);
  const written: string[] = [];
  for (const [, job] of jobs) written.push(await job());
  for (const key of Object.keys(FILES) as FileKey[])
    for (const p of candidates(outDir, FILES[key])) if (!written.includes(p)) await rm(p, { force: true });
  return written;
}
