"""Self-check cells for the teaching notebooks: tell a student whether an answer is right.

A notebook cell calls :func:`check` with the student's answer and the expected
value (or a set of accepted choices); it prints one friendly line and returns
``True`` or ``False``. Nothing here raises on a wrong answer, so a class can run
a notebook top to bottom before anyone has answered.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Real
from typing import Any

#: What a student leaves in a cell before answering.
UNANSWERED = ...


def _normalise(value: Any) -> Any:
    """Lower-case and strip strings so that ``" Office "`` matches ``"office"``."""
    if isinstance(value, str):
        return value.strip().lower()
    return value


def is_right(answer: Any, expected: Any, tolerance: float = 0.0) -> bool:
    """Whether ``answer`` matches ``expected``.

    Args:
        answer: The student's answer.
        expected: A number (matched within ``tolerance``, relative), a string
            (matched ignoring case and surrounding spaces), a list or tuple
            (matched item by item, in order), or a set of accepted answers.
        tolerance: Relative tolerance for numbers, e.g. ``0.1`` for 10 %.

    Returns:
        True if the answer is accepted.
    """
    if answer is UNANSWERED or answer is None:
        return False
    if isinstance(expected, (set, frozenset)):
        return any(is_right(answer, choice, tolerance) for choice in expected)
    if isinstance(expected, (list, tuple)):
        if not isinstance(answer, (list, tuple)) or len(answer) != len(expected):
            return False
        return all(is_right(a, e, tolerance) for a, e in zip(answer, expected, strict=True))
    if isinstance(expected, bool) or isinstance(answer, bool):
        return answer is expected
    if isinstance(expected, Real) and isinstance(answer, Real):
        if math.isnan(float(answer)):
            return False
        return math.isclose(float(answer), float(expected), rel_tol=tolerance, abs_tol=1e-12)
    return _normalise(answer) == _normalise(expected)


def check(answer: Any, expected: Any, tolerance: float = 0.0, *, hint: str = "") -> bool:
    """Print whether the answer is right, with a hint when it is not.

    Args:
        answer: The student's answer; ``...`` means not yet answered.
        expected: See :func:`is_right`.
        tolerance: Relative tolerance for numbers.
        hint: Shown after a wrong answer.

    Returns:
        True if the answer is accepted.
    """
    if answer is UNANSWERED:
        print("Not answered yet: replace ... with your answer and run the cell again.")
        return False
    right = is_right(answer, expected, tolerance)
    if right:
        print(f"Right: {answer!r}.")
    else:
        print(f"Not quite: {answer!r} is not what the model gives." + (f" Hint: {hint}" if hint else ""))
    return right


def choices(options: Iterable[str]) -> str:
    """Format accepted choices for a question, e.g. ``'office' or 'commission'``."""
    return " or ".join(repr(option) for option in options)
