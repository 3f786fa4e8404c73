"""Calibration machinery: targets and their mapping, the loss, determinism, recovery, the command."""

import csv
import dataclasses
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hang import HANG_S

from sim import TechTransferModel, load_scenario
from sim.calibration.report import error_table, fit_table, save
from sim.calibration.search import Knob, calibrate, loss, run_once
from sim.calibration.targets import Target, load_targets
from sim.errors import UsageError
from sim.history import TARGETS_FILE
from sim.streams import replicate_seeds

ROOT = Path(__file__).parent.parent
HEADER = "id,metric,period_start,period_end,value,unit,category,kind,reliability,role,output,source\n"

#: Synthetic targets end here: three years keep each run short.
SHORT_END = "1955-12-31"


def write_targets(path, rows):
    path.write_text(HEADER + "".join(rows))
    return path


def short_targets(tmp_path, values):
    rows = [
        f"{name},synthetic {name},1953-01-01,{SHORT_END},{value},sets,x,calibration,A,{role},{output},synthetic\n"
        for name, (value, role, output) in values.items()
    ]
    return load_targets(write_targets(tmp_path / "synthetic.csv", rows))


# -- targets -------------------------------------------------------------------


def test_history_file_maps_fit_and_validation_rows_to_outputs():
    targets = load_targets()
    roles = {t.id: t.role for t in targets}
    assert roles == {
        "designs_1953_62": "fit",
        "drawings_1953_62": "fit",
        "techdocs_1953_62": "validate",
        "sectoral_1953_62": "fit",
        "standards_1954_57": "validate",
        "sets_total_1958_62": "fit",
        "sets_total_1953_62": "validate",
        "sets_total_1953_57_derived": "fit",
    }
    for target in targets:
        assert target.reliability in {"A", "B", "C"} and target.source
    with TARGETS_FILE.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert all(row["reliability"] in {"A", "B", "C"} and row["source"] for row in rows)


def test_targets_measure_what_the_summary_reports():
    model = TechTransferModel("baseline_1952")
    model.run()
    results = model.results()
    by_id = {t.id: t.measure(results) for t in load_targets()}
    summary = results.summary
    targets = load_targets()
    named = {t.id: t.summary_name for t in targets}
    assert named["drawings_1953_62"] == "sets_supplied_1953_1962_blueprints"
    assert named["standards_1954_57"] == "standards_supplied_1954_1957"
    drawings = next(t for t in targets if t.id == "drawings_1953_62")
    assert dataclasses.replace(drawings, output="specialists_present").summary_name is None  # a series
    assert dataclasses.replace(drawings, end=dt.date(1962, 6, 30)).summary_name is None  # no such period
    for target in targets:  # every supply target names the summary figure it equals
        if target.output.startswith("sets_supplied"):
            assert target.summary_name is not None, target.id
            assert by_id[target.id] == summary[target.summary_name], target.id
    assert by_id["drawings_1953_62"] == summary["sets_supplied_1953_1962_blueprints"]
    assert by_id["sectoral_1953_62"] == summary["sets_supplied_1953_1962_norms"]
    assert by_id["sets_total_1953_62"] == summary["sets_supplied_1953_1962_total"]
    assert by_id["standards_1954_57"] == summary["standards_supplied_1954_1957"]
    assert by_id["sets_total_1958_62"] == summary["sets_supplied_1958_1962_total"]
    assert by_id["sets_total_1953_57_derived"] == summary["sets_supplied_1953_1957_total"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("t,m,1953-01-01,1955-12-31,12,u,c,k,A,fit,sets_supplied:drawings,s\n", "output 'sets_supplied:drawings'"),
        ("t,m,1953-01-01,1955-12-31,many,u,c,k,A,fit,sets_supplied:all,s\n", "value 'many' is not a number"),
        ("t,m,1953-13-01,1955-12-31,12,u,c,k,A,fit,sets_supplied:all,s\n", "'1953-13-01' is not a date"),
        ("t,m,1953-01-01,1955-12-31,12,u,c,k,A,validate,sets_supplied:all,s\n", "no row has role 'fit'"),
    ],
)
def test_bad_targets_file_is_refused_with_file_line_and_value(tmp_path, row, message):
    path = write_targets(tmp_path / "bad.csv", [row])
    with pytest.raises(UsageError, match=r"bad\.csv") as caught:
        load_targets(path)
    assert message in str(caught.value)


def test_targets_file_without_role_column_is_refused(tmp_path):
    path = tmp_path / "old.csv"
    path.write_text("id,metric,period_start,period_end,value,reliability,source\n")
    with pytest.raises(UsageError, match=r"missing column.*role, output"):
        load_targets(path)


# -- loss and search -----------------------------------------------------------


def test_loss_is_zero_at_the_record_and_counts_only_its_role():
    targets = [
        Target("a", "", None, None, 100.0, "fit", "sets_supplied:all", "A", ""),
        Target("b", "", None, None, 50.0, "validate", "sets_supplied:all", "A", ""),
    ]
    assert loss({"a": 100.0, "b": 5.0}, targets) == 0
    assert loss({"a": 100.0, "b": 50.0}, targets, "validate") == 0
    assert loss({"a": 201.0, "b": 50.0}, targets) == pytest.approx(loss({"a": 49.5, "b": 50.0}, targets))


def test_search_is_reproducible_and_independent_of_the_number_of_workers(tmp_path):
    targets = short_targets(tmp_path, {"x": (5000, "fit", "sets_supplied:blueprints")})
    knobs = [Knob("demand.requests_per_week.blueprints", 5, 30)]
    base = load_scenario("baseline_1952")
    one = calibrate(base, targets, knobs=knobs, budget=3, replicates=1, seed=3, workers=1)
    two = calibrate(base, targets, knobs=knobs, budget=3, replicates=1, seed=3, workers=2)
    assert one.trials.equals(two.trials)
    assert one.final.equals(two.final)
    assert one.trials.loc[0, knobs[0].path] == base.demand.requests_per_week.blueprints  # the base value first


def test_knob_outside_the_schema_is_refused():
    with pytest.raises(UsageError, match=r"soviet\.approval\.blueprints: range 0\.5 to 2 "):
        calibrate(load_scenario("baseline_1952"), load_targets(), knobs=[Knob("soviet.approval.blueprints", 0.5, 2)])


#: Known values the recovery test hides in synthetic targets, and the tolerance it must recover them to.
TRUTH = {"demand.requests_per_week.blueprints": 17.0, "demand.requests_per_week.typical_designs": 7.0}
TOLERANCE = 0.15
#: Mean |model / record - 1| allowed on the synthetic fit and validation targets (the latter is noisier:
#: about 1,900 standards sets in 1953-55, in lumps of 1 + Poisson(7) sets).
FIT_TOLERANCE, VALIDATION_TOLERANCE = 0.08, 0.15


def test_calibration_recovers_known_values_from_synthetic_targets(tmp_path):
    """Targets made by the model itself at TRUTH are fitted back to within TOLERANCE (relative)."""
    base = load_scenario("baseline_1952")
    placeholder = short_targets(
        tmp_path,
        {
            "bp": (1, "fit", "sets_supplied:blueprints"),
            "td": (1, "fit", "sets_supplied:typical_designs"),
            "st": (1, "validate", "sets_supplied:standards"),
        },
    )
    # The record is the mean of two runs at TRUTH with seeds the search never uses.
    seeds = replicate_seeds(99, 2)
    runs = [run_once(base, TRUTH, seed, placeholder).measures for seed in seeds]
    record = {k: sum(r[k] for r in runs) / len(runs) for k in runs[0]}
    targets = short_targets(
        tmp_path,
        {
            "bp": (record["bp"], "fit", "sets_supplied:blueprints"),
            "td": (record["td"], "fit", "sets_supplied:typical_designs"),
            "st": (record["st"], "validate", "sets_supplied:standards"),
        },
    )
    knobs = [Knob(path, 3.0, 40.0) for path in TRUTH]
    result = calibrate(base, targets, knobs=knobs, budget=32, replicates=2, seed=5, workers=2)
    for path, truth in TRUTH.items():
        assert result.best[path] == pytest.approx(truth, rel=TOLERANCE), (path, result.best)
    errors = error_table(result)
    assert errors.loc["fit", "mean_abs_error"] < FIT_TOLERANCE
    assert errors.loc["validate", "mean_abs_error"] < VALIDATION_TOLERANCE


# -- the report and the command -----------------------------------------------


def test_report_shows_each_target_beside_the_replicates(tmp_path):
    targets = short_targets(
        tmp_path,
        {"bp": (6000, "fit", "sets_supplied:blueprints"), "st": (900, "validate", "sets_supplied:standards")},
    )
    knobs = [Knob("demand.requests_per_week.blueprints", 5, 30)]
    result = calibrate(load_scenario("baseline_1952"), targets, knobs=knobs, budget=2, replicates=1, workers=1)
    table = fit_table(result)
    assert list(table.index) == ["bp", "st"]
    assert len(result.final) == 5
    for target_id, row in table.iterrows():
        values = result.final[target_id]
        assert row["model_min"] <= row["model_mean"] <= row["model_max"]
        assert row["model_mean"] == pytest.approx(values.mean())
        assert row["error"] == pytest.approx(values.mean() / row["record"] - 1)
    out = save(result, tmp_path / "report")
    assert {p.name for p in (out / "plots").iterdir()} == {
        "targets.png",
        "plans.png",
        "search.png",
        "identifiability.png",
        "annual_supply.png",
    }
    scenario = load_scenario(out / "calibrated.toml")
    assert scenario.demand.requests_per_week.blueprints == result.best["demand.requests_per_week.blueprints"]
    assert scenario.events == load_scenario("baseline_1952").events


def sim_cli(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=cwd, timeout=HANG_S, check=False
    )


def test_calibrate_command_writes_report_and_scenario(tmp_path):
    targets = tmp_path / "t.csv"
    write_targets(
        targets,
        [
            f"bp,m,1953-01-01,{SHORT_END},6000,sets,x,calibration,A,fit,sets_supplied:blueprints,s\n",
            f"st,m,1953-01-01,{SHORT_END},900,sets,x,calibration,A,validate,sets_supplied:standards,s\n",
        ],
    )
    out, scenario = tmp_path / "out", tmp_path / "calibrated.toml"
    done = sim_cli(
        "calibrate",
        "--targets",
        str(targets),
        "--budget",
        "2",
        "--replicates",
        "1",
        "--workers",
        "1",
        "--out",
        str(out),
        "--scenario",
        str(scenario),
    )
    assert done.returncode == 0, done.stderr
    assert "fit: RMS log error" in done.stdout and "validate: RMS log error" in done.stdout
    assert (out / "report.md").is_file() and (out / "trials.csv").is_file()
    assert load_scenario(scenario).title.startswith("Calibrated")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--budget", "0"], "--budget 0: must be 1 or more"),
        (["--targets", "no/such.csv"], "--targets no/such.csv: cannot be read"),
        (["--base", "no_such_scenario"], "no_such_scenario: no such scenario file"),
    ],
)
def test_calibrate_command_refuses_bad_input_in_one_line(tmp_path, args, message):
    done = sim_cli("calibrate", *args, "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and message in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "out").exists()


def test_a_killed_calibration_resumes_from_its_sqlite_storage(tmp_path):
    import os
    import signal
    import sqlite3

    targets = write_targets(
        tmp_path / "t.csv",
        ["bp,m,1953-01-01,1953-12-31,3000,sets,x,calibration,A,fit,sets_supplied:blueprints,s\n"],
    )
    out = tmp_path / "out"
    storage = tmp_path / "out.optuna.sqlite3"
    command = [
        sys.executable,
        "-m",
        "sim",
        "calibrate",
        "--targets",
        str(targets),
        "--budget",
        "12",
        "--replicates",
        "1",
        "--workers",
        "1",
        "--out",
        str(out),
        "--quiet",
    ]
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)

    def finished_trials() -> int:
        if not storage.exists():
            return 0
        try:
            with sqlite3.connect(storage) as db:
                return db.execute("select count(*) from trials where state = 'COMPLETE'").fetchone()[0]
        except sqlite3.Error:
            return 0

    deadline = time.monotonic() + HANG_S
    while time.monotonic() < deadline and finished_trials() < 5:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    kept = finished_trials()
    assert 5 <= kept < 12, "the kill came too late to test anything"
    assert not out.exists()

    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=HANG_S)
    assert again.returncode == 2 and "--resume" in again.stderr and "Traceback" not in again.stderr

    done = subprocess.run([*command, "--resume"], cwd=ROOT, capture_output=True, text=True, timeout=HANG_S)
    assert done.returncode == 0, done.stderr
    import pandas as pd

    trials = pd.read_csv(out / "trials.csv")
    assert len(trials) == 12 and trials["trial"].is_unique
