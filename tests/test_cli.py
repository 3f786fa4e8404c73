"""The command line, end to end, in fresh processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim import CATEGORIES
from sim.scenario import library

ROOT = Path(__file__).parent.parent
BAD = Path(__file__).parent / "bad_scenarios"


def sim(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=ROOT, capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def short_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "run"
    done = sim("run", "baseline_1952", "--until", "1954-06-30", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out, done


def test_run_writes_every_output(short_run):
    out, _ = short_run
    for name in ["timeseries.parquet", "timeseries.csv", "requests.parquet", "requests.csv", "summary.json"]:
        assert (out / name).is_file(), name
    plots = sorted(p.name for p in (out / "plots").glob("*.png"))
    assert {"requests_by_stage.png", "sets_supplied.png", "adoption.png", "office_queue.png"} <= set(plots)
    assert not list(out.parent.glob(".*partial*"))


def test_timeseries_columns_and_invariants(short_run):
    out, _ = short_run
    ts = pd.read_parquet(out / "timeseries.parquet")
    csv = pd.read_csv(out / "timeseries.csv", parse_dates=["date"], index_col="date")
    assert ts.index.name == "date" and csv.index.name == "date"
    assert len(ts) == len(csv) == 96  # the start and 95 weekly steps to 1954-07-03
    assert ts.index[0] == pd.Timestamp("1952-09-06") and ts.index[-1] == pd.Timestamp("1954-07-03")
    required = ["requests_created", "requests_in_flight", "requests_fulfilled", "requests_rejected", "office_queue"]
    required += [f"sets_delivered_{c}" for c in CATEGORIES] + [f"adoption_{c}" for c in CATEGORIES]
    for column in required:
        assert column in ts, column
    for column in ["requests_created", "requests_fulfilled", *[f"sets_delivered_{c}" for c in CATEGORIES]]:
        assert ts[column].is_monotonic_increasing, column
    shares = ts[[f"adoption_{c}" for c in CATEGORIES]]
    assert ((shares >= 0) & (shares <= 1)).all().all()
    assert (
        ts["requests_created"] == ts["requests_in_flight"] + ts["requests_fulfilled"] + ts["requests_rejected"]
    ).all()


def test_ledger_and_summary(short_run):
    out, done = short_run
    ledger = pd.read_parquet(out / "requests.parquet")
    for column in ["request_id", "category", "ministry", "status", "created", "queued", "forwarded", "delivered"]:
        assert column in ledger, column
    assert ledger["request_id"].is_unique
    meta = json.loads((out / "summary.json").read_text())
    assert {"summary", "scenario", "seed", "versions", "events"} <= set(meta)
    assert meta["seed"] == 1952 and meta["scenario"]["name"] == "baseline_1952"
    assert meta["versions"]["mesa"].startswith("3.5")
    assert meta["summary"]["requests_created"] == len(ledger)
    assert "requests_created" in done.stdout and f"{len(ledger):,}" in done.stdout


def test_set_and_seed_are_recorded(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert sim("run", "baseline_1952", "--until", "1953-06-30", "--no-plots", "--out", str(a)).returncode == 0
    done = sim(
        "run", "baseline_1952", "--until", "1953-06-30", "--no-plots", "--out", str(b),
        "--set", "office.staff=16", "--set", "soviet.approval.blueprints=0.5", "--seed", "77",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    meta_a, meta_b = (json.loads((d / "summary.json").read_text()) for d in (a, b))
    assert meta_b["scenario"]["office"]["staff"] == 16 and meta_b["scenario"]["soviet"]["approval"]["blueprints"] == 0.5
    assert meta_b["seed"] == 77 != meta_a["seed"]
    assert meta_a["summary"]["requests_created"] != meta_b["summary"]["requests_created"]


def test_non_empty_out_is_refused_without_force(tmp_path):
    out = tmp_path / "taken"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    done = sim("run", "baseline_1952", "--until", "1953-01-31", "--out", str(out))
    assert done.returncode == 2
    assert "not empty" in done.stderr and "--force" in done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt"]
    done = sim("run", "baseline_1952", "--until", "1953-01-31", "--no-plots", "--out", str(out), "--force")
    assert done.returncode == 0, done.stderr
    assert not (out / "mine.txt").exists() and (out / "summary.json").exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["run", "no_such_scenario"], "no such scenario file"),
        (["run", str(BAD / "bad_toml.toml")], "not valid TOML"),
        (["run", "baseline_1952", "--set", "office.stuff=3"], "unknown key 'stuff' in office"),
        (["run", "baseline_1952", "--set", "office.staff=-3"], "greater than or equal to 1"),
        (["run", "baseline_1952", "--set", "office.staff"], "key.path=value"),
        (["run", "baseline_1952", "--set", "soviet.approval.steel=0.3"], "valid keys: standards"),
        (["run", "baseline_1952", "--until", "1970-01-01"], "outside the run"),
        (["run", "baseline_1952", "--until", "soon"], "not a date"),
        (["run", "baseline_1952", "--seed", "-1"], "seed"),
    ],
)
def test_bad_input_exits_2_without_traceback(tmp_path, args, fragment):
    out = tmp_path / "out"
    done = sim(*args, "--out", str(out))
    assert done.returncode == 2, done.stderr
    assert fragment in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists() and not list(tmp_path.glob(".*"))


def test_list_and_check():
    done = sim("list")
    assert done.returncode == 0
    for name in library():
        assert name in done.stdout
    assert "Baseline, 1952-1962" in done.stdout
    done = sim("check", *[str(p) for p in sorted((ROOT / "scenarios").glob("*.toml"))])
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("ok ") == len(library())


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_run_leaves_nothing_that_looks_complete(tmp_path, sig):
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "run", "baseline_1952", "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(2.0)
    os.kill(process.pid, sig)
    _, stderr = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the run finished before the signal")
    assert not (out / "summary.json").exists()
    assert not out.exists()
    leftovers = list(tmp_path.glob(".*"))
    if sig == signal.SIGINT:
        assert process.returncode == 130 and "nothing was written" in stderr
        assert "Traceback" not in stderr
        assert leftovers == []
    else:
        assert all(".partial-" in p.name for p in leftovers)
