"""Ziliao: an agent-based simulation of the Soviet supply of technical materials to China.

The public API::

    from sim import load_scenario, TechTransferModel

    scenario = load_scenario("baseline_1952").with_overrides({"office.staff": 16})
    model = TechTransferModel(scenario, rng=7)
    model.run_until("1958-12-31")
    results = model.results()      # .timeseries, .ledger, .summary, .save(dir), .plot()

    many = sim.run_many("baseline_1952", seeds=10, until="1958-12-31")   # .summary, .mean(), .bands(col)

Names are imported on first use, so ``python -m sim`` starts quickly and a
Ctrl-C during start-up is handled by the command line like any other.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.catalog import CATEGORIES, SECTOR_KEYS
    from sim.errors import ScenarioError
    from sim.model import TechTransferModel
    from sim.path import Stage
    from sim.replicates import Replicates, run_many
    from sim.results import Results
    from sim.scenario import Scenario, load_scenario

_EXPORTS = {
    "CATEGORIES": "sim.catalog",
    "SECTOR_KEYS": "sim.catalog",
    "Stage": "sim.path",
    "TechTransferModel": "sim.model",
    "Results": "sim.results",
    "Replicates": "sim.replicates",
    "run_many": "sim.replicates",
    "Scenario": "sim.scenario",
    "ScenarioError": "sim.errors",
    "load_scenario": "sim.scenario",
}
__all__ = [
    "CATEGORIES",
    "SECTOR_KEYS",
    "Replicates",
    "Results",
    "Scenario",
    "ScenarioError",
    "Stage",
    "TechTransferModel",
    "load_scenario",
    "run_many",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
