"""Property tests of bad input: scenario files, sweep files and command lines drawn by hypothesis.

Whatever the document or the command line, ``sim`` never ends in a traceback: it
exits 0 having done the work, or 2 with one line on stderr, and a refused run or
sweep leaves no folder behind.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.params import iter_parameters

PATHS = [path for path, _field, _extra in iter_parameters()]

#: Values of every TOML type, odd ones included: NaN, infinities, huge and negative numbers, text with $ and CJK.
VALUES = st.recursive(
    st.one_of(
        st.booleans(),
        st.integers(min_value=-(2**63), max_value=2**63 - 1),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
        st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    ),
    lambda inner: st.lists(inner, max_size=4),
    max_leaves=6,
)
KEYS = st.one_of(st.sampled_from(PATHS), st.text(alphabet="abcdefghij_.", min_size=1, max_size=12))
PROPERTIES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def toml_value(value: object) -> str:
    """``value`` written as TOML (floats that TOML spells its own way included)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int | dt.date):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def toml_key(key: str) -> str:
    """A dotted key with each part quoted, so any text is a legal key."""
    return ".".join('"' + part.replace('"', "") + '"' for part in key.split("."))


def ended_cleanly(status: int, err: str, where: str | None = None) -> None:
    """Exit 0, or 2 with a line per problem on stderr (each naming ``where``, if given); never a traceback."""
    assert "Traceback" not in err, err
    assert status in (0, 2), (status, err)
    if status == 2:
        lines = err.strip().splitlines()
        assert lines, "refused without a word"
        if where is not None:
            assert all(line.startswith(where) for line in lines), err


def checked(capsys, name: str, lines: list[str]) -> None:
    """Write ``lines`` as a file and run ``sim check`` on it: it must end cleanly, every line naming the file."""
    folder = Path(tempfile.mkdtemp())
    try:
        path = folder / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        status = main(["check", str(path)])
        ended_cleanly(status, capsys.readouterr().err, where=str(path))
    finally:
        shutil.rmtree(folder)


@PROPERTIES
@given(st.dictionaries(KEYS, VALUES, max_size=4), st.booleans())
def test_any_scenario_document_is_checked_cleanly(capsys, values, extends):
    lines = ['extends = "baseline_1952"'] if extends else []
    checked(capsys, "drawn.toml", lines + [f"{toml_key(key)} = {toml_value(value)}" for key, value in values.items()])


@PROPERTIES
@given(st.sampled_from(PATHS), VALUES)
def test_any_set_on_the_command_line_runs_or_is_refused_leaving_nothing(capsys, path, value):
    folder = Path(tempfile.mkdtemp())
    try:
        out = folder / "out"
        argv = ["run", "baseline_1952", "--set", f"{path}={toml_value(value)}", "--until", "1952-10-31"]
        status = main([*argv, "--out", str(out), "--no-plots", "--quiet"])
        ended_cleanly(status, capsys.readouterr().err)
        assert out.exists() == (status == 0)
    finally:
        shutil.rmtree(folder)


#: One swept parameter: a list of values, or a range (with a number of points on a grid), of any TOML values.
AXES = st.fixed_dictionaries(
    {}, optional={"values": st.lists(VALUES, max_size=3), "low": VALUES, "high": VALUES, "num": VALUES}
)


@PROPERTIES
@given(
    st.sampled_from(["grid", "lhs", "sobol", "morris", "bogus"]),
    st.dictionaries(KEYS, AXES, max_size=2),
    st.dictionaries(st.sampled_from(["replicates", "seed", "until", "samples"]), VALUES, max_size=2),
)
def test_any_sweep_document_is_checked_cleanly(capsys, design, axes, top):
    lines = ['title = "drawn"', 'scenario = "baseline_1952"', "until = 1953-03-31"]
    lines += [f"{key} = {toml_value(value)}" for key, value in top.items() if key != "samples"]
    lines += ["[design]", f'method = "{design}"']
    lines += [f"samples = {toml_value(top['samples'])}"] if "samples" in top else []
    lines += ["[parameters]"]
    for path, axis in axes.items():
        fields = ", ".join(f"{key} = {toml_value(value)}" for key, value in axis.items())
        lines.append(f"{toml_value(path)} = {{ {fields} }}")  # one quoted key, dots and all, as sweeps write it
    checked(capsys, "sweep.toml", lines)


@pytest.mark.parametrize("command", ["run", "sweep", "compare", "check", "analyze", "params", "list"])
@PROPERTIES
@given(st.lists(st.text(alphabet="-_=.:/ab1$ 资", max_size=12), max_size=4))
def test_any_command_line_ends_cleanly(capsys, command, words):
    folder = Path(tempfile.mkdtemp())
    try:
        argv = [command, *words]
        if command in {"run", "sweep", "compare"}:
            argv += ["--out", str(folder / "out")]
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse's own refusals (exit 2) and --help (exit 0)
            status = int(exc.code or 0)
        ended_cleanly(status, capsys.readouterr().err)
    finally:
        shutil.rmtree(folder)


#: Parameters that size a run (sim.scenario.Scenario.size), with their ranges: what a sweep may push to the limit.
SIZES = {
    "sectors.heavy_industry.enterprises": st.integers(1, 10_000_000),
    "sectors.railways.enterprises": st.integers(1, 10_000_000),
    "network.within_degree": st.floats(0, 200),
    "demand.requests_per_week": st.floats(0, 1000),
    "demand.plan_intensity": st.floats(0, 10),
    "projects.agreed": st.integers(0, 10_000),
}


@PROPERTIES
@given(st.dictionaries(st.sampled_from(sorted(SIZES)), st.data(), min_size=1, max_size=3), st.data())
def test_a_sweep_over_sizes_is_refused_or_every_point_fits(capsys, axes, data):
    """Accepted, every point of the grid is estimated within the limit; refused, one line naming it and no folder."""
    from sim.limits import MEMORY_BYTES
    from sim.sweep.design import points
    from sim.sweep.spec import load_sweep_spec

    lines = ['title = "sizes"', 'scenario = "baseline_1952"', "until = 1962-12-31", "[design]", 'method = "grid"']
    lines.append("[parameters]")
    for path in axes:
        values = data.draw(st.lists(SIZES[path], min_size=1, max_size=3), label=path)
        lines.append(f'"{path}" = {{ values = {toml_value(values)}, events = "drop" }}')
    folder = Path(tempfile.mkdtemp())
    try:
        path = folder / "sizes.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        status = main(["check", str(path)])
        err = capsys.readouterr().err
        ended_cleanly(status, err, where=str(path))
        if status == 0:
            spec = load_sweep_spec(path)
            for _, row in points(spec).iterrows():
                run = spec.base.with_overrides(dict(row), events=spec.event_modes)
                assert run.size(spec.end).bytes <= MEMORY_BYTES, dict(row)
        assert sorted(p.name for p in folder.iterdir()) == ["sizes.toml"]
    finally:
        shutil.rmtree(folder)


@PROPERTIES
@given(st.integers(0, 3000), st.sampled_from(["[", "{v = "]))
def test_a_set_value_nested_to_any_depth_is_refused_in_one_line(capsys, depth, opener):
    closer = "]" if opener == "[" else "}"
    folder = Path(tempfile.mkdtemp())
    try:
        value = opener * depth + "1" + closer * depth
        argv = ["run", "baseline_1952", "--set", f"office.staff={value}", "--until", "1952-10-31", "--no-plots"]
        status = main([*argv, "--out", str(folder / "out"), "--quiet"])
        err = capsys.readouterr().err
        ended_cleanly(status, err)
        assert (status == 0) == (depth == 0) and (folder / "out").exists() == (status == 0)
        if status == 2:
            assert len(err.strip().splitlines()) == 1 and "--set" in err and "office.staff" in err
    finally:
        shutil.rmtree(folder)
