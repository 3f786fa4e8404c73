"""The command line, end to end, in fresh processes (``python -m sim ...``)."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from hang import HANG_S

from sim import CATEGORIES, SECTOR_KEYS, Scenario, Stage, load_scenario
from sim.outputs import HEADLINE_FIGURES
from sim.path import STAGE_DATE_COLUMNS
from sim.scenario import library

ROOT = Path(__file__).parent.parent
BAD = Path(__file__).parent / "bad_scenarios"
UNTIL = "1954-06-30"
PLOTS = {"requests_by_stage.png", "sets_supplied.png", "adoption.png", "office_queue.png"}
CUMULATIVE = [
    "requests_created",
    "requests_fulfilled",
    "requests_rejected",
    *[f"sets_delivered_{c}" for c in CATEGORIES],
]


def sim(*args: str, timeout: float = HANG_S) -> subprocess.CompletedProcess:
    """Run ``python -m sim ARGS`` in a fresh process from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# -- a short run ------------------------------------------------------------------


@pytest.fixture(scope="module")
def short_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("cli") / "run"
    done = sim("run", "baseline_1952", "--until", UNTIL, "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out, done


def test_run_writes_every_output_and_nothing_else(short_run):
    out, _ = short_run
    names = {p.name for p in out.iterdir()}
    assert names == {
        "timeseries.parquet",
        "timeseries.csv",
        "requests.parquet",
        "requests.csv",
        "summary.json",
        "plots",
    }
    for name in names - {"plots"}:
        assert (out / name).stat().st_size > 0, name
    plots = {p.name for p in (out / "plots").glob("*.png")}
    assert plots >= PLOTS
    for plot in plots:
        assert (out / "plots" / plot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", plot
    assert hidden(out.parent) == []  # no partial folder left beside it


def test_timeseries_has_one_row_per_step_and_the_required_columns(short_run):
    out, _ = short_run
    ts = pd.read_parquet(out / "timeseries.parquet")
    csv = pd.read_csv(out / "timeseries.csv", parse_dates=["date"], index_col="date")
    assert ts.index.name == "date" and csv.index.name == "date"
    assert pd.api.types.is_datetime64_any_dtype(ts.index)
    assert ts.index[0] == pd.Timestamp("1952-09-06")
    last = ts.index[-1].date()
    assert dt.date(1954, 6, 30) <= last < dt.date(1954, 7, 7)  # --until is reached, not overshot by a step
    assert (ts.index.to_series().diff().dropna() == pd.Timedelta(days=7)).all()
    assert len(ts) == len(csv)
    assert list(csv.index) == list(ts.index)
    required = ["requests_created", "requests_in_flight", "requests_fulfilled", "requests_rejected", "office_queue"]
    required += [f"sets_delivered_{c}" for c in CATEGORIES] + [f"adoption_{c}" for c in CATEGORIES]
    missing = [column for column in required if column not in ts or column not in csv]
    assert missing == []
    pd.testing.assert_frame_equal(
        csv[required], ts[required], check_dtype=False, check_index_type=False, check_freq=False
    )


def test_timeseries_values_are_consistent(short_run):
    out, _ = short_run
    ts = pd.read_parquet(out / "timeseries.parquet")
    for column in CUMULATIVE:
        assert ts[column].is_monotonic_increasing, column
    assert ts["requests_created"].iloc[-1] > 0 and ts["requests_fulfilled"].iloc[-1] > 0
    assert sum(ts[f"sets_delivered_{c}"].iloc[-1] for c in CATEGORIES) > 0
    shares = ts[[f"adoption_{c}" for c in CATEGORIES]]
    assert shares.notna().all().all()
    assert ((shares >= 0) & (shares <= 1)).all().all()
    assert (ts["office_queue"] >= 0).all()
    conserved = ts["requests_in_flight"] + ts["requests_fulfilled"] + ts["requests_rejected"]
    assert (ts["requests_created"] == conserved).all()


def test_ledger_has_one_row_per_request_and_a_date_per_stage(short_run):
    out, _ = short_run
    ledger = pd.read_parquet(out / "requests.parquet")
    ts = pd.read_parquet(out / "timeseries.parquet")
    for column in ["request_id", "category", "ministry", "status"]:
        assert column in ledger, column
    for stage in Stage:
        column = STAGE_DATE_COLUMNS[stage]
        assert pd.api.types.is_datetime64_any_dtype(ledger[column]), column
    assert ledger["request_id"].is_unique
    assert len(ledger) == ts["requests_created"].iloc[-1]
    assert set(ledger["category"]) <= set(CATEGORIES)
    assert set(ledger["ministry"]) <= set(SECTOR_KEYS)
    assert set(ledger["status"]) <= {s.key for s in Stage}
    delivered = ledger[ledger["status"] == Stage.DELIVERED.key]
    assert len(delivered) == ts["requests_fulfilled"].iloc[-1]
    assert (delivered["delivered"] >= delivered["created"]).all()
    assert ledger["created"].notna().all()
    assert len(pd.read_csv(out / "requests.csv")) == len(ledger)


def test_summary_json_records_figures_scenario_seed_and_versions(short_run):
    out, _ = short_run
    meta = json.loads((out / "summary.json").read_text())
    assert {"summary", "scenario", "seed", "versions"} <= set(meta)
    assert meta["seed"] == 1952 == meta["scenario"]["seed"]
    scenario = Scenario.model_validate(meta["scenario"])  # the resolved scenario, complete
    assert scenario == load_scenario("baseline_1952")
    assert len(meta["scenario"]["events"]) == len(scenario.events) > 0
    assert meta["versions"]["mesa"].startswith("3.5")
    assert {"python", "numpy", "pandas", "pydantic"} <= set(meta["versions"])
    ts = pd.read_parquet(out / "timeseries.parquet")
    summary = meta["summary"]
    for column in ["requests_created", "requests_fulfilled", "requests_rejected", "requests_in_flight"]:
        assert summary[column] == ts[column].iloc[-1], column
    assert summary["reached"] == ts.index[-1].date().isoformat()


def test_run_prints_a_summary_table(short_run):
    out, done = short_run
    meta = json.loads((out / "summary.json").read_text())
    lines = done.stdout.splitlines()
    assert lines[0] == meta["scenario"]["title"]
    assert "seed 1952" in lines[1] and "1952-09-06" in lines[1]
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:] if line.startswith("  ")}
    assert {"figure", *HEADLINE_FIGURES} <= set(rows)
    assert rows["requests_created"][0] == f"{meta['summary']['requests_created']:,}"
    assert rows["requests_fulfilled"][0] == f"{meta['summary']['requests_fulfilled']:,}"
    assert lines[-1] == f"results in {out}/"
    assert "Traceback" not in done.stderr


def test_baseline_to_mid_1953_completes_in_a_fresh_process(tmp_path):
    out = tmp_path / "out"
    done = sim("run", "baseline_1952", "--until", "1953-06-30", "--no-plots", "--quiet", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # --quiet
    meta = json.loads((out / "summary.json").read_text())
    assert dt.date(1953, 6, 30) <= dt.date.fromisoformat(meta["summary"]["reached"]) < dt.date(1953, 7, 7)
    assert not (out / "plots").exists()  # --no-plots


# -- --set and --seed -------------------------------------------------------------


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory) -> dict[str, dict]:
    """The same short run three ways: as is, with --seed 1952 (the file's own), and changed."""
    root = tmp_path_factory.mktemp("seeds")
    common = ["run", "baseline_1952", "--until", "1953-06-30", "--no-plots", "--quiet"]
    variants = {
        "plain": [],
        "same_seed": ["--seed", "1952"],
        "changed": ["--set", "office.staff=16", "--set", "soviet.approval.blueprints=0.5", "--seed", "77"],
    }
    with ThreadPoolExecutor(max_workers=3) as pool:
        runs = pool.map(lambda k: sim(*common, *variants[k], "--out", str(root / k)), variants)
        done = dict(zip(variants, runs, strict=True))
    for name, process in done.items():
        assert process.returncode == 0, (name, process.stderr)
    return {
        name: {
            "meta": json.loads((root / name / "summary.json").read_text()),
            "ts": pd.read_parquet(root / name / "timeseries.parquet"),
        }
        for name in variants
    }


def test_set_is_reflected_in_the_recorded_scenario(three_runs):
    plain, changed = three_runs["plain"]["meta"], three_runs["changed"]["meta"]
    assert plain["scenario"]["office"]["staff"] == 24
    assert changed["scenario"]["office"]["staff"] == 16
    assert changed["scenario"]["soviet"]["approval"]["blueprints"] == 0.5
    assert changed["scenario"]["soviet"]["approval"]["norms"] == plain["scenario"]["soviet"]["approval"]["norms"]


def test_seed_changes_the_seed_and_the_results(three_runs):
    plain, same, changed = (three_runs[k] for k in ("plain", "same_seed", "changed"))
    assert (plain["meta"]["seed"], same["meta"]["seed"], changed["meta"]["seed"]) == (1952, 1952, 77)
    assert changed["meta"]["scenario"]["seed"] == 77
    pd.testing.assert_frame_equal(plain["ts"], same["ts"])  # the seed, not chance, decides
    assert not plain["ts"]["requests_created"].equals(changed["ts"]["requests_created"])


# -- the output folder ------------------------------------------------------------


def test_non_empty_out_is_refused_without_force_and_replaced_with_it(tmp_path):
    out = tmp_path / "taken"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    done = sim("run", "baseline_1952", "--until", "1953-01-31", "--out", str(out))
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {out}: ")
    assert "not empty" in done.stderr and "--force" in done.stderr
    assert "Traceback" not in done.stderr
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    assert (out / "mine.txt").read_text() == "keep me"
    assert hidden(tmp_path) == []

    done = sim("run", "baseline_1952", "--until", "1953-01-31", "--no-plots", "--out", str(out), "--force")
    assert done.returncode == 0, done.stderr
    assert not (out / "mine.txt").exists()
    assert {p.name for p in out.iterdir()} >= {"summary.json", "timeseries.parquet", "requests.parquet"}
    assert hidden(tmp_path) == []  # neither the partial nor the old folder is left


def test_an_existing_empty_out_folder_is_used(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    done = sim("run", "baseline_1952", "--until", "1953-01-31", "--no-plots", "--quiet", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert (out / "summary.json").is_file()


# -- bad input --------------------------------------------------------------------

RUN = ["run", "baseline_1952", "--until", "1953-01-31"]
BAD_INPUT = {
    "missing file": (
        ["run", "no_such_scenario"],
        ["no_such_scenario: no such scenario file", "the library has: baseline_1952"],
    ),
    "bad TOML": (
        ["run", str(BAD / "bad_toml.toml")],
        [f"{BAD / 'bad_toml.toml'}: not valid TOML", "line 1"],
    ),
    "bad --set path": (
        [*RUN, "--set", "office.stuff=3"],
        ["--set: office.stuff: unknown key 'stuff' in office", "valid keys: open, staff"],
    ),
    "bad --set category": (
        [*RUN, "--set", "soviet.approval.steel=0.3"],
        ["soviet.approval.steel", "valid keys: " + ", ".join(CATEGORIES)],
    ),
    "bad --set value": (
        [*RUN, "--set", "office.staff=-3"],
        ["--set: office.staff:", "greater than or equal to 1", "(got -3)", "[persons; 1 to 1000]"],
    ),
    "bad --set broadcast value": (
        [*RUN, "--set", "soviet.approval=1.5"],
        ["--set: soviet.approval:", "(got 1.5)", "[probability; 0 to 1]"],
    ),
    "bad --set type": (
        [*RUN, "--set", "office.open=yes"],
        ["--set: office.open:", "(got 'yes')", "true or false"],
    ),
    "bad --set choice": (
        [*RUN, "--set", "office.discipline=lifo"],
        ["--set: office.discipline:", "(got 'lifo')", "'fifo' or 'priority'"],
    ),
    "--set without =": (
        [*RUN, "--set", "office.staff"],
        ["--set 'office.staff'", "key.path=value", "--set office.staff=16"],
    ),
    "--set static cutting events": (
        [*RUN, "--set", "time.end=1955-12-31"],
        ["--set:", "(plan_peak_1956)", "outside the run 1952-09-06 to 1955-12-31"],
    ),
    "--until after the end": (
        ["run", "baseline_1952", "--until", "1970-01-01"],
        ["--until 1970-01-01", "outside the run", "after 1952-09-06 and up to 1962-12-31"],
    ),
    "--until before the start": (
        ["run", "baseline_1952", "--until", "1952-09-06"],
        ["--until 1952-09-06", "outside the run", "after 1952-09-06 and up to 1962-12-31"],
    ),
    "--until not a date": (
        ["run", "baseline_1952", "--until", "soon"],
        ["'soon' is not a date", "YYYY-MM-DD"],
    ),
    "negative --seed": (
        ["run", "baseline_1952", "--seed", "-1"],
        ["--seed: seed:", "greater than or equal to 0", "(got -1)"],
    ),
}


@pytest.fixture(scope="module")
def bad_runs(tmp_path_factory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    """Every bad input in its own fresh process and folder, run side by side."""

    def attempt(case: str) -> tuple[Path, subprocess.CompletedProcess]:
        folder = tmp_path_factory.mktemp("bad")
        args, _ = BAD_INPUT[case]
        return folder, sim(*args, "--out", str(folder / "out"), timeout=HANG_S)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(BAD_INPUT, pool.map(attempt, BAD_INPUT), strict=True))


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_exits_2_with_one_clear_line(bad_runs, case):
    folder, done = bad_runs[case]
    _, fragments = BAD_INPUT[case]
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"
    assert list(folder.iterdir()) == []  # no output folder, no partial folder


def test_out_that_cannot_be_a_folder_is_refused_before_the_run(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    for out in [blocker, blocker / "out"]:
        done = sim("run", "baseline_1952", "--out", str(out))
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith(f"error: {out}: ") or done.stderr.startswith(f"error: --out {out}: ")
        assert "folder" in done.stderr and "Traceback" not in done.stderr
        assert done.stdout == ""
    assert blocker.read_text() == "not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


def test_out_that_contains_the_working_folder_is_refused(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "keep.txt").write_text("keep")
    done = subprocess.run(
        [sys.executable, "-m", "sim", "run", "baseline_1952", "--until", "1953-01-31", "--out", ".", "--force"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=HANG_S,
    )
    assert done.returncode == 2
    assert "current folder" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in work.iterdir()) == ["keep.txt"]


def test_argparse_errors_also_exit_2(tmp_path):
    done = sim("run", "baseline_1952", "--seed", "abc", "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "invalid int value: 'abc'" in done.stderr
    done = sim("run", "baseline_1952")
    assert done.returncode == 2 and "--out" in done.stderr
    assert "Traceback" not in done.stderr and list(tmp_path.iterdir()) == []


# -- list and check ---------------------------------------------------------------


def test_list_shows_every_library_scenario_with_its_title():
    done = sim("list")
    assert done.returncode == 0, done.stderr
    lines = [line.strip() for line in done.stdout.splitlines()]
    for name in library():
        scenario = load_scenario(name)
        assert name in lines, name
        assert lines[lines.index(name) + 1] == scenario.title


def test_check_passes_every_library_file():
    files = sorted((ROOT / "scenarios").glob("*.toml"))
    done = sim("check", *[str(p) for p in files])
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    for path in files:
        assert f"ok  {path}: {load_scenario(path).title}" in done.stdout


# -- interrupted runs -------------------------------------------------------------

READY = "import sys; from sim.cli import main; print('ready', flush=True); sys.exit(main(sys.argv[1:]))"


def _start(out: Path, *, wrapped: bool) -> subprocess.Popen:
    """Start a full baseline run; ``wrapped`` says 'ready' once the package is imported."""
    command = [sys.executable, "-c", READY] if wrapped else [sys.executable, "-m", "sim"]
    return subprocess.Popen(
        [*command, "run", "baseline_1952", "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(condition, timeout: float = HANG_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.01)


def _stop(process: subprocess.Popen, sig: signal.Signals) -> tuple[str, str]:
    if process.poll() is None:
        os.kill(process.pid, sig)
    try:
        return process.communicate(timeout=HANG_S)
    finally:
        process.kill()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_run_interrupted_after_a_second_leaves_nothing_that_looks_complete(tmp_path, sig):
    out = tmp_path / "out"
    process = _start(out, wrapped=False)
    time.sleep(1.0)  # may land while Python is still importing: that too must end cleanly
    _, stderr = _stop(process, sig)
    if process.returncode == 0:
        pytest.skip("the run finished before the signal")
    assert not out.exists()
    if sig == signal.SIGINT:
        assert process.returncode == 130, stderr
        assert "Traceback" not in stderr and "nothing was written" in stderr
        assert hidden(tmp_path) == []
    else:
        assert process.returncode == -signal.SIGKILL
        assert all(name.startswith(".out.partial-") for name in hidden(tmp_path))
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == []


def test_run_interrupted_while_modelling_exits_130_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    process = _start(out, wrapped=True)
    assert process.stdout.readline().strip() == "ready"
    time.sleep(0.3)  # into the run proper: loading, building, stepping
    _, stderr = _stop(process, signal.SIGINT)
    if process.returncode == 0:
        pytest.skip("the run finished before the signal")
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1] == "interrupted: nothing was written"
    assert "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_run_interrupted_while_saving_leaves_no_complete_looking_folder(tmp_path, sig):
    out = tmp_path / "out"
    process = _start(out, wrapped=True)
    assert process.stdout.readline().strip() == "ready"
    _wait_for(lambda: hidden(tmp_path) or process.poll() is not None)  # the partial folder appears
    _, stderr = _stop(process, sig)
    if process.returncode == 0:
        pytest.skip("the save finished before the signal")
    assert not out.exists()
    if sig == signal.SIGINT:
        assert process.returncode == 130, stderr
        assert "nothing was written" in stderr and "Traceback" not in stderr
        assert list(tmp_path.iterdir()) == []  # the partial folder is cleaned up
    else:
        leftovers = hidden(tmp_path)
        assert leftovers and all(name.startswith(".out.partial-") for name in leftovers)
        assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == []


# -- issue 16: the command as a researcher meets it ----------------------------------------------


def test_the_bare_command_lists_the_commands_and_version_is_shown():
    bare = sim()
    assert bare.returncode == 0 and "usage: python -m sim" in bare.stdout
    for command in ("run", "check", "sweep", "analyze", "calibrate"):
        assert command in bare.stdout
    version = sim("--version")
    assert version.returncode == 0 and version.stdout.startswith("ziliao ")
    script = Path(sys.executable).parent / "ziliao"
    if script.exists():
        helped = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=HANG_S)
        assert helped.stdout.startswith("usage: ziliao")


def test_params_prints_an_aligned_table_and_markdown_on_request():
    plain = sim("params")
    assert plain.returncode == 0 and "|" not in plain.stdout and "office.staff" in plain.stdout
    assert "|---" in sim("params", "--markdown").stdout


def test_set_of_a_value_events_overwrite_is_refused_unless_said(tmp_path):
    refused = sim("run", "baseline_1952", "--set", "demand.plan_intensity=0.5", "--out", str(tmp_path / "a"))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "first_five_year_plan (1953-01-01" in refused.stderr and "--events keep" in refused.stderr
    kept = sim(
        "run",
        "baseline_1952",
        "--set",
        "demand.plan_intensity=0.5",
        "--events",
        "keep",
        "--until",
        "1953-03-31",
        "--no-plots",
        "--quiet",
        "--out",
        str(tmp_path / "b"),
    )
    assert kept.returncode == 0, kept.stderr
    early = sim(
        "run",
        "baseline_1952",
        "--set",
        "soviet.approval=0.5",
        "--until",
        "1953-03-31",
        "--no-plots",
        "--quiet",
        "--out",
        str(tmp_path / "c"),
    )
    assert early.returncode == 0, early.stderr  # the 1960 cancellation is after --until


def test_a_shipped_sweep_is_found_by_name():
    from sim.sweep import load_sweep_spec

    assert load_sweep_spec("office_x_adoption").title == "Office staff against own adoption rate"
    assert sim("check", "office_x_adoption").returncode == 0
    missing = sim("check", "no_such_sweep_or_scenario")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_marker_rows_keep_close_numbers_apart():
    """Numbers closer than the gap go down a row; a row is reused once the gap is passed."""
    from sim.charts import marker_rows

    assert marker_rows([0.0, 0.1, 0.2, 5.0, 5.01, 5.02, 9.0], span=10.0, gap=0.03) == [0, 1, 2, 0, 1, 2, 0]
    assert marker_rows([], span=1.0) == []
