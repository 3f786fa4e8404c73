"""``compare``: two runs with the same seed, side by side (Python API and command line)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hang import HANG_S

from sim import TechTransferModel, load_scenario
from sim.compare import compare, headline_table
from sim.errors import UsageError
from sim.outputs import HEADLINE_FIGURES
from sim.scenario import parse_assignment
from sim.text import format_value, text_table

ROOT = Path(__file__).parent.parent
UNTIL = "1955-06-30"


@pytest.fixture(scope="module")
def doubled():
    return compare("baseline_1952", "office_doubled", seed=11, until=UNTIL)


def test_a_scenario_against_itself_differs_in_nothing():
    same = compare("baseline_1952", "baseline_1952", seed=5, until="1954-01-01")
    assert same.labels == ("A: baseline_1952", "B: baseline_1952")
    pd.testing.assert_frame_equal(same.a.timeseries, same.b.timeseries)
    numeric = same.headline["difference"].dropna()
    assert len(numeric) >= len(HEADLINE_FIGURES) - 2
    assert (numeric == 0).all()


def test_each_side_is_the_run_it_names(doubled):
    alone = TechTransferModel(load_scenario("office_doubled"), rng=11)
    alone.run_until(UNTIL)
    pd.testing.assert_frame_equal(doubled.b.timeseries, alone.results().timeseries)
    assert doubled.a.scenario.seed == doubled.b.scenario.seed == 11


def test_common_random_numbers_leave_demand_unchanged(doubled):
    # Doubling the office changes how requests are served, not the requests the ministries make.
    headline = doubled.headline
    assert headline.loc["requests_created", "difference"] == 0
    assert headline.loc["office_wait_days_mean", "b"] <= headline.loc["office_wait_days_mean", "a"]


def test_headline_table_difference_and_ratio():
    table = headline_table({"x": 4, "y": 0, "z": None}, {"x": 6, "y": 3, "z": 1}, figures=["x", "y", "z"])
    assert table.loc["x"].tolist() == [4, 6, 2, 1.5]
    assert pd.isna(table.loc["y", "ratio"]) and table.loc["y", "difference"] == 3
    assert pd.isna(table.loc["z", "difference"])


def test_printed_figures_and_tables():
    assert [format_value(v) for v in (1234.5, 0.1234, 0.0, 12345, None, "x")] == [
        "1,234.50",
        "0.123",
        "0.00",
        "12,345",
        "n/a",
        "x",
    ]
    assert text_table([("figure", "A"), ("sets", "1,234")]).splitlines() == ["  figure  A    ", "  sets    1,234"]


def test_set_assignments_read_values_as_toml():
    assert parse_assignment(" office.staff = 16") == ("office.staff", 16)
    assert parse_assignment("office.open=false") == ("office.open", False)
    assert parse_assignment("office.discipline=lifo") == ("office.discipline", "lifo")
    with pytest.raises(UsageError, match=r"--set 'office\.staff': write it as key\.path=value"):
        parse_assignment("office.staff")


def test_figures_overlay_both_runs(doubled):
    figures = doubled.figures()
    assert set(figures) == {"sets_supplied", "adoption", "queues", "requests", "lead_time"}
    for figure in figures.values():
        for ax in figure.axes:
            if ax.get_visible():
                assert len(ax.get_lines()) >= 2 and ax.get_xlabel() == "Date" and ax.get_ylabel()


def sim(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], cwd=ROOT, capture_output=True, text=True, timeout=HANG_S
    )


def test_cli_writes_table_series_and_plots(tmp_path):
    out = tmp_path / "cmp"
    done = sim(
        "compare",
        "baseline_1952",
        "baseline_1952",
        "--set-b",
        "office.staff=16",
        "--seed",
        "3",
        "--until",
        "1954-06-30",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert "B = baseline_1952 (office.staff=16)" in done.stdout
    assert {p.name for p in out.iterdir()} == {"headline.csv", "timeseries.parquet", "scenarios.json", "plots"}
    assert len(list((out / "plots").glob("*.png"))) == 5
    table = pd.read_csv(out / "headline.csv", index_col="figure")
    assert list(table.index) == list(HEADLINE_FIGURES)
    assert table.loc["requests_created", "difference"] == 0
    series = pd.read_parquet(out / "timeseries.parquet")
    assert set(series["run"]) == {"baseline_1952", "baseline_1952 (office.staff=16)"}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--set-b", "office.staff=-1"], "office.staff"),
        (["--set-b", "office.nonsense=1"], "office.nonsense"),
        (["--until", "1970-01-01"], "outside the run"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, args, expected):
    out = tmp_path / "cmp"
    done = sim("compare", "baseline_1952", "office_doubled", "--out", str(out), *args)
    assert done.returncode == 2
    assert expected in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()
