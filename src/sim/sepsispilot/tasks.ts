import type { FeatureSpec } from "../types.js";

export type Infection = "gram_negative" | "gram_positive" | "mixed_resistant";
export type TaskName = "mild_sepsis" | "septic_shock" | "severe_mods";

/** The seven physiological quantities; internal values are unrounded floats. */
export interface Vitals {
  readonly map: number;
  readonly lactate: number;
  readonly wbc: number;
  readonly temp: number;
  readonly hr: number;
  readonly creat: number;
  readonly resistance: number;
}

export interface TaskProfile {
  readonly name: TaskName;
  readonly difficulty: "easy" | "medium" | "hard";
  readonly infection: Infection;
  readonly maxSteps: number;
  readonly noiseScale: number;
  /** Progression rate d: how fast the untreated patient worsens. */
  readonly decay: number;
  readonly resistanceMode: boolean;
  readonly initial: Vitals;
}

export const TASKS: Readonly<Record<TaskName, TaskProfile>> = {
  mild_sepsis: {
    name: "mild_sepsis",
    difficulty: "easy",
    infection: "gram_negative",
    maxSteps: 24,
    noiseScale: 0.3,
    decay: 0.6,
    resistanceMode: false,
    initial: { map: 65, lactate: 2.5, wbc: 14, temp: 38.2, hr: 95, creat: 0.9, resistance: 0 },
  },
  septic_shock: {
    name: "septic_shock",
    difficulty: "medium",
    infection: "gram_positive",
    maxSteps: 48,
    noiseScale: 0.5,
    decay: 1.2,
    resistanceMode: false,
    initial: { map: 52, lactate: 4.2, wbc: 18, temp: 38.9, hr: 115, creat: 1.4, resistance: 0 },
  },
  severe_mods: {
    name: "severe_mods",
    difficulty: "hard",
    infection: "mixed_resistant",
    maxSteps: 72,
    noiseScale: 0.8,
    decay: 2.0,
    resistanceMode: true,
    initial: { map: 42, lactate: 7.0, wbc: 22, temp: 39.6, hr: 128, creat: 2.2, resistance: 0.1 },
  },
};

export type Antibiotic = "broad" | "narrow" | null;
export type Vasopressor = "low" | "high" | null;

export interface Treatment {
  readonly ab: Antibiotic;
  readonly vaso: Vasopressor;
}

/** Action index -> treatment; index 0 is no treatment. */
export const ACTIONS: readonly Treatment[] = [
  { ab: null, vaso: null },
  { ab: "broad", vaso: null },
  { ab: "narrow", vaso: null },
  { ab: null, vaso: "low" },
  { ab: null, vaso: "high" },
  { ab: "broad", vaso: "low" },
  { ab: "broad", vaso: "high" },
  { ab: "narrow", vaso: "low" },
  { ab: "narrow", vaso: "high" },
];

export const ACTION_NAMES: readonly string[] = [
  "none",
  "broad-ab",
  "narrow-ab",
  "low-vaso",
  "high-vaso",
  "broad-ab+low-vaso",
  "broad-ab+high-vaso",
  "narrow-ab+low-vaso",
  "narrow-ab+high-vaso",
];

/** Clamp ranges of step 6; also the declared observation bounds. */
export const CLAMPS: Readonly<Record<keyof Vitals, readonly [number, number]>> = {
  map: [20, 160],
  lactate: [0.1, 20],
  wbc: [0.5, 40],
  temp: [33, 42],
  hr: [20, 170],
  creat: [0.3, 12],
  resistance: [0, 1],
};

/** Observation order: MAP, lactate, WBC, temp, HR, creatinine, SOFA, resistance, step fraction. */
export const OBSERVATION: readonly FeatureSpec[] = [
  { name: "map", unit: "mmHg", low: 20, high: 160 },
  { name: "lactate", unit: "mmol/L", low: 0.1, high: 20, logScale: true },
  { name: "wbc", unit: "10^9/L", low: 0.5, high: 40 },
  { name: "temp", unit: "degC", low: 33, high: 42 },
  { name: "hr", unit: "bpm", low: 20, high: 170 },
  { name: "creatinine", unit: "mg/dL", low: 0.3, high: 12, logScale: true },
  { name: "sofa", unit: "points", low: 0, high: 24 },
  { name: "resistance", unit: "fraction", low: 0, high: 1 },
  { name: "step_fraction", unit: "fraction", low: 0, high: 1 },
];
