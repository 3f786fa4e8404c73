"""The board's table: one row per submission, its headline figures with their labels and units, and the record.

The figures' labels and units come from their declarations (:data:`sim.outputs.FIGURES_BY_NAME`);
the record's row gives, where ``data/history_targets.csv`` has one, the recorded value of
each figure and the row it comes from. The page (:mod:`sim.classroom.app`) and
``class export``'s ``submissions.csv`` (:mod:`sim.classroom.export`) both read :data:`COLUMNS`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sim.classroom.digest import TABLE
from sim.classroom.figures import plan_records
from sim.classroom.store import Submission
from sim.history import SUMMARY_TARGETS, targets
from sim.outputs import FIGURES_BY_NAME


@dataclass(frozen=True)
class Column:
    """One column of the board's table.

    Attributes:
        key: A field of :class:`~sim.classroom.store.Submission`, or a key of its digest's summary.
        label: The column's heading.
        unit: The unit of its values (``""`` for text).
    """

    key: str
    label: str
    unit: str = ""

    @property
    def numeric(self) -> bool:
        """Whether its values are numbers (sorted as numbers, largest first when asked)."""
        return self.key in TABLE or self.key == "id"

    @property
    def heading(self) -> str:
        """The label with the unit: ``Sets supplied 1953-1957 (sets)``."""
        return f"{self.label} ({self.unit})" if self.unit else self.label


#: The columns, left to right.
COLUMNS: tuple[Column, ...] = (
    Column("id", "#"),
    Column("group", "Group"),
    Column("changes", "What it changes"),
    Column("prediction", "Prediction"),
    Column("explanation", "Explanation"),
    *(Column(name, FIGURES_BY_NAME[name].label, FIGURES_BY_NAME[name].unit) for name in TABLE),
    Column("status", "Run"),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}


def value(submission: Submission, key: str) -> Any:
    """What ``submission`` shows in column ``key`` (None for a figure it has not got yet)."""
    if key in TABLE:
        return None if submission.digest is None else submission.digest["summary"].get(key)
    if key == "status" and submission.status == "failed":
        return f"failed: {submission.message}"
    return getattr(submission, key)


def ordered(submissions: Sequence[Submission], key: str = "id", descending: bool = False) -> list[Submission]:
    """Pinned first, then by column ``key`` (numbers as numbers, text in any case), missing last, ties by number."""
    numeric = COLUMNS_BY_KEY[key].numeric

    def shown(submission: Submission) -> Any:
        found = value(submission, key)
        if found is None or (isinstance(found, float) and math.isnan(found)):
            return None
        return float(found) if numeric else str(found).casefold()

    by_number = sorted(submissions, key=lambda s: s.id)
    present = sorted((s for s in by_number if shown(s) is not None), key=shown, reverse=descending)  # stable
    rows = present + [s for s in by_number if shown(s) is None]
    return sorted(rows, key=lambda s: not s.pinned)  # stable: pinned first, each part in its order


@cache
def record() -> dict[str, tuple[float, str]]:
    """The recorded value of each table figure that has one, and its row: ``{figure: (value, row)}``."""
    found = {}
    for name in TABLE:
        row = SUMMARY_TARGETS.get(name)
        if row is not None:
            found[name] = (float(targets().loc[row, "value"]), row)
    for row, first, last, total in plan_records():
        name = f"sets_supplied_{first}_{last}_total"
        if name in TABLE:
            found[name] = (total, row)
    return found
