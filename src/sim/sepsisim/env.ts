import { UsageError } from "../../core/errors.js";
import { normal, type Rng, seeded } from "../../core/rng.js";
import type { ActionSpace, FeatureSpec, Outcome, SimStep, Simulator } from "../types.js";
import {
  CARDIO,
  DEATH_DAMAGE,
  DEATH_PENALTY,
  DT_HOURS,
  type InflammationParams,
  inflammationParams,
  MAX_STEPS,
  SUBSTEPS_PER_HOUR,
} from "./constants.js";
import { ID, inflammationReset, inflammationStep, WORK_SIZE } from "./inflammation.js";
import type { EnvKind } from "./kinds.js";
import {
  clipMap,
  clipUrine,
  lactateReset,
  lactateStep,
  mapMean,
  sofaScore,
  urineMean,
  volumeStep,
} from "./physiology.js";
import { newPatientState, type PatientState, type SepsisimOptions, tierOf } from "./state.js";

/**
 * One SepsiSim environment (which one is given by `kind`). Steps of one hour; the 72-step time limit is
 * built in (truncated = true on the 72nd step unless the patient died on it).
 * With `noise: false` every random draw is replaced by its mean (uniform factors 1, normal terms 0).
 */
export class SepsisimEnv implements Simulator {
  readonly id: string;
  readonly observation: readonly FeatureSpec[];
  readonly actions: ActionSpace;
  readonly maxSteps = MAX_STEPS;
  readonly params: InflammationParams;
  readonly nominalLoad: number;
  private readonly noise: boolean;
  private readonly initialAlpha: number;
  private readonly st: PatientState = newPatientState();
  private readonly work = new Float64Array(WORK_SIZE);
  private readonly act: Float64Array;
  private rng: Rng | null = null;
  private done = true;

  constructor(
    private readonly kind: EnvKind,
    options: SepsisimOptions = {},
  ) {
    this.id = kind.id;
    this.observation = kind.observation;
    this.actions = kind.actions;
    this.params = inflammationParams(options.params);
    this.nominalLoad = kind.loads[tierOf(options)];
    this.noise = options.noise !== false;
    this.initialAlpha = kind.initialAlpha(options);
    this.act = new Float64Array(kind.actions.low.length);
  }

  /** A copy of the full hidden state, for tests and diagnostics. */
  state(): Readonly<PatientState> {
    return { ...this.st, y: this.st.y.slice() };
  }

  reset(seed: number | string): Float64Array {
    const st = this.st;
    this.rng = this.noise ? seeded(seed) : null;
    inflammationReset(st.y, this.params, this.nominalLoad * this.uniformFactor());
    st.volume = this.kind.initialVolume;
    st.dose = this.kind.initialDose;
    st.alpha = this.initialAlpha;
    st.antibiotics = false;
    st.steps = 0;
    st.hoursOnVaso = 0;
    st.totalFluidMl = 0;
    st.map = clipMap(mapMean(st.y[ID]!, st.volume, st.dose) + this.gauss(CARDIO.mapNoiseSd));
    st.lactate = lactateReset(this.nominalLoad, this.uniformFactor());
    st.urine = clipUrine(urineMean(st.map) + this.gauss(CARDIO.urineNoiseSd));
    st.sofa = sofaScore(st.dose, st.map, st.urine, st.lactate);
    st.prevSofa = st.sofa;
    st.prevLactate = st.lactate;
    this.done = false;
    return this.observe();
  }

  step(action: readonly number[]): SimStep {
    if (this.done) throw new UsageError(`${this.id}: no episode in progress; call reset() first`);
    const box = this.kind.actions;
    if (action.length !== box.low.length) {
      throw new UsageError(`${this.id}: action has length ${action.length}, expected ${box.low.length}`);
    }
    for (let i = 0; i < action.length; i++) {
      const v = action[i]!;
      if (!Number.isFinite(v)) throw new UsageError(`${this.id}: action[${i}] = ${v} is not a finite number`);
      this.act[i] = Math.min(Math.max(v, box.low[i]!), box.high[i]!);
    }
    const st = this.st;
    const fluidMl = this.kind.applyAction(st, this.act);
    inflammationStep(st.y, this.params, st.alpha, DT_HOURS, SUBSTEPS_PER_HOUR, this.work);
    const damage = st.y[ID]!;
    st.volume = volumeStep(st.volume, fluidMl, DT_HOURS);
    st.totalFluidMl += fluidMl;
    st.map = clipMap(mapMean(damage, st.volume, st.dose) + this.gauss(CARDIO.mapNoiseSd));
    st.lactate = lactateStep(st.lactate, st.map, damage, DT_HOURS);
    st.urine = clipUrine(urineMean(st.map) + this.gauss(CARDIO.urineNoiseSd));
    st.sofa = sofaScore(st.dose, st.map, st.urine, st.lactate);
    let reward = this.kind.reward(st, st.steps);
    st.steps += 1;
    const terminated = damage >= DEATH_DAMAGE;
    if (terminated) reward -= DEATH_PENALTY;
    reward += this.kind.bonus(st);
    st.prevSofa = st.sofa;
    st.prevLactate = st.lactate;
    const truncated = !terminated && st.steps >= MAX_STEPS;
    this.done = terminated || truncated;
    const outcome: Outcome = terminated ? "dead" : "alive";
    return { obs: this.observe(), reward, terminated, truncated, outcome };
  }

  /** Observations are float32 in the original; rounding here keeps policies' thresholds identical. */
  private observe(): Float64Array {
    const out = new Float64Array(this.observation.length);
    this.kind.observe(this.st, out);
    for (let i = 0; i < out.length; i++) out[i] = Math.fround(out[i]!);
    return out;
  }

  private uniformFactor(): number {
    return this.rng ? 0.8 + 0.4 * this.rng.next() : 1;
  }

  private gauss(sd: number): number {
    return this.rng ? sd * normal(this.rng) : 0;
  }
}
