/**
 * Named points in the writers where a test may kill the process (TABMDP_KILL_AT=name or name:n, the n-th time
 * the point is reached), to check that a kill at each step of a folder swap leaves the old or the new folder.
 * Unset (always, outside tests), a point does nothing.
 */
const counts = new Map<string, number>();

export function killPoint(name: string): void {
  const want = process.env.TABMDP_KILL_AT;
  if (want === undefined || want === "") return;
  const [point, nth] = want.split(":");
  if (point !== name) return;
  const n = (counts.get(name) ?? 0) + 1;
  counts.set(name, n);
  if (n === Number(nth ?? "1")) process.kill(process.pid, "SIGKILL");
}
