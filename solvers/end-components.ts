import { backwardReach, type EdgeLists } from "../src/core/reach.js";
import type { ActionSets } from "../src/model/action-sets.js";
import type { TabularMdp } from "../src/model/mdp.js";

/**
 * Graph analysis of an MDP over its non-terminal states, from positive probabilities only (no arithmetic on
 * them). A row is one (s, a) pair, index s * nA + a; `rowAllowed` says which rows a question may use.
 */
export type RowFilter = (row: number) => boolean;

/** The allowed rows of the action sets, minus those of terminal states. */
export function allowedRows(m: TabularMdp, sets: ActionSets, keep: RowFilter = () => true): Uint8Array {
  const ok = new Uint8Array(m.nS * m.nA);
  for (let s = 0; s < m.nS; s++) {
    if (m.terminalS[s] === 1) continue;
    for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++) {
      const row = s * m.nA + sets.actions[i]!;
      if (keep(row)) ok[row] = 1;
    }
  }
  return ok;
}

/**
 * Maximal end components: sets of non-terminal states, each with the rows that keep it inside, in which a
 * policy can stay forever and visit every state of the set. Repeatedly split the graph of the remaining rows
 * into strongly connected components and drop every row that can leave its component (or enter a terminal
 * state), until nothing changes. `componentS[s]` is the component of s (-1: in none); `insideRow[row]` = 1
 * for the rows that stay inside their state's component.
 */
export function maximalEndComponents(
  m: TabularMdp,
  rows: Uint8Array,
): { componentS: Int32Array; insideRow: Uint8Array } {
  // Rows that can enter a terminal state never stay inside anything: dropped before the first split.
  const { nS, nA, rowPtr, next, prob, terminalS } = m;
  const inside = rows.slice();
  const none = new Int32Array(nS); // every state in component 0: only entering a terminal state leaves
  for (let row = 0; row < inside.length; row++)
    if (inside[row] === 1 && leaves(rowPtr[row]!, rowPtr[row + 1]!, next, prob, terminalS, none, 0))
      inside[row] = 0;
  let component: Int32Array;
  for (;;) {
    component = stronglyConnected(m, inside);
    let changed = false;
    for (let s = 0; s < nS; s++) {
      for (let row = s * nA; row < (s + 1) * nA; row++) {
        if (inside[row] === 0) continue;
        if (leaves(rowPtr[row]!, rowPtr[row + 1]!, next, prob, terminalS, component, component[s]!)) {
          inside[row] = 0;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  const componentS = new Int32Array(m.nS).fill(-1);
  for (let s = 0; s < m.nS; s++)
    for (let a = 0; a < m.nA; a++) if (inside[s * m.nA + a] === 1) componentS[s] = component[s]!;
  return { componentS, insideRow: inside };
}

/**
 * Whether the row entries [lo, hi) can enter a terminal state or a state whose component is not `own`. A
 * function of its own so that V8 optimises it after a few rows (the callers run once per analysis).
 */
function leaves(
  lo: number,
  hi: number,
  next: Int32Array,
  prob: Float64Array,
  terminalS: Uint8Array,
  component: Int32Array,
  own: number,
): boolean {
  for (let k = lo; k < hi; k++) {
    const t = next[k]!;
    if (prob[k]! > 0 && (terminalS[t] === 1 || component[t] !== own)) return true;
  }
  return false;
}

/** Tarjan's strongly connected components of the graph of the given rows, without recursion. */
function stronglyConnected(m: TabularMdp, rows: Uint8Array): Int32Array {
  const n = m.nS;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  // Call frames: state, the entry its scan has reached and that entry's row.
  const frameS: number[] = [];
  const frameK: number[] = [];
  const frameRow: number[] = [];
  let counter = 0;
  let nComp = 0;
  const firstEntry = (s: number): number => m.rowPtr[s * m.nA]!;
  const lastEntry = (s: number): number => m.rowPtr[(s + 1) * m.nA]!;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const open = (s: number): void => {
      index[s] = low[s] = counter++;
      stack.push(s);
      onStack[s] = 1;
      frameS.push(s);
      frameK.push(firstEntry(s));
      frameRow.push(s * m.nA);
    };
    open(root);
    while (frameS.length > 0) {
      const top = frameS.length - 1;
      const s = frameS[top]!;
      let k = frameK[top]!;
      let row = frameRow[top]!;
      let descended = false;
      while (k < lastEntry(s)) {
        while (m.rowPtr[row + 1]! <= k) row++;
        if (rows[row] === 0) {
          k = m.rowPtr[row + 1]!; // skip the whole row
          continue;
        }
        const t = m.next[k]!;
        const usable = m.prob[k]! > 0 && m.terminalS[t] === 0;
        k++;
        if (!usable) continue;
        if (index[t] === -1) {
          frameK[top] = k;
          frameRow[top] = row;
          open(t);
          descended = true;
          break;
        }
        if (onStack[t] === 1) low[s] = Math.min(low[s]!, index[t]!);
      }
      if (descended) continue;
      frameS.pop();
      frameK.pop();
      frameRow.pop();
      if (frameS.length > 0) {
        const parent = frameS[frameS.length - 1]!;
        low[parent] = Math.min(low[parent]!, low[s]!);
      }
      if (low[s] === index[s]) {
        let t: number;
        do {
          t = stack.pop()!;
          onStack[t] = 0;
          comp[t] = nComp;
        } while (t !== s);
        nComp++;
      }
    }
  }
  return comp;
}

/**
 * States from which some policy using only the given rows reaches `targetS` with probability 1, and such a
 * policy: the classic fixed point. Keep a candidate set W (all non-terminal states at first); the rows whose
 * every successor lies in W or the target are safe; the states that reach the target with positive
 * probability through safe rows form the next W; stop when W no longer shrinks. `actionS[s]` is a safe action
 * of s that moves towards the target (states reached in order of their distance), so following it ends in
 * the target surely; -1 outside the set and in the target.
 */
export function almostSureReach(
  m: TabularMdp,
  rows: Uint8Array,
  targetS: Uint8Array,
): { reachS: Uint8Array; actionS: Int32Array } {
  const pred = predecessorRows(m, rows);
  let candidate = new Uint8Array(m.nS);
  for (let s = 0; s < m.nS; s++) candidate[s] = targetS[s] === 1 || m.terminalS[s] === 1 ? 0 : 1;
  const safe = new Uint8Array(rows.length);
  for (;;) {
    // Safe rows: every successor in the target or the candidate set (once per round, not per visit).
    for (let row = 0; row < rows.length; row++) {
      safe[row] = rows[row]!;
      if (safe[row] === 0 || candidate[Math.floor(row / m.nA)] === 0) continue;
      for (let k = m.rowPtr[row]!; k < m.rowPtr[row + 1]!; k++) {
        const t = m.next[k]!;
        if (m.prob[k]! > 0 && targetS[t] === 0 && candidate[t] === 0) {
          safe[row] = 0;
          break;
        }
      }
    }
    const reached = new Uint8Array(m.nS);
    const actionS = new Int32Array(m.nS).fill(-1);
    const queue: number[] = [];
    for (let s = 0; s < m.nS; s++) if (targetS[s] === 1) queue.push(s);
    for (let head = 0; head < queue.length; head++) {
      const t = queue[head]!;
      for (let k = pred.ptr[t]!; k < pred.ptr[t + 1]!; k++) {
        const row = pred.row[k]!;
        const s = Math.floor(row / m.nA);
        if (candidate[s] === 0 || reached[s] === 1 || safe[row] === 0) continue;
        reached[s] = 1;
        actionS[s] = row - s * m.nA;
        queue.push(s);
      }
    }
    let shrank = false;
    for (let s = 0; s < m.nS; s++) {
      if (candidate[s] === 1 && reached[s] === 0) {
        candidate[s] = 0;
        shrank = true;
      }
    }
    if (!shrank) return { reachS: reached, actionS };
    candidate = reached;
  }
}

/** For each state t, the allowed rows with t among their successors (CSR). */
function predecessorRows(m: TabularMdp, rows: Uint8Array): { ptr: Int32Array; row: Int32Array } {
  const ptr = new Int32Array(m.nS + 1);
  for (let row = 0; row < rows.length; row++) {
    if (rows[row] === 0) continue;
    for (let k = m.rowPtr[row]!; k < m.rowPtr[row + 1]!; k++) if (m.prob[k]! > 0) ptr[m.next[k]! + 1]!++;
  }
  for (let s = 0; s < m.nS; s++) ptr[s + 1] = ptr[s + 1]! + ptr[s]!;
  const out = new Int32Array(ptr[m.nS]!);
  const fill = ptr.slice(0, m.nS);
  for (let row = 0; row < rows.length; row++) {
    if (rows[row] === 0) continue;
    for (let k = m.rowPtr[row]!; k < m.rowPtr[row + 1]!; k++)
      if (m.prob[k]! > 0) out[fill[m.next[k]!]!++] = row;
  }
  return { ptr, row: out };
}

/** States from which some path over the given rows reaches a state with `fromS` set (including those). */
export function canReach(m: TabularMdp, rows: Uint8Array, fromS: Uint8Array): Uint8Array {
  return backwardReach(rowGraph(m, rows))(fromS);
}

/** The graph of the given rows (positive probabilities only), on the MDP's own arrays. */
function rowGraph(m: TabularMdp, rows: Uint8Array): EdgeLists {
  let count = 0;
  for (let row = 0; row < rows.length; row++) if (rows[row] !== 0) count++;
  const owner = new Int32Array(count);
  const start = new Int32Array(count);
  const end = new Int32Array(count);
  for (let row = 0, i = 0; row < rows.length; row++) {
    if (rows[row] === 0) continue;
    owner[i] = Math.floor(row / m.nA);
    start[i] = m.rowPtr[row]!;
    end[i++] = m.rowPtr[row + 1]!;
  }
  return { nodes: m.nS, owner, start, end, to: m.next, weight: m.prob };
}

/**
 * Whether every state reaches `endS` (terminal states count as ends) under a deterministic policy, shown by
 * a few forward passes that mark a state once an entry of its row with positive probability leads to a
 * marked one (each row stops at the first). False means "not shown within `passes`": the caller then runs
 * the full search. Cheaper than building the predecessor graph when, as usual, the answer is yes and
 * every state is a few steps from an end.
 */
export function reachesEverywhere(m: TabularMdp, policyS: Int32Array, endS: Uint8Array, passes = 8): boolean {
  const mark = Uint8Array.from(endS, (x, s) => x | m.terminalS[s]!);
  let left = 0;
  for (let s = 0; s < m.nS; s++) if (mark[s] === 0) left++;
  for (let pass = 0; pass < passes && left > 0; pass++) {
    for (let s = 0; s < m.nS; s++) {
      if (mark[s] === 1) continue;
      const row = s * m.nA + policyS[s]!;
      for (let k = m.rowPtr[row]!, end = m.rowPtr[row + 1]!; k < end; k++) {
        if (m.prob[k]! > 0 && mark[m.next[k]!] === 1) {
          mark[s] = 1;
          left--;
          break;
        }
      }
    }
  }
  return left === 0;
}
