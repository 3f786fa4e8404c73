"""The sourced historical figures (``data/history_targets.csv``) and the outputs they match."""

from __future__ import annotations

from functools import cache

import pandas as pd

from sim.paths import project_path

#: The figures file.
TARGETS_FILE = project_path("data", "history_targets.csv")


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
