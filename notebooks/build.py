"""Write the teaching notebooks and their solutions: ``python notebooks/build.py``.

The cells live in ``notebooks/cells/``: ``common.py`` (the setup cell, the kinds of
cell and the words every notebook shares) and one module per notebook
(``n00_quickstart.py`` ...), which lists its cells and its *Things to try*, each
with the code of its solution. This script writes ``notebooks/<name>.ipynb`` and
``notebooks/solutions/<name>_solutions.ipynb`` from them, without outputs or
execution counts and with stable cell ids. The ``.ipynb`` files are committed;
``tests/test_notebooks.py`` checks that they match what this script writes, so
edit the cells and rebuild.
"""

from __future__ import annotations

import importlib
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import nbformat

HERE = Path(__file__).resolve().parent
CELLS = HERE / "cells"
SOLUTIONS = HERE / "solutions"
#: The notebooks, in teaching order, by the module that holds their cells.
MODULES = (
    "n00_quickstart",
    "n01_one_channel",
    "n02_the_1954_agreement",
    "n03_translation",
    "n04_the_1960_recall",
    "n05_adoption_rates",
    "n06_sweeps_and_sensitivity",
)
SUFFIX = "_solutions"


@cache
def modules() -> dict[str, ModuleType]:
    """Each notebook's module of cells, by the notebook's name (``00_quickstart``)."""
    if str(CELLS) not in sys.path:
        sys.path.insert(0, str(CELLS))
    loaded = [importlib.import_module(name) for name in MODULES]
    return {module.NAME: module for module in loaded}


def _common() -> ModuleType:
    modules()
    return importlib.import_module("common")


def _tries(module: ModuleType) -> list:
    """The *Things to try* section: a heading per tier, each item numbered, its starter code below it."""
    common = _common()
    cells = [common.md("## Things to try")]
    number = 0
    for tier in common.TIERS:
        items = [t for t in module.TRIES if t.tier == tier]
        if not items:
            raise ValueError(f"{module.NAME}: no {tier} item among its Things to try")
        lead = {
            "Basic": "Edit a list in a loop written for you, or use the dashboard.",
            "Extension": "Write a scenario file or extend a sweep.",
        }[tier]
        cells.append(common.md(f"### {tier}\n\n{lead}"))
        for item in items:
            number += 1
            cells.append(common.md(f"**{number}.** {item.text}"))
            if item.starter:
                cells.append(common.code(item.starter))
    cells.append(
        common.md(f"Worked solutions to all {number}: `solutions/{module.NAME}{SUFFIX}.ipynb`. Try first, then look.")
    )
    return cells


def notebook_cells(name: str) -> list:
    """The cells of notebook ``name``, its *Things to try* in their place."""
    module = modules()[name]
    common = _common()
    cells = []
    for cell in module.CELLS:
        cells += _tries(module) if cell == common.TRIES_HERE else [cell]
    return cells


def solution_cells(name: str) -> list:
    """The cells of the solutions to notebook ``name``'s *Things to try*: setup, then each item and its code."""
    module = modules()[name]
    common = _common()
    cells = [
        common.md(
            f"# Solutions: {name}, Things to try\n\n"
            f"Worked solutions to every item of *Things to try* in `../{name}.ipynb`, numbered as there, for "
            "teachers and for students who have tried first. Each runs as it stands (the tests run this "
            "notebook); the figures they give for seed 7 are in `docs/teaching.md`."
        ),
        common.code(common.SETUP),
        common.code(module.SOLUTION_SETUP),
    ]
    for number, item in enumerate(module.TRIES, 1):
        cells.append(common.md(f"## {number}. ({item.tier}) {item.text}"))
        cells.append(common.code(item.solution))
    return cells


def build(name: str) -> nbformat.NotebookNode:
    """The notebook ``name`` (``00_quickstart`` or ``00_quickstart_solutions``) as written by this script."""
    solutions = name.endswith(SUFFIX)
    cells = solution_cells(name.removesuffix(SUFFIX)) if solutions else notebook_cells(name)
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, cell in enumerate(cells):
        new = nbformat.v4.new_markdown_cell if cell.kind == "md" else nbformat.v4.new_code_cell
        made = new(cell.source)
        made.id = f"{'s' if solutions else ''}{name[:2]}-{i:02d}"
        nb.cells.append(made)
    return nb


def render(name: str) -> str:
    """The text of ``name``.ipynb as committed."""
    return nbformat.writes(build(name)) + "\n"


def paths() -> dict[str, Path]:
    """Every notebook this script writes, by name: the notebooks, then their solutions."""
    names = list(modules())
    return {name: HERE / f"{name}.ipynb" for name in names} | {
        f"{name}{SUFFIX}": SOLUTIONS / f"{name}{SUFFIX}.ipynb" for name in names
    }


def main() -> int:
    """Write every notebook and its solutions."""
    SOLUTIONS.mkdir(exist_ok=True)
    for name, path in paths().items():
        path.write_text(render(name), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
