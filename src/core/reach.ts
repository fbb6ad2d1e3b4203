/**
 * A directed graph over nodes 0 .. n - 1 (n = start.length) as successor lists in CSR form: the edges of node u
 * go to `to[k]` for k in [start[u], end[u]), skipping those with `use[k]` = 0 when `use` is given. Policy
 * chains and MDP rows already hold their successors this way, so they are searched without a copy.
 */
export interface SuccessorLists {
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly to: Int32Array;
  readonly use?: Uint8Array;
}

/**
 * Backward reachability: `reaching(seedS)` marks every node from which some path of edges reaches a node with
 * `seedS` set (the seeds included). The predecessor lists are built once, so one graph answers several
 * questions (e.g. "can reach a terminal state", then "can reach a state that cannot").
 */
export function backwardReach(g: SuccessorLists): (seedS: Uint8Array) => Uint8Array {
  const n = g.start.length;
  const ptr = new Int32Array(n + 1);
  forEachEdge(g, (_, v) => {
    ptr[v + 1]!++;
  });
  for (let v = 0; v < n; v++) ptr[v + 1] = ptr[v + 1]! + ptr[v]!;
  const from = new Int32Array(ptr[n]!);
  const fill = ptr.slice(0, n);
  forEachEdge(g, (u, v) => {
    from[fill[v]!++] = u;
  });
  return (seedS) => {
    const mark = seedS.slice();
    // Each node enters the queue at most once, so a fixed typed array holds it.
    const queue = new Int32Array(n);
    let tail = 0;
    for (let v = 0; v < n; v++) if (mark[v] === 1) queue[tail++] = v;
    for (let head = 0; head < tail; head++) {
      const v = queue[head]!;
      for (let k = ptr[v]!; k < ptr[v + 1]!; k++) {
        const u = from[k]!;
        if (mark[u] === 0) {
          mark[u] = 1;
          queue[tail++] = u;
        }
      }
    }
    return mark;
  };
}

function forEachEdge(g: SuccessorLists, visit: (u: number, v: number) => void): void {
  const { start, end, to, use } = g;
  for (let u = 0; u < start.length; u++) {
    for (let k = start[u]!; k < end[u]!; k++) if (use === undefined || use[k] === 1) visit(u, to[k]!);
  }
}
