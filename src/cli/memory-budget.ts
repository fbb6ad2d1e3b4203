/** How much memory a learning run needs, checked before it starts so a huge --episodes fails at once. */
import { constants } from "node:buffer";
import { totalmem } from "node:os";
import { UsageError } from "../core/errors.js";

/** Per episode and run: its return (Float64), its length (Int32) and the convergence prefix sum (Float64). */
export const BYTES_PER_EPISODE = 8 + 4 + 8;
/** Per checkpoint and run: the curve point object, its copy with moving averages, and its JSON text. */
export const BYTES_PER_CHECKPOINT = 512;
/** Share of the machine's memory a run may plan to use: the rest is left to the OS and other programs. */
const MEMORY_SHARE = 0.25;

const gb = (bytes: number): string => `${(bytes / 2 ** 30).toPrecision(3)} GB`;

/**
 * Throw a UsageError when `parallel` runs of `episodes` episodes, evaluated every `evalEvery`, would need
 * more than a quarter of this machine's memory, or a per-episode array longer than a typed array may be.
 */
export function checkRunMemory(episodes: number, evalEvery: number, parallel: number): void {
  const checkpoints = Math.ceil(episodes / evalEvery) * BYTES_PER_CHECKPOINT;
  const perRun = episodes * BYTES_PER_EPISODE + checkpoints;
  const need = perRun * Math.max(1, parallel);
  const budget = totalmem() * MEMORY_SHARE;
  const runs = parallel > 1 ? ` x ${parallel} runs in parallel` : "";
  if (episodes * 8 > constants.MAX_LENGTH || need > budget) {
    const most = Math.floor(
      Math.min(constants.MAX_LENGTH / 8, budget / Math.max(1, parallel) / BYTES_PER_EPISODE),
    );
    throw new UsageError(
      `--episodes ${episodes} needs about ${gb(need)} (${BYTES_PER_EPISODE} bytes per episode and ` +
        `${BYTES_PER_CHECKPOINT} per checkpoint${runs}), more than the ${gb(budget)} allowed ` +
        `(a quarter of this machine's memory); use at most about ${most.toExponential(1)} episodes` +
        `${parallel > 1 ? ", or fewer --workers" : ""}` +
        `${checkpoints > episodes * BYTES_PER_EPISODE ? ", or a larger --eval-every" : ""}`,
    );
  }
}
