"""Calibration targets: rows of the historical record and the model output each one is measured against.

A targets file is a CSV with the columns of ``data/history_targets.csv``; the rows
used here are those whose ``role`` is ``fit`` (the calibration minimises their
error) or ``validate`` (reported, never fitted). Each such row names in ``output``
the model output it maps to, measured over the row's own period
(``period_start`` to ``period_end``):

- ``sets_supplied:<category>``: sets of that category shipped by the Soviet side
  within the period (``sets_supplied:all`` for all five categories), counted from
  the request ledger exactly as :func:`sim.results.summarise` counts them;
- ``specialists_present``: Soviet specialists present on ``period_end`` (an input
  set by the scenario's events; reported, not fitted).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sim.catalog import CATEGORIES
from sim.errors import UsageError
from sim.limits import FILE_BYTES, TEXT_LENGTH

if TYPE_CHECKING:
    from sim.results import Results

#: Roles of a row that the calibration uses.
ROLES = ("fit", "validate")

#: Outputs a target may map to (``sets_supplied:`` takes a category or ``all``).
OUTPUTS = ("sets_supplied:<category>", "sets_supplied:all", "specialists_present")

REQUIRED_COLUMNS = ("id", "metric", "period_start", "period_end", "value", "reliability", "role", "output", "source")


@dataclass(frozen=True)
class Target:
    """One figure of the record beside the model output it is compared with.

    Attributes:
        id: Row id in the targets file.
        metric: What the figure counts, in words.
        start: First day of the period.
        end: Last day of the period.
        value: The recorded figure.
        role: ``fit`` or ``validate``.
        output: The model output (see the module docstring).
        reliability: Grade A, B or C of the source.
        source: Where the figure comes from.
    """

    id: str
    metric: str
    start: dt.date
    end: dt.date
    value: float
    role: str
    output: str
    reliability: str
    source: str

    @property
    def summary_name(self) -> str | None:
        """The run summary's figure that measures this target, if the summary has one.

        The summary names a supply figure by its category (or ``total``) and its period's
        years, e.g. ``sets_supplied_1953_1962_blueprints`` for ``sets_supplied:blueprints``
        over 1953-01-01 to 1962-12-31; ``specialists_present`` is a time series, not a figure.
        """
        from sim.outputs import FIGURES_BY_NAME

        kind, _, category = self.output.partition(":")
        if kind != "sets_supplied" or (self.start.month, self.start.day, self.end.month, self.end.day) != (
            1,
            1,
            12,
            31,
        ):
            return None
        years = f"{self.start.year}_{self.end.year}"
        part = "total" if category == "all" else category
        for name in (f"sets_supplied_{years}_{part}", f"{category}_supplied_{years}"):
            if name in FIGURES_BY_NAME:
                return name
        return None

    def measure(self, results: Results) -> float:
        """The model's value of this target in one run."""
        import pandas as pd

        if self.output == "specialists_present":
            series = results.timeseries["specialists_present"]
            return float(series.loc[: pd.Timestamp(self.end)].iloc[-1])
        category = self.output.split(":", 1)[1]
        ledger = results.ledger
        shipped = ledger[results.scenario.record.counted]
        within = (shipped >= pd.Timestamp(self.start)) & (shipped < pd.Timestamp(self.end) + pd.Timedelta(days=1))
        if category != "all":
            within &= ledger["category"] == category
        return float(ledger.loc[within, "sets"].sum())


def _date(text: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{where}: {text!r} is not a date; write YYYY-MM-DD") from None


def _check_output(output: str, where: str) -> None:
    kind, _, category = output.partition(":")
    if output == "specialists_present" or (kind == "sets_supplied" and category in (*CATEGORIES, "all")):
        return
    allowed = ", ".join([f"sets_supplied:{c}" for c in (*CATEGORIES, "all")] + ["specialists_present"])
    raise UsageError(f"{where}: output {output!r} is not a model output; allowed: {allowed}")


def load_targets(path: str | Path | None = None) -> list[Target]:
    """Read the ``fit`` and ``validate`` rows of a targets file.

    Args:
        path: A CSV file; ``data/history_targets.csv`` by default.

    Returns:
        The targets in file order.

    Raises:
        UsageError: Naming the file, row, column and value, if the file is
            missing, lacks a column, or a fit/validate row has a bad date,
            value or output, or if no row is to be fitted.
    """
    from sim.history import TARGETS_FILE
    from sim.scenario import not_a_file

    path = Path(path) if path is not None else TARGETS_FILE
    why = not_a_file(path)
    if why is not None:
        raise UsageError(f"--targets {path}: cannot be read ({why or 'no such file'})")
    if path.stat().st_size > FILE_BYTES:
        raise UsageError(
            f"--targets {path}: {path.stat().st_size / 1024**2:,.1f} MB; a targets file may have at most "
            f"{FILE_BYTES / 1024**2:g} MB (sim/limits.py)"
        )
    try:
        with path.open(encoding="utf-8", newline="") as file:
            reader = csv.DictReader(file)
            rows = list(reader)
            columns = reader.fieldnames or []
    except OSError as exc:
        raise UsageError(f"--targets {path}: cannot be read ({exc.strerror})") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"--targets {path}: not a CSV file ({exc})") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise UsageError(
            f"{path}: missing column(s) {', '.join(missing)}; a targets file needs {', '.join(REQUIRED_COLUMNS)}"
        )
    targets = []
    for line, row in enumerate(rows, start=2):
        role = (row["role"] or "").strip()
        if role not in ROLES:
            continue
        where = f"{path}: line {line} ({row['id']})"
        try:
            value = float(row["value"] or "")
        except ValueError:
            raise UsageError(
                f"{where}: value {row['value']!r} is not a number; fit and validate rows need one"
            ) from None
        if not math.isfinite(value):
            raise UsageError(f"{where}: value {row['value']!r} is not a finite number; fit and validate rows need one")
        if len(row["id"] or "") > TEXT_LENGTH:
            raise UsageError(
                f"{path}: line {line}: id of {len(row['id'])} characters; at most {TEXT_LENGTH} (it labels the plots)"
            )
        if value <= 0:
            raise UsageError(f"{where}: value {value:g} must be above 0 (errors are measured as ratios)")
        start = _date(row["period_start"], f"{where}: period_start")
        end = _date(row["period_end"] or row["period_start"], f"{where}: period_end")
        if end < start:
            raise UsageError(f"{where}: period_end {end} comes before period_start {start}")
        output = (row["output"] or "").strip()
        _check_output(output, where)
        targets.append(
            Target(row["id"], row["metric"], start, end, value, role, output, row["reliability"], row["source"])
        )
    if not any(t.role == "fit" for t in targets):
        raise UsageError(f"{path}: no row has role 'fit'; mark the rows to calibrate on with role=fit")
    return targets


def horizon(targets: Sequence[Target]) -> dt.date:
    """The last day any target needs: runs stop there."""
    return max(t.end for t in targets)


def measure_all(targets: Sequence[Target], results: Results) -> dict[str, float]:
    """Each target's model value in one run, by target id."""
    return {t.id: t.measure(results) for t in targets}
