"""The teaching notebooks and their solutions: committed clean, in step with their generator, built as the
NetLogo Info tab with predictions, tiers, sources graded, the record on the figures; every solution runs."""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from hang import HANG_S
from nbclient import NotebookClient

from sim.charts import output_column

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
SOLUTIONS = sorted((NOTEBOOK_DIR / "solutions").glob("*.ipynb"))
EXPECTED = [
    "00_quickstart",
    "01_one_channel",
    "02_the_1954_agreement",
    "03_translation",
    "04_the_1960_recall",
    "05_adoption_rates",
    "06_sweeps_and_sensitivity",
]
TARGETS = pd.read_csv(ROOT / "data" / "history_targets.csv", dtype=str).set_index("id")
#: The model's columns that rows of the record are compared with (sets_supplied_all, specialists_present ...).
RECORDED = {output_column(row) for row in TARGETS.index[TARGETS["output"].notna()]}


def _generator():
    spec = importlib.util.spec_from_file_location("notebooks_build", NOTEBOOK_DIR / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _markdown(nb: nbformat.NotebookNode) -> str:
    return "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


def _code(nb: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def test_every_notebook_and_its_solutions_are_there():
    assert [path.stem for path in NOTEBOOKS] == EXPECTED
    assert [path.stem for path in SOLUTIONS] == [f"{name}_solutions" for name in EXPECTED]


@pytest.mark.parametrize("path", NOTEBOOKS + SOLUTIONS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = _read(path)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: cell {cell.id} has outputs"
            assert cell.execution_count is None, f"{path.name}: cell {cell.id} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS + SOLUTIONS, ids=lambda p: p.stem)
def test_matches_generator(path):
    assert path.read_text(encoding="utf-8") == _generator().render(path.stem), (
        f"{path.name} differs from notebooks/build.py and notebooks/cells/: run `python notebooks/build.py`"
    )


#: The sections of NetLogo's Info tab, in order, and the tiers of *Things to try*.
SECTIONS = [
    "## What is it?",
    "## How it works",
    "## How to use it",
    "## Things to notice",
    "## Things to try",
    "### Basic",
    "### Extension",
    "## The sources",
    "## Extending the model",
]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_follows_the_info_tab_with_goals_context_and_tiers(path):
    text = _markdown(_read(path))
    places = [text.find(section) for section in SECTIONS]
    assert -1 not in places, [s for s, p in zip(SECTIONS, places, strict=True) if p == -1]
    assert places == sorted(places), "sections out of the Info tab's order"
    assert "Learning goals" in text
    assert "**Basic**" in text and "**Extension**" in text, "the opening says what is Basic and what Extension"
    assert "history:" in text, "the context must cite data/history_targets.csv"
    assert "python -m sim dashboard" in text, "the Basic tier may use the dashboard: say how to start it"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_predicts_before_each_key_run_and_compares_after(path):
    """A prediction cell (a blank the student fills, then predict()) comes before the cell that runs, and a
    compare() of each prediction after it; the blanks are there as committed."""
    cells = _code(_read(path))
    predicting = [i for i, source in enumerate(cells) if "predict(" in source and "def " not in source]
    assert predicting, "no prediction cell"
    for i in predicting:
        source = cells[i]
        blanks = re.findall(r"^(my_prediction\w*) = \.\.\.  # ", source, re.MULTILINE)
        recorded = re.findall(r"^(prediction\w*) = predict\((my_prediction\w*), options=\[", source, re.MULTILINE)
        assert blanks and [b for _, b in recorded] == blanks, source
        later = "\n".join(cells[i + 1 :])
        assert re.search(r"\brun\(|run_until\(|run_sweep\(", cells[i + 1]), (
            f"the cell after a prediction should run the model: {cells[i + 1][:80]}"
        )
        for name, _ in recorded:
            assert f"compare({name}," in later, f"{name} is never compared with the run"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_cites_with_grades_and_asks_one_source_question(path):
    nb = _read(path)
    text = _markdown(nb)
    for row in set(re.findall(r"`history:([a-z0-9_]+)`", text)):
        grade = TARGETS.loc[row, "reliability"]
        assert f"`history:{row}` [grade {grade}]" in text, f"history:{row} cited without its grade"
    assert text.count("**Source criticism.**") == 1
    assert any(source.startswith("cite(") or "\ncite(" in source for source in _code(nb)), "no row shown by cite()"


@pytest.mark.parametrize("path", NOTEBOOKS + SOLUTIONS, ids=lambda p: p.stem)
def test_figures_of_recorded_quantities_draw_the_record(path):
    """A cell that draws a column the record counts (sets supplied, specialists present) draws the record too."""
    for source in _code(_read(path)):
        if "plt.show()" not in source:
            continue
        drawn = {column for column in RECORDED if f'"{column}"' in source}
        if drawn:
            assert "mark_rows(" in source or 'draw_chart(ax, results.timeseries, CHARTS["sets_supplied"])' in source, (
                path.stem,
                sorted(drawn),
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_thing_to_try_has_a_solution(path):
    numbered = re.findall(r"^\*\*(\d+)\.\*\* ", _markdown(_read(path)), re.MULTILINE)
    solutions = _read(NOTEBOOK_DIR / "solutions" / f"{path.stem}_solutions.ipynb")
    solved = re.findall(r"^## (\d+)\. \((Basic|Extension)\) ", _markdown(solutions), re.MULTILINE)
    assert numbered == [n for n, _ in solved] == [str(i) for i in range(1, len(numbered) + 1)]
    assert {tier for _, tier in solved} == {"Basic", "Extension"}
    for i, cell in enumerate(solutions.cells):
        if cell.cell_type == "markdown" and re.match(r"## \d+\. ", cell.source):
            following = solutions.cells[i + 1]
            assert following.cell_type == "code" and following.source.strip(), cell.source[:40]
            ast.parse(following.source)


def test_cited_history_rows_exist():
    known = set(TARGETS.index)
    for path in [*NOTEBOOKS, *SOLUTIONS, ROOT / "docs" / "teaching.md", ROOT / "docs" / "handout.md"]:
        cited = set(re.findall(r"history:([a-z0-9_]+)", path.read_text(encoding="utf-8")))
        assert cited <= known, (path.name, sorted(cited - known))


@pytest.mark.timeout(HANG_S)
@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_solutions_run(path, tmp_path, monkeypatch):
    """Every worked solution runs as it stands, in a folder of its own (they write scenario files), with the
    worktree's ``sim``. How long each takes is measured in docs/teaching.md."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    nb = _read(path)
    NotebookClient(nb, timeout=HANG_S, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [
        (c.id, o.get("ename")) for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors
    if any("my_scenarios" in source for source in _code(nb)):
        assert list((tmp_path / "my_scenarios").glob("*.toml")), "no scenario file written"


# Each notebook is run top to bottom, with its self-checks and predictions answered, in tests/test_teaching.py.
