/**
 * A directed graph over nodes 0 .. nodes - 1, as edge lists in CSR form: list i belongs to node `owner[i]` and
 * holds the edges to `to[k]` for k in [start[i], end[i]); when `weight` is given, only edges of positive weight
 * count. A node may own several lists (an MDP state's allowed rows) or exactly one (a policy chain's row),
 * so both are searched on their own arrays, without a copy.
 */
export interface EdgeLists {
  readonly nodes: number;
  readonly owner: Int32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly to: Int32Array;
  readonly weight?: Float64Array;
}

/**
 * Backward reachability: `reaching(seedS)` marks every node from which some path of edges reaches a node with
 * `seedS` set (the seeds included). The predecessor lists are built once, so one graph answers several
 * questions (e.g. "can reach a terminal state", then "can reach a state that cannot").
 */
export function backwardReach(g: EdgeLists): (seedS: Uint8Array) => Uint8Array {
  const n = g.nodes;
  const { owner, start, end, to, weight } = g;
  const ptr = new Int32Array(n + 1);
  for (let i = 0; i < owner.length; i++) {
    for (let k = start[i]!; k < end[i]!; k++) if (weight === undefined || weight[k]! > 0) ptr[to[k]! + 1]!++;
  }
  for (let v = 0; v < n; v++) ptr[v + 1] = ptr[v + 1]! + ptr[v]!;
  const from = new Int32Array(ptr[n]!);
  const fill = ptr.slice(0, n);
  for (let i = 0; i < owner.length; i++) {
    const u = owner[i]!;
    for (let k = start[i]!; k < end[i]!; k++)
      if (weight === undefined || weight[k]! > 0) from[fill[to[k]!]!++] = u;
  }
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
