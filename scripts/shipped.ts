import type { BuildOptions } from "../src/builder/build.js";

/** tabmdp version written into the shipped MDPs' metadata: the package's own. */
export { VERSION as SHIPPED_VERSION } from "../src/core/version.js";

/** The shipped recipes; kept small so each MDP is a few MB at most. */
export const SHIPPED: readonly (BuildOptions & { readonly dir: string })[] = [
  ...(["easy", "medium", "hard"] as const).map((tier) => ({
    dir: `sepsisim-management-${tier}`,
    simulator: "sepsisim/sepsis-management",
    tier,
    patients: 5000,
    seed: 1,
    k: 150,
  })),
  ...["mild-sepsis", "septic-shock", "severe-mods"].map((task) => ({
    dir: `sepsispilot-${task}`,
    simulator: `sepsispilot/${task}`,
    patients: 3000,
    seed: 1,
    k: 100,
  })),
];
