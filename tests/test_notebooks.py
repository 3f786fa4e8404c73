"""The teaching notebooks: committed clean, in step with their generator, and run top to bottom."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

from sim.teaching import check, is_right

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
EXPECTED = [
    "00_quickstart",
    "01_one_channel",
    "02_the_1954_agreement",
    "03_translation",
    "04_the_1960_recall",
    "05_adoption_rates",
    "06_sweeps_and_sensitivity",
]


def _generator():
    spec = importlib.util.spec_from_file_location("notebooks_build", NOTEBOOK_DIR / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_notebook_is_there():
    assert [path.stem for path in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: cell {cell.id} has outputs"
            assert cell.execution_count is None, f"{path.name}: cell {cell.id} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_matches_generator(path):
    assert path.read_text(encoding="utf-8") == _generator().render(path.stem), (
        f"{path.name} differs from notebooks/build.py: run `python notebooks/build.py`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_states_goals_context_and_self_checks(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(cell.source for cell in nb.cells)
    assert "Learning goals" in text
    assert "history:" in text, "historical context must cite data/history_targets.csv"
    assert "Things to notice" in text and "Things to try" in text
    assert "check(" in text


def test_cited_history_rows_exist():
    known = set(pd.read_csv(ROOT / "data" / "history_targets.csv")["id"])
    for path in [*NOTEBOOKS, ROOT / "docs" / "teaching.md", ROOT / "docs" / "handout.md"]:
        cited = set(re.findall(r"history:([a-z0-9_]+)", path.read_text(encoding="utf-8")))
        assert cited <= known, (path.name, sorted(cited - known))


@pytest.mark.timeout(400)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_top_to_bottom_in_time(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    client.execute()  # how long it takes is measured in docs/teaching.md, not asserted here
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "Not answered yet" in printed, "self-check cells should run and wait for an answer"


@pytest.mark.parametrize(
    ("answer", "expected", "tolerance", "right"),
    [
        (10.4, 10.0, 0.05, True),
        (11.0, 10.0, 0.05, False),
        (" Norms ", "norms", 0.0, True),
        ("office", {"office", "commission"}, 0.0, True),
        (True, True, 0.0, True),
        (1, True, 0.0, False),
        (["a", "B"], ["a", "b"], 0.0, True),
        (("a", "b"), ["b", "a"], 0.0, False),
        ("ab", ["a", "b"], 0.0, False),
        (float("nan"), 1.0, 0.1, False),
        (..., 1.0, 0.0, False),
    ],
)
def test_is_right(answer, expected, tolerance, right):
    assert is_right(answer, expected, tolerance) is right


def test_check_prints_a_friendly_line(capsys):
    assert check(..., 3) is False
    assert "Not answered yet" in capsys.readouterr().out
    assert check(3, 3) is True
    assert capsys.readouterr().out.startswith("Right")
    assert check(4, 3, hint="count again") is False
    assert "Hint: count again" in capsys.readouterr().out
