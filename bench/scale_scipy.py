"""scipy side of `npm run bench -- scale`: a line-oriented server so the TypeScript driver can interleave
its own repetitions with these (noise on a shared machine then hits both alike).

Commands (one per line on stdin, one JSON line back on stdout):
  load DIR                      read the CSR arrays the driver dumped (rowPtr/next: int32, prob/reward: f64)
  vi GAMMA SWEEPS               Jacobi value iteration from V = 0, exactly SWEEPS sweeps
  eval GAMMA ATOL [cyclic]      the uniform random policy (or, with "cyclic", the deterministic policy taking
                                action s mod A in state s): P_pi by a sparse product, then gmres on the
                                non-terminal states with ||b - A x||_2 <= ATOL
  quit
"""
import json
import resource
import sys
import time

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

model = {}


def load(folder):
    meta = json.load(open(f"{folder}/meta.json"))
    S, A = meta["nS"], meta["nA"]
    ptr = np.fromfile(f"{folder}/rowPtr.i32", dtype=np.int32)
    nxt = np.fromfile(f"{folder}/next.i32", dtype=np.int32)
    prob = np.fromfile(f"{folder}/prob.f64", dtype=np.float64)
    model.clear()
    model.update(meta)
    model["P"] = sp.csr_matrix((prob, nxt, ptr), shape=(S * A, S))
    model["R"] = np.fromfile(f"{folder}/reward.f64", dtype=np.float64)
    model["live"] = np.array([s not in set(meta["terminal"]) for s in range(S)])
    return {"nnz": int(model["P"].nnz)}


def vi(gamma, sweeps):
    P, R, S, A, live = model["P"], model["R"], model["nS"], model["nA"], model["live"]
    v = np.zeros(S)
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(sweeps):
        q = R + gamma * (P @ v)
        new = q.reshape(S, A).max(axis=1)
        new[~live] = 0.0
        change = np.abs(new - v).max()
        v = new
    ms = (time.perf_counter() - t0) * 1e3
    cpu = (time.process_time() - c0) * 1e3
    return {"ms": ms, "cpuMs": cpu, "residual": float(change), "v0": float(v[0])}


def evaluate(gamma, atol, policy):
    P, R, S, A, live = model["P"], model["R"], model["nS"], model["nA"], model["live"]
    t0 = time.perf_counter()
    c0 = time.process_time()
    if policy == "cyclic":  # action s mod A in state s
        pi = sp.csr_matrix((np.ones(S), np.arange(S) * A + np.arange(S) % A, np.arange(S + 1)), shape=(S, S * A))
    else:
        pi = sp.csr_matrix((np.full(S * A, 1.0 / A), np.arange(S * A), np.arange(0, S * A + 1, A)), shape=(S, S * A))
    p_pi = (pi @ P).tocsr()
    r_pi = pi @ R
    idx = np.flatnonzero(live)
    sub = p_pi[idx][:, idx]
    a = sp.identity(idx.size, format="csr") - gamma * sub
    b = r_pi[idx]
    x, info = spla.gmres(a, b, rtol=0.0, atol=atol, maxiter=10000)
    ms = (time.perf_counter() - t0) * 1e3
    cpu = (time.process_time() - c0) * 1e3
    v = np.zeros(S)
    v[idx] = x
    d0 = np.zeros(S)
    d0[idx] = 1.0 / idx.size
    residual = float(np.linalg.norm(b - a @ x))
    return {"ms": ms, "cpuMs": cpu, "info": int(info), "residual": residual, "value": float(d0 @ v)}


def main():
    for line in sys.stdin:
        cmd, *args = line.split()
        if cmd == "quit":
            break
        if cmd == "load":
            out = load(args[0])
        elif cmd == "vi":
            out = vi(float(args[0]), int(args[1]))
        elif cmd == "eval":
            out = evaluate(float(args[0]), float(args[1]), args[2] if len(args) > 2 else "uniform")
        else:
            out = {"error": f"unknown command {cmd}"}
        out["maxRssKb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
