/** Writing a TabularMdp back in the ICU-Sepsis layout (flat, dense or sparse transitions), optionally gzipped. */
import { join } from "node:path";
import type { TabularMdp } from "../model/mdp.js";
import { terminalStates } from "../model/mdp.js";
import { formatAdmissible } from "./admissible.js";
import { atomicWrite, atomicWriteChunks } from "./atomic.js";
import { replaceDir } from "./atomic-dir.js";
import { killPoint } from "./kill-points.js";
import { FILES, type FileKey } from "./locate.js";
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

/** Transition rows as CSV text: zeros come from slices of one precomputed ",0.0,0.0,..." run. */
function* transitionChunks(m: TabularMdp): Generator<string> {
  const zero = `,${formatNumber(0)}`;
  const zeros = zero.repeat(m.nS);
  let parts: string[] = [];
  let size = 0;
  for (let r = 0; r < m.nS * m.nA; r++) {
    let line = "";
    let col = 0;
    for (let k = m.rowPtr[r]!; k < m.rowPtr[r + 1]!; k++) {
      const c = m.next[k]!;
      line += `${zeros.slice(0, zero.length * (c - col))},${formatNumber(m.prob[k]!)}`;
      col = c + 1;
    }
    line += zeros.slice(0, zero.length * (m.nS - col));
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

/** What a folder written by writeMdpDir may hold, so an earlier export (plain or gzipped) can be replaced. */
const MDP_NAMES = new Set(["extras", ...Object.values(FILES).flatMap((f) => [f, `${f}.gz`])]);

/**
 * Write `m` as the folder `outDir`, in the ICU-Sepsis tables, flat. Numbers are shortest round-trip text with a
 * decimal point, so reading the folder back gives identical doubles. The folder is replaced as a whole (see
 * replaceDir): a kill leaves the previous folder or the new one, never a mix. Resolves to the paths written.
 * @throws OutputError when `outDir` cannot be written or holds files other than an MDP's tables.
 * @example
 * const m = randomIcuShapedMdp(1, { states: 10, actions: 3 });
 * const files = await writeMdpDir(m, "out", { gzip: true }); // out/transitionFunction.csv.gz, ...
 * files.includes("out/transitionFunction.csv.gz"); //=> true
 * Array.from((await readMdpDir("out")).prob).join() === Array.from(m.prob).join(); //=> true
 */
export async function writeMdpDir(m: TabularMdp, outDir: string, opts: WriteOptions = {}): Promise<string[]> {
  const gz = opts.gzip ?? false;
  const base = (key: FileKey): string => (key === "metadata" || !gz ? FILES[key] : `${FILES[key]}.gz`);
  const names = await replaceDir(
    outDir,
    async (tmp) => {
      const name = (key: FileKey): string => join(tmp, base(key));
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
      for (const [key, job] of jobs) {
        await job();
        written.push(base(key));
        killPoint("file-written");
      }
      return written;
    },
    { ownNames: (n) => MDP_NAMES.has(n) },
  );
  return names.map((n) => join(outDir, n));
}
