import { UsageError } from "../core/errors.js";
import type { ActionSpace, Simulator } from "../sim/types.js";

/**
 * How a simulator's actions become MDP actions. A block's actions are summarised per channel:
 * - "sum": a drug given in amounts (fluid mL): summed over the block's hours, then binned;
 * - "max": a drug given as a running dose (vasopressor): the block's maximum dose, then binned;
 * - "flag": a one-off decision (SepsiSim's antibiotic start): 1 if it happened in the block;
 * - "index": a discrete action, kept as it is and held for the whole block.
 * Channels are listed most significant first: the MDP action is the mixed-radix number of their digits,
 * so [antibiotic flag, fluid, vaso] gives a = 25·abx + 5·fluid_bin + vaso_bin (ICU-Sepsis's 5·fluid + vaso).
 */
export type ChannelRole = "sum" | "max" | "flag" | "index";

export interface Channel {
  readonly name: string;
  readonly unit: string;
  readonly role: ChannelRole;
  /** Number of values the channel's digit takes: 5 for binned drugs, 2 for flags, n for a discrete action. */
  readonly radix: number;
}

export interface ActionAdapter {
  readonly channels: readonly Channel[];
  /** Box components that get dose jitter in the behaviour policy (never flags). */
  readonly jitter: readonly boolean[];
  /** Box component of a one-off start decision (the behaviour may delay it), or null. */
  readonly startFlag: number | null;
  /** Channel values of one hour: the observation before, the action taken, the observation after. */
  hourly(before: Float64Array, action: readonly number[], after: Float64Array): number[];
  /** The simulator action for hour h of a block whose channels ask for `targets` (bin medians, flags, index). */
  act(obs: Float64Array, targets: readonly number[], h: number, blockHours: number): number[];
}

export const nActionsOf = (a: ActionAdapter): number => a.channels.reduce((n, c) => n * c.radix, 1);

const clip = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi);

function discreteAdapter(space: Extract<ActionSpace, { kind: "discrete" }>): ActionAdapter {
  return {
    channels: [{ name: "action", unit: "index", role: "index", radix: space.n }],
    jitter: [],
    startFlag: null,
    hourly: (_b, action) => [action[0]!],
    act: (_obs, targets) => [targets[0]!],
  };
}

/** Index of the feature called `name`; the adapters below rely on the simulators' documented layouts. */
function feature(sim: Simulator, name: string): number {
  const i = sim.observation.findIndex((f) => f.name === name);
  if (i < 0) throw new UsageError(`${sim.id}: no observation feature "${name}"`);
  return i;
}

const FLUID: Channel = { name: "fluid", unit: "mL per block", role: "sum", radix: 5 };
const VASO: Channel = { name: "vasopressor", unit: "max mcg/kg/min in block", role: "max", radix: 5 };
const ABX: Channel = { name: "antibiotic_start", unit: "flag", role: "flag", radix: 2 };

/** SepsiSim Management: box (fluid mL, dose change, give-antibiotics flag). The dose itself is observed. */
function managementAdapter(sim: Simulator): ActionAdapter {
  const dose = feature(sim, "vaso_dose");
  const abx = feature(sim, "antibiotics");
  return {
    channels: [ABX, FLUID, VASO],
    jitter: [true, true, false],
    startFlag: 2,
    hourly: (b, a, after) => [b[abx]! < 0.5 && after[abx]! >= 0.5 ? 1 : 0, a[0]!, after[dose]!],
    act: (obs, [start, fluid, vaso], h, hours) => [
      clip(fluid! / hours, 0, 1000),
      clip(vaso! - obs[dose]!, -0.1, 0.1),
      start === 1 && h === 0 ? 1 : 0,
    ],
  };
}

function fluidAdapter(): ActionAdapter {
  return {
    channels: [FLUID],
    jitter: [true],
    startFlag: null,
    hourly: (_b, a) => [a[0]!],
    act: (_o, [fluid], _h, hours) => [clip(fluid! / hours, 0, 1000)],
  };
}

function vasoAdapter(sim: Simulator): ActionAdapter {
  const dose = feature(sim, "vaso_dose");
  return {
    channels: [VASO],
    jitter: [true],
    startFlag: null,
    hourly: (_b, _a, after) => [after[dose]!],
    act: (obs, [vaso]) => [clip(vaso! - obs[dose]!, -0.1, 0.1)],
  };
}

/** Any other box with non-negative components: each component summed per block and binned. */
function genericBoxAdapter(space: Extract<ActionSpace, { kind: "box" }>, id: string): ActionAdapter {
  if (space.low.some((lo) => lo < 0))
    throw new UsageError(`${id}: no action coding for box components that can be negative`);
  return {
    channels: space.names.map((name, i) => ({
      name,
      unit: `${space.units[i] ?? ""} per block`,
      role: "sum",
      radix: 5,
    })),
    jitter: space.names.map(() => true),
    startFlag: null,
    hourly: (_b, a) => [...a],
    act: (_o, targets, _h, hours) => targets.map((x, i) => clip(x / hours, space.low[i]!, space.high[i]!)),
  };
}

export function actionAdapter(sim: Simulator): ActionAdapter {
  if (sim.actions.kind === "discrete") return discreteAdapter(sim.actions);
  if (sim.id === "sepsisim/sepsis-management") return managementAdapter(sim);
  if (sim.id === "sepsisim/fluid-resuscitation") return fluidAdapter();
  if (sim.id === "sepsisim/vasopressor-titration") return vasoAdapter(sim);
  return genericBoxAdapter(sim.actions, sim.id);
}

/** Fold one hour's channel values into the block's running summary (first hour: `acc` is null). */
export function aggregate(
  channels: readonly Channel[],
  acc: number[] | null,
  hour: readonly number[],
): number[] {
  if (acc === null) return [...hour];
  return channels.map((c, i) => {
    const a = acc[i]!;
    const x = hour[i]!;
    return c.role === "sum" ? a + x : c.role === "index" ? a : Math.max(a, x);
  });
}

/** Mixed-radix action index from per-channel digits (most significant first). */
export function encodeDigits(channels: readonly Channel[], digits: readonly number[]): number {
  let a = 0;
  for (let i = 0; i < channels.length; i++) a = a * channels[i]!.radix + digits[i]!;
  return a;
}

export function decodeDigits(channels: readonly Channel[], a: number): number[] {
  const out = new Array<number>(channels.length).fill(0);
  for (let i = channels.length - 1; i >= 0; i--) {
    const r = channels[i]!.radix;
    out[i] = a % r;
    a = Math.floor(a / r);
  }
  return out;
}
