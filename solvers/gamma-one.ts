import { TabmdpError } from "../src/core/errors.js";
import { type ActionSets, actionSets } from "../src/model/action-sets.js";
import { expectedRewardSA, type TabularMdp } from "../src/model/mdp.js";
import { allowedRows, almostSureReach, canReach, maximalEndComponents } from "./end-components.js";

/** The undiscounted optimal value is infinite or undefined somewhere: says where and why. */
export class UnboundedValueError extends TabmdpError {
  override readonly name: string = "UnboundedValueError";
  constructor(
    readonly states: readonly number[],
    message: string,
  ) {
    super(message);
  }
}

/**
 * What gamma = 1 planning needs to know about an MDP, decided from its graph before any iteration.
 * Zero-reward end components are the one kind of endless play kept: staying in one forever is worth exactly
 * 0, so a maximiser may prefer it to every way out (Oberst & Sontag: treating forever beats risking death).
 */
export interface UndiscountedStructure {
  /** Component id of the states of zero-reward end components, -1 elsewhere. */
  readonly zeroComponentS: Int32Array;
  /** Rows (s * nA + a) that keep a zero-reward component's state inside it. */
  readonly zeroInsideRow: Uint8Array;
  /** A policy that reaches a terminal state or a zero-reward component with probability 1 from every state. */
  readonly properActionS: Int32Array;
}

// Pure in the (immutable) model; planners, certification and the length ranges all ask for it.
const cache = new WeakMap<TabularMdp, Map<boolean, UndiscountedStructure>>();

/**
 * Decide whether the undiscounted optimal value is finite (throws UnboundedValueError when not), by end
 * components (sets a policy can stay in forever): the value is +infinity where a policy can reach one whose
 * staying rows have non-negative rewards, one of them positive; undecided where a component mixes positive
 * and negative rewards (finite only if every cycle there loses reward on average); -infinity where every
 * policy may be trapped, with positive probability, in components that lose reward on every pass. What is
 * left are zero-reward components (staying is worth 0) and losing ones a maximiser leaves: the stochastic
 * shortest path conditions hold once staying in a zero-reward component counts as a way to end.
 */
export function undiscountedStructure(m: TabularMdp, admissibleOnly: boolean): UndiscountedStructure {
  let byScope = cache.get(m);
  if (byScope === undefined) {
    byScope = new Map();
    cache.set(m, byScope);
  }
  const known = byScope.get(admissibleOnly);
  if (known !== undefined) return known;
  const found = analyse(m, actionSets(m, admissibleOnly));
  byScope.set(admissibleOnly, found);
  return found;
}

function analyse(m: TabularMdp, sets: ActionSets): UndiscountedStructure {
  const rSA = expectedRewardSA(m);
  const base = allowedRows(m, sets);
  const all = maximalEndComponents(m, base);
  if (all.componentS.every((c) => c < 0)) {
    // No policy can avoid the terminal states forever: every policy ends surely, the value is finite.
    const properActionS = Int32Array.from({ length: m.nS }, (_, s) => sets.actions[sets.ptr[s]!]!);
    return { zeroComponentS: all.componentS, zeroInsideRow: all.insideRow, properActionS };
  }
  let positive = false;
  let negative = false;
  for (let row = 0; row < base.length; row++) {
    if (base[row] === 0 || rSA[row] === 0 || entersTerminal(m, row)) continue;
    if (rSA[row]! > 0) positive = true;
    else negative = true;
  }
  if (positive) {
    const gaining = maximalEndComponents(
      m,
      allowedRows(m, sets, (row) => rSA[row]! >= 0),
    );
    const cycle = statesOfComponentsWith(m, gaining, (row) => rSA[row]! > 0);
    if (cycle.some((x) => x === 1)) {
      const from = canReach(m, base, cycle);
      throw new UnboundedValueError(
        listed(from),
        `the undiscounted optimal value is +infinity: from ${describe(from)} a policy can reach states ` +
          `${listedText(cycle)} and repeat a cycle among them forever, collecting positive reward without ` +
          "ever reaching a terminal state; use --gamma < 1, or make that cycle lead to a terminal state",
      );
    }
    const mixed = statesOfComponentsWith(m, all, (row) => rSA[row]! > 0);
    if (mixed.some((x) => x === 1)) {
      throw new UnboundedValueError(
        listed(mixed),
        `the undiscounted optimal value may be unbounded: states ${listedText(mixed)} lie on cycles a policy can ` +
          "repeat forever whose rewards have both signs; the value is finite only if every such cycle loses " +
          "reward on average, which tabmdp does not decide at gamma = 1; use --gamma < 1",
      );
    }
  }
  const zero = maximalEndComponents(
    m,
    allowedRows(m, sets, (row) => rSA[row] === 0),
  );
  const target = new Uint8Array(m.nS);
  for (let s = 0; s < m.nS; s++) target[s] = m.terminalS[s] === 1 || zero.componentS[s]! >= 0 ? 1 : 0;
  const reach = almostSureReach(m, base, target);
  if (negative) {
    const lost = new Uint8Array(m.nS);
    for (let s = 0; s < m.nS; s++) lost[s] = target[s] === 0 && reach.reachS[s] === 0 ? 1 : 0;
    if (lost.some((x) => x === 1)) {
      throw new UnboundedValueError(
        listed(lost),
        `the undiscounted optimal value is -infinity at ${describe(lost)}: every policy from there can, with ` +
          "positive probability, be trapped in cycles that lose reward on every pass and never reach a terminal " +
          "state; use --gamma < 1, or give those states a way to a terminal state",
      );
    }
  }
  // Without negative rewards on rows that stay among non-terminal states, every endless run eventually stays
  // in an end component, and every end component is a zero-reward one: the target is reached surely.
  return { zeroComponentS: zero.componentS, zeroInsideRow: zero.insideRow, properActionS: reach.actionS };
}

function entersTerminal(m: TabularMdp, row: number): boolean {
  for (let k = m.rowPtr[row]!; k < m.rowPtr[row + 1]!; k++)
    if (m.prob[k]! > 0 && m.terminalS[m.next[k]!] === 1) return true;
  return false;
}

/** States of the end components that have a staying row with the property. */
function statesOfComponentsWith(
  m: TabularMdp,
  ec: { componentS: Int32Array; insideRow: Uint8Array },
  has: (row: number) => boolean,
): Uint8Array {
  const hit = new Set<number>();
  for (let row = 0; row < ec.insideRow.length; row++)
    if (ec.insideRow[row] === 1 && has(row)) hit.add(ec.componentS[Math.floor(row / m.nA)]!);
  const out = new Uint8Array(m.nS);
  for (let s = 0; s < m.nS; s++) if (hit.has(ec.componentS[s]!)) out[s] = 1;
  return out;
}

function listed(flags: Uint8Array): number[] {
  const out: number[] = [];
  for (let s = 0; s < flags.length; s++) if (flags[s] === 1) out.push(s);
  return out;
}

/** "3, 7, 9" or "3, 7, 9, ... (12 states)": the first few of a state set. */
export function listedText(flags: Uint8Array | readonly number[], shown = 8): string {
  const all = flags instanceof Uint8Array ? listed(flags) : flags;
  const head = all.slice(0, shown).join(", ");
  return all.length > shown ? `${head}, ... (${all.length} states)` : head;
}

function describe(flags: Uint8Array): string {
  return `${listed(flags).length === 1 ? "state" : "states"} ${listedText(flags)}`;
}

/**
 * At gamma = 1 the Bellman operator has more than one fixed point where zero-reward end components exist:
 * moving around a component at no cost keeps whatever value it holds, so value iteration can converge to
 * a value the component once saw from an exit (early, while later losses were still beyond the horizon) and
 * no policy attains. Collapsing each component to one state whose options are staying (0) and its exits
 * restores a unique fixed point (stochastic shortest path conditions hold on the collapsed MDP). This sets
 * every state of a component to max(0, best exit Q under V) and returns the largest change.
 * `q(row)` gives Q of a row under the current values.
 */
export function collapseZeroComponents(
  m: TabularMdp,
  u: UndiscountedStructure,
  sets: ActionSets,
  vS: Float64Array,
  q: (row: number) => number,
): number {
  const best = new Map<number, number>();
  for (let s = 0; s < m.nS; s++) {
    const c = u.zeroComponentS[s]!;
    if (c < 0) continue;
    let b = best.get(c) ?? 0;
    for (let i = sets.ptr[s]!; i < sets.ptr[s + 1]!; i++) {
      const row = s * m.nA + sets.actions[i]!;
      if (u.zeroInsideRow[row] === 0) b = Math.max(b, q(row));
    }
    best.set(c, b);
  }
  let change = 0;
  for (let s = 0; s < m.nS; s++) {
    const c = u.zeroComponentS[s]!;
    if (c < 0) continue;
    const v = best.get(c)!;
    change = Math.max(change, Math.abs(v - vS[s]!));
    vS[s] = v;
  }
  return change;
}

/**
 * For the iterative planners, before any sweep: at gamma = 1 decide finiteness (an unbounded value would
 * only show as an iteration cap reached) and return the structure when it has zero-reward components to
 * collapse at convergence; null otherwise.
 */
export function zeroComponentsToCollapse(
  m: TabularMdp,
  gamma: number,
  admissibleOnly: boolean,
): UndiscountedStructure | null {
  if (gamma < 1) return null;
  const u = undiscountedStructure(m, admissibleOnly);
  return u.zeroComponentS.some((c) => c >= 0) ? u : null;
}
