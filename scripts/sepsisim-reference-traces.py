#!/usr/bin/env python3
"""Record noise-free heuristic traces of the original sepsisim package, one JSON file per tier.

Usage: python3 scripts/sepsisim-reference-traces.py --package DIR [--out DIR] [--seed N]

DIR is an extracted copy of the original package's repository (or its src/ folder). For each tier
(easy, medium, hard) and each environment (Fluid, Vaso, Mgmt) the package's own HeuristicAgent plays
one episode with every random draw replaced by its mean (normal -> its location, uniform -> its
midpoint), which is what tabmdp's `--noise off` does. Episodes end at termination or at the time limit
the package registers for its environments. The output has the shape of the shared golden traces:
{"<Env>-<tier>-heuristic": [{"t": 0, "obs": [...]}, {"t", "action", "obs", "reward", "terminated"}, ...]}.

gymnasium is used when installed; otherwise a minimal stand-in supplies the few names the package
touches (Env, spaces.Box, envs.registration.register), since none of them affects the dynamics.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import types
from pathlib import Path
from typing import NoReturn

import numpy as np

TIERS = ("easy", "medium", "hard")
# Golden-trace name, gymnasium id and module of each environment, in tabmdp's order.
ENVS = (
    ("Fluid", "sepsisim/FluidResuscitation-v0", "sepsisim.envs.fluid_resuscitation", "FluidResuscitationEnv"),
    ("Vaso", "sepsisim/VasopressorTitration-v0", "sepsisim.envs.vasopressor_titration", "VasopressorTitrationEnv"),
    ("Mgmt", "sepsisim/SepsisManagement-v0", "sepsisim.envs.sepsis_management", "SepsisManagementEnv"),
)

# Time limits as the package registers them (filled by the stand-in's register, or read from gymnasium).
registered_limits: dict[str, int] = {}


def fail(message: str) -> NoReturn:
    print(f"sepsisim-reference-traces: {message}", file=sys.stderr)
    sys.exit(2)


class MeanDraws:
    """A generator whose every draw is the mean of its distribution, so a run is deterministic."""

    def normal(self, loc: float = 0.0, scale: float = 1.0, size: None = None) -> float:
        if size is not None:
            fail("the package drew an array of normals; only scalar draws are handled")
        return float(loc)

    def uniform(self, low: float = 0.0, high: float = 1.0, size: None = None) -> float:
        if size is not None:
            fail("the package drew an array of uniforms; only scalar draws are handled")
        return (float(low) + float(high)) / 2.0

    def __getattr__(self, name: str):
        # A draw this script does not know would silently keep its noise; stop instead.
        fail(f"the package used rng.{name}, whose mean is not defined here")


def install_gymnasium_stand_in() -> None:
    """Register minimal gymnasium modules: an Env base, a Box space, and a register that records limits."""

    class Env:
        def reset(self, *, seed: int | None = None, options: dict | None = None) -> None:
            return None

    class Box:
        def __init__(self, low, high, dtype=np.float32) -> None:
            self.low = np.asarray(low, dtype=dtype)
            self.high = np.asarray(high, dtype=dtype)
            self.shape = self.low.shape
            self.dtype = self.low.dtype

    def register(id: str, entry_point: str, max_episode_steps: int | None = None, **_: object) -> None:
        if max_episode_steps is not None:
            registered_limits[id] = max_episode_steps

    gym = types.ModuleType("gymnasium")
    spaces = types.ModuleType("gymnasium.spaces")
    envs = types.ModuleType("gymnasium.envs")
    registration = types.ModuleType("gymnasium.envs.registration")
    gym.Env = Env
    gym.ObservationWrapper = Env
    gym.ActionWrapper = Env
    spaces.Box = Box
    registration.register = register
    gym.spaces = spaces
    gym.envs = envs
    envs.registration = registration
    sys.modules.update(
        {
            "gymnasium": gym,
            "gymnasium.spaces": spaces,
            "gymnasium.envs": envs,
            "gymnasium.envs.registration": registration,
        }
    )


def import_package(root: Path) -> None:
    candidates = [root / "src", root]
    source = next((c for c in candidates if (c / "sepsisim" / "__init__.py").is_file()), None)
    if source is None:
        fail(f"{root}: no sepsisim/__init__.py here or under src/")
    sys.path.insert(0, str(source))
    try:
        importlib.import_module("gymnasium")
        real_gymnasium = True
    except ModuleNotFoundError:
        install_gymnasium_stand_in()
        real_gymnasium = False
    importlib.import_module("sepsisim")
    if real_gymnasium:
        import gymnasium

        for _, env_id, _, _ in ENVS:
            registered_limits[env_id] = gymnasium.spec(env_id).max_episode_steps


def noise_free_episode(env_class, agent_class, tier: str, limit: int, seed: int) -> list[dict]:
    """One heuristic episode with mean draws; actions are recorded as the float32 values the env received."""
    original_default_rng = np.random.default_rng
    np.random.default_rng = lambda *_args, **_kwargs: MeanDraws()
    try:
        env = env_class(severity=tier)
        agent = agent_class(env)
        obs, _ = env.reset(seed=seed)
        rows: list[dict] = [{"t": 0, "obs": [float(x) for x in obs]}]
        for t in range(1, limit + 1):
            action, _ = agent.predict(obs)
            obs, reward, terminated, _, _ = env.step(action)
            rows.append(
                {
                    "t": t,
                    "action": [float(x) for x in action],
                    "obs": [float(x) for x in obs],
                    "reward": float(reward),
                    "terminated": bool(terminated),
                }
            )
            if terminated:
                break
        return rows
    finally:
        np.random.default_rng = original_default_rng


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf8")
    os.replace(partial, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--package", required=True, type=Path, help="extracted original sepsisim repository")
    parser.add_argument("--out", type=Path, default=Path("tests/fixtures/sepsisim-reference"))
    parser.add_argument("--seed", type=int, default=1, help="reset seed (the shared golden traces use 1)")
    args = parser.parse_args()

    import_package(args.package.resolve())
    agent_class = importlib.import_module("sepsisim.agents.heuristic_agent").HeuristicAgent
    traces = {
        tier: {
            f"{name}-{tier}-heuristic": noise_free_episode(
                getattr(importlib.import_module(module), cls), agent_class, tier, registered_limits[env_id], args.seed
            )
            for name, env_id, module, cls in ENVS
        }
        for tier in TIERS
    }
    # Every trace is computed before any file is written, so a failure leaves the old fixtures whole.
    for tier, runs in traces.items():
        write_atomically(args.out / f"{tier}.json", json.dumps(runs) + "\n")
        lengths = ", ".join(f"{k} {len(v) - 1} steps" for k, v in runs.items())
        print(f"{args.out / (tier + '.json')}: {lengths}")


if __name__ == "__main__":
    main()
