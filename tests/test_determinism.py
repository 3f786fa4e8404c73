"""Same scenario and seed give identical results, in this process and a fresh one."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pandas as pd
import pytest
from conftest import small

from sim import TechTransferModel


def run(scenario, seed=None, until="1956-12-31"):
    model = TechTransferModel(scenario, rng=seed)
    model.run_until(until)
    return model.results()


def test_same_seed_gives_identical_frames(baseline):
    scenario = small(baseline, enterprises=60)
    a, b = run(scenario), run(scenario)
    pd.testing.assert_frame_equal(a.timeseries, b.timeseries)
    pd.testing.assert_frame_equal(a.ledger, b.ledger)
    assert a.summary == b.summary


def test_different_seeds_differ(baseline):
    scenario = small(baseline, enterprises=60)
    a, b = run(scenario, seed=1), run(scenario, seed=2)
    assert a.summary["requests_created"] != b.summary["requests_created"]
    assert not a.ledger["created"].equals(b.ledger["created"])


def test_fresh_process_gives_identical_frames(baseline, tmp_path):
    scenario = small(baseline, enterprises=60)
    here = run(scenario, seed=5)
    script = textwrap.dedent(
        f"""
        from conftest import small
        from sim import TechTransferModel, load_scenario
        model = TechTransferModel(small(load_scenario("baseline_1952"), enterprises=60), rng=5)
        model.run_until("1956-12-31")
        results = model.results()
        results.timeseries.to_parquet(r"{tmp_path / "ts.parquet"}")
        results.ledger.to_parquet(r"{tmp_path / "ledger.parquet"}")
        """
    )
    env_path = str(__import__("pathlib").Path(__file__).parent)
    subprocess.run([sys.executable, "-c", script], check=True, cwd=env_path, env={"PYTHONHASHSEED": "123"})
    pd.testing.assert_frame_equal(here.timeseries, pd.read_parquet(tmp_path / "ts.parquet"))
    pd.testing.assert_frame_equal(here.ledger, pd.read_parquet(tmp_path / "ledger.parquet"))


def test_streams_are_common_random_numbers(baseline):
    """Changing the office leaves the demand stream untouched: the same requests are created."""
    scenario = small(baseline, enterprises=30, **{"office.staff": 2})  # an office with a queue
    a = run(scenario, seed=9, until="1954-06-30")
    b = run(scenario.with_overrides({"office.staff": 30}), seed=9, until="1954-06-30")
    pd.testing.assert_series_equal(a.ledger["created"], b.ledger["created"])
    pd.testing.assert_series_equal(a.ledger["sets"], b.ledger["sets"])
    assert not a.ledger["forwarded"].equals(b.ledger["forwarded"])


@pytest.mark.parametrize("until", ["1953-03-01", "1955-01-01"])
def test_stepping_and_run_until_agree(baseline, until):
    scenario = small(baseline, enterprises=20)
    whole = run(scenario, until=until)
    model = TechTransferModel(scenario)
    while model.date < pd.Timestamp(until).date():
        model.step()
    pd.testing.assert_frame_equal(whole.timeseries, model.results().timeseries)
