import { UsageError } from "../core/errors.js";
import type { SimDefinition, SimOptions, SimPolicy, Simulator } from "./types.js";

/** Uniform over the discrete actions, or uniform in the box; draws from the policy's own stream. */
export function randomPolicy(sim: Simulator): SimPolicy {
  const space = sim.actions;
  if (space.kind === "discrete") return (_obs, _t, rng) => [rng.int(space.n)];
  return (_obs, _t, rng) => space.low.map((lo, i) => lo + ((space.high[i] ?? lo) - lo) * rng.next());
}

/** The same action every step, checked against the action space. */
export function constantPolicy(sim: Simulator, values: readonly number[]): SimPolicy {
  const space = sim.actions;
  const width = space.kind === "discrete" ? 1 : space.names.length;
  if (values.length !== width) {
    const what =
      space.kind === "discrete" ? "one action index" : `${width} values (${space.names.join(", ")})`;
    throw new UsageError(`constant policy for ${sim.id} needs ${what}, got ${values.length}`);
  }
  if (space.kind === "discrete") {
    const a = values[0]!;
    if (!Number.isInteger(a) || a < 0 || a >= space.n) {
      throw new UsageError(`constant action must be an integer in 0..${space.n - 1} for ${sim.id}, got ${a}`);
    }
  } else {
    values.forEach((v, i) => {
      const lo = space.low[i]!;
      const hi = space.high[i]!;
      if (v < lo || v > hi) {
        throw new UsageError(`constant ${space.names[i]} must lie in [${lo}, ${hi}] for ${sim.id}, got ${v}`);
      }
    });
  }
  const action = [...values];
  return () => [...action];
}

/**
 * Parse a policy spec: `heuristic` (or another heuristic the simulator names), `random`,
 * or `constant:V[,V...]` with one value per action component.
 */
export function parsePolicy(
  spec: string,
  def: SimDefinition,
  sim: Simulator,
  options: SimOptions,
): SimPolicy {
  if (spec === "random") return randomPolicy(sim);
  if (spec.startsWith("constant:")) {
    const parts = spec.slice("constant:".length).split(",");
    const values = parts.map((p) => {
      const v = Number(p.trim());
      if (p.trim() === "" || !Number.isFinite(v))
        throw new UsageError(`bad number "${p}" in policy "${spec}"`);
      return v;
    });
    return constantPolicy(sim, values);
  }
  const named = def.heuristics(options);
  // Own keys only, so names like "toString" are not mistaken for policies.
  const policy = Object.hasOwn(named, spec) ? named[spec] : undefined;
  if (policy !== undefined) return policy;
  const valid = ["random", "constant:V[,V...]", ...Object.keys(named)].join(", ");
  throw new UsageError(`unknown policy "${spec}" for ${def.id}; valid: ${valid}`);
}
