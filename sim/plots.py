"""Standard figures of a run, readable without the code.

Every figure has a title, labelled axes with units, dates on the time axis,
categories named as in the letter, and the scenario's events marked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.catalog import CATEGORIES, CATEGORY_LABELS
from sim.path import FLIGHT_STAGES

if TYPE_CHECKING:
    from sim.results import Results


def mark_events(ax: Axes, events: list[dict]) -> None:
    """Draw each event as a dashed vertical line labelled at the top."""
    for event in events:
        when = pd.Timestamp(event["date"])
        ax.axvline(when, color="0.5", linestyle="--", linewidth=0.8)
        ax.annotate(
            event["label"],
            (when, 1.0),
            xycoords=("data", "axes fraction"),
            rotation=90,
            va="top",
            ha="right",
            fontsize=6,
            color="0.35",
        )


def plot_by_category(ax: Axes, ts: pd.DataFrame, prefix: str) -> None:
    """One line per category, from the columns ``<prefix><category>``, named as in the letter."""
    for category in CATEGORIES:
        ax.plot(ts.index, ts[f"{prefix}{category}"], label=CATEGORY_LABELS[category])


def _figure(results: Results, title: str, ylabel: str) -> tuple[Figure, Axes]:
    figure, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
    ax.set_title(f"{title}\n{results.scenario.title} (seed {results.scenario.seed})", fontsize=10)
    ax.set_xlabel("Date")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    return figure, ax


def standard_figures(results: Results) -> dict[str, Figure]:
    """Requests by stage, sets supplied, adoption, the office queue, translation."""
    ts = results.timeseries
    events = [e for e in results.events if e["label"] and e["date"] > str(results.scenario.time.start)]
    figures: dict[str, Figure] = {}

    fig, ax = _figure(results, "Requests in flight, by stage", "Requests")
    ax.stackplot(
        ts.index,
        [ts[f"requests_{s.key}"] for s in FLIGHT_STAGES],
        labels=[s.key.replace("_", " ") for s in FLIGHT_STAGES],
    )
    ax.legend(loc="upper left", fontsize=7, ncol=3)
    mark_events(ax, events)
    figures["requests_by_stage"] = fig

    fig, ax = _figure(results, "Sets of documentation supplied by the USSR (cumulative)", "Sets")
    plot_by_category(ax, ts, "sets_supplied_")
    ax.legend(loc="upper left", fontsize=7)
    mark_events(ax, events)
    figures["sets_supplied"] = fig

    fig, ax = _figure(results, "Share of Chinese enterprises that have adopted", "Share adopted (0-1)")
    plot_by_category(ax, ts, "adoption_")
    ax.plot(ts.index, ts["technology_index"], color="black", linewidth=2, label="Technology index (mean)")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left", fontsize=7)
    mark_events(ax, events)
    figures["adoption"] = fig

    fig, ax = _figure(results, "Queue at the Commercial Counsellor's Office", "Requests waiting")
    ax.plot(ts.index, ts["office_queue"], label="Office queue")
    ax.plot(ts.index, ts["commission_queue"], label="Joint commission queue")
    right = ax.twinx()
    right.plot(ts.index, ts["office_utilisation"].rolling(8, min_periods=1).mean(), color="C3", alpha=0.6)
    right.set_ylabel("Office utilisation (share of staff time, 8-step mean)", color="C3")
    right.set_ylim(0, 1.05)
    ax.legend(loc="upper left", fontsize=7)
    mark_events(ax, events)
    figures["office_queue"] = fig

    fig, ax = _figure(results, "Russian text waiting for translation in the ministries", "Pages")
    ax.plot(ts.index, ts["pages_awaiting_translation"], color="C4")
    mark_events(ax, events)
    figures["translation_backlog"] = fig
    return figures
