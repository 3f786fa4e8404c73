"""The teaching notebooks: committed clean, in step with their generator, with goals, context and self-checks."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

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


# Each notebook is run top to bottom, with its self-checks answered, in tests/test_teaching.py.
