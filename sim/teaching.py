"""Self-check cells for the teaching notebooks: tell a student whether an answer is right, and why.

A notebook cell calls :func:`check` with the student's answer, the expected value
(or a set of accepted choices), *why* it is the answer and a *hint* for a wrong
one; it prints one friendly line and returns None, so no stray ``Out:`` line
follows. :func:`is_right` gives the same verdict as a bool, for tests.

Answers are read generously where their meaning is clear: numbers written as
text (``"114"``, ``"1,234"``, ``"3.4 %"``, ``"322 days"``), a share given as a
percent or a percent as a share (``unit="share"`` or ``unit="%"``), a category's
label for its key (``"Manufacturing blueprints"`` for ``"blueprints"``), words in
any case and with spaces, hyphens or underscores, ``"yes"``/``"no"`` for
``True``/``False``. Nothing here raises on a student's answer, so a class can run
a notebook top to bottom before anyone has answered.

:func:`share` hands a what-if in to the class board (``python -m sim class``) from a
notebook, and prints one line saying what became of it (:mod:`sim.classroom.client`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from numbers import Real
from typing import Any

from sim.catalog import CATEGORY_LABELS
from sim.classroom.client import share  # noqa: F401  (notebooks call sim.teaching.share)

#: What a student leaves in a cell before answering.
UNANSWERED = ...

#: Units that mean the expected number is a share (0-1) or a percent (0-100).
SHARE_UNITS = {"share", "fraction"}
PERCENT_UNITS = {"%", "percent", "per cent"}

_TRUE_WORDS = {"true", "yes", "y", "t"}
_FALSE_WORDS = {"false", "no", "n", "f"}
_NUMBER = re.compile(
    r"^\s*(?P<number>[-+]?(?:\d{1,3}(?:[,\s]\d{3})+|\d+)(?:[.,]\d+)?(?:e[-+]?\d+)?|[-+]?[.,]\d+)"
    r"\s*(?P<percent>%|percent|per cent)?\s*(?P<word>[a-z][a-z .-]*?)?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Verdict:
    """What :func:`check` makes of an answer.

    Attributes:
        right: Whether the answer is accepted.
        note: How the answer was read, when that is worth saying (e.g. a percent taken as a share).
        problem: Why the answer could not be read at all, if so (shown instead of the hint's lead-in).
    """

    right: bool
    note: str = ""
    problem: str = ""


def _scalar(value: Any) -> Any:
    """A NumPy or pandas scalar (or a one-element array or Series) as a plain Python value."""
    if isinstance(value, (bool, int, float, str, complex)) or value is None or value is ...:
        return value
    item = getattr(value, "item", None)
    if callable(item):
        try:
            return item()
        except (TypeError, ValueError):
            return value
    return value


def _words(value: str) -> str:
    """Lower case, hyphens and underscores as spaces, runs of spaces as one: ``" Operating_Procedures"``."""
    return " ".join(re.sub(r"[_\-]+", " ", value.strip().lower()).split())


def _singular(words: str) -> str:
    """``"standards"`` and ``"standard"`` alike (only a final s)."""
    return words[:-1] if words.endswith("s") and len(words) > 3 else words


_LABEL_TO_KEY = {_words(label): key for key, label in CATEGORY_LABELS.items()}


def _same_words(answer: str, expected: str) -> tuple[bool, str]:
    """Whether two strings name the same thing, and a note if the answer was a label for the key."""
    a, e = _words(answer), _words(expected)
    if a == e or _singular(a) == _singular(e):
        return True, ""
    key = _LABEL_TO_KEY.get(a) or _LABEL_TO_KEY.get(_singular(a) + "s")
    if key is not None and _words(key) == e:
        return True, f"the label of the key {expected!r}; both accepted"
    if a.replace(" ", "") == e.replace(" ", ""):
        return True, ""
    return False, ""


def _parse_number(text: str) -> tuple[float | None, bool, str]:
    """A number written as text: the value, whether a percent sign was given, and any unit word."""
    match = _NUMBER.match(text)
    if not match:
        return None, False, ""
    number = match["number"].replace(" ", "")
    if re.fullmatch(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:e[-+]?\d+)?", number, re.IGNORECASE):
        number = number.replace(",", "")  # 1,234 or 1,234.5: thousands
    else:
        number = number.replace(",", ".")  # 3,4: a decimal comma
    try:
        value = float(number)
    except ValueError:
        return None, False, ""
    return value, bool(match["percent"]), (match["word"] or "").strip().lower()


def _unit_matches(word: str, unit: str) -> bool:
    """Whether a unit word the student wrote (``"days"``, ``"day"``, ``"d"``) fits the expected unit."""
    w, u = _singular(_words(word)), _singular(_words(unit))
    return not w or w == u or u.startswith(w) or w.startswith(u)


def _is_thousands(answer: Any) -> bool:
    """Whether ``answer`` is what Python makes of ``1,234`` without quotes: a tuple (1, 234)."""
    return (
        isinstance(answer, tuple)
        and len(answer) > 1
        and all(isinstance(x, int) and not isinstance(x, bool) for x in answer)
        and all(0 <= x <= 999 for x in answer[1:])
    )


def _close(a: float, e: float, tolerance: float) -> bool:
    return math.isclose(a, e, rel_tol=tolerance, abs_tol=1e-12)


def _fmt(x: float) -> str:
    return f"{x:,.4g}" if abs(x) < 1e5 else f"{x:,.0f}"


def _number_verdict(answer: Any, expected: float, tolerance: float, unit: str | None) -> Verdict:
    """Match a number (or a number written as text) against a number."""
    percent_sign = False
    note = ""
    if isinstance(answer, str):
        value, percent_sign, word = _parse_number(answer)
        if value is None:
            return Verdict(False, problem=f"{answer!r} is not a number I can read; give a number, e.g. 12.5.")
        if word and not (unit and _unit_matches(word, unit)):
            wanted = f" in {unit}" if unit and unit not in PERCENT_UNITS | SHARE_UNITS else ""
            return Verdict(False, problem=f"I read {answer!r} as {_fmt(value)} {word}; give the number{wanted}.")
        note = f"read as {_fmt(value)}{' %' if percent_sign else ''}"
        answer = value
    elif _is_thousands(answer):
        value = 0.0
        for part in answer:
            value = value * 1000 + part
        note = (
            f"Python reads {', '.join(map(str, answer))} without quotes as {len(answer)} numbers; "
            f"I took it as {value:,.0f}: write {value:.0f} or '{value:,.0f}'"
        )
        answer = value
    if isinstance(answer, bool) or not isinstance(answer, Real):
        return Verdict(False, problem=_type_problem(answer, expected))
    a = float(answer)
    if math.isnan(a):
        return Verdict(False, problem="that is NaN (not a number); give a number.")
    e = float(expected)
    unit_set = (unit or "").strip().lower()
    if unit_set in SHARE_UNITS:
        if percent_sign or (not _close(a, e, tolerance) and _close(a / 100, e, tolerance)):
            right = _close(a / 100, e, tolerance)
            if right:
                return Verdict(
                    True, f"you gave {_fmt(a)} as a percent; the model's figure is a share {_fmt(e)} — both accepted"
                )
            return Verdict(False, note)
    elif (
        unit_set in PERCENT_UNITS and not percent_sign and not _close(a, e, tolerance) and _close(a * 100, e, tolerance)
    ):
        return Verdict(
            True, f"you gave {_fmt(a)} as a share; the question asks for a percent, {_fmt(e)} % — both accepted"
        )
    return Verdict(_close(a, e, tolerance), note)


def _bool_verdict(answer: Any) -> tuple[bool | None, str]:
    """A True/False answer as a bool (``"yes"``, ``"no"``, ``"true"`` accepted), or None and a problem."""
    if isinstance(answer, bool):
        return answer, ""
    if isinstance(answer, str):
        word = _words(answer)
        if word in _TRUE_WORDS:
            return True, ""
        if word in _FALSE_WORDS:
            return False, ""
    return None, f"answer True or False (you gave {answer!r})."


def _type_problem(answer: Any, expected: Any) -> str:
    """A friendly line for an answer of a type that cannot be compared with ``expected``."""
    wanted = (
        "True or False"
        if isinstance(expected, bool)
        else "a number"
        if isinstance(expected, Real)
        else "a list, e.g. ['a', 'b']"
        if isinstance(expected, (list, tuple))
        else "a name in quotes, e.g. 'office'"
        if isinstance(expected, str)
        else "one of the choices"
    )
    kind = type(answer).__name__
    return f"I cannot read a {kind} as an answer here; give {wanted}."


def _verdict(answer: Any, expected: Any, tolerance: float, unit: str | None) -> Verdict:
    """The verdict on one answer; never raises."""
    answer, expected = _scalar(answer), _scalar(expected)
    if answer is None:
        return Verdict(False, problem="the answer is None (did you assign the result of print()?); give a value.")
    if isinstance(expected, (set, frozenset)):
        verdicts = [_verdict(answer, choice, tolerance, unit) for choice in expected]
        for verdict in verdicts:
            if verdict.right:
                return verdict
        return Verdict(False, problem=next((v.problem for v in verdicts if v.problem), ""))
    if isinstance(expected, (list, tuple)):
        if isinstance(answer, str) and "," in answer:
            answer = [part.strip().strip("'\"") for part in answer.split(",")]
        if not isinstance(answer, (list, tuple)):
            return Verdict(False, problem=_type_problem(answer, expected))
        if len(answer) != len(expected):
            return Verdict(False, problem=f"give {len(expected)} items; you gave {len(answer)}.")
        items = [_verdict(a, e, tolerance, unit) for a, e in zip(answer, expected, strict=True)]
        notes = " ".join(dict.fromkeys(v.note for v in items if v.note))
        return Verdict(all(v.right for v in items), notes, next((v.problem for v in items if v.problem), ""))
    if isinstance(expected, bool):
        given, problem = _bool_verdict(answer)
        if given is None:
            return Verdict(False, problem=problem)
        return Verdict(given == expected)
    if isinstance(expected, Real):
        return _number_verdict(answer, float(expected), tolerance, unit)
    if isinstance(expected, str):
        if not isinstance(answer, str):
            return Verdict(False, problem=_type_problem(answer, expected))
        right, note = _same_words(answer, expected)
        return Verdict(right, note)
    try:
        return Verdict(bool(answer == expected))
    except Exception:  # a student's answer must never raise
        return Verdict(False, problem=_type_problem(answer, expected))


def is_right(answer: Any, expected: Any, tolerance: float = 0.0, unit: str | None = None) -> bool:
    """Whether ``answer`` matches ``expected``.

    Args:
        answer: The student's answer (``...`` and None are never right).
        expected: A bool (``"yes"``/``"no"`` accepted), a number (matched within
            ``tolerance``, relative; numbers written as text accepted), a string
            (matched ignoring case, spaces and underscores; a category's label
            matches its key), a list or tuple (matched item by item, in order),
            or a set of accepted answers. NumPy scalars are compared as plain values.
        tolerance: Relative tolerance for numbers, e.g. ``0.1`` for 10 %.
        unit: ``"share"`` if the expected number is a share (a percent is then
            accepted too), ``"%"`` if it is a percent (a share accepted too), or
            the unit of the number (``"days"``), which an answer may name.

    Returns:
        True if the answer is accepted.
    """
    if answer is UNANSWERED:
        return False
    return _verdict(answer, expected, tolerance, unit).right


def check(answer: Any, expected: Any, *, why: str, hint: str, tolerance: float = 0.0, unit: str | None = None) -> None:
    """Print whether the answer is right and why, or a hint when it is not.

    Args:
        answer: The student's answer; ``...`` means not yet answered.
        expected: See :func:`is_right`.
        why: Why that is the answer, shown after a right one (``"Right: ... because <why>"``).
        hint: Where to look, shown after a wrong one.
        tolerance: Relative tolerance for numbers.
        unit: See :func:`is_right`.
    """
    if answer is UNANSWERED:
        print("Not answered yet: replace ... with your answer and run the cell again.")
        return
    try:
        verdict = _verdict(answer, expected, tolerance, unit)
    except Exception:  # a student's answer must never raise
        verdict = Verdict(False, problem=_type_problem(answer, expected))
    try:
        shown = repr(_scalar(answer))
    except Exception:
        shown = f"your {type(answer).__name__}"
    if len(shown) > 80:
        shown = shown[:77] + "..."
    note = f" ({verdict.note})" if verdict.note else ""
    if verdict.right:
        print(f"Right: {shown}{note} because {why}")
    elif verdict.problem:
        print(f"Not quite: {verdict.problem} Hint: {hint}")
    else:
        print(f"Not quite: {shown}{note} is not what the model gives. Hint: {hint}")


def choices(options: Iterable[str]) -> str:
    """Format accepted choices for a question, e.g. ``'office' or 'commission'``."""
    return " or ".join(repr(option) for option in options)


def friendly_errors() -> None:
    """In a notebook, turn a student's slip into plain lines instead of a traceback.

    A NameError (an answer word without quotes, a misspelt name) says to quote the answer or
    check the spelling; a bad scenario file or value (:class:`sim.errors.InputError`, e.g. a
    ``ScenarioError`` from a scenario file a student wrote) prints its message, which names the
    file, the key, the value and what is allowed. Outside IPython this does nothing.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is there wherever notebooks run
        return
    shell = get_ipython()
    if shell is None:
        return
    from sim.errors import InputError

    def explain(_shell: Any, _etype: Any, value: BaseException, _tb: Any, tb_offset: Any = None) -> list[str]:
        if isinstance(value, InputError):
            print(str(value))
            print("Fix what the line names and run the cell again.")
            return [f"{type(value).__name__}: see above"]
        match = re.search(r"name '([^']+)' is not defined", str(value))
        name = match[1] if match else "that name"
        lines = [
            f"Python does not know the name {name}.",
            f"If it is an answer, put it in quotes: answer = '{name}'.",
            "If it is a variable, check its spelling and run the cells above this one first.",
        ]
        print("\n".join(lines))
        return [f"NameError: name {name!r} is not defined (see above)"]

    shell.set_custom_exc((NameError, InputError), explain)
