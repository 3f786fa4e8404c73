"""The sourced historical figures (``data/history_targets.csv``), the outputs they match, and how to cite them."""

from __future__ import annotations

import textwrap
from functools import cache

import pandas as pd

from sim.paths import project_path

#: The figures file.
TARGETS_FILE = project_path("data", "history_targets.csv")

#: What each reliability grade (the column ``reliability``) means, as data/README.md says.
GRADES: dict[str, str] = {
    "A": "primary document or archival scholarship",
    "B": "scholarly book read through a transcription",
    "C": "secondary",
}

#: How a row may be used (the column ``kind``), as data/README.md says.
KINDS: dict[str, str] = {
    "rule": "an institutional fact the model follows",
    "event": "a dated event a scenario can schedule",
    "calibration": "a quantity the baseline should reproduce",
    "pattern": "a qualitative or shape target",
    "anecdote": "a single case: use it only to bound a plausible range",
}

#: What the calibration does with a row (the column ``role``), as data/README.md says.
ROLES: dict[str, str] = {
    "fit": "the calibration fits the model to it, so agreement is by construction, not evidence",
    "validate": "kept out of the calibration's fit, so agreement is a test of the model",
    "input": "the baseline's events set it, so matching it tests nothing",
    "unmapped": "the model has no output that counts it",
}

#: Summary figure -> the calibration row of the record it is compared with.
SUMMARY_TARGETS: dict[str, str] = {
    "sets_supplied_1953_1962_total": "sets_total_1953_62",
    "sets_supplied_1953_1962_typical_designs": "designs_1953_62",
    "sets_supplied_1953_1962_blueprints": "drawings_1953_62",
    "sets_supplied_1953_1962_operating_procedures": "techdocs_1953_62",
    "sets_supplied_1953_1962_norms": "sectoral_1953_62",
    "standards_supplied_1954_1957": "standards_1954_57",
}


@cache
def targets() -> pd.DataFrame:
    """The figures, indexed by ``id``, with their sources and reliability grades."""
    return pd.read_csv(TARGETS_FILE, dtype=str).set_index("id")


def record(summary_key: str) -> float | None:
    """The recorded value a summary figure is compared with, or None if there is none."""
    row = SUMMARY_TARGETS.get(summary_key)
    return None if row is None else float(targets().loc[row, "value"])


def _value(text: str) -> str:
    """A row's value as a reader wants it: ``1,390`` for ``1390``, anything else as written."""
    try:
        number = float(text)
    except ValueError:
        return text
    return f"{number:,.0f}" if number.is_integer() else f"{number:,g}"


def _period(start: str, end: str) -> str:
    """``1953-01-01 to 1962-12-31``, or one date."""
    start_text, end_text = str(start), str(end)
    if not end_text or end_text == start_text:
        return start_text
    return f"{start_text} to {end_text}"


def citation(row: str, width: int = 100) -> str:
    """One row of the record as a notebook shows it: its id and grade, the figure, its kind and role, the source.

    Args:
        row: The row's ``id``.
        width: Where the lines are wrapped.

    Returns:
        Lines of text, the first ``history:<id> · grade A: primary document or archival scholarship``.

    Raises:
        KeyError: If there is no such row.
    """
    table = targets()
    if row not in table.index:
        raise KeyError(f"history:{row}: no such row in {TARGETS_FILE.name}; its ids are in the column 'id'")
    entry = table.loc[row].fillna("")
    grade, kind, role = str(entry["reliability"]), str(entry["kind"]), str(entry["role"])
    figure = f"{entry['metric']}: {_value(str(entry['value']))} {entry['unit']}".strip().rstrip(":")
    period = _period(entry["period_start"], entry["period_end"])
    use = f"Kind: {kind} ({KINDS.get(kind, kind)})"
    if role in ROLES:
        use += f"; in the model: {ROLES[role]}"
    paragraphs = [f"{figure}, {period}" if period else figure, f"{use}.", f"Source: {entry['source']}"]
    lines = [f"history:{row} · grade {grade}: {GRADES.get(grade, 'ungraded')}"]
    for text in paragraphs:
        lines.append(textwrap.fill(text, width, initial_indent="  ", subsequent_indent="    "))
    return "\n".join(lines)


def cite(*rows: str) -> None:
    """Print each row of the record with its reliability grade, kind and source (see :func:`citation`)."""
    print("\n".join(citation(row) for row in rows))
