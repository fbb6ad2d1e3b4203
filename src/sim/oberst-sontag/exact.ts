/**
 * Exact one-step distribution of the Oberst & Sontag simulator, enumerated from its rules without sampling.
 *
 * Given the state and action, hr, bp, o2 and glucose are driven by disjoint sets of independent draws and the
 * treatment flags are set by the action, so P(s' | s, a) is the product of four small marginals.
 */
import { decodeAction, type OberstState, type OberstVariant } from "./state.js";

/** A distribution over the levels 0..n-1 of one variable. */
type Dist = Float64Array;

const point = (n: number, v: number): Dist => {
  const d = new Float64Array(n);
  d[v] = 1;
  return d;
};

/** Push d through a kernel whose outcomes for level v are `moves(v)` = [(target, probability)...]. */
function push(d: Dist, moves: (v: number) => readonly (readonly [number, number])[]): Dist {
  const out = new Float64Array(d.length);
  for (let v = 0; v < d.length; v++) {
    const p = d[v]!;
    if (p === 0) continue;
    for (const [t, q] of moves(v)) out[t] = out[t]! + p * q;
  }
  return out;
}

/** Move level `from` to `to` with probability p; other levels stay. */
const maybe = (from: number, to: number, p: number) => (v: number) =>
  v === from
    ? ([
        [to, p],
        [v, 1 - p],
      ] as const)
    : ([[v, 1]] as const);

/** −1 (floored) w.p. down, +1 (capped at `cap`) w.p. up. */
const fluctuate = (down: number, up: number, cap: number) => (v: number) =>
  [
    [Math.max(0, v - 1), down],
    [Math.min(cap, v + 1), up],
    [v, 1 - down - up],
  ] as const;

/** Marginal next-level distributions of the four vitals; treatments are deterministic (the action). */
export interface VitalDists {
  readonly hr: Dist;
  readonly bp: Dist;
  readonly o2: Dist;
  readonly g: Dist;
}

/** Apply the rules of one transition (antibiotics, ventilation, vasopressors, fluctuations) exactly. */
export function vitalDists(x: OberstState, a: number, variant: OberstVariant): VitalDists {
  const t = decodeAction(a);
  let hr = point(3, x.hr);
  let bp = point(3, x.bp);
  let o2 = point(2, x.o2);
  let g = point(5, x.g);
  let flHr = true;
  let flBp = true;
  let flO2 = true;
  let flG = true;

  if (t.abx === 1) {
    hr = push(hr, maybe(2, 1, 0.5));
    bp = push(bp, maybe(2, 1, 0.5));
    flHr = flBp = false;
  } else if (x.ab === 1) {
    // Stopping antibiotics risks a rebound of normal hr / bp to high.
    hr = push(hr, maybe(1, 2, 0.1));
    bp = push(bp, maybe(1, 2, 0.1));
    flHr = flBp = false;
  }

  if (t.vent === 1) {
    o2 = push(o2, maybe(0, 1, 0.7));
    flO2 = false;
  } else if (x.ve === 1) {
    o2 = push(o2, maybe(1, 0, 0.1));
    flO2 = false;
  }

  if (t.vaso === 1) {
    if (x.diabetic === 0) {
      bp = push(bp, (v) =>
        v < 2
          ? [
              [v + 1, 0.7],
              [v, 0.3],
            ]
          : [[v, 1]],
      );
    } else {
      bp = push(bp, (v) => {
        if (v === 1)
          return [
            [2, 0.9],
            [1, 0.1],
          ];
        if (v === 0)
          return [
            [1, 0.5],
            [2, 0.4],
            [0, 0.1],
          ];
        return [[v, 1]];
      });
      g = push(g, (v) => [
        [Math.min(4, v + 1), 0.5],
        [v, 0.5],
      ]);
    }
    flBp = flG = false;
  } else if (x.va === 1) {
    const p = x.diabetic === 0 ? 0.1 : 0.05;
    bp = push(bp, (v) => [
      [Math.max(0, v - 1), p],
      [v, 1 - p],
    ]);
    flBp = false;
  }

  if (flHr) hr = push(hr, fluctuate(0.1, 0.1, 2));
  if (flBp) bp = push(bp, fluctuate(0.1, 0.1, 2));
  if (flO2) o2 = push(o2, fluctuate(0.1, 0.1, 1));
  if (flG) {
    // The master branch caps the non-diabetic rise at level 1 (the published bug); sim-v2 caps it at 4.
    const rule =
      x.diabetic === 1 ? fluctuate(0.3, 0.3, 4) : fluctuate(0.1, 0.1, variant === "master" ? 1 : 4);
    g = push(g, rule);
  }
  return { hr, bp, o2, g };
}

/**
 * P(. | s, a) over full state indices, ascending, as parallel arrays (zero-probability outcomes dropped).
 * Full index = diabetic·720 + ve + 2·(va + 2·(ab + 2·(g + 5·(o2 + 2·(bp + 3·hr))))).
 */
export function exactRow(
  x: OberstState,
  a: number,
  variant: OberstVariant,
): { next: number[]; prob: number[] } {
  const d = vitalDists(x, a, variant);
  const t = decodeAction(a);
  // After the step ab = abx, va = vaso, ve = vent.
  const treat = t.vent + 2 * (t.vaso + 2 * t.abx);
  const next: number[] = [];
  const prob: number[] = [];
  for (let hr = 0; hr < 3; hr++) {
    const pHr = d.hr[hr]!;
    if (pHr === 0) continue;
    for (let bp = 0; bp < 3; bp++) {
      const pBp = pHr * d.bp[bp]!;
      if (pBp === 0) continue;
      for (let o2 = 0; o2 < 2; o2++) {
        const pO2 = pBp * d.o2[o2]!;
        if (pO2 === 0) continue;
        for (let g = 0; g < 5; g++) {
          const p = pO2 * d.g[g]!;
          if (p === 0) continue;
          next.push(x.diabetic * 720 + treat + 8 * (g + 5 * (o2 + 2 * (bp + 3 * hr))));
          prob.push(p);
        }
      }
    }
  }
  return { next, prob };
}
