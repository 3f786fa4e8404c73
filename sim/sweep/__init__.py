"""Batch sweeps: sweep files, designs, a resumable store, local and Dask execution, sensitivity analysis.

::

    from sim.sweep import run_sweep, load_sweep

    results = run_sweep("sweeps/office_x_adoption.toml", "results/sweep", workers=2)
    results.summary            # one row per done run: parameters, replicate, seed, figures
    load_sweep("results/sweep").timeseries()

Names are imported on first use (no side effects at import).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.sweep.runner import run_sweep
    from sim.sweep.spec import SweepSpec, load_sweep_spec
    from sim.sweep.store import SweepResults, load_sweep

_EXPORTS = {
    "run_sweep": "sim.sweep.runner",
    "load_sweep": "sim.sweep.store",
    "SweepResults": "sim.sweep.store",
    "load_sweep_spec": "sim.sweep.spec",
    "SweepSpec": "sim.sweep.spec",
}
__all__ = ["SweepResults", "SweepSpec", "load_sweep", "load_sweep_spec", "run_sweep"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'sim.sweep' has no attribute {name!r}")
