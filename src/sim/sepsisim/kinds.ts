import type { ActionSpace, FeatureSpec } from "../types.js";
import { DT_HOURS, type Tier } from "./constants.js";
import { ID } from "./inflammation.js";
import type { PatientState, SepsisimOptions } from "./state.js";

type BoxSpace = Extract<ActionSpace, { kind: "box" }>;

/** Everything that distinguishes the three SepsiSim environments; the shared step lives in env.ts. */
export interface EnvKind {
  readonly id: string;
  readonly description: string;
  /** Nominal initial bacterial load per tier. */
  readonly loads: Readonly<Record<Tier, number>>;
  readonly observation: readonly FeatureSpec[];
  readonly actions: BoxSpace;
  readonly initialVolume: number;
  readonly initialDose: number;
  initialAlpha(o: SepsisimOptions): number;
  /** Apply an already clipped action to dose / antibiotics; returns the fluid (mL) given this step. */
  applyAction(st: PatientState, action: Float64Array): number;
  /** Reward before the step counter moves (k = steps already taken) and before the death penalty. */
  reward(st: PatientState, k: number): number;
  /** Added after the death penalty (Management's stabilisation bonus); 0 elsewhere. */
  bonus(st: PatientState): number;
  /** Write the observation (float64 values; env.ts rounds them to float32 like the original). */
  observe(st: PatientState, out: Float64Array): void;
}

const f = (name: string, unit: string, low: number, high: number, extra: Partial<FeatureSpec> = {}) =>
  ({ name, unit, low, high, ...extra }) as FeatureSpec;

const MAP = f("map", "mmHg", 20, 150);
const LACT = f("lactate", "mmol/L", 0.1, 30, { logScale: true });
const UO = f("urine_output", "mL/kg/h", 0, 2);
const DAMAGE = f("tissue_damage", "fraction", 0, 1);
const VOLUME = f("volume_excess", "L", -1, 10);
const BACT = f("bacteria", "normalized", 0, 1);
const SOFA = f("sofa", "points", 0, 12);
const DOSE = f("vaso_dose", "mcg/kg/min", 0, 2);

/** Shared reward terms for lactate level and damage. */
function lactateTerm(l: number): number {
  return (l < 2 ? 1 : 0) + (l > 4 ? -0.5 * (l - 4) : 0);
}

export const fluidResuscitation: EnvKind = {
  id: "sepsisim/fluid-resuscitation",
  description: "SepsiSim FluidResuscitation: hourly fluid boluses, antibiotics running, no vasopressor",
  loads: { easy: 0.2, medium: 0.4, hard: 0.6 },
  observation: [MAP, LACT, UO, DAMAGE, VOLUME, BACT, SOFA],
  actions: { kind: "box", names: ["fluid_bolus"], units: ["mL"], low: [0], high: [1000] },
  initialVolume: 0,
  initialDose: 0,
  initialAlpha: (o) => (o.antibioticGiven === false ? 0 : 0.5),
  applyAction: (_st, a) => a[0]!,
  reward(st) {
    const m = st.map;
    let r = m >= 65 && m <= 90 ? 2 : m < 50 ? -3 : m < 65 ? -(65 - m) / 15 : 0;
    r += lactateTerm(st.lactate);
    if (st.urine >= 0.5) r += 0.5;
    if (st.volume > 4) r -= st.volume - 4;
    return r - 0.1 * st.y[ID]!;
  },
  bonus: () => 0,
  observe(st, o) {
    o[0] = st.map;
    o[1] = st.lactate;
    o[2] = st.urine;
    o[3] = st.y[ID]!;
    o[4] = st.volume;
    o[5] = st.y[0]!;
    o[6] = st.sofa;
  },
};

/** Background fluid of the vasopressor task (mL per step). */
export const VASO_FLUID_PROTOCOL_ML = 250;

export const vasopressorTitration: EnvKind = {
  id: "sepsisim/vasopressor-titration",
  description:
    "SepsiSim VasopressorTitration: hourly dose changes, weak antibiotics (every episode dies by hour 9)",
  loads: { easy: 0.25, medium: 0.45, hard: 0.65 },
  observation: [MAP, LACT, UO, DAMAGE, DOSE, BACT, SOFA, f("hours_on_vaso", "h", 0, 72)],
  actions: { kind: "box", names: ["vaso_dose_change"], units: ["mcg/kg/min"], low: [-0.1], high: [0.1] },
  initialVolume: 1.0,
  initialDose: 0.05,
  initialAlpha: (o) => (o.antibioticGiven === false ? 0 : 0.15),
  applyAction(st, a) {
    st.dose = Math.min(Math.max(st.dose + a[0]!, 0), 2);
    if (st.dose > 0) st.hoursOnVaso += DT_HOURS;
    return VASO_FLUID_PROTOCOL_ML;
  },
  reward(st) {
    const m = st.map;
    let r =
      m >= 65 && m <= 85
        ? 2
        : m < 55
          ? -3
          : m < 65
            ? (-1.5 * (65 - m)) / 10
            : m > 100
              ? (-0.5 * (m - 100)) / 20
              : 0;
    r += lactateTerm(st.lactate);
    if (st.dose > 0.5) r -= 0.5 * (st.dose - 0.5);
    if (st.urine >= 0.5) r += 0.5;
    return r - 0.1 * st.y[ID]!;
  },
  bonus: () => 0,
  observe(st, o) {
    o[0] = st.map;
    o[1] = st.lactate;
    o[2] = st.urine;
    o[3] = st.y[ID]!;
    o[4] = st.dose;
    o[5] = st.y[0]!;
    o[6] = st.sofa;
    o[7] = st.hoursOnVaso;
  },
};

/** Antibiotics once given stay on; this is their kill rate (1/h). */
const MGMT_ALPHA = 0.5;

export const sepsisManagement: EnvKind = {
  id: "sepsisim/sepsis-management",
  description:
    "SepsiSim SepsisManagement: fluids, vasopressor dose changes and the (irreversible) antibiotic start",
  loads: { easy: 0.25, medium: 0.45, hard: 0.65 },
  observation: [
    MAP,
    LACT,
    UO,
    DAMAGE,
    VOLUME,
    DOSE,
    BACT,
    SOFA,
    f("hours", "h", 0, 72),
    f("antibiotics", "flag", 0, 1, { binary: true }),
  ],
  actions: {
    kind: "box",
    names: ["fluid_bolus", "vaso_dose_change", "give_antibiotics"],
    units: ["mL", "mcg/kg/min", "flag (> 0.5 = give)"],
    low: [0, -0.1, 0],
    high: [1000, 0.1, 1],
  },
  initialVolume: 0,
  initialDose: 0,
  initialAlpha: () => 0,
  applyAction(st, a) {
    st.dose = Math.min(Math.max(st.dose + a[1]!, 0), 2);
    // Effective in this very step: alpha is set before the integration.
    if (a[2]! > 0.5 && !st.antibiotics) {
      st.antibiotics = true;
      st.alpha = MGMT_ALPHA;
    }
    return a[0]!;
  },
  reward(st, k) {
    const m = st.map;
    let r = m >= 65 && m <= 90 ? 1.5 : m < 55 ? -3 : m < 65 ? -(65 - m) / 10 : 0;
    r += lactateTerm(st.lactate);
    r += 0.5 * Math.min(Math.max(st.prevLactate - st.lactate, -2), 2);
    r += 0.3 * (st.prevSofa - st.sofa);
    if (st.volume > 4) r -= 0.5 * (st.volume - 4);
    if (st.dose > 0.5) r -= 0.3 * (st.dose - 0.5);
    if (st.urine >= 0.5) r += 0.5;
    if (!st.antibiotics && k >= 3) r -= 1;
    return r - 0.1 * st.y[ID]!;
  },
  // Granted on every step where it holds, not once (as in the original).
  bonus: (st) => (st.map >= 65 && st.lactate < 2 && st.sofa <= 3 && st.steps >= 6 ? 10 : 0),
  observe(st, o) {
    o[0] = st.map;
    o[1] = st.lactate;
    o[2] = st.urine;
    o[3] = st.y[ID]!;
    o[4] = st.volume;
    o[5] = st.dose;
    o[6] = st.y[0]!;
    o[7] = st.sofa;
    o[8] = st.steps;
    o[9] = st.antibiotics ? 1 : 0;
  },
};

export const SEPSISIM_KINDS: readonly EnvKind[] = [
  fluidResuscitation,
  vasopressorTitration,
  sepsisManagement,
];
