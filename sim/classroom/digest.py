"""What the class board keeps of a run: the headline figures and three yearly series on shared axes.

A submission is stored as its scenario file; the server runs it (the same scenario
and seed give the same results anywhere, so nothing a browser or a notebook sends
as *results* is trusted) and keeps this digest, a few kilobytes, rather than the
time series (tens of megabytes for thirty groups).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.catalog import CATEGORIES

if TYPE_CHECKING:
    from sim.results import Results

#: The board's series, by name: (label, unit). Years are calendar years 1953-1962.
SERIES: dict[str, tuple[str, str]] = {
    "supply": ("Sets supplied in the year", "sets per year"),
    "lead_time": ("Lead time at the year's end", "days"),
    "adoption": ("Adoption, mean of the five kinds, at the year's end", "share of enterprises"),
}
#: The headline figures the board's table shows (keys of ``Results.summary``), with their units.
TABLE: dict[str, str] = {
    "sets_supplied_1953_1957_total": "sets",
    "sets_supplied_1958_1962_total": "sets",
    "sets_supplied_1953_1962_total": "sets",
    "lead_time_days_mean": "days",
    "technology_index": "index 0-1",
}
FIRST_YEAR, LAST_YEAR = 1953, 1962


def digest(results: Results) -> dict[str, Any]:
    """The board's digest of a finished run: ``years``, one list per :data:`SERIES`, and ``summary``.

    Values are plain floats (JSON-ready); a year the run did not reach is None.
    """
    ts = results.timeseries
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    at_end = ts.groupby(ts.index.year).last()
    supplied = at_end["sets_supplied_all"].reindex(range(FIRST_YEAR - 1, LAST_YEAR + 1))
    per_year = supplied.diff().reindex(years)
    if FIRST_YEAR - 1 not in at_end.index:  # a run that starts in 1953 supplies from zero
        per_year.loc[FIRST_YEAR] = supplied.loc[FIRST_YEAR]
    adoption = at_end[[f"adoption_{c}" for c in CATEGORIES]].mean(axis=1).reindex(years)
    lead = at_end["lead_time_days"].reindex(years)

    def plain(values: Any) -> list[float | None]:
        return [None if v != v else round(float(v), 4) for v in values]  # NaN -> None

    summary = {key: results.summary.get(key) for key in TABLE}
    return {
        "years": years,
        "supply": plain(per_year),
        "lead_time": plain(lead),
        "adoption": plain(adoption),
        "summary": summary,
    }
