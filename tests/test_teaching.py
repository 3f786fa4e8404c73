"""The self-checks: :func:`sim.teaching.check` reads answers soundly, and every notebook check passes
the teacher's guide's answer and fails a wrong one, in the notebook itself."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from hang import HANG_S
from nbclient import NotebookClient

from sim.catalog import CATEGORY_LABELS
from sim.teaching import check, is_right

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
GUIDE = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")

#: For each notebook, its self-checks in order: the guide's answer (docs/teaching.md, seed 7), written
#: as a student might, a wrong answer, and the guide's words for the answer.
ANSWERS: dict[str, list[tuple[object, object, str]]] = {
    "00_quickstart": [("71.4 %", 40, "71.4 %"), (319, 200, "318.7 days"), ("60,725", 30000, "60,725 sets")],
    "01_one_channel": [("12.3 %", 0.9, "12.3 %"), ("no", True, "`False`")],
    "02_the_1954_agreement": [(True, False, "`True`"), ("4,598", 3000, "4,598 requests")],
    "03_translation": [("yes", False, "`True`"), ("6.4 days", 20, "6.4 days")],
    "04_the_1960_recall": [
        (
            ["early_recall_1957", "baseline_1952", "no_recall"],
            ["no_recall", "baseline_1952", "early_recall_1957"],
            '`["early_recall_1957", "baseline_1952", "no_recall"]`',
        ),
        (17.4, 40, "17.4 %"),
    ],
    "05_adoption_rates": [
        ("False", True, "`False`"),
        (CATEGORY_LABELS["operating_procedures"], "standards", '`"operating_procedures"`'),
    ],
    "06_sweeps_and_sensitivity": [("translation.translators", "office.staff", "`translation.translators`")],
}


def _printed(capsys) -> str:
    return capsys.readouterr().out


# --- check and is_right -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected", "tolerance", "unit", "right"),
    [
        (True, np.bool_(True), 0.0, None, True),
        (False, np.bool_(False), 0.0, None, True),
        (np.False_, False, 0.0, None, True),
        (True, np.bool_(False), 0.0, None, False),
        ("yes", np.True_, 0.0, None, True),
        (" No ", False, 0.0, None, True),
        ("true", True, 0.0, None, True),
        (1, True, 0.0, None, False),
        (10.4, 10.0, 0.05, None, True),
        (11.0, 10.0, 0.05, None, False),
        (np.float64(10.2), np.int64(10), 0.05, None, True),
        ("114", 114, 0.0, None, True),
        ("1,234", np.int64(1234), 0.0, None, True),
        ("1 234", 1234, 0.0, None, True),
        ((1, 234), 1234, 0.0, None, True),
        ("3.4 %", 0.034, 0.0, "share", True),
        ("3.4%", 0.034, 0.0, "share", True),
        (3.4, 0.034, 0.0, "share", True),
        (0.034, 0.034, 0.0, "share", True),
        (0.034, 3.4, 0.0, "%", True),
        ("3.4 %", 3.4, 0.0, "%", True),
        (50, 0.37, 0.05, "share", False),
        ("322 days", 322.4, 0.05, "days", True),
        ("322 weeks", 322.4, 0.05, "days", False),
        ("abc", 3.0, 0.0, None, False),
        (float("nan"), 1.0, 0.1, None, False),
        (" Norms ", "norms", 0.0, None, True),
        ("Manufacturing blueprints", "blueprints", 0.0, None, True),
        ("technical-economic norms", "norms", 0.0, None, True),
        ("Operating Procedures", "operating_procedures", 0.0, None, True),
        ("blueprint", "blueprints", 0.0, None, True),
        ("Product standards", "blueprints", 0.0, None, False),
        ("office", {"office", "commission"}, 0.0, None, True),
        ("Technical operating procedures", {"operating_procedures", "norms"}, 0.0, None, True),
        (["a", "B"], ["a", "b"], 0.0, None, True),
        (("a", "b"), ["b", "a"], 0.0, None, False),
        ("early recall 1957, baseline_1952", ["early_recall_1957", "baseline_1952"], 0.0, None, True),
        ("ab", ["a", "b"], 0.0, None, False),
        (..., 1.0, 0.0, None, False),
        (None, 1.0, 0.0, None, False),
        ({"a": 1}, 1.0, 0.0, None, False),
        (pd.DataFrame({"a": [1, 2]}), "office", 0.0, None, False),
        (np.array([1, 2]), 1.0, 0.0, None, False),
        (pd.Series([5.0]), 5.0, 0.0, None, True),
        (print, {"a", "b"}, 0.0, None, False),
        (3, "office", 0.0, None, False),
    ],
)
def test_is_right(answer, expected, tolerance, unit, right):
    assert is_right(answer, expected, tolerance, unit) is right


def test_check_returns_none_and_prints_why_or_hint(capsys):
    assert check(..., 3, why="w", hint="h") is None
    assert _printed(capsys).startswith("Not answered yet")
    assert check(3, 3, why="three is the count.", hint="count again") is None
    out = _printed(capsys)
    assert out.startswith("Right: 3") and "because three is the count." in out
    assert check(4, 3, why="three is the count.", hint="count again") is None
    out = _printed(capsys)
    assert out.startswith("Not quite") and "Hint: count again" in out and "because" not in out


def test_check_says_how_it_read_a_percent_or_a_label(capsys):
    check(3.4, 0.034, why="w", hint="h", unit="share")
    out = _printed(capsys)
    assert out.startswith("Right") and "you gave 3.4 as a percent; the model's figure is a share 0.034" in out
    assert "both accepted" in out
    check("Manufacturing blueprints", "blueprints", why="w", hint="h")
    assert "label of the key 'blueprints'" in _printed(capsys)
    check("322 weeks", 322.0, why="w", hint="h", unit="days")
    out = _printed(capsys)
    assert out.startswith("Not quite") and "in days" in out and "Hint: h" in out


@pytest.mark.parametrize(
    "answer",
    [None, {"a": 1}, pd.DataFrame({"a": [1, 2]}), np.array([1, 2]), print, object(), "abc", [1, 2, 3], 1 + 2j],
    ids=lambda a: type(a).__name__,
)
@pytest.mark.parametrize("expected", [1.0, True, "office", {"office", "commission"}, ["a", "b"]], ids=repr)
def test_odd_answers_get_a_friendly_line_not_a_traceback(answer, expected, capsys):
    assert check(answer, expected, why="w", hint="look again") is None
    out = _printed(capsys)
    assert out.startswith("Not quite") and "Hint: look again" in out and "Traceback" not in out


def test_why_and_hint_are_required():
    with pytest.raises(TypeError):
        check(3, 3)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        check(3, 3, why="w")  # type: ignore[call-arg]


# --- the notebooks' checks ----------------------------------------------------------------------


def _check_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.cell_type == "code" and "check(" in c.source and "import" not in c.source]


def _check_calls(source: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "check"
    ]


def test_the_table_covers_every_notebook():
    assert sorted(ANSWERS) == [path.stem for path in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_check_gives_why_and_hint_and_waits_for_an_answer(path):
    cells = _check_cells(nbformat.read(path, as_version=4))
    assert len(cells) == len(ANSWERS[path.stem])
    for cell in cells:
        assert cell.source.splitlines()[0].startswith("answer = ...  # "), cell.id
        calls = _check_calls(cell.source)
        assert len(calls) == 1, cell.id
        keywords = {k.arg: k.value for k in calls[0].keywords}
        for needed in ("why", "hint"):
            assert needed in keywords, f"{cell.id}: check() without {needed}"
            text = ast.literal_eval(keywords[needed])
            assert len(text) > 20, f"{cell.id}: {needed} too short to teach"
        assert not any(isinstance(n, ast.Compare) and isinstance(n.ops[0], ast.Is) for n in ast.walk(calls[0]))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_guide_gives_each_answer(path):
    section = GUIDE.split(f"### {path.stem[:2]} ")[1].split("\n### ")[0]
    for _right, _wrong, words in ANSWERS[path.stem]:
        assert words in section, (path.stem, words)


def _with_answers(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The notebook with, after each check cell, the same cell with the guide's answer and with a wrong one;
    after the setup cell, a cell that shows where ``sim`` comes from and an unquoted answer."""
    cells = []
    answers = iter(ANSWERS[name])
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type == "code" and "friendly_errors()" in cell.source:
            where = nbformat.v4.new_code_cell('import sim\nprint("sim from", sim.__file__)')
            where.id = f"{cell.id}-sim"
            typo = nbformat.v4.new_code_cell("answer = office")
            typo.id = f"{cell.id}-typo"
            typo.metadata["tags"] = ["raises-exception"]
            cells += [where, typo]
        if cell in _check_cells(nb):
            right, wrong, _words = next(answers)
            for kind, answer in (("right", right), ("wrong", wrong)):
                lines = cell.source.splitlines()
                lines[0] = f"answer = {answer!r}"
                new = nbformat.v4.new_code_cell("\n".join(lines))
                new.id = f"{cell.id}-{kind}"
                cells.append(new)
    nb.cells = cells
    return nb


def _text(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.outputs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_its_checks_pass_the_guides_answers(path, monkeypatch):
    """Runs the notebook top to bottom once (with the worktree's ``sim``), its checks with the guide's
    answers and wrong ones inserted after each. How long it takes is measured in docs/teaching.md."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    nb = _with_answers(nbformat.read(path, as_version=4), path.stem)
    client = NotebookClient(
        nb, timeout=HANG_S, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK_DIR)}}
    )
    client.execute()
    by_id = {c.id: c for c in nb.cells}

    errors = [
        (c.id, o.get("ename"))
        for c in nb.cells
        if c.cell_type == "code" and not c.id.endswith("-typo")
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert not errors
    assert str(ROOT / "sim") in _text(next(c for c in nb.cells if c.id.endswith("-sim")))

    typo = next(c for c in nb.cells if c.id.endswith("-typo"))
    assert "put it in quotes: answer = 'office'" in _text(typo)
    shown = "".join("".join(o.get("traceback", [])) for o in typo.outputs if o.output_type == "error")
    assert "Traceback" not in shown and "Cell In" not in shown

    checks = _check_cells(nbformat.read(path, as_version=4))
    for cell in checks:
        assert _text(by_id[cell.id]).startswith("Not answered yet"), cell.id
        right, wrong = _text(by_id[f"{cell.id}-right"]), _text(by_id[f"{cell.id}-wrong"])
        assert right.startswith("Right: ") and " because " in right, (cell.id, right)
        assert right.count("\n") == 1, (cell.id, right)
        assert wrong.startswith("Not quite") and "Hint: " in wrong, (cell.id, wrong)
    for cell in nb.cells:
        if cell.id.endswith(("-right", "-wrong")):
            assert not [o for o in cell.outputs if o.output_type == "execute_result"], f"{cell.id}: a stray Out:"


def test_check_calls_name_no_answer_by_hand():
    """The expected value is computed from the student's run, never typed in: no literal numbers or
    names as check()'s second argument."""
    for path in NOTEBOOKS:
        for cell in _check_cells(nbformat.read(path, as_version=4)):
            expected = _check_calls(cell.source)[0].args[1]
            assert not isinstance(expected, ast.Constant), (path.stem, cell.id)
            assert any(isinstance(node, ast.Name) for node in ast.walk(expected)), (path.stem, cell.id)
