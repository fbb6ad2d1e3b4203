/** Loading a folder in the ICU-Sepsis layout into a TabularMdp, checking everything on the way. */
import { ModelError } from "../core/errors.js";
import { makeMdp } from "../model/build.js";
import type { Metadata, Reward, TabularMdp } from "../model/mdp.js";
import { parseAdmissible } from "./admissible.js";
import { FILES, type FileKey, locateFiles } from "./locate.js";
import { type CsrMatrix, readStochasticCsr } from "./matrix-reader.js";
import { declaredActions, parseMetadata } from "./metadata.js";
import { checkNonTerminalRows, checkPolicyRows, DEFAULT_TOLERANCE } from "./policy.js";
import { offOne, type ProblemSink, report, showSum, throwingSink } from "./problems.js";
import { type DenseTable, readSmallMatrix } from "./small-csv.js";
import { fileSize, readSmallText } from "./source.js";
import { readSparseTransitions } from "./sparse-reader.js";

export interface ReadOptions {
  /** Allowed |row sum - 1| for transition rows, d0 and policy rows. Default 1e-9. */
  readonly tolerance?: number;
}

/** What a load found, for summaries; `mdp` is null when there were problems. */
export interface LoadResult {
  readonly mdp: TabularMdp | null;
  readonly files: Partial<Record<FileKey, string>>;
  readonly maxRowSumDeviation: number;
}

const readText = async (path: string, sink: ProblemSink): Promise<string | null> => {
  try {
    return await readSmallText(path);
  } catch (e) {
    report(sink, path, null, null, `cannot read: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
};

/** Reward file: 1 x S gives R(s') ("next-state"), S x A gives R(s, a) ("state-action"). */
function rewardOf(
  t: DenseTable,
  file: string,
  nS: number,
  nA: number | null,
  sink: ProblemSink,
): Reward | null {
  if (t.rows === 1 && t.cols === nS) return { kind: "next-state", rS: t.data };
  if (t.rows === nS && nA !== null && t.cols === nA) return { kind: "state-action", rSA: t.data };
  const line = t.rows === 1 ? 1 : Math.min(t.rows, nS) + 1;
  const a = nA === null ? "A" : String(nA);
  report(
    sink,
    file,
    line,
    1,
    `shape ${t.rows} x ${t.cols}, expected 1 x ${nS} (R(s')) or ${nS} x ${a} (R(s,a))`,
  );
  return null;
}

/** Load with problems sent to `sink`; the model is built only when no problem was found. */
export async function loadDir(dir: string, tolerance: number, sink: ProblemSink): Promise<LoadResult> {
  const files = await locateFiles(dir, sink);
  const none = { mdp: null, files, maxRowSumDeviation: Number.NaN };
  if (sink.full) return none;
  const d0 = files.d0
    ? await readSmallMatrix(files.d0, { file: files.d0, rows: { n: 1 }, nonNegative: true, sink })
    : null;
  const rewardT = files.reward ? await readSmallMatrix(files.reward, { file: files.reward, sink }) : null;
  // S comes from d0's width, else from a 1-row reward.
  const nS = d0?.cols ?? (rewardT?.rows === 1 ? rewardT.cols : null);
  const sFrom = `S = ${nS} from ${d0 ? FILES.d0 : FILES.reward}`;
  if (d0 && files.d0) {
    let sum = 0;
    for (const p of d0.data) sum += p;
    if (offOne(sum, tolerance))
      report(
        sink,
        files.d0,
        1,
        1,
        `initial distribution sums to ${showSum(sum)}, expected 1 within ${tolerance}`,
      );
  }
  if (sink.full) return none;
  let T: CsrMatrix | null = null;
  let sparseA: number | null = null;
  if (files.sparseTransitions && !files.transitions) {
    const f = files.sparseTransitions;
    const o = { file: f, nS, tolerance, sink, sizeHint: await fileSize(f) };
    const t = await readSparseTransitions(f, nS === null ? o : { ...o, nSource: sFrom });
    T = t;
    sparseA = t.nA;
  } else if (files.transitions) {
    const tFile = files.transitions;
    const declaredA = files.metadata ? await declaredActions(files.metadata) : null;
    T = await readStochasticCsr(tFile, {
      file: tFile,
      width: nS,
      widthSource: nS === null ? undefined : sFrom,
      tolerance,
      sink,
      ...(nS !== null && declaredA !== null ? { maxRows: nS * declaredA } : {}),
      rowLabel: (row, nRows) => {
        const a = T?.width ?? nS ?? 0;
        const nA = a > 0 && nRows % a === 0 ? nRows / a : 0;
        return nA > 0 ? `(s=${Math.floor(row / nA)}, a=${row % nA})` : "";
      },
    });
    if (nS !== null && T.nRows > 0 && T.nRows % nS !== 0)
      report(sink, tFile, T.nRows, 1, `wrong number of rows: ${T.nRows} is not a multiple of S (${sFrom})`);
  }
  const S = nS ?? (T && T.width > 0 ? T.width : null);
  const nA = sparseA ?? (S !== null && T !== null && T.nRows % S === 0 && T.nRows > 0 ? T.nRows / S : null);
  const aFrom =
    nA === null
      ? undefined
      : sparseA === null
        ? `A = ${nA} from the rows of ${FILES.transitions} / S`
        : `A = ${nA} from the actions of state 0 in ${FILES.sparseTransitions}`;
  const reward = rewardT && files.reward && S !== null ? rewardOf(rewardT, files.reward, S, nA, sink) : null;
  const rowsS = S === null ? null : { n: S, from: sFrom };
  const colsA = nA === null ? null : { n: nA, from: aFrom };
  let expert: DenseTable | null = null;
  if (files.expert) {
    const o = { file: files.expert, rows: rowsS, cols: colsA, nonNegative: true, sink };
    expert = await readSmallMatrix(files.expert, o);
    if (expert) checkPolicyRows(expert, files.expert, tolerance, sink);
  }
  const centers = files.centers
    ? await readSmallMatrix(files.centers, { file: files.centers, rows: rowsS, sink })
    : null;
  const sofa = files.sofa
    ? await readSmallMatrix(files.sofa, { file: files.sofa, rows: { n: 1 }, cols: rowsS, sink })
    : null;
  let admissibleSA: Uint8Array | null = null;
  if (files.admissible && S !== null && nA !== null) {
    const text = await readText(files.admissible, sink);
    if (text !== null) admissibleSA = parseAdmissible(text, files.admissible, S, nA, sink);
  }
  let metadata: Metadata = {};
  if (files.metadata) {
    const text = await readText(files.metadata, sink);
    if (text !== null) metadata = parseMetadata(text, files.metadata, S, nA, sink) ?? {};
  }
  const maxRowSumDeviation = T?.maxRowSumDeviation ?? Number.NaN;
  if (sink.problems.length > 0 || T === null || d0 === null || reward === null || S === null || nA === null)
    return { ...none, maxRowSumDeviation };
  try {
    const mdp = makeMdp({
      nS: S,
      nA,
      rowPtr: T.rowPtr,
      next: T.col,
      prob: T.val,
      reward,
      d0: d0.data,
      admissibleSA,
      expertPolicy: expert?.data ?? null,
      centroids: centers ? { dim: centers.cols, data: centers.data } : null,
      sofa: sofa?.data ?? null,
      metadata,
    });
    meaningChecks(mdp, files, sink);
    if (sink.problems.length > 0) return { ...none, maxRowSumDeviation };
    return { mdp, files, maxRowSumDeviation };
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    report(sink, dir, null, null, e.message);
    return { ...none, maxRowSumDeviation };
  }
}

/**
 * What parses but cannot be meant, once terminal states are known: a non-terminal state with no admissible
 * action (nothing to do, yet the episode goes on) and an all-zero expert row in a non-terminal state.
 */
function meaningChecks(m: TabularMdp, files: Partial<Record<FileKey, string>>, sink: ProblemSink): void {
  if (files.admissible !== undefined && m.admissibleKnown) {
    for (let s = 0; s < m.nS && !sink.full; s++) {
      if (m.terminalS[s] === 1 || m.admissibleSA.subarray(s * m.nA, (s + 1) * m.nA).includes(1)) continue;
      report(
        sink,
        files.admissible,
        s + 2,
        1,
        `state ${s} is not terminal but lists no admissible action: list at least one, or make it terminal (metadata.json "terminal_states")`,
      );
    }
  }
  if (files.expert !== undefined && m.expertPolicy !== null) {
    const table = { rows: m.nS, cols: m.nA, data: m.expertPolicy };
    checkNonTerminalRows(table, files.expert, m.terminalS, sink);
  }
}

/**
 * Read a folder in the ICU-Sepsis layout (files flat or under extras/, each .csv or .csv.gz).
 * @throws InputError for the first problem found (file:line:column: reason).
 * @example
 * const m = await readMdpDir("icu-sepsis");
 * [m.nS, m.nA]; //=> [716, 25]
 */
export async function readMdpDir(dir: string, opts: ReadOptions = {}): Promise<TabularMdp> {
  const sink = throwingSink();
  const r = await loadDir(dir, opts.tolerance ?? DEFAULT_TOLERANCE, sink);
  if (r.mdp === null) throw new ModelError(`${dir}: could not build the model`); // unreachable: sink threw
  return r.mdp;
}
