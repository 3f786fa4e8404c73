"""Designs: the points of a sweep, as a table with one column per varied parameter.

``grid`` is the product of each parameter's values; ``lhs`` a Latin hypercube
(scipy.stats.qmc); ``sobol`` Saltelli's extension of Sobol' sequences and
``morris`` Morris trajectories (both SALib, first-order and total indices, no
second order). Every design is drawn from the sweep's seed, so it is the same
on every machine. Integer parameters are rounded after sampling.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.sweep.spec import SweepSpec, coerce


def problem(names: Sequence[str], bounds: Sequence[tuple[float, float]]) -> dict:
    """The SALib problem definition of ``names`` over ``bounds``."""
    return {"num_vars": len(names), "names": list(names), "bounds": [list(b) for b in bounds]}


def sample_unit(
    method: str,
    names: Sequence[str],
    bounds: Sequence[tuple[float, float]],
    samples: int,
    *,
    seed: int,
    levels: int = 4,
) -> np.ndarray:
    """Points of an ``lhs``, ``sobol`` or ``morris`` design over ``bounds``, one row per point.

    This is the sampler :func:`points` uses; it is public so that the analysis can
    be checked on functions with known indices (Ishigami).
    """
    if method == "lhs":
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=len(names), seed=np.random.default_rng(seed)).random(samples)
        low, high = np.array(bounds, dtype=float).T
        return low + unit * (high - low)
    if method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem(names, bounds), samples, calc_second_order=False, seed=seed)
    if method == "morris":
        from SALib.sample import morris

        return morris.sample(problem(names, bounds), samples, num_levels=levels, seed=seed)
    raise ValueError(f"unknown design {method!r}")


def points(spec: SweepSpec) -> pd.DataFrame:
    """The design's points: one row per point (index ``point``), one column per varied parameter."""
    names = spec.names
    if spec.design.method == "grid":
        axes = []
        for name in names:
            axes.append([coerce(name, v) for v in spec.parameters[name].grid()])
        frame = pd.DataFrame(list(itertools.product(*axes)), columns=names)
    else:
        raw = sample_unit(
            spec.design.method,
            names,
            spec.bounds,
            spec.design.sample_size,
            seed=spec.seed,
            levels=spec.design.morris_levels,
        )
        frame = pd.DataFrame(raw, columns=names)
        for name in names:
            if frame[name].map(lambda v, n=name: isinstance(coerce(n, float(v)), int)).all():
                frame[name] = frame[name].round().astype(int)
    frame.index.name = "point"
    return frame
