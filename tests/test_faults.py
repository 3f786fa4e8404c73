"""Faults of input and of the machine: each ends in one clear line and the documented exit status.

Every case feeds the bad input through the command line (:func:`sim.cli.main`, or
``python -m sim`` in a fresh process where a crash of the interpreter itself is
the risk) and checks the exit status, that stderr is one line naming the file,
the key and the value, that there is no traceback and that no output folder
was left behind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hang import HANG_S

from sim.cli import main
from sim.limits import EXTENDS_DEPTH, NESTING_DEPTH, TEXT_LENGTH

ROOT = Path(__file__).parent.parent


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``python -m sim ARGV`` in this process: (status, stdout, stderr)."""
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def fresh(*argv: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run ``python -m sim ARGV`` in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "sim", *map(str, argv)], capture_output=True, text=True, cwd=cwd, env=env, timeout=HANG_S
    )


def refused(status: int, err: str, *fragments: str) -> None:
    """Exit 2, one line on stderr holding every fragment, no traceback."""
    assert status == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- 1. depth ------------------------------------------------------------------------


def test_an_extends_chain_of_a_thousand_files_is_refused_at_the_documented_depth(tmp_path):
    for i in range(1000):
        body = f'extends = "c{i + 1}.toml"\ntitle = "c{i}"\n' if i < 999 else 'title = "end"\n'
        write(tmp_path / f"c{i}.toml", body)
    result = fresh("check", tmp_path / "c0.toml")
    refused(result.returncode, result.stderr, f"c{EXTENDS_DEPTH - 1}.toml: extends: 'c{EXTENDS_DEPTH}.toml'")
    assert f"at most {EXTENDS_DEPTH} files" in result.stderr
    assert "RecursionError" not in result.stderr


def test_a_chain_at_the_limit_loads(tmp_path):
    for i in range(EXTENDS_DEPTH - 1):  # and baseline_1952 makes EXTENDS_DEPTH files
        last = i == EXTENDS_DEPTH - 2
        write(tmp_path / f"c{i}.toml", 'extends = "baseline_1952"\n' if last else f'extends = "c{i + 1}.toml"\n')
    from sim import load_scenario

    assert load_scenario(tmp_path / "c0.toml").office.staff > 0


@pytest.mark.parametrize(
    "body",
    [
        "v = " + "[" * 5000 + "]" * 5000,
        "v = " + "{a = " * 3000 + "1" + "}" * 3000,
        "[" + ".".join(["v"] * 5000) + "]\nb = 1",
        "v = " + "[" * (NESTING_DEPTH + 1) + "]" * (NESTING_DEPTH + 1),
    ],
    ids=["arrays", "inline-tables", "dotted-tables", "just-past-the-limit"],
)
def test_deeply_nested_tables_and_arrays_are_refused(tmp_path, body):
    path = write(tmp_path / "deep.toml", f'title = "deep"\n{body}\n')
    result = fresh("check", path)
    refused(result.returncode, result.stderr, f"{path}:", f"nested more than {NESTING_DEPTH} deep")
    assert "RecursionError" not in result.stderr


# -- 2. text that reaches matplotlib ---------------------------------------------------


def test_dollars_in_a_title_and_a_label_are_drawn_literally(tmp_path, capsys):
    path = write(
        tmp_path / "dollars.toml",
        'extends = "baseline_1952"\ntitle = "cost $x^$ (draft)"\n'
        '[[events]]\nid = "d"\ndate = 1953-01-01\nlabel = "price $5 ^_^ $"\nset = { "office.staff" = 30 }\n',
    )
    status, _, err = cli(capsys, "run", path, "--out", tmp_path / "out", "--until", "1953-03-31", "--quiet")
    assert status == 0, err
    plots = sorted(p.name for p in (tmp_path / "out" / "plots").iterdir())
    assert len(plots) == 5 and all(p.endswith(".png") for p in plots)


def test_dollars_in_a_compared_title_are_drawn_literally(tmp_path, capsys):
    # The file's name labels the legend; its title heads the report.
    path = write(tmp_path / "cost$x^$.toml", 'extends = "baseline_1952"\ntitle = "cost $x^$ (draft)"\n')
    out = tmp_path / "compared"
    status, _, err = cli(capsys, "compare", path, "baseline_1952", "--out", out, "--until", "1953-03-31")
    assert status == 0, err
    assert any(p.suffix == ".png" for p in out.rglob("*"))


@pytest.mark.parametrize("where", ["title", "label"])
def test_a_title_or_label_past_the_limit_is_refused(tmp_path, capsys, where):
    long = "x" * (TEXT_LENGTH + 1)
    body = (
        f'title = "{long}"\n'
        if where == "title"
        else (
            f'extends = "baseline_1952"\n[[events]]\nid = "e"\ndate = 1953-01-01\nlabel = "{long}"\n'
            'set = { "office.staff" = 30 }\n'
        )
    )
    path = write(tmp_path / "long.toml", body)
    status, _, err = cli(capsys, "check", path)
    refused(status, err, f"{path}:", where, f"at most {TEXT_LENGTH} characters", f"({TEXT_LENGTH + 1} characters)")


# -- 4. silent acceptance --------------------------------------------------------------


def test_an_event_on_the_last_day_is_refused(tmp_path, capsys):
    path = write(
        tmp_path / "late.toml",
        'extends = "baseline_1952"\n[[events]]\nid = "late"\ndate = 1962-12-31\nlabel = "x"\n'
        'set = { "office.staff" = 5 }\n',
    )
    status, _, err = cli(capsys, "check", path)
    refused(status, err, f"{path}:", "(late)", "1962-12-31", "before the end (1962-12-31)")


def test_an_event_that_sets_one_path_twice_is_refused(tmp_path, capsys):
    path = write(
        tmp_path / "twice.toml",
        'extends = "baseline_1952"\n[[events]]\nid = "twice"\ndate = 1955-01-01\nlabel = "x"\n'
        '[events.set]\n"office.staff" = 5\n[events.set.office]\nstaff = 6\n',
    )
    status, _, err = cli(capsys, "check", path)
    refused(status, err, f"{path}:", "(twice).set", "'office.staff' twice (5 and 6)")


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_an_empty_scenario_file_is_refused(tmp_path, capsys, text):
    path = write(tmp_path / "empty.toml", text)
    status, _, err = cli(capsys, "check", path)
    refused(status, err, f"{path}: empty: give at least extends or a title")
    status, _, err = cli(capsys, "run", path, "--out", tmp_path / "out")
    refused(status, err, "empty")
    assert not (tmp_path / "out").exists()


# -- 5. misleading messages --------------------------------------------------------------


def test_a_byte_order_mark_is_accepted(tmp_path, capsys):
    path = tmp_path / "bom.toml"
    path.write_bytes('\ufeffextends = "baseline_1952"\ntitle = "with a mark"\n'.encode())
    status, out, err = cli(capsys, "check", path)
    assert status == 0, err
    assert "with a mark" in out


def test_a_sweep_file_with_a_byte_order_mark_is_accepted(tmp_path, capsys):
    path = tmp_path / "bom_sweep.toml"
    text = (ROOT / "sweeps" / "office_x_adoption.toml").read_text(encoding="utf-8")
    path.write_bytes(("\ufeff" + text).encode())
    status, out, err = cli(capsys, "check", path)
    assert status == 0, err
    assert out.startswith("ok")


def test_a_symlink_loop_is_reported_as_a_loop(tmp_path, capsys):
    os.symlink(tmp_path / "b.toml", tmp_path / "a.toml")
    os.symlink(tmp_path / "a.toml", tmp_path / "b.toml")
    status, _, err = cli(capsys, "check", tmp_path / "a.toml")
    refused(status, err, "a.toml: is a symbolic link loop")
    assert "no such" not in err
    os.symlink(tmp_path / "gone.toml", tmp_path / "dangling.toml")
    status, _, err = cli(capsys, "check", tmp_path / "dangling.toml")
    refused(status, err, "dangling.toml: is a symbolic link to", "gone.toml, which does not exist")


@pytest.mark.parametrize(
    ("line", "fragments"),
    [
        ("[soviet]\napproval = nan", ["soviet.approval: not a number (nan)", "0 to 1"]),
        (
            "[office]\nrequests_per_staff_week = inf",
            ["office.requests_per_staff_week: not finite (inf)", "0.01 to 1000"],
        ),
        ("[office]\nrequests_per_staff_week = -inf", ["not finite (-inf)", "0.01 to 1000"]),
    ],
    ids=["nan", "inf", "-inf"],
)
def test_nan_and_inf_are_named_as_such_with_the_range(tmp_path, capsys, line, fragments):
    path = write(tmp_path / "notnum.toml", f'extends = "baseline_1952"\n{line}\n')
    status, _, err = cli(capsys, "check", path)
    refused(status, err, f"{path}:", *fragments)


def test_a_bad_value_from_a_parent_names_the_parent(tmp_path, capsys):
    parent = write(tmp_path / "parent.toml", 'extends = "baseline_1952"\n[office]\nstaff = 0\n')
    child = write(tmp_path / "child.toml", 'extends = "parent.toml"\ntitle = "child"\n')
    status, _, err = cli(capsys, "check", child)
    refused(status, err, f"{parent} (extended by {child}): office.staff:", "(got 0)", "1 to 1000")
    # the child's own value is reported against the child
    write(child, 'extends = "parent.toml"\ntitle = "child"\n[office]\nstaff = 2000\n')
    status, _, err = cli(capsys, "check", child)
    refused(status, err, f"{child}: office.staff:", "(got 2000)")


# -- 3. a full disk ---------------------------------------------------------------------


@pytest.fixture(params=["64k"])
def full_disk(tmp_path, request):
    """A small tmpfs (64 KiB unless parametrized) mounted for the test (root only; skipped elsewhere unless CI=true)."""
    folder = tmp_path / "small"
    folder.mkdir()
    why = "mounting a tmpfs needs root" if os.geteuid() != 0 else ""
    if not why:
        options = f"size={request.param}"
        mount = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
        why = f"mount -t tmpfs was refused: {mount.stderr.decode().strip()}" if mount.returncode else ""
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_run_into_a_full_disk_is_one_line_exit_1_and_leaves_nothing(full_disk):
    out = full_disk / "out"
    result = fresh("run", "baseline_1952", "--until", "1953-03-31", "--out", out, "--quiet")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{out}: no space left on the device" in lines[0], lines
    assert list(full_disk.iterdir()) == []  # no results, no partial folder, no .tmp-* file


@pytest.mark.parametrize("full_disk", ["12k"], indirect=True)
def test_a_sweep_into_a_full_disk_is_one_line_exit_1_and_makes_no_store(full_disk):
    spec = write(full_disk.parent / "tiny.toml", TINY)
    out = full_disk / "store"
    result = fresh("sweep", spec, "--out", out, "--workers", "1", "--quiet")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{out}: no space left on the device; no store was made" in lines[0], lines
    assert list(full_disk.iterdir()) == []


@pytest.mark.parametrize("full_disk", ["32m"], indirect=True)
def test_out_may_be_an_empty_mount_point_and_is_replaced_whole_with_force(full_disk):
    first = fresh("run", "baseline_1952", "--until", "1953-03-31", "--out", full_disk, "--no-plots", "--quiet")
    assert first.returncode == 0, first.stderr
    made = sorted(p.name for p in full_disk.iterdir())
    assert "summary.json" in made and not [name for name in made if "partial" in name], made
    (full_disk / "stray.txt").write_text("from before")
    args = ("--out", full_disk, "--no-plots", "--force", "--quiet")
    again = fresh("run", "baseline_1952", "--until", "1953-02-28", *args)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in full_disk.iterdir()) == made  # the old result and the stray file are gone
    assert json.loads((full_disk / "summary.json").read_text())["summary"]["reached"] == "1953-02-28"


def test_an_atomic_write_that_fills_the_disk_removes_its_temporary_file(full_disk):
    from sim.errors import DiskFullError
    from sim.storage import write_atomic

    target = full_disk / "plan.parquet"
    target.write_bytes(b"old")
    with pytest.raises(DiskFullError, match="no space left"):
        write_atomic(target, b"x" * 200_000)
    assert sorted(p.name for p in full_disk.iterdir()) == ["plan.parquet"]
    assert target.read_bytes() == b"old"


# -- 6. types in sweeps -------------------------------------------------------------------

MIXED = (
    'title = "mixed"\nscenario = "baseline_1952"\nuntil = 1953-03-31\n'
    '[design]\nmethod = "grid"\n[parameters]\n"office.staff" = { values = [true, 4] }\n'
)


@pytest.mark.parametrize("command", ["check", "sweep"])
def test_values_of_mixed_types_are_refused_by_check_and_sweep(tmp_path, capsys, command):
    path = write(tmp_path / "mixed.toml", MIXED)
    extra = ["--out", tmp_path / "store"] if command == "sweep" else []
    status, _, err = cli(capsys, command, path, *extra)
    refused(
        status, err, f"{path}:", "parameters.office.staff", "[true, 4]", "mix numbers and true/false", "all numbers"
    )
    assert not (tmp_path / "store").exists()


# -- 7. damaged stores and a bad scheduler -------------------------------------------------------

TINY = (
    'title = "tiny"\nscenario = "baseline_1952"\nuntil = 1953-01-31\n'
    '[design]\nmethod = "grid"\n[parameters]\n"office.staff" = { values = [4, 8] }\n'
)


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory):
    """A finished two-run sweep store, copied by each test that damages it."""
    from sim.sweep import run_sweep

    folder = tmp_path_factory.mktemp("store")
    spec = write(folder / "tiny.toml", TINY)
    run_sweep(spec, folder / "store", workers=1, progress=False)
    return spec, folder / "store"


def damaged(tiny_store, tmp_path, damage) -> tuple[Path, Path]:
    import shutil

    spec, store = tiny_store
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    damage(copy)
    return spec, copy


DAMAGES = {
    "sweep.json not JSON": (lambda d: (d / "sweep.json").write_text("{bad"), "sweep.json: is not readable JSON"),
    "sweep.json a list": (lambda d: (d / "sweep.json").write_text("[1, 2]"), "sweep.json: holds a list"),
    "sweep.json not a sweep": (
        lambda d: (d / "sweep.json").write_text('{"title": 3}'),
        "sweep.json: does not hold a valid sweep",
    ),
    "plan missing": (lambda d: (d / "plan.parquet").unlink(), "plan.parquet: it is missing"),
    "plan not parquet": (lambda d: (d / "plan.parquet").write_text("junk"), "plan.parquet: is not a readable Parquet"),
    "outcomes not parquet": (
        lambda d: next((d / "outcomes").iterdir()).write_text("junk"),
        "is not a readable Parquet file",
    ),
}


@pytest.mark.parametrize("case", DAMAGES, ids=list(DAMAGES))
def test_analyze_and_resume_of_a_damaged_store_are_one_line(tiny_store, tmp_path, capsys, case):
    damage, fragment = DAMAGES[case]
    spec, store = damaged(tiny_store, tmp_path, damage)
    status, _, err = cli(capsys, "analyze", store, "--out", tmp_path / "analysis")
    refused(status, err, f"{store}: {fragment}" if "outcomes" not in case else fragment, "run the sweep afresh")
    assert not (tmp_path / "analysis").exists()
    status, _, err = cli(capsys, "sweep", spec, "--out", store, "--resume", "--workers", "1", "--quiet")
    refused(status, err, "holds a different sweep" if case == "sweep.json not a sweep" else fragment)


@pytest.mark.parametrize(
    ("address", "fragment"),
    [("bogus://nowhere", "scheme 'bogus' is not one Dask can use"), ("tcp://", "names no host")],
)
def test_a_scheduler_address_dask_cannot_use_is_refused_before_the_store(tmp_path, address, fragment):
    spec = write(tmp_path / "tiny.toml", TINY)
    result = fresh("sweep", spec, "--out", tmp_path / "store", "--scheduler", address, "--quiet")
    refused(result.returncode, result.stderr, f"--scheduler {address}:", fragment, "tcp://host:8786")
    assert not (tmp_path / "store").exists()


# -- 8. sizes within each range that would exhaust the machine --------------------------------------


@pytest.mark.parametrize("command", ["check", "run"])
def test_a_run_too_large_for_memory_is_refused_before_anything_is_made(tmp_path, capsys, command):
    path = write(
        tmp_path / "huge.toml", 'extends = "baseline_1952"\n[sectors.heavy_industry]\nenterprises = 10000000\n'
    )
    extra = ["--out", tmp_path / "out"] if command == "run" else []
    status, _, err = cli(capsys, command, path, *extra)
    refused(
        status, err, "huge.toml: sectors.*.enterprises (10,001,600 in all)", "GiB of memory", "the limit is 8.0 GiB"
    )
    assert not (tmp_path / "out").exists()


GRID_1E9 = (
    'title = "huge"\nscenario = "baseline_1952"\n[design]\nmethod = "grid"\n[parameters]\n'
    '"office.staff" = { low = 1, high = 1000, num = 1000 }\n'
    '"adoption.own_rate" = { low = 0.001, high = 0.005, num = 1000 }\n'
    '"office.requests_per_staff_week" = { low = 1, high = 10, num = 1000 }\n'
)
LHS_1E10 = (
    'title = "huge"\nscenario = "baseline_1952"\nreplicates = 10000\n[design]\nmethod = "lhs"\nsamples = 1000000\n'
    '[parameters]\n"office.staff" = { low = 1, high = 1000 }\n'
)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (GRID_1E9, "a grid of 1,000,000,000 points (the product of the values) x 1 replicates"),
        (LHS_1E10, "a lhs of 1,000,000 points (samples) x 10,000 replicates = 10,000,000,000 runs"),
    ],
    ids=["grid-1e9", "lhs-1e6x1e4"],
)
@pytest.mark.parametrize("command", ["check", "sweep"])
def test_a_sweep_design_too_large_is_refused_before_any_folder(tmp_path, capsys, text, fragment, command):
    from sim.limits import SWEEP_RUNS

    path = write(tmp_path / "huge_sweep.toml", text)
    extra = ["--out", tmp_path / "store"] if command == "sweep" else []
    status, _, err = cli(capsys, command, path, *extra)
    refused(status, err, f"{path}: design:", fragment, f"the limit is {SWEEP_RUNS:,} runs")
    assert not (tmp_path / "store").exists()


def test_a_bad_event_value_from_a_parent_names_the_parent(tmp_path, capsys):
    parent = write(
        tmp_path / "parent.toml",
        'extends = "baseline_1952"\n[[events]]\nid = "bad"\ndate = 1955-01-01\nset = { "office.staff" = 0 }\n',
    )
    child = write(tmp_path / "child.toml", 'extends = "parent.toml"\ntitle = "child"\n')
    status, _, err = cli(capsys, "check", child)
    refused(status, err, f"{parent} (extended by {child}): event 'bad': office.staff:", "(got 0)")
    write(child, 'extends = "parent.toml"\ntitle = "child"\n[[events]]\nid = "bad"\nset = { "office.staff" = 2000 }\n')
    status, _, err = cli(capsys, "check", child)
    refused(status, err, f"{child}: event 'bad': office.staff:", "(got 2000)")


@pytest.mark.parametrize("until", ["", "  "])
def test_an_empty_until_is_refused_not_read_as_the_end(tmp_path, capsys, until):
    status, _, err = cli(capsys, "run", "baseline_1952", "--until", until, "--out", tmp_path / "out", "--quiet")
    refused(status, err, "--until", "empty")
    assert not (tmp_path / "out").exists()


def test_a_file_that_is_not_a_scenario_is_named_without_echoing_it(tmp_path, capsys):
    secret = write(tmp_path / "credentials.toml", '[default]\naws_access_key_id = "AKIA1234"\ntoken = "s3cr3t"\n')
    child = write(tmp_path / "child.toml", f'extends = "{secret}"\ntitle = "x"\n')
    for path in (secret, child):
        status, out, err = cli(capsys, "check", path)
        refused(status, err, f"{secret}: not a scenario file")
        for word in ("default", "aws_access_key_id", "AKIA1234", "token", "s3cr3t"):
            assert word not in err + out, word


SECTORS = (
    "heavy_industry",
    "machine_building_1",
    "machine_building_2",
    "fuel_industry",
    "textile_industry",
    "light_industry",
    "railways",
    "building",
)


def sweep_text(parameters: str, *, design: str = 'method = "grid"', top: str = "", until: str = "1953-01-31") -> str:
    """A sweep file of the baseline with these ``[parameters]`` lines."""
    return (
        f'title = "audit"\nscenario = "baseline_1952"\nuntil = {until}\n{top}\n'
        f"[design]\n{design}\n[parameters]\n{parameters}\n"
    )


@pytest.mark.parametrize(
    ("parameters", "design", "fragment"),
    [
        (
            "\n".join(f'"sectors.{s}.enterprises" = {{ values = [200, 10000000] }}' for s in SECTORS[:4]),
            'method = "grid"',
            "sectors.heavy_industry.enterprises = 10000000",
        ),
        (
            "\n".join(f'"sectors.{s}.enterprises" = {{ low = 200, high = 10000000 }}' for s in SECTORS[:4]),
            'method = "lhs"\nsamples = 8',
            "sectors.heavy_industry.enterprises = 10000000",
        ),
        (
            '"demand.requests_per_week" = { values = [1000.0], events = "drop" }\n'
            '"events.great_leap.demand.plan_intensity" = { values = [1.0, 10.0] }',
            'method = "grid"',
            "events.great_leap.demand.plan_intensity = 10.0",
        ),
        (
            '"network.within_degree" = { low = 1.0, high = 200.0, num = 2 }\n'
            '"sectors.heavy_industry.enterprises" = { values = [1000000, 2000000] }',
            'method = "grid"',
            "network.within_degree = 200.0",
        ),
    ],
    ids=["enterprises-grid", "enterprises-lhs", "an-event's-value", "links"],
)
@pytest.mark.parametrize("command", ["check", "sweep"])
def test_a_sweep_is_refused_by_the_largest_run_its_design_can_make(
    tmp_path, capsys, parameters, design, fragment, command
):
    """The base scenario fits; the design's largest point does not: refused with it, the estimate and the limit."""
    path = write(tmp_path / "large.toml", sweep_text(parameters, design=design, until="1962-12-31"))
    extra = ["--out", tmp_path / "store"] if command == "sweep" else []
    status, _, err = cli(capsys, command, path, *extra)
    refused(status, err, f"{path}: the largest run (scenario baseline_1952", fragment, "GiB", "the limit is 8.0 GiB")
    assert list(tmp_path.iterdir()) == [path]  # no store, no hidden folder


def test_every_point_of_an_accepted_sweep_fits_within_the_limit(tmp_path):
    """The largest point is the design's largest: no point of an accepted grid is estimated larger."""
    from sim.limits import MEMORY_BYTES
    from sim.sweep.design import points
    from sim.sweep.spec import load_sweep_spec

    path = write(
        tmp_path / "fits.toml",
        sweep_text(
            '"sectors.heavy_industry.enterprises" = { values = [400, 1000000, 2000000] }\n'
            '"network.within_degree" = { values = [2.0, 40.0, 8.0] }\n'
            '"demand.plan_intensity" = { values = [0.5, 3.0], events = "keep" }',
            until="1962-12-31",
        ),
    )
    spec = load_sweep_spec(path)
    sizes = [
        spec.base.with_overrides(dict(row), events=spec.event_modes).size(spec.end).bytes
        for _, row in points(spec).iterrows()
    ]
    from sim.sweep.spec import largest_point

    largest = spec.base.with_overrides(largest_point(spec), events=spec.event_modes).size(spec.end).bytes
    assert max(sizes) == largest <= MEMORY_BYTES


def test_the_estimate_bounds_what_a_run_holds():
    """Requests, links and memory of real runs against the estimate (a bound, and not a wild one)."""
    from sim import load_scenario
    from sim.model import TechTransferModel

    baseline = load_scenario("baseline_1952")
    model = TechTransferModel(baseline)
    model.run_until(baseline.time.end)
    size = baseline.size()
    made = len(model.results().ledger)
    assert made <= size.requests * 1.05 and size.requests <= made * 1.5, (made, size.requests)
    # The process's own memory from /proc (ru_maxrss would carry the parent's peak across fork and exec).
    code = (
        "import datetime\nfrom sim import load_scenario, TechTransferModel\n"
        "def memory(key):\n"
        "    return next(int(l.split()[1]) * 1024 for l in open('/proc/self/status') if l.startswith(key))\n"
        "s = load_scenario('baseline_1952').with_overrides({'sectors.heavy_industry.enterprises': 200000,"
        " 'network.within_degree': 40.0, 'demand.plan_intensity': 5.0}, events='drop')\n"
        "before = memory('VmRSS:')\n"
        "m = TechTransferModel(s); m.run_until('1954-12-31'); m.results()\n"
        "print(memory('VmHWM:') - before, s.size(datetime.date(1954, 12, 31)).bytes)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=HANG_S)
    grown, estimate = map(int, done.stdout.split())
    assert grown <= estimate <= 4 * grown, (grown, estimate)


LINKS = "network.within_degree=200.0"


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (
            ["run", "baseline_1952", "--set", "demand.requests_per_week=1000.0", "--set", "demand.plan_intensity=10.0"],
            ["baseline_1952 --set demand.requests_per_week=1000.0 --set demand.plan_intensity=10.0:", "requests"],
        ),
        (
            ["run", "baseline_1952", "--set", "sectors.heavy_industry.enterprises=2000000", "--set", LINKS],
            ["links (network.*_degree)"],
        ),
        (
            ["compare", "baseline_1952", "baseline_1952", "--set-b", "sectors.heavy_industry.enterprises=10000000"],
            ["B (baseline_1952 (sectors.heavy_industry.enterprises=10000000))"],
        ),
    ],
    ids=["demand-held-by-set", "links", "compare-B"],
)
def test_runs_too_large_for_memory_are_refused_before_any_folder(tmp_path, capsys, argv, fragments):
    status, _, err = cli(capsys, *argv, "--events", "drop", "--out", tmp_path / "out")
    refused(status, err, *fragments, "GiB of memory", "the limit is 8.0 GiB")
    assert list(tmp_path.iterdir()) == []


def test_run_many_refuses_more_runs_or_frames_than_the_limits():
    import sim
    from sim.errors import TooLargeError

    with pytest.raises(TooLargeError, match=r"seeds: 10,000,000 seeds = 10,000,000 runs; the limit is 1,000,000"):
        sim.run_many("baseline_1952", seeds=10_000_000)
    with pytest.raises(TooLargeError, match=r"100,000 runs x 539 steps x \d+ series would keep about [\d.]+ GiB"):
        sim.run_many("baseline_1952", seeds=100_000)
    with pytest.raises(TooLargeError, match="run_many: sectors"):
        sim.run_many("baseline_1952", seeds=2, overrides={"sectors.railways.enterprises": 10_000_000})


@pytest.mark.parametrize(
    ("options", "fragments"),
    [
        (["--budget", "1000000000", "--replicates", "10000"], ["--budget 1,000,000,000 candidates", "the limit is"]),
        (["--workers", "100000"], ["--workers 100000: give 1 to", "per core"]),
        (["--seed", "-1"], ["--seed -1: give a whole number from 0"]),
        (["--scheduler", "bogus://x"], ["--scheduler bogus://x:", "scheme 'bogus'"]),
        (["--base", "big.toml"], ["big (the knobs at their highs): sectors", "the limit is 8.0 GiB"]),
        (["--storage", "folder"], ["--storage folder: is a folder"]),
        (["--storage", "no/such/study.sqlite3"], ["--storage no/such/study.sqlite3: folder no/such does not exist"]),
        (["--storage", "junk.sqlite3", "--resume"], ["--storage junk.sqlite3: is not an SQLite file"]),
    ],
    ids=["runs", "workers", "seed", "scheduler", "base-too-large", "storage-folder", "storage-nowhere", "storage-junk"],
)
def test_calibration_settings_that_cannot_run_are_refused_before_anything_is_made(
    tmp_path, capsys, monkeypatch, options, fragments
):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "big.toml", 'extends = "baseline_1952"\n[sectors.railways]\nenterprises = 10000000\n')
    (tmp_path / "folder").mkdir()
    write(tmp_path / "junk.sqlite3", "not a database")
    made = sorted(p.name for p in tmp_path.iterdir())
    status, _, err = cli(capsys, "calibrate", "--budget", "2", "--replicates", "1", *options, "--out", "cal")
    refused(status, err, *fragments)
    assert sorted(p.name for p in tmp_path.iterdir()) == made  # no report, no study file


@pytest.mark.parametrize("command", ["sweep", "calibrate"])
def test_more_workers_than_the_machine_holds_are_refused(tmp_path, capsys, command):
    from sim.limits import WORKERS_PER_CORE

    most = WORKERS_PER_CORE * (os.cpu_count() or 1)
    spec = write(tmp_path / "tiny.toml", TINY)
    argv = [command, spec] if command == "sweep" else [command, "--budget", "1"]
    status, _, err = cli(capsys, *argv, "--workers", most + 1, "--out", tmp_path / "out")
    refused(status, err, f"--workers {most + 1}: give 1 to {most}", "--scheduler")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("kind", ["scenario", "sweep", "extended", "targets"])
def test_a_file_past_the_size_limit_is_refused_unread(tmp_path, capsys, kind):
    from sim.limits import FILE_BYTES

    big = tmp_path / ("big.csv" if kind == "targets" else "big.toml")
    with big.open("wb") as file:  # sparse: 2 GB on the disk's books, nothing written
        file.write(TINY.encode() if kind == "sweep" else b'extends = "baseline_1952"\n#')
        file.truncate(2 * 1024**3)
    argv = {
        "scenario": ["check", big],
        "sweep": ["sweep", big, "--out", tmp_path / "out"],
        "extended": ["check", write(tmp_path / "child.toml", 'extends = "big.toml"\n')],
        "targets": ["calibrate", "--targets", big, "--out", tmp_path / "out"],
    }[kind]
    status, _, err = cli(capsys, *argv)
    refused(status, err, f"{big}: 2,048.0 MB", f"at most {FILE_BYTES / 1024**2:g} MB")
    assert not (tmp_path / "out").exists()


# -- 9. depth of command-line values ------------------------------------------------------


@pytest.mark.parametrize("option", ["--set", "--set-b"])
def test_a_deeply_nested_value_on_the_command_line_is_refused(tmp_path, capsys, option):
    deep = "office.staff=" + "[" * 5000 + "]" * 5000
    argv = ["run", "baseline_1952"] if option == "--set" else ["compare", "baseline_1952", "baseline_1952"]
    status, _, err = cli(capsys, *argv, option, deep, "--out", tmp_path / "out")
    refused(status, err, f"{option} office.staff:", "(10000 characters)", f"nested more than {NESTING_DEPTH} deep")
    assert not (tmp_path / "out").exists()


# -- 10. text: Chinese and dollars in every figure ----------------------------------------------------------

#: The same two characters in two orders: missing glyphs draw as two identical boxes either way.
CJK = ("资料", "料资")


def test_a_cjk_font_installed_after_matplotlibs_font_list_was_made_is_found(tmp_path, cjk_font):
    """Matplotlib lists fonts once, in a cache file: a font installed later is looked for and added."""
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env, check=True, timeout=HANG_S)
    (cache,) = tmp_path.glob("fontlist-*.json")  # the list as a machine without the font made it
    listed = json.loads(cache.read_text())
    listed["ttflist"] = [font for font in listed["ttflist"] if font["name"] != "WenQuanYi Micro Hei"]
    cache.write_text(json.dumps(listed))
    probe = (
        "from matplotlib import font_manager as fm; from sim.drawing import known_fonts;"
        "print('WenQuanYi Micro Hei' in {f.name for f in fm.fontManager.ttflist}, known_fonts())"
    )
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=HANG_S)
    assert done.stdout.split(" ", 1) == ["False", "('DejaVu Sans', 'WenQuanYi Micro Hei')\n"], done.stderr


def _pixels_of(figures, text: str):
    """The pixels (dark or not) of every text artist of ``figures`` that holds ``text``, as each is saved."""
    import numpy as np
    from matplotlib.text import Text

    from sim.drawing import drawing

    found = []
    for figure in figures:
        with drawing():  # as every save does
            figure.canvas.draw()
        rgba = np.asarray(figure.canvas.buffer_rgba())
        renderer = figure.canvas.get_renderer()
        for artist in figure.findobj(Text):
            if text in artist.get_text() and artist.get_visible():
                box = artist.get_window_extent(renderer)
                rows = slice(rgba.shape[0] - int(box.y1) - 1, rgba.shape[0] - int(box.y0))
                found.append(rgba[rows, int(box.x0) : int(box.x1) + 1, 0] < 128)
    return found


@pytest.fixture(scope="module")
def short_results():
    from sim import load_scenario
    from sim.model import TechTransferModel

    model = TechTransferModel(load_scenario("baseline_1952"))
    model.run_until("1953-03-31")
    return model.results()


def _run_figures(results, title):
    from dataclasses import replace

    from sim.plots import standard_figures

    return standard_figures(replace(results, scenario=results.scenario.with_overrides({"title": title})))


def _compare_figures(results, title):
    from sim.compare import comparison_figures

    return comparison_figures((results, results), (title, "B"))


def _analysis_figures(results, title, store=None):
    from dataclasses import replace

    from sim.sweep import load_sweep
    from sim.sweep.analysis import response_figure

    swept = load_sweep(store)
    swept = replace(swept, spec=swept.spec.model_copy(update={"title": title}))
    return [response_figure(swept, "sets_supplied_1953_1962_total", "office.staff")]


@pytest.mark.parametrize(
    "make", [_run_figures, _compare_figures, _analysis_figures], ids=["run", "compare", "analysis"]
)
def test_chinese_titles_and_names_draw_their_glyphs_in_the_cjk_font(short_results, tiny_store, make, cjk_font):
    """The command line's figures find WenQuanYi Micro Hei and draw 资料 as characters, not the same boxes twice."""
    import warnings

    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np

    settings = {key: matplotlib.rcParams[key] for key in ("font.family", "text.parse_math")}
    drawn = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for text in CJK:
            extra = {"store": tiny_store[1]} if make is _analysis_figures else {}
            figures = make(short_results, text, **extra)
            figures = list(figures.values()) if isinstance(figures, dict) else figures
            drawn[text] = _pixels_of(figures, text)
            for figure in figures:
                plt.close(figure)
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []
    assert drawn[CJK[0]] and len(drawn[CJK[0]]) == len(drawn[CJK[1]])
    for one, other in zip(drawn[CJK[0]], drawn[CJK[1]], strict=True):
        assert one.any() and not (one.shape == other.shape and np.array_equal(one, other))
    assert {key: matplotlib.rcParams[key] for key in settings} == settings  # set only while drawing


def test_importing_the_figures_changes_no_setting_of_matplotlib():
    code = (
        "import matplotlib as mpl\nbefore = dict(mpl.rcParams.items())\n"
        "import sim.drawing, sim.plots, sim.compare, sim.replicates, sim.sweep.analysis, sim.calibration.report\n"
        "import sim.dashboard.views\n"
        "after = dict(mpl.rcParams.items())\n"
        "print(sorted(k for k in before if before[k] != after[k]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=HANG_S)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_name_past_the_limit_is_refused(tmp_path, capsys):
    path = write(tmp_path / "named.toml", f'extends = "baseline_1952"\nname = "{"n" * 1_000_000}"\n')
    status, _, err = cli(capsys, "compare", path, "baseline_1952", "--out", tmp_path / "out")
    refused(status, err, f"{path}: name:", f"at most {TEXT_LENGTH} characters")
    assert not (tmp_path / "out").exists()


# -- 11. types and values of sweep files, silent acceptance on the command line ----------------------------


@pytest.mark.parametrize(
    ("axis", "fragments"),
    [
        ("{ values = [nan] }", ["values: nan is not a finite number"]),
        ("{ low = 1, high = inf, num = 2 }", ["high: must be a finite number (got inf)"]),
        ("{ values = [1.5] }", ["value 1.5 not allowed: office.staff takes whole numbers", "(e.g. 2)"]),
        ("{ values = [1955-01-01] }", ["values: 1955-01-01 is not a number, true/false or text"]),
        ('{ low = "1", high = 5 }', ['low: must be a number, written without quotes (got "1")']),
    ],
    ids=["nan", "inf", "fraction-of-an-integer", "date", "quoted-number"],
)
def test_a_sweep_value_of_the_wrong_kind_is_one_line(tmp_path, capsys, axis, fragments):
    path = write(tmp_path / "kind.toml", sweep_text(f'"office.staff" = {axis}'))
    status, _, err = cli(capsys, "sweep", path, "--out", tmp_path / "store")
    refused(status, err, f"{path}: parameters.office.staff", *fragments)
    assert not (tmp_path / "store").exists()


def test_a_sweep_until_written_as_text_is_refused(tmp_path, capsys):
    path = write(tmp_path / "quoted.toml", sweep_text('"office.staff" = { values = [4] }', until='"1958-12-31"'))
    status, _, err = cli(capsys, "check", path)
    refused(status, err, f"{path}: until: '1958-12-31' is text; write the date without quotes")


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (
            ["run", "baseline_1952", "--set", "office.staff=5", "--set", "office.staff=6"],
            ["--set office.staff=6: sets it twice"],
        ),
        (
            ["run", "baseline_1952", "--set", "soviet.approval.blueprints=0.9", "--set", "soviet.approval=0.5"],
            ["--set soviet.approval=0.5: sets the table after its cell soviet.approval.blueprints"],
        ),
        (["compare", "baseline_1952", "no_commission", "--until", ""], ["--until '': empty"]),
        (
            ["compare", "baseline_1952", "no_commission", "--until", "1958-02-30"],
            ["--until '1958-02-30' is not a date"],
        ),
        (
            ["sweep", ROOT / "scenarios" / "baseline_1952.toml"],
            ["scenarios/baseline_1952.toml: is a scenario file, not a sweep; run it with `run`"],
        ),
        (["run", ROOT / "sweeps" / "office_x_adoption.toml"], ["office_x_adoption.toml: is a sweep file"]),
        (["run", "baseline_1952", "--out", ""], ["--out '': empty"]),
        (["run", "baseline_1952", "--seed", "abc"], ["python -m sim run: argument --seed: invalid int value: 'abc'"]),
        (["frobnicate"], ["invalid choice: 'frobnicate'", "see `python -m sim --help`"]),
    ],
    ids=[
        "set-twice",
        "table-after-cell",
        "compare-until-empty",
        "compare-until-no-date",
        "sweep-a-scenario",
        "run-a-sweep",
        "out-empty",
        "argparse-one-line",
        "no-such-command",
    ],
)
def test_command_lines_that_would_lose_a_value_or_misread_a_file_are_one_line(
    tmp_path, capsys, monkeypatch, argv, fragments
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["python -m sim"])
    argv = [*argv, "--out", tmp_path / "out"] if "--out" not in argv and argv[0] != "frobnicate" else argv
    try:
        status, _, err = cli(capsys, *argv)
    except SystemExit as exc:  # argparse's refusals
        status, err = int(exc.code or 0), capsys.readouterr().err
    refused(status, err, *fragments)
    assert not (tmp_path / "out").exists()


# -- 12. stores, addresses and output folders --------------------------------------------------------------


def _set_column(path: Path, column: str, value: object) -> None:
    import pandas as pd

    frame = pd.read_parquet(path)
    frame[column] = value
    frame.to_parquet(path, index=False)


MORE_DAMAGES = {
    "outcomes missing": (lambda d: __import__("shutil").rmtree(d / "outcomes"), "outcomes: is missing or not a folder"),
    "unknown status": (lambda d: _set_column(next((d / "outcomes").iterdir()), "status", "weird"), "status 'weird'"),
    "text in a number column": (lambda d: _set_column(d / "plan.parquet", "office.staff", "4x"), "not numbers"),
}


@pytest.mark.parametrize("case", MORE_DAMAGES, ids=list(MORE_DAMAGES))
def test_analyze_of_a_store_damaged_inside_its_files_is_one_line(tiny_store, tmp_path, capsys, case):
    damage, fragment = MORE_DAMAGES[case]
    _, store = damaged(tiny_store, tmp_path, damage)
    status, _, err = cli(capsys, "analyze", store, "--out", tmp_path / "analysis")
    refused(status, err, f"{store}:", fragment, "run the sweep afresh")
    assert not (tmp_path / "analysis").exists()


def test_analyze_of_a_store_with_no_run_done_says_so(tiny_store, tmp_path, capsys):
    _, store = damaged(
        tiny_store, tmp_path, lambda d: _set_column(next((d / "outcomes").iterdir()), "status", "failed")
    )
    status, _, err = cli(capsys, "analyze", store, "--out", tmp_path / "analysis")
    refused(status, err, f"{store}: no run is done", "sweep --resume")
    assert not (tmp_path / "analysis").exists()


@pytest.mark.parametrize(("address", "fragment"), [("nowhere", "missing port"), ("tls://127.0.0.1:1", "TLS")])
def test_a_scheduler_that_cannot_be_reached_leaves_no_store(tmp_path, address, fragment):
    spec = write(tmp_path / "tiny.toml", TINY)
    result = fresh("sweep", spec, "--out", tmp_path / "store", "--scheduler", address, "--quiet")
    refused(result.returncode, result.stderr, f"--scheduler {address}: cannot reach a Dask scheduler there", fragment)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.toml"]


@pytest.mark.parametrize(
    ("out", "fragment"),
    [
        ("n" * 300, "(300 characters): cannot be used (File name too long)"),
        ("/proc/ziliao", "/proc/ziliao"),
    ],
    ids=["name-too-long", "proc"],
)
@pytest.mark.parametrize("command", ["run", "sweep", "compare", "analyze", "calibrate"])
def test_an_out_the_file_system_refuses_is_one_line(tiny_store, tmp_path, capsys, monkeypatch, out, fragment, command):
    monkeypatch.chdir(tmp_path)
    argv = {
        "run": ["run", "baseline_1952"],
        "sweep": ["sweep", tiny_store[0]],
        "compare": ["compare", "baseline_1952", "no_commission"],
        "analyze": ["analyze", tiny_store[1]],
        "calibrate": ["calibrate", "--budget", "1"],
    }[command]
    status, _, err = cli(capsys, *argv, "--out", out)
    refused(status, err, fragment)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["run", "compare", "analyze", "calibrate"])
def test_force_never_replaces_the_folder_that_holds_the_commands_input(tiny_store, tmp_path, capsys, command):
    import shutil

    mine = tmp_path / "mine"
    mine.mkdir()
    scenario = write(mine / "my.toml", 'extends = "baseline_1952"\n')
    shutil.copytree(tiny_store[1], mine / "store")
    targets = shutil.copy(ROOT / "data" / "history_targets.csv", mine / "targets.csv")
    argv = {
        "run": ["run", scenario],
        "compare": ["compare", scenario, "baseline_1952"],
        "analyze": ["analyze", mine / "store"],
        "calibrate": ["calibrate", "--targets", targets, "--budget", "1"],
    }[command]
    status, _, err = cli(capsys, *argv, "--out", mine, "--force")
    refused(status, err, f"{mine}: holds", "which this command reads", "choose another --out")
    assert sorted(p.name for p in mine.iterdir()) == ["my.toml", "store", "targets.csv"]


# -- 13. every command's exit status: the dashboard's address, a closed pipe, a terminal, Ctrl-C, a full disk ----


@pytest.mark.parametrize(
    ("host", "port", "fragment"),
    [
        ("999.1.1.1", None, "--host 999.1.1.1: not an address or a name this machine knows"),
        ("", None, "--host '': empty"),
        ("203.0.113.7", None, "203.0.113.7 is not an address of this machine"),
        ("127.0.0.1", "busy", "is in use; choose another --port"),
        ("127.0.0.1", 0, "--port 0: give a port from 1 to 65535"),
    ],
    ids=["no-address", "empty", "another-machine's", "port-in-use", "port-0"],
)
def test_the_dashboard_refuses_an_address_it_cannot_listen_on_before_starting(capsys, host, port, fragment):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        number = busy.getsockname()[1] if port == "busy" else (port if port is not None else busy.getsockname()[1] + 1)
        status, out, err = cli(capsys, "dashboard", "--host", host, "--port", number)
    refused(status, err, fragment)
    assert "Ziliao dashboard on" not in out  # refused before the server was started


@pytest.mark.parametrize("command", ["params", "list"])
def test_a_closed_pipe_ends_quietly_with_status_1(command):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        f"set -o pipefail; {sys.executable} -m sim {command} | head -1 >/dev/null",
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        executable="/bin/bash",
        timeout=HANG_S,
    )
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr


def test_chinese_on_a_terminal_that_cannot_show_it_is_escaped(tmp_path):
    path = write(tmp_path / "资料.toml", 'extends = "baseline_1952"\ntitle = "技术资料"\n')
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(
        [sys.executable, "-m", "sim", "check", path], capture_output=True, text=True, env=env, timeout=HANG_S
    )
    assert done.returncode == 0, done.stderr
    assert "\\u6280\\u672f\\u8d44\\u6599" in done.stdout


# Runs long enough to be caught running on any machine: the progress bar shows after 2 s, and the
# baseline's two runs ended before it on CI (1,000 enterprises an agency and 400,000 in one sector: ~20 s here).
BIG_RUNS = [
    f"--set-{run}={key}"
    for run in "ab"
    for key in ("soviet.enterprises_per_agency=1000", "sectors.heavy_industry.enterprises=400000")
]


def _interrupt_once(argv: list, marker: str, cwd: Path) -> subprocess.CompletedProcess:
    """Start ``python -m sim ARGV``, send Ctrl-C once ``marker`` shows on its output, and wait for it to end."""
    import selectors
    import signal

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", *map(str, argv)], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    seen = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        selector.register(process.stderr, selectors.EVENT_READ)
        while marker.encode() not in seen and process.poll() is None:
            for key, _ in selector.select(timeout=HANG_S):
                seen += os.read(key.fileobj.fileno(), 65536)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=HANG_S)
    return subprocess.CompletedProcess(process.args, process.returncode, out.decode(), (seen + err).decode())


@pytest.mark.parametrize(
    ("argv", "marker"),
    [
        (["compare", "baseline_1952", "no_commission", "--out", "out", *BIG_RUNS], "step"),  # the progress bar: running
        (["calibrate", "--budget", "40", "--replicates", "1", "--workers", "1", "--out", "out"], "candidates"),
        (["dashboard", "--port", "0"], "Ziliao dashboard on"),
    ],
    ids=["compare", "calibrate", "dashboard"],
)
def test_ctrl_c_ends_every_long_command_with_130_and_nothing_complete(tmp_path, argv, marker):
    import socket

    if argv[0] == "dashboard":
        with socket.socket() as free:
            free.bind(("127.0.0.1", 0))
            argv = ["dashboard", "--port", str(free.getsockname()[1])]
    done = _interrupt_once(argv, marker, tmp_path)
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".*"))


def test_a_ctrl_c_while_the_dashboards_server_starts_stops_the_server_too(monkeypatch):
    """Ctrl-C inside Popen (after the child started): the server is stopped, not left holding the terminal."""
    import signal

    from sim.dashboard import cli as dashboard_cli

    started = []

    class InterruptedWhileStarting(subprocess.Popen):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append(self)
            os.kill(os.getpid(), signal.SIGINT)  # as a Ctrl-C that lands before Popen returns

    monkeypatch.setattr(dashboard_cli.subprocess, "Popen", InterruptedWhileStarting)
    server = [sys.executable, "-c", "import time; time.sleep(600)"]
    assert dashboard_cli.serve(server, dict(os.environ)) is None
    assert started[0].poll() == -signal.SIGINT  # stopped by the Ctrl-C passed on, not left running
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.parametrize("command", ["compare", "analyze", "calibrate"])
def test_a_full_disk_ends_every_writing_command_in_one_line_and_status_1(tiny_store, full_disk, command):
    out, study = full_disk / "out", full_disk.parent / "study.sqlite3"
    argv = {
        "compare": ["compare", "baseline_1952", "no_commission", "--until", "1953-03-31"],
        "analyze": ["analyze", tiny_store[1]],
        "calibrate": ["calibrate", "--budget", "2", "--replicates", "1", "--workers", "1", "--storage", study],
    }[command]
    result = fresh(*argv, "--out", out, "--quiet")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{out}: no space left on the device" in lines[0], lines
    assert list(full_disk.iterdir()) == []


def test_the_suites_guard_against_a_hang_is_the_one_constant():
    import tomllib

    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert settings["timeout"] == HANG_S


def test_a_long_value_on_the_command_line_labels_the_legend_shortened(tmp_path, capsys, short_results):
    """A 100,000-character --set-b value made a legend no figure could hold (compare hung); labels are capped."""
    from matplotlib.text import Text

    from sim.compare import comparison_figures

    long = "q" * 100_000
    out = tmp_path / "out"
    status, shown, err = cli(
        capsys,
        "compare",
        "baseline_1952",
        "baseline_1952",
        "--set-b",
        f'question="{long}"',
        "--until",
        "1953-01-31",
        "--no-plots",
        "--out",
        out,
    )
    assert status == 0, err
    assert "B = baseline_1952 (question=qqq" in shown and max(map(len, shown.splitlines())) <= 2 * TEXT_LENGTH
    figures = comparison_figures((short_results, short_results), (long, "B: " + long))
    texts = [t.get_text() for f in figures.values() for t in f.findobj(Text)]
    assert texts and max(map(len, texts)) <= TEXT_LENGTH
