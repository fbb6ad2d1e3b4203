import { type ActionSets, actionSets } from "../src/model/action-sets.js";
import { expectedRewardSA, type TabularMdp } from "../src/model/mdp.js";
import { continuation, fillQ, greedyFromQ, qRow, supDiff } from "./bellman.js";
import { BELLMAN_LAYOUTS, bellmanKernelSpace } from "./bellman-kernels.js";
import { type CompactRows, compactRowCounts, fillCompactRows } from "./compact-rows.js";
import { collapseZeroComponents, zeroComponentsToCollapse } from "./gamma-one.js";
import { resolvePlanOptions } from "./options.js";
import { planResult } from "./plan-result.js";
import { jacobiSweeper, sweepThreadCount } from "./sweep-threads.js";
import type { PlanOptions, PlanResult } from "./types.js";

/**
 * Value iteration from V = 0. Jacobi ("vi") updates every state from the previous sweep's values;
 * Gauss-Seidel ("gs-vi") uses each new value as soon as it is computed (usually fewer sweeps).
 * Stops when the sup-norm change of a sweep is <= tolerance, or after maxIterations (converged = false).
 * Jacobi sweeps of large MDPs (THREADED_SWEEP_ENTRIES stored transitions or more) are split over two threads,
 * with the same results to the bit; `threadedFrom` moves that threshold (tests use it on small MDPs).
 */
export function valueIteration(
  m: TabularMdp,
  options: PlanOptions & { readonly gaussSeidel?: boolean; readonly threadedFrom?: number } = {},
): PlanResult {
  const o = resolvePlanOptions(m, options, 100_000);
  const gs = options.gaussSeidel ?? false;
  const rSA = expectedRewardSA(m);
  const cont = continuation(m, o.gamma);
  const sets = actionSets(m, o.admissibleOnly);
  const collapse = zeroComponentsToCollapse(m, o.gamma, o.admissibleOnly);
  const space = sweepSpace(m, sets, rSA, cont);
  try {
    return sweepToConvergence(m, o, gs, space, { rSA, cont, sets, collapse }, options.threadedFrom);
  } finally {
    // The result holds copies of the kernel memory's arrays: the next solve may now take that memory.
    space.release();
  }
}

function sweepToConvergence(
  m: TabularMdp,
  o: ReturnType<typeof resolvePlanOptions>,
  gs: boolean,
  space: ReturnType<typeof sweepSpace>,
  model: {
    readonly rSA: Float64Array;
    readonly cont: Float64Array;
    readonly sets: ActionSets;
    readonly collapse: ReturnType<typeof zeroComponentsToCollapse>;
  },
  threadedFrom: number | undefined,
): PlanResult {
  const { rSA, cont, sets, collapse } = model;
  const nS = m.nS;
  const { kernels, at, view, rows } = space;
  // drift: scale x the sum of all sweeps' changes so far, for the kernel's bound-based row skipping.
  const scale = maxRowWeight(rows);
  // Gauss-Seidel reads and writes `v` in place, in state order: it stays on one thread.
  const jacobi = jacobiSweeper(
    kernels,
    { memory: space.memory, module: space.modules[0]! },
    at,
    rows.statePtr,
    rows.rowPtr,
    scale,
    gs ? 1 : sweepThreadCount(rows.next.length, threadedFrom),
  );
  let drift = 0;
  let residual = Number.POSITIVE_INFINITY;
  let k = 0;
  const before = collapse === null ? null : new Float64Array(nS);
  try {
    while (k < o.maxIterations) {
      k++;
      if (!gs) view.old.set(view.v);
      before?.set(view.v);
      residual = gs ? gaussSeidelSweep(space, drift, scale) : jacobi.sweep(drift);
      if (collapse !== null && before !== null) {
        // The sweep of the collapsed MDP (see collapseZeroComponents): values moved outside the kernel, so the
        // next sweep recomputes every row, and the change is measured from the values before the sweep.
        const cv = Float64Array.from(view.v, (x, s) => cont[s]! * x);
        collapseZeroComponents(m, collapse, sets, view.v, (row) =>
          qRow(m.rowPtr, m.next, m.prob, rSA, cv, row),
        );
        forgetBounds(view);
        residual = supDiff(view.v, before);
      }
      drift += scale * residual;
      o.onIteration?.(k, residual);
      if (residual <= o.tolerance) break;
    }
  } finally {
    jacobi.close();
  }
  const v = view.v.slice();
  // Q of the rows the sweeps used, by the same kernel; terminal states' (rarely read) Q in JavaScript.
  kernels.rowValues(rows.reward.length, at.rowPtr, at.next, at.weight, at.reward, at.v, at.q);
  const qSA = new Float64Array(nS * m.nA).fill(Number.NEGATIVE_INFINITY);
  const cv = Float64Array.from(v, (x, s) => cont[s]! * x);
  for (let s = 0; s < nS; s++) {
    if (rows.statePtr[s] === rows.statePtr[s + 1]) fillQ(m, rSA, cv, sets, s, qSA);
    for (let r = rows.statePtr[s]!; r < rows.statePtr[s + 1]!; r++)
      qSA[s * m.nA + rows.action[r]!] = view.q[r]!;
  }
  const policyS = greedyFromQ(m, sets, qSA, o.gamma, 1e3 * residual);
  const converged = residual <= o.tolerance;
  return planResult(o, gs ? "gs-vi" : "vi", {
    vS: v,
    qSA,
    policyS,
    iterations: k,
    residual,
    converged,
    convergedBy: "tolerance",
  });
}

/** The largest weight sum of a row: how far a row's Q can move, at most, per unit move of the values. */
function maxRowWeight(rows: CompactRows): number {
  let max = 0;
  for (let r = 0; r + 1 < rows.rowPtr.length; r++) {
    let sum = 0;
    for (let k = rows.rowPtr[r]!; k < rows.rowPtr[r + 1]!; k++) sum += rows.weight[k]!;
    max = Math.max(max, sum);
  }
  return max * (1 + 1e-12);
}

/** A Gauss-Seidel sweep: `old` is `v` itself, so each new value is read as soon as it is written. */
function gaussSeidelSweep(space: ReturnType<typeof sweepSpace>, drift: number, scale: number): number {
  const { kernels, at, rows } = space;
  const nS = rows.statePtr.length - 1;
  return kernels.bellmanSweep(0, nS, at.frame, at.v, drift, scale);
}

/**
 * The compact rows written straight into the kernel memory (no copy of the matrix passes through JavaScript
 * arrays first: at 10^7 entries each such copy is 120 MB of fresh pages, slower to touch than a sweep), with
 * the sweep's vectors, the hot copies of each state's winning row and the record of their addresses the
 * kernel reads (see bellman-kernels.wat). The sweep runs as WebAssembly: on ICU-Sepsis a JavaScript sweep
 * cost about 3.5 ns per stored entry, the WebAssembly one about 1.2 ns, the speed of the same loop compiled
 * as C. Exported for the tests, which run its sweeps beside a plain JavaScript sweep.
 */
export function sweepSpace(m: TabularMdp, sets: ActionSets, rSA: Float64Array, cont: Float64Array) {
  const { rows: nRows, entries, hotEntries } = compactRowCounts(m, sets);
  const nS = m.nS;
  const space = bellmanKernelSpace(
    {
      frame: { type: "i32", length: BELLMAN_LAYOUTS.sweep.bytes / 4 },
      statePtr: { type: "i32", length: nS + 1 },
      rowPtr: { type: "i32", length: nRows + 1 },
      next: { type: "i32", length: entries },
      weight: { type: "f64", length: entries },
      reward: { type: "f64", length: nRows },
      action: { type: "i32", length: nRows },
      v: { type: "f64", length: nS },
      old: { type: "f64", length: nS },
      q: { type: "f64", length: nRows },
      bound: { type: "f64", length: nRows },
      lastBest: { type: "i32", length: nS },
      other: { type: "f64", length: nS },
      hotPtr: { type: "i32", length: nS + 1 },
      hotLen: { type: "i32", length: nS },
      hotNext: { type: "i32", length: hotEntries },
      hotWeight: { type: "f64", length: hotEntries },
      hotReward: { type: "f64", length: nS },
    },
    // Only the rows' entries are read past what fillCompactRows writes; the hot copies are written first.
    new Set(["next", "weight", "hotNext", "hotWeight"] as const),
  );
  const { view, at, kernels } = space;
  for (const [name, field] of Object.entries(BELLMAN_LAYOUTS.sweep.fields))
    view.frame[field.offset / 4] = at[name as keyof typeof BELLMAN_LAYOUTS.sweep.fields];
  const used = fillCompactRows(m, sets, rSA, cont, view);
  const rows: CompactRows = {
    statePtr: view.statePtr,
    rowPtr: view.rowPtr,
    next: view.next.subarray(0, used),
    weight: view.weight.subarray(0, used),
    reward: view.reward,
    action: view.action,
  };
  // Each state's hot slot holds its longest row, whichever wins.
  for (let s = 0; s < nS; s++) {
    let longest = 0;
    for (let r = rows.statePtr[s]!; r < rows.statePtr[s + 1]!; r++)
      longest = Math.max(longest, rows.rowPtr[r + 1]! - rows.rowPtr[r]!);
    view.hotPtr[s + 1] = view.hotPtr[s]! + longest;
  }
  forgetBounds(view); // nothing known yet: the first sweep computes every row
  view.lastBest.set(view.statePtr.subarray(0, nS));
  kernels.copyWinners(at.frame, nS);
  return { ...space, rows };
}

/** Every row's bound unknown (+inf), so the next sweep computes every row. */
function forgetBounds(view: { readonly bound: Float64Array; readonly other: Float64Array }): void {
  view.bound.fill(Number.POSITIVE_INFINITY);
  view.other.fill(Number.POSITIVE_INFINITY);
}
