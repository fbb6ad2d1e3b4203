import { InvalidArgumentError } from "@commander-js/extra-typings";

/** Option parsers: commander reports their errors as usage errors (exit 2). */
export function parseGamma(text: string): number {
  const g = Number(text);
  if (!(g > 0 && g <= 1)) throw new InvalidArgumentError(`expected a discount in (0, 1], got "${text}"`);
  return g;
}

export function parsePositive(text: string): number {
  const x = Number(text);
  if (!(x > 0 && Number.isFinite(x)))
    throw new InvalidArgumentError(`expected a positive number, got "${text}"`);
  return x;
}

export function parsePositiveInt(text: string): number {
  const x = Number(text);
  if (!(Number.isInteger(x) && x > 0))
    throw new InvalidArgumentError(`expected a positive integer, got "${text}"`);
  return x;
}

export function parseSeed(text: string): number {
  const x = Number(text);
  if (!(Number.isInteger(x) && x >= 0))
    throw new InvalidArgumentError(`expected a non-negative integer seed, got "${text}"`);
  return x;
}

export function parseNonNegativeInt(text: string): number {
  const x = Number(text);
  if (!(Number.isInteger(x) && x >= 0))
    throw new InvalidArgumentError(`expected a non-negative integer, got "${text}"`);
  return x;
}
