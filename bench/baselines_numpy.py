"""numpy/scipy counterpart of `tabmdp baselines DIR --json`, for `npm run bench -- cli` and the parity test.

What a careful researcher would write with the scientific Python stack: the fastest table reader at hand
(np.loadtxt, a C parser since numpy 1.23; before that pandas' C reader when installed, else np.genfromtxt,
both several times slower on the transition table); transitions as one sparse
(S*A) x S matrix; exact figures by sparse LU solves over the non-terminal states; the optimal policy by value
iteration over the admissible actions, then evaluated exactly like the others.

Usage: python3 bench/baselines_numpy.py DIR [--tolerance T]  ->  JSON on stdout:
  {"gamma", "policies": {"random"|"expert"|"optimal": {"return", "length", "terminalProbabilities"}},
   "optimal": {"iterations", "residual", "tiedStates"}}
Scope: the ICU-Sepsis layout with gamma from metadata.json (else 1), a 1 x S next-state reward and
episodes that end with probability 1 under each policy (which ICU-Sepsis satisfies); no input checking.
"""
import gzip
import json
import os
import sys

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

try:
    import pandas as pd
except ImportError:
    pd = None

TIE = 1e-9  # Q values this close to the best count as tied (reported, not broken by episode length)


def path_of(folder, stem, ext="csv"):
    for p in (f"{folder}/{stem}.{ext}", f"{folder}/{stem}.{ext}.gz"):
        if os.path.exists(p):
            return p
    return None


FAST_LOADTXT = tuple(int(x) for x in np.__version__.split(".")[:2]) >= (1, 23)


def read_table(path):
    if FAST_LOADTXT:
        return np.atleast_2d(np.loadtxt(path, delimiter=",", dtype=np.float64))
    if pd is not None:
        return pd.read_csv(path, header=None, dtype=np.float64).to_numpy()
    return np.atleast_2d(np.genfromtxt(path, delimiter=",", dtype=np.float64))


def read_text(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return f.read()


def load(folder):
    d0 = read_table(path_of(folder, "initialStateDistribution")).ravel()
    S = d0.size
    dense = read_table(path_of(folder, "transitionFunction"))
    A = dense.shape[0] // S
    P = sp.csr_matrix(dense)
    rS = read_table(path_of(folder, "rewardFunction")).ravel()
    expert_path = path_of(folder, "expertPolicy")
    expert = read_table(expert_path) if expert_path else None
    meta_path = f"{folder}/metadata.json"
    meta = json.load(open(meta_path)) if os.path.exists(meta_path) else {}
    admissible = np.ones((S, A), dtype=bool)
    adm_path = path_of(folder, "admissibleActions", "txt")
    if adm_path:
        lines = read_text(adm_path).splitlines()
        admissible[:] = False
        for s in range(S):
            for a in lines[s + 1].split():
                admissible[s, int(a)] = True
    terminal = terminal_states(P, S, A, meta)
    gamma = meta.get("gamma", meta.get("discount", 1.0))
    return dict(S=S, A=A, P=P, r=P @ rS, d0=d0, expert=expert, admissible=admissible,
                terminal=terminal, gamma=float(gamma))


def terminal_states(P, S, A, meta):
    """Named in metadata, else absorbing states plus states that every action sends into them."""
    if "terminal_states" in meta:
        t = np.zeros(S, dtype=bool)
        t[meta["terminal_states"]] = True
        return t
    rows = np.arange(S * A)
    self_mass = np.asarray(P[rows, np.repeat(np.arange(S), A)]).ravel().reshape(S, A)
    absorbing = np.all(np.abs(self_mass - 1) <= 1e-12, axis=1)
    into = (P @ absorbing.astype(np.float64)).reshape(S, A)
    return absorbing | np.all(np.abs(into - 1) <= 1e-12, axis=1)


def evaluate(m, pi):
    """Exact return, length and terminal-entry probabilities of the S x A policy table `pi` from d0."""
    S, A, P, live = m["S"], m["A"], m["P"], ~m["terminal"]
    # P_pi = Pi P with Pi the S x (S*A) block matrix of the policy's probabilities.
    Pi = sp.csr_matrix((pi.ravel(), np.arange(S * A), np.arange(0, S * A + 1, A)), shape=(S, S * A))
    P_pi = (Pi @ P).tocsc()
    r_pi = Pi @ m["r"]
    idx = np.flatnonzero(live)
    lu = spla.splu((sp.identity(idx.size, format="csc") - m["gamma"] * P_pi[idx][:, idx]).tocsc())
    d0 = m["d0"][idx]
    value = lu.solve(r_pi[idx])
    steps = spla.splu((sp.identity(idx.size, format="csc") - P_pi[idx][:, idx]).tocsc())
    length = steps.solve(np.ones(idx.size))
    ends = []
    into = P_pi[idx].toarray()
    for t in np.flatnonzero(m["terminal"]):
        if into[:, t].any():
            x = steps.solve(into[:, t])
            ends.append({"state": int(t), "probability": float(m["d0"][t] + d0 @ x)})
    return {"return": float(d0 @ value), "length": float(d0 @ length), "terminalProbabilities": ends}


def value_iteration(m, tolerance, max_iter=100_000):
    S, A, P, r, g = m["S"], m["A"], m["P"], m["r"], m["gamma"]
    live, adm = ~m["terminal"], m["admissible"]
    v = np.zeros(S)
    for it in range(1, max_iter + 1):
        q = np.where(adm, (r + g * (P @ v)).reshape(S, A), -np.inf)
        new = np.where(live, q.max(axis=1), 0.0)
        residual = np.abs(new - v).max()
        v = new
        if residual < tolerance:
            break
    q = np.where(adm, (r + g * (P @ v)).reshape(S, A), -np.inf)
    best = q.max(axis=1, keepdims=True)
    ties = int(((q >= best - TIE).sum(axis=1) > 1)[live].sum())
    return q.argmax(axis=1), it, float(residual), ties


def main(argv):
    folder = argv[1]
    tolerance = float(argv[argv.index("--tolerance") + 1]) if "--tolerance" in argv else 1e-10
    m = load(folder)
    S, A = m["S"], m["A"]
    policies = {"random": evaluate(m, np.full((S, A), 1.0 / A))}
    if m["expert"] is not None:
        policies["expert"] = evaluate(m, m["expert"])
    action, iterations, residual, ties = value_iteration(m, tolerance)
    greedy = np.zeros((S, A))
    greedy[np.arange(S), action] = 1.0
    policies["optimal"] = evaluate(m, greedy)
    out = {"gamma": m["gamma"], "policies": policies,
           "optimal": {"iterations": iterations, "residual": residual, "tiedStates": ties}}
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
