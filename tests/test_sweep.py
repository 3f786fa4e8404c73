"""Sweeps: identical stores serial, in a pool and on Dask; kill and resume; failures; bad files; indices."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hang import HANG_S

from sim.scenario import ScenarioError
from sim.sweep import load_sweep, load_sweep_spec, run_sweep
from sim.sweep.analysis import compute_indices, sensitivity
from sim.sweep.design import points, sample_unit
from sim.sweep.store import replicate_seed

ROOT = Path(__file__).parent.parent

SMALL = """
title = "test sweep"
scenario = "baseline_1952"
until = 1953-09-30
seed = 7
replicates = 2

[design]
method = "lhs"
samples = 5

[parameters]
"office.staff" = { low = 2, high = 12 }
"adoption.own_rate" = { low = 0.001, high = 0.01 }

[keep]
summary = ["requests_created", "requests_fulfilled", "lead_time_days_mean", "technology_index"]
timeseries = ["office_queue", "technology_index"]
every = 2
"""


def write(tmp_path: Path, text: str, name: str = "sweep.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def frames(directory: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The store's contents, without the one column that is allowed to differ (seconds)."""
    results = load_sweep(directory)
    return results.manifest.drop(columns="seconds"), results.summary, results.timeseries()


def assert_same_store(a: Path, b: Path) -> None:
    for x, y in zip(frames(a), frames(b), strict=True):
        pd.testing.assert_frame_equal(x, y)


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("serial")
    out = tmp / "store"
    run_sweep(write(tmp, SMALL), out, workers=1, progress=False)
    return out


def test_store_has_every_run_done_with_its_files(serial):
    results = load_sweep(serial)
    assert len(results.manifest) == 10 and results.complete
    assert set(results.manifest.columns) >= {
        "run_id",
        "point",
        "replicate",
        "seed",
        "office.staff",
        "adoption.own_rate",
        "status",
        "error",
        "seconds",
    }
    assert list(results.summary["run_id"]) == list(results.manifest["run_id"])
    assert results.manifest["office.staff"].dtype.kind == "i"
    ts = results.timeseries()
    assert set(ts["run_id"]) == set(results.manifest["run_id"])
    assert list(ts.columns) == ["run_id", "date", "office_queue", "technology_index"]
    assert (results.summary["requests_fulfilled"] <= results.summary["requests_created"]).all()


def test_replicates_share_seeds_across_points_and_differ_between_them(serial):
    manifest = load_sweep(serial).manifest
    by_replicate = manifest.groupby("replicate")["seed"].nunique()
    assert (by_replicate == 1).all()
    assert (
        manifest.loc[manifest.replicate == 0, "seed"].iloc[0] != manifest.loc[manifest.replicate == 1, "seed"].iloc[0]
    )
    assert replicate_seed(7, 1) == int(manifest.loc[manifest.replicate == 1, "seed"].iloc[0])


def test_a_run_equals_the_same_scenario_run_alone(serial):
    from sim import TechTransferModel, load_scenario

    results = load_sweep(serial)
    row = results.manifest.iloc[3]
    scenario = load_scenario("baseline_1952").with_overrides(
        {"office.staff": int(row["office.staff"]), "adoption.own_rate": float(row["adoption.own_rate"])}
    )
    model = TechTransferModel(scenario, rng=int(row["seed"]))
    model.run_until("1953-09-30")
    alone = model.results()
    kept = results.summary.set_index("run_id").loc[row["run_id"]]
    assert kept["requests_created"] == alone.summary["requests_created"]
    assert kept["technology_index"] == alone.summary["technology_index"]


def test_two_workers_give_the_same_store(serial, tmp_path):
    out = tmp_path / "pool"
    run_sweep(write(tmp_path, SMALL), out, workers=2, progress=False)
    assert_same_store(serial, out)


def test_a_dask_cluster_gives_the_same_store(serial, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        out = tmp_path / "dask"
        run_sweep(write(tmp_path, SMALL), out, scheduler=cluster.scheduler_address, progress=False)
    assert_same_store(serial, out)


def test_killed_sweep_is_consistent_and_resumes_to_the_same_store(tmp_path):
    spec = write(tmp_path, SMALL.replace("samples = 5", "samples = 12"))
    reference = tmp_path / "reference"
    run_sweep(spec, reference, workers=1, progress=False)

    out = tmp_path / "killed"
    command = [sys.executable, "-m", "sim", "sweep", str(spec), "--out", str(out), "--workers", "1", "--quiet"]
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + HANG_S
    while time.monotonic() < deadline:
        try:
            done = (load_sweep(out).manifest["status"] == "done").sum()
        except (OSError, ValueError):
            done = 0
        if done >= 4:
            break
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

    cut = load_sweep(out)
    done = cut.manifest[cut.manifest.status == "done"]
    assert 4 <= len(done) < len(cut.manifest), "the kill came too late to test anything"
    assert set(done["run_id"]) <= set(cut.summary["run_id"])
    assert all((out / "runs" / f"{r}.parquet").exists() for r in done["run_id"])

    finished = subprocess.run([*command, "--resume"], cwd=ROOT, capture_output=True, text=True, timeout=HANG_S)
    assert finished.returncode == 0, finished.stderr
    assert_same_store(reference, out)


def test_ctrl_c_keeps_finished_runs_and_exits_130(tmp_path):
    spec = write(tmp_path, SMALL.replace("samples = 5", "samples = 40"))
    out = tmp_path / "interrupted"
    command = [sys.executable, "-m", "sim", "sweep", str(spec), "--out", str(out), "--workers", "1", "--quiet"]
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + HANG_S
    # The signal lands once the first run is saved, on a fast machine as on a busy one (a fixed wait was
    # sometimes still in the worker's start-up, sometimes after the end).
    while time.monotonic() < deadline and process.poll() is None and not list(out.glob("runs/*.parquet")):
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=HANG_S)
    assert process.returncode == 130, stderr
    assert "--resume" in stderr and "Traceback" not in stderr
    manifest = load_sweep(out).manifest
    assert set(manifest["status"]) <= {"pending", "done"}
    assert 1 <= (manifest["status"] == "done").sum() < len(manifest)


def test_a_run_that_raises_is_recorded_and_the_sweep_goes_on(tmp_path, monkeypatch):
    from sim.model import TechTransferModel

    original = TechTransferModel.step

    def failing_step(self):
        if self.params.office.staff == 4:
            raise RuntimeError("deliberate failure at four staff")
        original(self)

    monkeypatch.setattr(TechTransferModel, "step", failing_step)
    spec = write(
        tmp_path,
        SMALL.replace('method = "lhs"\nsamples = 5', 'method = "grid"').replace(
            '"office.staff" = { low = 2, high = 12 }\n"adoption.own_rate" = { low = 0.001, high = 0.01 }',
            '"office.staff" = { values = [3, 4, 5] }',
        ),
    )
    results = run_sweep(spec, tmp_path / "store", workers=1, progress=False)
    manifest = results.manifest
    failed = manifest[manifest.status == "failed"]
    assert list(failed["office.staff"]) == [4, 4]
    assert all("deliberate failure at four staff" in e and "Traceback" in e for e in failed["error"])
    assert (manifest.loc[manifest.status == "done", "office.staff"] != 4).all()
    assert set(results.summary["run_id"]) == set(manifest.loc[manifest.status == "done", "run_id"])


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("seed = 7", "seed = 7\nbogus = 1"), "bogus: unknown key"),
        (('"office.staff" = { low = 2, high = 12 }', '"office.stuff" = { low = 2, high = 12 }'), "unknown key 'stuff'"),
        (('"office.staff" = { low = 2, high = 12 }', '"office.staff" = { low = 0, high = 12 }'), "office.staff"),
        (('"office.staff" = { low = 2, high = 12 }', '"office.staff" = { low = 12, high = 2 }'), "must be below high"),
        (('"office.staff" = { low = 2, high = 12 }', '"office.staff" = { values = [2, 3] }'), "give low and high"),
        (('method = "lhs"', 'method = "halton"'), "design.method"),
        (('method = "lhs"\nsamples = 5', 'method = "sobol"\nsamples = 5'), "power of 2"),
        (("until = 1953-09-30", "until = 1970-01-01"), "outside the run"),
        (('scenario = "baseline_1952"', 'scenario = "nowhere"'), "nowhere"),
        (('"technology_index"]', '"technology_index", "happiness"]'), "unknown figure 'happiness'"),
        (("every = 2", "every = 0"), "keep.every"),
    ],
)
def test_bad_sweep_files_name_file_key_and_what_is_allowed(tmp_path, change, expected):
    old, new = change
    assert old in SMALL
    path = write(tmp_path, SMALL.replace(old, new))
    with pytest.raises(ScenarioError) as caught:
        load_sweep_spec(path)
    message = "\n".join(caught.value.problems)
    assert str(path) in message and expected in message


def test_cli_bad_file_is_one_line_and_exit_2(tmp_path):
    path = write(tmp_path, "title = 'x'\n[design]\nmethod = 'grid'\n")
    done = subprocess.run(
        [sys.executable, "-m", "sim", "sweep", str(path), "--out", str(tmp_path / "o")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_S,
    )
    assert done.returncode == 2 and "parameters" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "o").exists()


def test_resume_refuses_a_different_sweep(serial, tmp_path):
    other = write(tmp_path, SMALL.replace("seed = 7", "seed = 8"))
    with pytest.raises(Exception, match="holds a different sweep"):
        run_sweep(other, serial, workers=1, resume=True, progress=False)


def test_every_example_sweep_file_is_valid():
    files = sorted((ROOT / "sweeps").glob("*.toml"))
    assert {f.stem for f in files} >= {"office_x_adoption", "channels_lhs", "sobol_six"}
    for path in files:
        spec = load_sweep_spec(path)
        assert len(points(spec)) >= 2


ISHIGAMI_S1 = np.array([0.3139, 0.4424, 0.0])
ISHIGAMI_ST = np.array([0.5576, 0.4424, 0.2437])


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_path_recovers_the_ishigami_indices():
    names, bounds = ["x1", "x2", "x3"], [(-np.pi, np.pi)] * 3
    x = sample_unit("sobol", names, bounds, 4096, seed=3)
    table = compute_indices("sobol", names, bounds, x, ishigami(x), seed=3)
    assert np.abs(table["S1"].to_numpy() - ISHIGAMI_S1).max() < 0.03
    assert np.abs(table["ST"].to_numpy() - ISHIGAMI_ST).max() < 0.03
    assert (table["S1_conf"] > 0).all() and (table["S1_conf"] < 0.1).all()


def test_morris_path_gives_the_slopes_of_a_linear_function():
    # For y = 3 x1 - x2 + 0 x3 every elementary effect is the slope: mu* = |slope|, sigma = 0.
    names, bounds = ["x1", "x2", "x3"], [(0.0, 1.0), (0.0, 2.0), (5.0, 6.0)]
    x = sample_unit("morris", names, bounds, 30, seed=3, levels=4)
    y = 3 * x[:, 0] - x[:, 1] + 0 * x[:, 2]
    table = compute_indices("morris", names, bounds, x, y, seed=3, levels=4)
    assert list(table.columns) == ["mu", "mu_star", "mu_star_conf", "sigma"]
    # SALib scales effects to the unit range: slope x width of the range.
    np.testing.assert_allclose(table["mu_star"], [3.0, 2.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(table["mu"], [3.0, -2.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(table["sigma"], 0.0, atol=1e-9)


def test_sobol_sweep_of_the_model_and_analyze_cli(tmp_path):
    text = SMALL.replace('method = "lhs"\nsamples = 5', 'method = "sobol"\nsamples = 4').replace(
        "replicates = 2", "replicates = 1"
    )
    store = tmp_path / "store"
    results = run_sweep(write(tmp_path, text), store, workers=2, progress=False)
    assert len(results.manifest) == 4 * (2 + 2)
    table = sensitivity(results, "requests_fulfilled")
    assert list(table.index) == ["office.staff", "adoption.own_rate"]
    assert list(table.columns) == ["S1", "S1_conf", "ST", "ST_conf"]
    done = subprocess.run(
        [sys.executable, "-m", "sim", "analyze", str(store), "--out", str(tmp_path / "analysis")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_S,
    )
    assert done.returncode == 0, done.stderr
    written = {p.name for p in (tmp_path / "analysis").iterdir()}
    assert "sobol_requests_fulfilled.csv" in written
    plots = {p.name for p in (tmp_path / "analysis" / "plots").iterdir()}
    assert "requests_fulfilled__office.staff.png" in plots and "sobol_requests_fulfilled.png" in plots


# -- issue 16: swept values and events, strict files, what made a store, cheap appends, warnings ----------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('"office.staff" = { low = 2, high = 12 }', '"demand.plan_intensity" = { low = 0.2, high = 0.8 }'),
            "first_five_year_plan (1953-01-01",
        ),
        (('method = "lhs"\nsamples = 5', 'method = "grid"'), "a grid over a range needs num"),
        (("samples = 5", "samples = 5\nlevels = 3"), "levels (got 3) is for a morris design"),
        (
            (
                'summary = ["requests_created", "requests_fulfilled", "lead_time_days_mean", "technology_index"]',
                "summary = []",
            ),
            "summary = [] would keep no figure",
        ),
    ],
)
def test_sweep_files_refuse_shadowed_axes_and_loose_keys(tmp_path, change, expected):
    old, new = change
    text = SMALL.replace(old, new)
    with pytest.raises(ScenarioError) as caught:
        load_sweep_spec(write(tmp_path, text))
    assert expected in "\n".join(caught.value.problems)


def test_check_refuses_quoted_numbers_mixed_values_and_axes_on_one_cell(tmp_path):
    grid = SMALL.replace('method = "lhs"\nsamples = 5', 'method = "grid"')
    cases = {
        "quoted.toml": (
            grid.replace('"office.staff" = { low = 2, high = 12 }', '"office.staff" = { values = ["4", "8"] }'),
            "write it without quotes",
        ),
        "mixed.toml": (
            grid.replace('"office.staff" = { low = 2, high = 12 }', '"office.staff" = { values = [4, "eight"] }'),
            "mix numbers and text",
        ),
        "cells.toml": (
            grid.replace(
                '"office.staff" = { low = 2, high = 12 }',
                '"soviet.approval" = { values = [0.5, 0.9], events = "keep" }\n'
                '"soviet.approval.blueprints" = { values = [0.2], events = "keep" }',
            ),
            "one would silently win",
        ),
    }
    for name, (text, expected) in cases.items():
        path = write(tmp_path, text.replace('"adoption.own_rate" = { low = 0.001, high = 0.01 }', ""), name)
        done = subprocess.run(
            [sys.executable, "-m", "sim", "check", str(path)], cwd=ROOT, capture_output=True, text=True, timeout=HANG_S
        )
        assert done.returncode == 2 and expected in done.stderr and str(path) in done.stderr, (name, done.stderr)
        assert "Traceback" not in done.stderr
    shipped = subprocess.run(
        [sys.executable, "-m", "sim", "check", *map(str, sorted((ROOT / "sweeps").glob("*.toml")))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_S,
    )
    assert shipped.returncode == 0, shipped.stderr


def test_a_sweep_of_an_event_value_and_a_kept_axis_runs_what_it_says(tmp_path):
    text = SMALL.replace(
        '"office.staff" = { low = 2, high = 12 }\n"adoption.own_rate" = { low = 0.001, high = 0.01 }',
        '"events.first_five_year_plan.demand.plan_intensity" = { low = 0.4, high = 2.0 }\n'
        '"soviet.approval" = { low = 0.5, high = 1.0, events = "keep" }',
    )
    results = run_sweep(write(tmp_path, text), tmp_path / "store", workers=1, progress=False)
    created = results.summary.groupby("point")["requests_created"].mean()
    intensity = results.summary.groupby("point")["events.first_five_year_plan.demand.plan_intensity"].first()
    assert np.corrcoef(intensity, created)[0, 1] > 0.8  # the event's value acts through 1953


def test_store_records_what_made_it_and_resume_refuses_a_changed_base(tmp_path):
    import json

    (tmp_path / "base.toml").write_text('extends = "baseline_1952"\n[office]\nstaff = 8\n')
    spec = write(tmp_path, SMALL.replace('scenario = "baseline_1952"', 'scenario = "base.toml"'))
    out = tmp_path / "store"
    run_sweep(spec, out, workers=1, progress=False)
    made = json.loads((out / "sweep.json").read_text())["made_from"]
    assert made["version"] and made["base"]["office"]["staff"] == 8 and len(made["base_sha256"]) == 64
    assert made["sweep_file"] == spec.read_text()
    (tmp_path / "base.toml").write_text('extends = "baseline_1952"\n[office]\nstaff = 9\n')
    command = [sys.executable, "-m", "sim", "sweep", str(spec), "--out", str(out), "--resume", "--quiet"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=HANG_S)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "base scenario" in done.stderr and "office.staff: 8 -> 9" in done.stderr
    again = subprocess.run([*command[:-2], "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=HANG_S)
    assert again.returncode == 2 and "--resume" in again.stderr and "--force" not in again.stderr


def test_a_kill_at_creation_leaves_a_store_that_resume_finishes_identically(tmp_path):
    spec = write(tmp_path, SMALL)
    reference = tmp_path / "reference"
    run_sweep(spec, reference, workers=1, progress=False)
    for delay in (0.0, 0.3, 0.6, 0.9, 1.2):
        out = tmp_path / f"killed{delay}"
        command = [sys.executable, "-m", "sim", "sweep", str(spec), "--out", str(out), "--workers", "1", "--quiet"]
        process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
        deadline = time.monotonic() + HANG_S
        while (
            time.monotonic() < deadline and not list(tmp_path.glob(f".killed{delay}.creating-*")) and not out.exists()
        ):
            time.sleep(0.002)
        time.sleep(delay / 10)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        finished = subprocess.run([*command, "--resume"], cwd=ROOT, capture_output=True, text=True, timeout=HANG_S)
        assert finished.returncode == 0, finished.stderr
        assert_same_store(reference, out)
        assert not list(tmp_path.glob(f".killed{delay}.creating-*"))


def test_a_flush_writes_only_the_runs_since_the_last_one(tmp_path):
    from sim.sweep.store import OUTCOMES, Store

    spec = load_sweep_spec(write(tmp_path, SMALL))
    store = Store.open(tmp_path / "store", spec, resume=False)
    for run_id in store.manifest["run_id"][:3]:
        store.record(
            {
                "run_id": run_id,
                "status": "done",
                "error": "",
                "seconds": 1.0,
                "summary": {"requests_created": 1},
                "timeseries": None,
            }
        )
        store.flush()
    parts = sorted((tmp_path / "store" / OUTCOMES).glob("*.parquet"))
    assert [len(pd.read_parquet(p)) for p in parts] == [1, 1, 1]
    store.compact()
    parts = sorted((tmp_path / "store" / OUTCOMES).glob("*.parquet"))
    assert [len(pd.read_parquet(p)) for p in parts] == [3]
    assert (load_sweep(tmp_path / "store").manifest["status"] == "done").sum() == 3


def test_a_lost_dask_scheduler_is_one_line_and_resume_finishes(tmp_path):
    import socket

    spec = write(tmp_path, SMALL.replace("samples = 5", "samples = 12"))
    reference = tmp_path / "reference"
    run_sweep(spec, reference, workers=1, progress=False)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).parent / "dask")
    scheduler = subprocess.Popen(
        [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--dashboard-address", ":0"],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [
            dask,
            "worker",
            address,
            "--nworkers",
            "1",
            "--nthreads",
            "1",
            "--host",
            "127.0.0.1",
            "--dashboard-address",
            ":0",
        ],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    out = tmp_path / "dask"
    command = [sys.executable, "-m", "sim", "sweep", str(spec), "--out", str(out), "--quiet"]
    try:
        sweep = subprocess.Popen([*command, "--scheduler", address], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + HANG_S
        done = 0
        while time.monotonic() < deadline and done < 3:
            with contextlib.suppress(OSError, ValueError):
                done = (load_sweep(out).manifest["status"] == "done").sum()
            time.sleep(0.1)
        os.killpg(scheduler.pid, signal.SIGKILL)
        _, stderr = sweep.communicate(timeout=HANG_S)
    finally:
        for process in (scheduler, worker):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert sweep.returncode == 2, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "lost the Dask scheduler" in lines[0] and "--resume" in lines[0], stderr
    finished = subprocess.run(
        [*command, "--workers", "1", "--resume"], cwd=ROOT, capture_output=True, text=True, timeout=HANG_S
    )
    assert finished.returncode == 0, finished.stderr
    assert_same_store(reference, out)


def test_analyze_warns_of_a_small_sobol_design_and_tables_every_design(tmp_path):
    from sim.sweep.analysis import design_warnings

    table = pd.DataFrame(
        {"S1": [2.19, 0.1], "S1_conf": [1.4, 0.3], "ST": [0.5, 0.2], "ST_conf": [0.2, 0.1]}, index=["a", "b"]
    )
    [line] = design_warnings(table, "sobol", "x", 16, 2)
    assert "S1(a) = 2.19 ± 1.40" in line and "samples = 4096" in line  # 16 * (1.4 / 0.1)^2 = 3136 -> 4096
    fine = pd.DataFrame({"S1": [0.5], "S1_conf": [0.05], "ST": [0.6], "ST_conf": [0.05]}, index=["a"])
    assert design_warnings(fine, "sobol", "x", 1024, 1) == []


def test_analyze_writes_a_point_table_for_a_grid(tmp_path):
    text = SMALL.replace('method = "lhs"\nsamples = 5', 'method = "grid"').replace(
        '"office.staff" = { low = 2, high = 12 }\n"adoption.own_rate" = { low = 0.001, high = 0.01 }',
        '"office.staff" = { values = [3, 9] }',
    )
    run_sweep(write(tmp_path, text), tmp_path / "store", workers=1, progress=False)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "analyze",
            str(tmp_path / "store"),
            "--out",
            str(tmp_path / "analysis"),
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_S,
    )
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(tmp_path / "analysis" / "points_requests_created.csv", index_col="point")
    assert list(table["office.staff"]) == [3, 9] and list(table["runs"]) == [2, 2]
    assert {"mean", "std", "q05", "q95"} <= set(table.columns)
