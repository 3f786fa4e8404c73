"""The board's figures: every submission's yearly series on shared axes, with the record.

One panel per series of :data:`sim.classroom.digest.SERIES` (sets supplied a year,
lead time, adoption), years 1953-1962 on every x axis, one line per submission
labelled ``#N`` at its end in its colour; pinned submissions drawn thick, the others
faded while any is pinned. The record: the sets-supplied panel draws the Five-Year
Plans' totals of ``data/history_targets.csv`` (the rows the run figures draw,
:func:`sim.charts.records`) as a dashed step at their mean a year, each labelled
with its row; the record has no yearly lead time or adoption share, and those
panels' notes say which rows bear on them (:data:`NOTES`).

A panel's PNG is cached by what it shows, so the thirty pages of a class that see
the same submissions share one drawing, and a page whose submissions did not
change draws nothing.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from sim.charts import CHARTS, records, spread
from sim.classroom.digest import SERIES, YEARS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.classroom.store import Submission

#: Under each panel: what the record says about it, citing its rows.
NOTES: dict[str, str] = {
    "supply": "Dashed: the record's totals for each Five-Year Plan, spread evenly over its years "
    "(history:sets_total_1953_57_derived, derived by subtraction; history:sets_total_1958_62).",
    "lead_time": "The record has no yearly lead times: a request of April 1954 went back and forth for months "
    "and was refused (history:lead_time_cc_letter); Stalin asked for equipment requests a year ahead "
    "(history:lead_time_equipment).",
    "adoption": "The record has no adoption shares; it counts sets supplied (history:sets_total_1953_62) and "
    "national standards re-issued from 1958 (history:gb_first).",
}
#: Size of a panel in inches at :data:`DPI`: three side by side on a projector's 1024 pixels, shrunk by a sixth.
SIZE = (4.0, 3.0)
DPI = 100
FONT = 10
COLOUR_ORDER = (*range(0, 20, 2), *range(1, 20, 2))
_DRAWING = threading.Lock()  # matplotlib's font cache and text layout are not safe across threads


@dataclass(frozen=True)
class Line:
    """One submission as a panel draws it.

    Attributes:
        number: The submission's number (its label, ``#N``, and its colour).
        values: Its value each board year, None where the run did not reach.
        pinned: Drawn thick.
    """

    number: int
    values: tuple[float | None, ...]
    pinned: bool = False


def lines(submissions: list[Submission], key: str) -> tuple[Line, ...]:
    """The lines of series ``key`` of the submissions that have run."""
    return tuple(
        Line(s.id, tuple(s.digest[key]), s.pinned) for s in submissions if s.digest is not None and key in s.digest
    )


@cache
def plan_records() -> tuple[tuple[str, int, int, float], ...]:
    """The record's totals of sets supplied by plan: (row, first year, last year, sets), from the run figure's rows."""
    found = []
    for mark in records(CHARTS["sets_supplied"]):
        if mark.column == "sets_supplied_all":
            first, last = mark.period.split("-")
            found.append((mark.row, int(first), int(first[:2] + last), mark.recorded))
    return tuple(found)


def colour(number: int) -> Any:
    """A submission's colour, the same on every panel, page and export: tab20's dark colours, then its light ones."""
    from matplotlib import colormaps

    return colormaps["tab20"](COLOUR_ORDER[(number - 1) % len(COLOUR_ORDER)])


def draw(key: str, drawn: tuple[Line, ...]) -> Figure:
    """The panel of series ``key`` with ``drawn`` lines (and, for the supply, the record)."""
    from matplotlib.figure import Figure

    series = next(s for s in SERIES if s.key == key)
    figure = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    ax = figure.subplots()
    ax.set_title(series.label, fontsize=FONT, loc="left", wrap=True)
    ax.set_ylabel(series.unit, fontsize=FONT)
    ax.tick_params(labelsize=FONT - 1)
    ax.set_xlim(YEARS[0] - 0.5, YEARS[-1] + 1.2)  # room on the right for the labels
    ax.set_xticks(YEARS[::3])
    ax.grid(alpha=0.3)
    if key == "adoption":
        ax.set_ylim(0, 1)
    if key == "supply":
        for row, first, last, total in plan_records():
            per_year = total / (last - first + 1)
            ax.plot([first - 0.4, last + 0.4], [per_year] * 2, color="black", linestyle="--", linewidth=1.4, zorder=3)
            ax.annotate(
                f"{row}\n{total:,.0f} in {first}-{str(last)[2:]}",
                (first - 0.4, per_year),
                xytext=(0, 3),
                textcoords="offset points",
                fontsize=FONT - 3,
                va="bottom",
                bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "0.6", "linewidth": 0.5},
                zorder=5,
            )
    faded = any(line.pinned for line in drawn)
    ends = []
    for line in drawn:
        points = [(year, v) for year, v in zip(YEARS, line.values, strict=True) if v is not None]
        if not points:
            continue
        ax.plot(
            [p[0] for p in points],
            [p[1] for p in points],
            color=colour(line.number),
            linewidth=3.2 if line.pinned else 1.4,
            alpha=1.0 if line.pinned or not faded else 0.35,
            marker="o",
            markersize=3,
            zorder=4 if line.pinned else 2,
        )
        ends.append((line, points[-1]))
    if key != "adoption":
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter("{x:,.0f}")
    low, high = ax.get_ylim()
    heights = spread([(end[1] - low) / (high - low or 1) for _, end in ends], gap=0.055)
    for (line, (year, _value)), height in zip(ends, heights, strict=True):
        ax.annotate(
            f"#{line.number}",
            (year, low + height * (high - low)),
            xytext=(4, 0),
            textcoords="offset points",
            color=colour(line.number),
            fontsize=FONT - 2,
            fontweight="bold" if line.pinned else "normal",
            va="center",
        )
    return figure


@lru_cache(maxsize=512)
def panel_png(key: str, drawn: tuple[Line, ...]) -> bytes:
    """The panel as PNG bytes (cached: the same lines give the same bytes without drawing again)."""
    with _DRAWING:
        figure = draw(key, drawn)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
