"""The self-checks: :func:`sim.teaching.check` reads answers soundly, and every notebook check passes
the teacher's guide's answer and fails a wrong one, in the notebook itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from hang import HANG_S
from nbclient import NotebookClient

from sim.charts import output_column, record_rows
from sim.history import GRADES, KINDS, ROLES, citation, targets
from sim.plots import mark_rows
from sim.predictions import compare, direction, predict
from sim.teaching import check, is_right

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
GUIDE = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")

#: For each notebook, its self-checks in order: the guide's answer (docs/teaching.md, seed 7), written
#: as a student might, a wrong answer, and the guide's words for the answer. A letter answers a
#: multiple-choice question on a mechanism or a source (`"b"`), whose answer is no figure of a run.
ANSWERS: dict[str, list[tuple[object, object, str]]] = {
    "00_quickstart": [
        ("Translation", "review", 'Explain: `"translation"`'),
        ("no", True, "Evidence? `False`"),
        ("c", "a", 'Source criticism: `"c"`'),
    ],
    "01_one_channel": [
        ("review", "at the channel", 'Explain 1: `"review"`'),
        ("b", "a", 'Explain 2: `"b"`'),
        ("b", "c", 'Source criticism: `"b"`'),
    ],
    "02_the_1954_agreement": [
        ("commission", "office", 'Explain: `"commission"`'),
        ("46 days", 86, "Four sessions: about 46 days"),
        ("b", "c", 'Source criticism: `"b"`'),
    ],
    "03_translation": [
        ("surge", "First Plan", 'Explain 1: `"surge"`'),
        ("before", "after", 'Explain 2: `"before"`'),
        ("b", "a", 'Cut at the wrong moment: `"b"`'),
        ("b", "a", 'Source criticism: `"b"`'),
    ],
    "04_the_1960_recall": [
        ("yes", False, "Explain: `True`"),
        (True, "no", "Bands apart: `True`"),
        ("b", "a", 'Source criticism: `"b"`'),
    ],
    "05_adoption_rates": [
        ("own rate", "peer rate", 'Explain: `"own rate"`'),
        ("b", "a", 'Late material: `"b"`'),
        ("b", "c", 'Source criticism: `"b"`'),
    ],
    "06_sweeps_and_sensitivity": [
        ("b", "c", 'Explain: `"b"`'),
        ("no", True, "Intervals overlap: `False`"),
        ("b", "c", 'Estimates outside 0-1: `"b"`'),
        ("b", "a", 'Source criticism: `"b"`'),
    ],
}
#: How a multiple-choice answer is written (the only literal a check may expect).
LETTER = re.compile(r"[a-e]")


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


# --- predictions, citations and the record on a figure -------------------------------------------


def test_a_prediction_is_recorded_and_compared(capsys):
    made = predict("Longer", options=["shorter", "about the same", "longer"])
    assert made.chosen == "longer" and made.made_one and re.fullmatch(r"\d\d:\d\d", made.made)
    assert "you predict 'longer'" in _printed(capsys)
    compare(made, "longer", detail="126.7 days against 126.7")
    out = _printed(capsys)
    assert "You predicted (at " in out and "'longer'" in out and "126.7 days against 126.7" in out
    assert "They agree" in out
    compare(made, "shorter", detail="d")
    assert "They differ" in _printed(capsys)
    assert predict("yes", options=[True, False]).chosen is True  # read as check() reads answers


@pytest.mark.parametrize("answer", [..., None, "perhaps", 3, [1, 2], print, pd.DataFrame({"a": [1]})], ids=repr)
def test_an_odd_or_blank_prediction_never_breaks(answer, capsys):
    made = predict(answer, options=["a", "b"])
    out = _printed(capsys)
    if answer is ... or answer is None:
        assert not made.made_one and out.startswith("No prediction yet") and "runs on without one" in out
    else:
        assert made.made_one and made.chosen is None and "as you wrote it" in out
    compare(made, "a", detail="d")
    out = _printed(capsys)
    assert "The model gives: 'a': d" in out and "Traceback" not in out
    assert ("Next time" in out) if not made.made_one else ("They differ" in out)


def test_an_outcome_outside_the_choices_is_the_notebooks_mistake():
    with pytest.raises(ValueError, match="not one of the choices"):
        compare(predict("a", options=["a", "b"]), "c", detail="d")


@pytest.mark.parametrize(
    ("before", "after", "word"),
    [
        (100, 100, "about the same"),
        (100, 104, "about the same"),
        (100, 80, "lower"),
        (100, 120, "higher"),
        (0, 0, "about the same"),
        (0, 1, "higher"),
    ],
)
def test_direction(before, after, word):
    assert direction(before, after) == word


def test_a_citation_shows_the_grade_kind_role_and_source():
    text = " ".join(citation("sets_total_1958_62").split())  # as read, whatever the wrapping
    assert text.startswith("history:sets_total_1958_62 · grade B: " + GRADES["B"])
    assert "60,329 sets, 1958-01-01 to 1962-12-31" in text
    assert "Kind: calibration" in text and ROLES["fit"] in text and "Source: Shen Zhihua (2013)" in text
    assert "grade A" in citation("recall_1960") and "1,390 persons" in citation("recall_1960")
    assert "174/154/150" in citation("key_projects")  # a value that is no number is shown as written
    with pytest.raises(KeyError, match="no such row"):
        citation("no_such_row")
    for row in targets().index:  # every row can be cited, and every grade and kind is explained
        assert "ungraded" not in citation(row)
        assert targets().loc[row, "kind"] in KINDS


def test_any_figure_can_draw_rows_of_the_record():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    marks = record_rows(["sets_total_1953_57_derived", "sets_total_1958_62"], cumulative=True)
    assert [(m.column, m.date, m.value) for m in marks] == [
        ("sets_supplied_all", "1957-12-31", 19671.0),
        ("sets_supplied_all", "1962-12-31", 80000.0),
    ]
    assert [m.value for m in record_rows(["specialists_jul_1960"], cumulative=False)] == [1500.0]
    assert output_column("specialists_jul_1960") == "specialists_present"
    with pytest.raises(ValueError, match="names no output"):
        output_column("recall_1960")
    fig, ax = plt.subplots()
    ax.plot(pd.to_datetime(["1953-01-01", "1962-12-31"]), [0, 82000], label="model")
    mark_rows(ax, ["sets_total_1953_57_derived", "sets_total_1958_62"], cumulative=True)
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["sets_total_1953_57_derived: 19,671", "sets_total_1958_62: +60,329 = 80,000"]
    assert ax.get_ylim()[1] >= 80000 * 1.15
    plt.close(fig)


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


def _filled(source: str, value: str) -> str:
    """A prediction cell with every blank (``my_prediction... = ...``) filled: the first option, or ``value``."""
    options = [
        ast.literal_eval(k.value)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "predict"
        for k in node.keywords
        if k.arg == "options"
    ]
    lines, n = [], 0
    for line in source.splitlines():
        if re.match(r"my_prediction\w* = \.\.\.  # ", line):
            line = f"{line.split(' = ')[0]} = {value or options[n][0]!r}"
            n += 1
        lines.append(line)
    return "\n".join(lines)


def _cell(source: str, cell_id: str, *, raises: bool = False) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.id = cell_id
    if raises:
        cell.metadata["tags"] = ["raises-exception"]
    return cell


#: A scenario file with a misspelt key, as a student might write one.
BAD_FILE = """\
from pathlib import Path
Path("bad.toml").write_text('extends = "baseline_1952"\\n[office]\\nstaf = 3\\n', encoding="utf-8")
run("bad.toml")"""


def _with_answers(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The notebook with cells added to try every student action:

    - after the setup cell: where ``sim`` comes from, an unquoted answer and a scenario file with a bad key;
    - after each check cell (left blank as committed): the guide's answer, a wrong one, and a blank again;
    - after the cell that compares a prediction with the run: the prediction cell filled (the first option),
      the comparison again, the prediction cell with an answer that is no option, and the comparison again.
    """
    cells = []
    answers = iter(ANSWERS[name])
    checks = _check_cells(nb)
    waiting = []  # prediction cells not yet compared
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type != "code":
            continue
        if "friendly_errors()" in cell.source:
            cells += [
                _cell('import sim\nprint("sim from", sim.__file__)', f"{cell.id}-sim"),
                _cell("answer = office", f"{cell.id}-typo", raises=True),
                _cell(BAD_FILE, f"{cell.id}-badfile", raises=True),
            ]
        if cell in checks:
            right, wrong, _words = next(answers)
            lines = cell.source.splitlines()
            for kind, answer in (("right", repr(right)), ("wrong", repr(wrong)), ("blank", "...")):
                cells.append(_cell("\n".join([f"answer = {answer}", *lines[1:]]), f"{cell.id}-{kind}"))
        if "= predict(" in cell.source:
            waiting.append(cell)
        elif "compare(prediction" in cell.source and waiting:
            predicted = waiting.pop(0)
            cells += [
                _cell(_filled(predicted.source, ""), f"{predicted.id}-filled"),
                _cell(cell.source, f"{cell.id}-compared"),
                _cell(_filled(predicted.source, "perhaps"), f"{predicted.id}-odd"),
                _cell(cell.source, f"{cell.id}-compared-odd"),
            ]
    assert not waiting, "a prediction that is never compared"
    nb.cells = cells
    return nb


def _text(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.outputs)


def _no_traceback(cell: nbformat.NotebookNode) -> None:
    shown = "".join("".join(o.get("traceback", [])) for o in cell.outputs if o.output_type == "error")
    assert "Traceback" not in shown and "Cell In" not in shown, cell.id


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_its_checks_pass_the_guides_answers(path, tmp_path, monkeypatch):
    """Runs the notebook top to bottom once (with the worktree's ``sim``, in a folder of its own, as its
    starters write scenario files), with its predictions blank and filled and its checks blank, with the
    guide's answers and with wrong ones. How long it takes is measured in docs/teaching.md."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    nb = _with_answers(nbformat.read(path, as_version=4), path.stem)
    client = NotebookClient(nb, timeout=HANG_S, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    by_id = {c.id: c for c in nb.cells}

    errors = [
        (c.id, o.get("ename"))
        for c in nb.cells
        if c.cell_type == "code" and not c.id.endswith(("-typo", "-badfile"))
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert not errors
    assert str(ROOT / "sim") in _text(next(c for c in nb.cells if c.id.endswith("-sim")))

    typo = next(c for c in nb.cells if c.id.endswith("-typo"))
    assert "put it in quotes: answer = 'office'" in _text(typo)
    bad = next(c for c in nb.cells if c.id.endswith("-badfile"))
    assert "office.staf" in _text(bad) and "Fix what the line names" in _text(bad), _text(bad)
    for cell in (typo, bad):
        _no_traceback(cell)

    committed = nbformat.read(path, as_version=4)
    for cell in _check_cells(committed):
        for blank in (by_id[cell.id], by_id[f"{cell.id}-blank"]):
            assert _text(blank).startswith("Not answered yet"), blank.id
        right, wrong = _text(by_id[f"{cell.id}-right"]), _text(by_id[f"{cell.id}-wrong"])
        assert right.startswith("Right: ") and " because " in right, (cell.id, right)
        assert right.count("\n") == 1, (cell.id, right)
        assert wrong.startswith("Not quite") and "Hint: " in wrong, (cell.id, wrong)
    for cell in nb.cells:
        if cell.id.endswith(("-right", "-wrong", "-blank", "-filled", "-odd")):
            assert not [o for o in cell.outputs if o.output_type == "execute_result"], f"{cell.id}: a stray Out:"

    compared = [c for c in nb.cells if c.id.endswith("-compared")]
    assert compared, "no prediction compared with a run"
    for cell in compared:
        blank, filled, odd = by_id[cell.id.removesuffix("-compared")], cell, by_id[f"{cell.id}-odd"]
        assert "You predicted:   nothing" in _text(blank) and "Next time" in _text(blank), _text(blank)
        assert "You predicted (at " in _text(filled) and "The model gives: " in _text(filled), _text(filled)
        assert ("They agree" in _text(filled)) or ("They differ" in _text(filled)), _text(filled)
        assert "'perhaps'" in _text(odd) and "They differ" in _text(odd), _text(odd)
    for cell in nb.cells:
        if cell.id.endswith("-odd") and "predict(" in cell.source:
            assert "as you wrote it" in _text(cell), _text(cell)
    share = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith('BOARD = ""'))
    assert _text(share).startswith("No board address given"), _text(share)


def test_check_calls_name_no_answer_by_hand():
    """The expected value is computed from the student's run (or the record, or the scenario), never typed in:
    no literal numbers or names as check()'s second argument. Only a multiple-choice question on a mechanism or
    a source expects a literal letter, and its question lists the letters; every notebook computes some."""
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        computed = 0
        for cell in _check_cells(nb):
            expected = _check_calls(cell.source)[0].args[1]
            if isinstance(expected, ast.Constant):
                assert isinstance(expected.value, str) and LETTER.fullmatch(expected.value), (path.stem, cell.id)
                question = nb.cells[nb.cells.index(cell) - 1].source
                assert f'`"{expected.value}"`:' in question and '`"a"`:' in question, (path.stem, cell.id)
            else:
                assert any(isinstance(node, ast.Name) for node in ast.walk(expected)), (path.stem, cell.id)
                computed += 1
        assert computed, f"{path.stem}: every check is multiple choice; ask one of the run"
