import seedrandom from "seedrandom";

/**
 * The only source of randomness in tabmdp: always seeded explicitly, never global.
 * Alea is seedrandom's fastest generator with a full 2^32-resolution double (`double()` uses 53 bits).
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

export function seeded(seed: number | string): Rng {
  const g = seedrandom.alea(String(seed));
  const next = (): number => g();
  return { next, int: (n) => Math.floor(g() * n) };
}

/** An independent stream derived from a parent seed and a label (same inputs, same stream). */
export function derive(seed: number | string, label: string): Rng {
  return seeded(`${seed}/${label}`);
}

/** Standard normal draw (Box-Muller; one value per call keeps streams simple to reason about). */
export function normal(rng: Rng): number {
  let u = rng.next();
  while (u === 0) u = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}
