"""Ziliao: an agent-based simulation of the Soviet supply of technical materials to China.

The public API::

    from sim import load_scenario, TechTransferModel

    scenario = load_scenario("baseline_1952").with_overrides({"office.staff": 16})
    model = TechTransferModel(scenario, seed=7)
    model.run_until("1958-12-31")
    results = model.results()      # .timeseries, .ledger, .summary, .save(dir), .plot()
"""

from sim.catalog import CATEGORIES, SECTOR_KEYS, Stage
from sim.model import TechTransferModel
from sim.results import Results
from sim.scenario import Scenario, ScenarioError, load_scenario

__all__ = [
    "CATEGORIES",
    "SECTOR_KEYS",
    "Results",
    "Scenario",
    "ScenarioError",
    "Stage",
    "TechTransferModel",
    "load_scenario",
]
__version__ = "0.1.0"
