import { DEFAULT_BEHAVIOUR } from "./behaviour.js";

/** Recipe settings whose defaults depend on the simulator (recorded in metadata.json either way). */
export interface RecipeDefaults {
  readonly blockHours: number;
  readonly epsilon: number;
  readonly jitter: number;
  readonly abxDelay: number;
  readonly abxMiss: number;
}

const BASE: RecipeDefaults = { blockHours: 4, ...DEFAULT_BEHAVIOUR };

/**
 * Why these differ from BASE (see the main README, "Behaviour defaults"):
 * - SepsiSim Management: survival depends only on the antibiotic start hour (a cliff at hours 2-3), and
 *   the heuristic starts at hour 0, so without a delayed / missed start nobody dies.
 * - SepsisPilot severe MODS: the heuristic alternates antibiotics hourly; held for 4-hour blocks it always
 *   gives broad, which breeds resistance and kills every patient. Hourly steps keep the heuristic intact
 *   and epsilon sets the death rate.
 * - SepsisPilot septic shock: only persistent wrong regimens kill, so much more exploration. Mild sepsis
 *   keeps BASE: even a uniformly random behaviour rarely kills (its MDP stays at survival 1).
 */
const BY_SIMULATOR: Readonly<Record<string, Partial<RecipeDefaults>>> = {
  "sepsisim/sepsis-management": { abxDelay: 3, abxMiss: 0.1, jitter: 0.5 },
  "sepsispilot/severe-mods": { blockHours: 1, epsilon: 0.4 },
  "sepsispilot/septic-shock": { epsilon: 0.8 },
};

export function recipeDefaults(simulator: string): RecipeDefaults {
  return { ...BASE, ...BY_SIMULATOR[simulator] };
}
