"""What the class board keeps of a run: three yearly series on shared axes and a few headline figures.

A submission is stored as its scenario file; the server runs it (the same scenario
and seed give the same results anywhere, so nothing a browser or a notebook sends
as *results* is trusted) and keeps this digest, about a kilobyte, rather than the
time series and the ledger (megabytes a run).

The yearly series count as the summary does (:mod:`sim.outputs`): the sets supplied
in a year are the sets whose counting date (``record.counted``: shipped, by default)
falls in it, so the years 1953-57 add up to ``sets_supplied_1953_1957_total``; the
lead time of a year is the mean over the requests delivered in it; adoption is the
technology index (the mean of the five adoption shares) at the year's end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sim.outputs import SERIES_BY_NAME, SUPPLY_WINDOW
from sim.path import Stage

if TYPE_CHECKING:
    import pandas as pd

    from sim.results import Results

#: The board's years: the record's period of supply, 1953-1962.
YEARS: tuple[int, ...] = tuple(range(SUPPLY_WINDOW[0].year, SUPPLY_WINDOW[1].year + 1))


@dataclass(frozen=True)
class Series:
    """One yearly series of the board.

    Attributes:
        key: Its key in a digest.
        label: What it is, as the board's panel titles it.
        unit: Its unit, as the panel's axis names it.
    """

    key: str
    label: str
    unit: str


#: The board's panels, left to right.
SERIES: tuple[Series, ...] = (
    Series("supply", "Sets supplied in the year (all five kinds)", "sets a year"),
    Series("lead_time", "Lead time of requests delivered that year", "days (mean)"),
    Series("adoption", f"{SERIES_BY_NAME['technology_index'].label} at the year's end", "share (0-1)"),
)

#: The headline figures the board's table shows (keys of ``Results.summary``; labels and units in :mod:`sim.outputs`).
TABLE: tuple[str, ...] = (
    "sets_supplied_1953_1957_total",
    "sets_supplied_1958_1962_total",
    "sets_supplied_1953_1962_total",
    "lead_time_days_mean",
    "office_wait_days_mean",
    "technology_index",
)


def _by_year(values: pd.Series, reached: range, empty: float | None = 0.0) -> list[float | None]:
    """One plain number per board year: ``empty`` for a year reached without a value, None for one not reached."""
    found = {int(year): round(float(value), 4) for year, value in values.items()}
    return [found.get(year, empty) if year in reached else None for year in YEARS]


def digest(results: Results) -> dict[str, Any]:
    """The board's digest of a finished run: ``years``, one list per :data:`SERIES`, ``summary`` and ``reached``.

    Values are plain numbers (JSON-ready); a year the run did not reach is None.
    """
    ledger, ts = results.ledger, results.timeseries
    reached = range(results.scenario.time.start.year, ts.index[-1].year + 1)
    counted = ledger[results.scenario.record.counted]
    supply = ledger["sets"].groupby(counted.dt.year).sum()
    delivered = ledger[ledger["status"] == Stage.DELIVERED.key]
    days = (delivered["delivered"] - delivered["created"]).dt.total_seconds() / 86400
    lead = days.groupby(delivered["delivered"].dt.year).mean()
    adoption = ts["technology_index"].groupby(ts.index.year).last()
    return {
        "years": list(YEARS),
        "supply": _by_year(supply, reached),
        "lead_time": _by_year(lead, reached, empty=None),  # a year without deliveries has no mean
        "adoption": _by_year(adoption, reached),
        "summary": {name: results.summary.get(name) for name in TABLE},
        "reached": ts.index[-1].date().isoformat(),
    }
