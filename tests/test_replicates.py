"""``sim.run_many``: replicates from Python, and the SALib example of docs/sweeps.md run as written."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.errors import ScenarioError
from sim.outputs import SERIES

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def many() -> sim.Replicates:
    return sim.run_many("baseline_1952", seeds=3, overrides={"office.staff": 16}, until="1953-06-30")


def test_run_many_returns_every_run_and_its_bands(many):
    assert len(many.seeds) == 3 and len(set(many.seeds)) == 3
    assert list(many.summary.index) == list(many.seeds)
    assert set(many.timeseries["seed"]) == set(many.seeds)
    assert {o.name for o in SERIES} <= set(many.timeseries.columns)
    band = many.bands("office_queue")
    assert (band["low"] <= band["mean"]).all() and (band["mean"] <= band["high"]).all()
    mean = many.mean()
    assert np.allclose(mean["office_queue"], band["mean"])
    assert many.scenario.office.staff == 16


def test_a_seed_gives_the_run_a_model_gives(many):
    seed = many.seeds[1]
    model = sim.TechTransferModel(many.scenario, rng=seed)
    model.run_until("1953-06-30")
    alone = model.results().timeseries["requests_created"].to_numpy()
    mine = many.timeseries.loc[many.timeseries["seed"] == seed, "requests_created"].to_numpy()
    assert np.array_equal(alone, mine)


def test_run_many_keeps_the_rule_on_dated_events():
    with pytest.raises(ScenarioError, match="contracts_cancelled"):
        sim.run_many("baseline_1952", seeds=1, overrides={"soviet.approval": 0.5})
    kept = sim.run_many("baseline_1952", seeds=[5], overrides={"soviet.approval": 0.5}, until="1953-03-31")
    assert kept.seeds == (5,)  # the cancellation of 1960 is after the end: nothing to shadow


def test_the_salib_example_of_the_docs_runs(capsys):
    text = (ROOT / "docs" / "sweeps.md").read_text()
    block = re.search(r"<!-- salib-example -->\n```python\n(.*?)```", text, re.S)
    assert block is not None
    namespace: dict = {}
    exec(compile(block.group(1), "docs/sweeps.md", "exec"), namespace)
    assert namespace["Y"].shape == (32,) and np.isfinite(namespace["Y"]).all()
    assert "S1" in capsys.readouterr().out
