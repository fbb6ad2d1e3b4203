import { CARDIO, LACTATE } from "./constants.js";

/** Noise-free MAP (mmHg) before clipping: damage lowers it, volume excess and vasopressor raise it (saturating). */
export function mapMean(damage: number, volume: number, dose: number): number {
  const fluid = (CARDIO.fluidGain * volume) / (1 + 0.3 * Math.max(0, volume));
  const vaso = (CARDIO.vasoGain * dose) / (1 + 0.05 * dose);
  return CARDIO.map0 - 0.3 * CARDIO.map0 * damage + fluid + vaso;
}

export const clipMap = (map: number): number => Math.min(Math.max(map, 20), 150);

/** Bolus added, then a proportional (explicit, not exponential) loss over dt; clipped to [-1, 10] L. */
export function volumeStep(volume: number, fluidMl: number, dt: number): number {
  const v = (volume + fluidMl / 1000) * (1 - CARDIO.redistribution * dt);
  return Math.min(Math.max(v, -1), 10);
}

/** Noise-free urine output (mL/kg/h) as a piecewise-linear function of MAP; at most 0.5. */
export function urineMean(map: number): number {
  if (map < 50) return 0;
  if (map < 65) return (0.3 * (map - 50)) / 15;
  return 0.3 + 0.2 * Math.min(1, (map - 65) / 30);
}

export const clipUrine = (uo: number): number => Math.min(Math.max(uo, 0), 2);

/** One explicit-Euler lactate step: hypoperfusion and damage produce, perfusion-dependent clearance removes. */
export function lactateStep(lactate: number, map: number, damage: number, dt: number): number {
  const L = LACTATE;
  const hypo = Math.max(0, 1 - map / L.mapThreshold);
  const perf = Math.min(1, map / L.mapThreshold);
  const hepatic = Math.max(0.3, 1 - 0.5 * damage);
  const next =
    lactate +
    dt *
      (L.maxProduction * hypo +
        L.damageGain * damage -
        L.clearance * perf * hepatic * (lactate - L.baseline));
  return Math.min(Math.max(next, 0.1), 30);
}

/** Initial lactate from the tier's nominal load (not the randomised B0), scaled by its random factor. */
export function lactateReset(nominalLoad: number, factor: number): number {
  return Math.min(Math.max((LACTATE.baseline + 3 * nominalLoad) * factor, 0.5), 15);
}

/** SepsiSim's simplified SOFA: cardiovascular + renal + "metabolic" (lactate), each 0-4, total 0-12. */
export function sofaScore(dose: number, map: number, urine: number, lactate: number): number {
  const cardio = dose > 0.3 ? 4 : dose > 0.1 ? 3 : dose > 0 ? 2 : map < 70 ? 1 : 0;
  const renal = urine < 0.1 ? 4 : urine < 0.2 ? 3 : urine < 0.3 ? 2 : urine < 0.5 ? 1 : 0;
  const metabolic = lactate > 10 ? 4 : lactate > 6 ? 3 : lactate > 4 ? 2 : lactate > 2 ? 1 : 0;
  return cardio + renal + metabolic;
}
