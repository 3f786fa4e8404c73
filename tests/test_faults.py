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
