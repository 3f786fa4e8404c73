"""Standard figures of a run, readable without the code.

Every figure has a title, labelled axes with units, dates on the time axis,
categories named as in the letter, and the scenario's events marked. What each
figure draws, and its labels, come from :data:`sim.charts.CHARTS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib.dates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from sim.charts import CHARTS, RECORD_KEY, Chart, Record, event_key, marker_rows, record_rows, records, spread
from sim.drawing import drawing

if TYPE_CHECKING:
    from sim.results import Results

#: The figures of a run: file name and the chart drawn.
RUN_FIGURES: dict[str, str] = {
    "requests_by_stage": "requests_by_stage",
    "sets_supplied": "sets_supplied",
    "adoption": "adoption_with_index",
    "office_queue": "channel_queues",
    "translation_backlog": "translation_backlog",
}


def mark_events(ax: Axes, events: list[dict]) -> None:
    """Draw each event as a dashed vertical line numbered at the top (see :func:`event_key`).

    Numbers of events close in time go on rows of their own (:func:`sim.charts.marker_rows`),
    so no two overprint, and the labels themselves go in the key below the chart.
    """
    if not events:
        return
    when = [pd.Timestamp(event["date"]) for event in events]
    first, last = ax.get_xlim() if ax.lines or ax.collections else (0.0, 1.0)
    places = [matplotlib.dates.date2num(w) for w in when]
    rows = marker_rows(places, span=max(last - first, max(places) - min(places), 1.0))
    for number, (x, row) in enumerate(zip(when, rows, strict=True), 1):
        ax.axvline(x, color="0.5", linestyle="--", linewidth=0.8)
        ax.annotate(
            str(number),
            (x, 0.985 - 0.07 * row),
            xycoords=("data", "axes fraction"),
            va="top",
            ha="center",
            fontsize=8,
            color="0.2",
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "0.6", "linewidth": 0.5},
        )


def add_event_key(ax: Axes, events: list[dict]) -> None:
    """Write the key of the numbered events under the chart's time axis."""
    if events:
        ax.text(
            0.0,
            -0.14,
            event_key(events),
            transform=ax.transAxes,
            va="top",
            ha="left",
            fontsize=7,
            color="0.25",
        )


def draw_records(
    ax: Axes,
    marks: Sequence[Record],
    colours: Sequence[Any],
    *,
    x: Callable[[Any], Any],
    before: Any,
    fontsize: float,
    key: str = RECORD_KEY,
    labelled: bool = True,
) -> tuple[list[Artist], list[Annotation]]:
    """Draw recorded figures (:func:`sim.charts.records`) beside the model; the run figures' and the dashboard's way.

    Diamonds in their lines' ``colours`` (one per mark), above the data, each labelled with its
    row of ``data/history_targets.csv`` and its value, and a legend entry ``key`` naming them.
    The labels sit ``before`` (in the time axis' units) to the left of their diamonds, at mid
    height until :func:`place_records` sets them.

    Args:
        ax: The axes.
        marks: The recorded figures.
        colours: The colour of each mark's line.
        x: The time axis' coordinate of a date.
        before: How far left of its diamond a label ends, in the time axis' units.
        fontsize: The labels' size in points.
        key: The legend's name for the diamonds.
        labelled: Whether to label each diamond; a small panel lists them in a key of its own instead.

    Returns:
        Every artist drawn, and the labels (for :func:`place_records`).
    """
    artists: list[Artist] = []
    labels: list[Annotation] = []
    for mark, colour in zip(marks, colours, strict=True):
        at = x(mark.date)
        (diamond,) = ax.plot(
            [at],
            [mark.value],
            marker="D",
            markersize=8,
            color=colour,
            markeredgecolor="black",
            linestyle="none",
            zorder=3,
        )
        diamond.set_clip_on(False)  # at the end of the time axis
        artists.append(diamond)
        if not labelled:
            continue
        label = ax.annotate(
            mark.label,
            (at, mark.value),
            xytext=(at - before, 0.5),
            textcoords=("data", "axes fraction"),
            ha="right",
            va="center",
            fontsize=fontsize,
            bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "0.6", "linewidth": 0.5},
            arrowprops={"arrowstyle": "-", "color": "0.4", "linewidth": 0.6},
        )
        artists.append(label)
        labels.append(label)
    ax.plot([], [], marker="D", color="white", markeredgecolor="black", linestyle="none", label=key)
    return artists, labels


def place_records(ax: Axes, marks: Sequence[Record], labels: Sequence[Annotation], *, gap: float) -> None:
    """Set the records' labels at their values' heights on the y axis as it stands, ``gap`` (axes fraction) apart."""
    top = ax.get_ylim()[1]
    heights = spread([mark.value / top for mark in marks], gap=gap)
    for label, height in zip(labels, heights, strict=True):
        label.xyann = (label.xyann[0], height)


def _mark(ax: Axes, marks: Sequence[Record], colours: Sequence[Any]) -> None:
    """Draw ``marks`` on a run's figure (a time axis of dates) and make room for them on the y axis."""
    _, labels = draw_records(ax, marks, colours, x=pd.Timestamp, before=pd.Timedelta(days=90), fontsize=8)
    ax.set_ylim(0, max(ax.get_ylim()[1], max(mark.value for mark in marks) * 1.15))
    place_records(ax, marks, labels, gap=0.07)


def mark_records(ax: Axes, chart: Chart) -> None:
    """Draw ``chart``'s recorded figures beside the model on a run's figure (:func:`draw_records`)."""
    marks = records(chart)
    if not marks:
        return
    colour = {line.get_label(): line.get_color() for line in ax.get_lines()}
    _mark(ax, marks, [colour[chart.labels[chart.drawn.index(mark.column)]] for mark in marks])


def mark_rows(ax: Axes, rows: Sequence[str], *, cumulative: bool = False, colour: Any = "black") -> None:
    """Draw rows of the record beside the model on a figure of one's own, as the run figures do.

    For a notebook's figure with dates on its time axis: each row is a diamond at the end of its
    period, labelled with the row and its value (:func:`sim.charts.record_rows`); the y axis is
    the row's own unit, so draw the model in the same unit (sets, not thousands).

    Args:
        ax: The axes.
        rows: Row ids of ``data/history_targets.csv`` that name an output.
        cumulative: Whether the figure counts since the start (rows of one output then add up).
        colour: The diamonds' colour.
    """
    marks = record_rows(rows, cumulative=cumulative)
    if marks:
        _mark(ax, marks, [colour] * len(marks))


def draw_chart(ax: Axes, ts: pd.DataFrame, chart: Chart) -> None:
    """Draw ``chart``'s columns of the time series ``ts`` on ``ax``, labelled from their declarations."""
    if chart.style == "stacked":
        ax.stackplot(ts.index, [ts[column] for column in chart.columns], labels=chart.labels)
    else:
        for column, label in zip(chart.columns, chart.labels, strict=False):  # the emphasis's label comes last
            ax.plot(ts.index, ts[column], label=label, color=chart.colour or None)
    if chart.emphasis:
        ax.plot(ts.index, ts[chart.emphasis], color="black", linewidth=2, label=chart.labels[-1])
    if chart.bounded:
        ax.set_ylim(0, 1)
    mark_records(ax, chart)
    if len(chart.drawn) > 1:
        ax.legend(loc="upper left", fontsize=7, ncol=3 if chart.style == "stacked" else 1)


def _figure(results: Results, chart: Chart) -> tuple[Figure, Axes]:
    figure, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
    title = f"{chart.title}\n{results.scenario.title} (seed {results.scenario.seed})"
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("Date")
    ax.set_ylabel(chart.axis_label)
    ax.grid(alpha=0.3)
    return figure, ax


@drawing()
def standard_figures(results: Results) -> dict[str, Figure]:
    """The figures of :data:`RUN_FIGURES`, by file name; the office queue's figure adds its utilisation.

    Drawn in :func:`sim.drawing.drawing`: the scenario's title and the events' labels are the
    user's text (Chinese, dollars), written as they are.
    """
    ts = results.timeseries
    events = [e for e in results.events if e["label"] and e["date"] > str(results.scenario.time.start)]
    figures: dict[str, Figure] = {}
    for name, chart_name in RUN_FIGURES.items():
        chart = CHARTS[chart_name]
        fig, ax = _figure(results, chart)
        draw_chart(ax, ts, chart)
        if name == "office_queue":
            right = ax.twinx()
            right.plot(ts.index, ts["office_utilisation"].rolling(8, min_periods=1).mean(), color="C3", alpha=0.6)
            right.set_ylabel("Office utilisation, 8-step mean (0-1)", color="C3")
            right.set_ylim(0, 1.05)
        mark_events(ax, events)
        add_event_key(ax, events)
        figures[name] = fig
    return figures
