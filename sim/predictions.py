"""Predict, run, compare: a student's prediction, recorded before a key run, shown beside the model's result.

The teaching notebooks follow a predict-explore-explain cycle. A prediction cell,
before a key run, records what the student expects (:func:`predict`); a compare
cell, after it, shows the prediction beside what the model gives and the figures
behind it (:func:`compare`), and asks for an explanation: of a match (why does
the model do that?) or of a surprise (what did you expect that it does not do?).

Predictions are among a few named choices (``"shorter"``, ``"about the same"``,
``"longer"``), read as :func:`sim.teaching.check` reads answers (any case,
``yes``/``no`` for True/False). Nothing here raises on what a student writes: a
blank prediction (the ``...`` left in place) is recorded as none, and the notebook
runs on, so a class can run it top to bottom before anyone has predicted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sim.teaching import UNANSWERED, choices, is_right


@dataclass(frozen=True)
class Prediction:
    """What a student predicted, and when.

    Attributes:
        answer: The choice predicted (as the choice is written), the text as written if it
            matches no choice, or None if no prediction was made.
        choices: The choices offered.
        made: The time it was recorded, ``HH:MM``.
    """

    answer: Any
    choices: tuple[str, ...]
    made: str = ""

    @property
    def made_one(self) -> bool:
        """Whether the student predicted anything."""
        return self.answer is not None

    @property
    def chosen(self) -> str | None:
        """The choice predicted, or None if none or not one of the choices."""
        return next((c for c in self.choices if is_right(self.answer, c)), None)


def _shown(value: Any) -> str:
    """A prediction as printed: its repr, cut to one short line."""
    try:
        text = " ".join(repr(value).split())
    except Exception:  # a student's object must never raise here
        text = f"a {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


def predict(answer: Any, *, options: Sequence[str]) -> Prediction:
    """Record a prediction before a run, and say so.

    Args:
        answer: The student's prediction; ``...`` (or None) means none yet.
        options: The choices offered, e.g. ``("shorter", "about the same", "longer")``.

    Returns:
        The prediction, to hand to :func:`compare` after the run.
    """
    offered = tuple(options)
    if answer is UNANSWERED or answer is None:
        print(
            f"No prediction yet: replace ... with {choices(offered)} and run this cell before the run below. "
            "(The notebook runs on without one.)"
        )
        return Prediction(None, offered)
    made = dt.datetime.now().strftime("%H:%M")
    chosen = next((c for c in offered if is_right(answer, c)), None)
    if chosen is None:
        print(
            f"Recorded at {made}, before the run: {_shown(answer)}, as you wrote it; it is not one of "
            f"{choices(offered)}, so the comparison after the run will show it as written."
        )
        return Prediction(answer, offered, made)
    print(f"Recorded at {made}, before the run: you predict {chosen!r}.")
    return Prediction(chosen, offered, made)


def direction(
    before: float, after: float, *, within: float = 0.05, words: Sequence[str] = ("lower", "about the same", "higher")
) -> str:
    """Which way a figure moved: ``words[0]`` if it fell, ``words[1]`` if it stayed within ``within``, else the third.

    Args:
        before: The figure before (the baseline).
        after: The figure after (the what-if).
        within: The relative change still counted as the same, e.g. 0.05 for 5 %.
        words: The three words, for a fall, no change and a rise.
    """
    fall, same, rise = words
    if abs(after - before) <= within * abs(before):
        return same
    return fall if after < before else rise


def compare(prediction: Prediction, outcome: str, *, detail: str) -> None:
    """Print the prediction beside what the model gives, and what to explain next.

    Args:
        prediction: What :func:`predict` recorded before the run.
        outcome: What the model gives, one of the prediction's choices.
        detail: The figures behind the outcome, e.g. ``"mean lead time 126.7 days with 24 staff, 126.7 with 48"``.

    Raises:
        ValueError: If ``outcome`` is not one of the choices (a mistake in the notebook, not the student's).
    """
    if outcome not in prediction.choices:
        raise ValueError(f"outcome {outcome!r} is not one of the choices {prediction.choices}")
    if prediction.made_one:
        predicted = repr(prediction.chosen) if prediction.chosen is not None else _shown(prediction.answer)
        print(f"You predicted (at {prediction.made}, before the run): {predicted}")
    else:
        print("You predicted:   nothing (the ... was left in place)")
    print(f"The model gives: {outcome!r}: {detail}")
    if not prediction.made_one:
        print("Next time, write your prediction before you run: a prediction you can check is how a model teaches.")
    elif prediction.chosen == outcome:
        print("They agree. Now explain why: what in the model makes it so? (The next cell asks.)")
    else:
        print(
            "They differ, which is the interesting case: what did you expect to happen that the model does not do? "
            "(The next cell asks.)"
        )
