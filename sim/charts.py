"""The time-series charts of a run, declared once.

A chart names its title and the columns it draws; the lines' labels and the y
axis's unit come from the columns' declarations in :data:`sim.outputs.SERIES`,
so a label or a unit is written in one place. The figures of a run
(:mod:`sim.plots`) and the dashboard's panels (:mod:`sim.dashboard.views`) both
draw from :data:`CHARTS`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from sim.catalog import CATEGORIES
from sim.outputs import SERIES_BY_NAME
from sim.path import FLIGHT_STAGES

#: The y-axis label of each unit.
AXIS_LABELS: dict[str, str] = {
    "requests": "Requests",
    "days": "Days",
    "sets": "Sets",
    "share": "Share (0-1)",
    "pages": "Pages",
}

Style = Literal["lines", "stacked"]


@dataclass(frozen=True)
class Chart:
    """One time-series chart.

    Attributes:
        name: File and panel name.
        title: What the chart shows, in a few words.
        columns: The columns drawn, each declared in :data:`~sim.outputs.SERIES`;
            all in one unit.
        style: ``lines`` (one line per column) or ``stacked`` (areas, bottom up).
        emphasis: A column drawn as a thick black line over the others, or ``""``.
        colour: Matplotlib colour of a one-line chart, or ``""`` for the cycle.
        records: Rows of ``data/history_targets.csv`` drawn beside the model as markers
            (:func:`records`); each row's ``output`` names the column it is compared with.
    """

    name: str
    title: str
    columns: tuple[str, ...]
    style: Style = "lines"
    emphasis: str = ""
    colour: str = ""
    records: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        units = {SERIES_BY_NAME[column].unit for column in self.drawn}
        if len(units) != 1:
            raise ValueError(f"chart {self.name!r} mixes units {sorted(units)}")

    @property
    def drawn(self) -> tuple[str, ...]:
        """Every column drawn: :attr:`columns`, then :attr:`emphasis` if any."""
        return self.columns + ((self.emphasis,) if self.emphasis else ())

    @property
    def unit(self) -> str:
        """The unit of the chart's columns."""
        return SERIES_BY_NAME[self.columns[0]].unit

    @property
    def axis_label(self) -> str:
        """The y-axis label: the unit, named."""
        return AXIS_LABELS.get(self.unit, self.unit.capitalize())

    @property
    def labels(self) -> tuple[str, ...]:
        """The legend label of each drawn column, from its declaration."""
        return tuple(SERIES_BY_NAME[column].label for column in self.drawn)

    @property
    def bounded(self) -> bool:
        """Whether the y axis is fixed from 0 to 1 (shares)."""
        return self.unit == "share"


def _by_category(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}{category}" for category in CATEGORIES)


#: Every chart, by name.
CHARTS: dict[str, Chart] = {
    chart.name: chart
    for chart in (
        Chart(
            "requests_by_stage",
            "Requests in flight, by stage",
            tuple(f"requests_{stage.key}" for stage in FLIGHT_STAGES),
            style="stacked",
        ),
        Chart("lead_time", "Lead time of requests delivered", ("lead_time_days",), colour="C1"),
        Chart(
            "sets_supplied",
            "Sets supplied by the USSR (cumulative)",
            _by_category("sets_supplied_"),
            emphasis="sets_supplied_all",
            records=(
                "designs_1953_62",
                "drawings_1953_62",
                "techdocs_1953_62",
                "sectoral_1953_62",
                "sets_total_1953_57_derived",
                "sets_total_1958_62",
            ),
        ),
        Chart("sets_delivered", "Sets delivered to enterprises (cumulative)", _by_category("sets_delivered_")),
        Chart("adoption", "Share of enterprises that have adopted", _by_category("adoption_")),
        Chart(
            "adoption_with_index",
            "Share of Chinese enterprises that have adopted",
            _by_category("adoption_"),
            emphasis="technology_index",
        ),
        Chart("channel_queues", "Requests waiting at the channels", ("office_queue", "commission_queue")),
        Chart("translation_backlog", "Russian text awaiting translation", ("pages_awaiting_translation",), colour="C4"),
    )
}

#: The dashboard's six panels, in reading order (three a row).
DASHBOARD: tuple[str, ...] = (
    "requests_by_stage",
    "lead_time",
    "sets_supplied",
    "adoption",
    "channel_queues",
    "translation_backlog",
)


@dataclass(frozen=True)
class Record:
    """A recorded figure as a chart draws it: a marker at the end of its period, in its column's colour.

    Attributes:
        row: Its row of ``data/history_targets.csv``.
        column: The chart's column it is compared with.
        date: The last day of its period (``YYYY-MM-DD``).
        value: The recorded value; for a cumulative chart, summed over the chart's earlier
            rows of the same column (``sets_total_1953_57_derived`` then ``sets_total_1958_62``
            is 19,671 at the end of 1957 and 80,000 at the end of 1962).
        period: The period's first and last year, ``1953-62``.
        recorded: The row's own value (``value`` less the earlier rows it is summed with).
        grade: The row's reliability grade (A primary or archival, B a scholarly book read through a
            transcription, C secondary; ``data/README.md``).
    """

    row: str
    column: str
    date: str
    value: float
    period: str
    recorded: float
    grade: str = ""

    @property
    def label(self) -> str:
        """The marker's label: the row it cites and its value (``row: +60,329 = 80,000`` when summed)."""
        if self.recorded == self.value:
            return RECORD_LABEL.format(row=self.row, value=self.value)
        return RECORD_SUM_LABEL.format(row=self.row, recorded=self.recorded, value=self.value)


#: The legend entry of a chart's record markers, and each marker's label (the row it cites, and its value).
RECORD_KEY = "Record, end of period"
RECORD_LABEL = "{row}: {value:,.0f}"
RECORD_SUM_LABEL = "{row}: +{recorded:,.0f} = {value:,.0f}"


def spread(heights: Sequence[float], gap: float) -> list[float]:
    """Heights (shares of the axis) moved apart so that no two are closer than ``gap``, kept below 0.97.

    Labels at the heights returned never overprint; each moves as little as the lower ones allow.
    """
    order = sorted(range(len(heights)), key=lambda i: heights[i])
    placed = [0.0] * len(heights)
    floor = -1.0
    for i in order:
        placed[i] = floor = max(heights[i], floor + gap)
    overshoot = max([*placed, 0.97]) - 0.97
    return [h - overshoot for h in placed]


def output_column(row: str) -> str:
    """The series a row of the record is compared with: its ``output`` as a column name.

    ``sets_supplied:blueprints`` is the column ``sets_supplied_blueprints``; ``specialists_present`` is itself.

    Raises:
        ValueError: If the row names no output.
    """
    from sim.history import targets

    output = targets().loc[row, "output"]
    if not isinstance(output, str) or not output:
        raise ValueError(f"history:{row} names no output of the model to draw it beside")
    return output.replace(":", "_")


def record_rows(rows: Sequence[str], *, cumulative: bool) -> list[Record]:
    """Rows of ``data/history_targets.csv`` as markers, in the order given.

    Args:
        rows: Row ids; each must name an ``output`` (:func:`output_column`).
        cumulative: Whether the figure counts since the start, so that a row adds to the
            earlier rows of the same column (``sets_total_1953_57_derived`` then
            ``sets_total_1958_62``: 19,671 at the end of 1957, 80,000 at the end of 1962).

    Returns:
        One :class:`Record` per row.
    """
    from sim.history import targets

    table = targets()
    drawn: list[Record] = []
    totals: dict[str, float] = {}
    for row in rows:
        entry = table.loc[row]
        column = output_column(row)
        recorded = float(entry["value"])
        value = recorded + (totals.get(column, 0.0) if cumulative else 0.0)
        totals[column] = value
        start, end = str(entry["period_start"]), str(entry["period_end"])
        period = f"{start[:4]}-{end[2:4]}"
        drawn.append(Record(row, column, end, value, period, recorded, str(entry["reliability"])))
    return drawn


def records(chart: Chart) -> list[Record]:
    """The recorded figures ``chart`` draws beside the model (:attr:`Chart.records`), in its declared order."""
    drawn = record_rows(chart.records, cumulative="(cumulative)" in chart.title)
    for mark in drawn:
        if mark.column not in chart.drawn:
            raise ValueError(f"chart {chart.name!r} draws no column {mark.column!r} for history:{mark.row}")
    return drawn


def marker_rows(positions: Sequence[float], span: float, gap: float = 0.03) -> list[int]:
    """The row of each event's number at the top of a chart, so that no two numbers overprint.

    Events are numbered in date order and their numbers set at the top of the
    chart; a number closer than ``gap`` (a share of the time axis) to the last
    number of a row goes to the next row down.

    Args:
        positions: Each event's place on the time axis, in date order.
        span: The length of the time axis, in the same units.
        gap: The least distance between two numbers of one row, as a share of ``span``.

    Returns:
        The row of each event, 0 at the top.
    """
    last: list[float] = []  # the position of each row's last number
    rows = []
    for x in positions:
        row = next((r for r, seen in enumerate(last) if x - seen >= gap * span), len(last))
        if row == len(last):
            last.append(x)
        last[row] = x
        rows.append(row)
    return rows


def event_key(events: Sequence[Mapping[str, str]], width: int = 140) -> str:
    """The key of numbered events, ``1 1953-01-01 First Five-Year Plan ...``, wrapped at ``width`` characters."""
    entries = [f"{n}\u00a0{e['date'][:10]}\u00a0{e['label'].replace(' ', chr(0xA0))}" for n, e in enumerate(events, 1)]
    return textwrap.fill("    ".join(entries), width=width, break_long_words=False).replace("\u00a0", " ")
