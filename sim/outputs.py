"""Every output of a run, declared once: name, unit, label, description, how it is measured.

Two kinds:

- :data:`SERIES`: the time series, one value per step (and one at the start),
  each observed by one part of the model (``source``: the ledger or a process of
  the plan). They are the columns of ``timeseries.parquet``, the model
  reporters of the Mesa ``DataCollector`` (so ``get_model_vars_dataframe()``,
  ``batch_run`` and ``make_plot_component`` read them by name), and the labels
  of plots and dashboard panels.
- :data:`FIGURES`: the summary of a run (``summary.json``), each computed from
  the time series or the request ledger at the end; those marked ``headline``
  are printed by ``run`` and tabulated by ``compare``.

A new output is one declaration here and one value in its source's
``observe()``; the ODD's output table (:func:`output_table`), the sweep files'
``keep`` and the dashboard read these lists. ``tests/test_outputs.py`` checks
that every source yields exactly its declared series.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from sim.catalog import CATEGORIES, CATEGORY_LABELS, CHANNEL_LABELS, CHANNELS, SECTORS
from sim.path import FLIGHT_STAGES, Stage

if TYPE_CHECKING:
    from sim.scenario import Scenario

#: How a series is measured at each step.
Measure = Literal["index", "count now", "cumulative", "over the step", "in force"]


@dataclass(frozen=True)
class Output:
    """One column of the time series.

    Attributes:
        name: Column name (and model reporter name).
        unit: Unit of the values.
        label: Short label for plots and dashboard panels.
        description: What it is, in one sentence.
        measure: ``count now`` (at the end of the step), ``cumulative`` (since the
            start), ``over the step`` (of what happened during the step),
            ``in force`` (a parameter's value now) or ``index`` (the step or date).
        source: What observes it: ``model``, ``ledger`` or a process of the plan.
    """

    name: str
    unit: str
    label: str
    description: str
    measure: Measure
    source: str


def _series() -> Iterator[Output]:
    yield Output("step", "steps", "Step", "Steps taken.", "index", "model")
    yield Output("date", "date", "Date", "The model's date: the end of the step.", "index", "model")
    for name, label, what in (
        ("requests_created", "Requests created", "Requests created by the ministries."),
        ("requests_fulfilled", "Requests fulfilled", "Requests whose material was translated and delivered."),
        ("requests_rejected", "Requests rejected", "Requests rejected by a Soviet agency."),
    ):
        yield Output(name, "requests", label, what, "cumulative", "ledger")
    yield Output(
        "requests_in_flight",
        "requests",
        "Requests in flight",
        "Requests not yet delivered or rejected.",
        "count now",
        "ledger",
    )
    yield Output(
        "requests_unsent",
        "requests",
        "Requests unsent",
        "Requests a ministry could not send because no channel was open to it.",
        "cumulative",
        "demand",
    )
    yield Output(
        "projects_active",
        "projects",
        "Key projects asking",
        "Key projects under construction that ask for documentation (agreed, not yet built, not stopped).",
        "in force",
        "demand",
    )
    yield Output(
        "research_items_active",
        "items",
        "Research items asking",
        "Items of the 1958 research agreement under way that ask for documentation.",
        "in force",
        "demand",
    )
    for stage in FLIGHT_STAGES:
        yield Output(
            f"requests_{stage.key}",
            "requests",
            stage.key.replace("_", " ").capitalize(),
            f"Requests now in stage `{stage.key}`.",
            "count now",
            "ledger",
        )
    for category in CATEGORIES:
        yield Output(
            f"in_flight_{category}",
            "requests",
            CATEGORY_LABELS[category],
            f"Requests for {CATEGORY_LABELS[category].lower()} in flight.",
            "count now",
            "ledger",
        )
    for channel in CHANNELS:
        where = CHANNEL_LABELS[channel]
        yield Output(
            f"{channel}_queue",
            "requests",
            f"{where}: queue",
            f"Requests waiting (not in service) at the {where}.",
            "count now",
            "channels",
        )
        yield Output(
            f"{channel}_utilisation",
            "share",
            f"{where}: utilisation",
            "Busy server-time during the step over staff x step length."
            if channel == "office"
            else "Requests agreed by the step's sessions over their capacity (empty in a step without a session).",
            "over the step",
            "channels",
        )
        yield Output(
            f"{channel}_wait_days",
            "days",
            f"{where}: wait",
            "Mean wait, from arrival to start of handling, of the requests whose handling started in the step.",
            "over the step",
            "channels",
        )
    yield Output(
        "lead_time_days",
        "days",
        "Lead time",
        "Mean time from creation to delivery of the requests delivered in the step.",
        "over the step",
        "translation",
    )
    for category in CATEGORIES:
        label = CATEGORY_LABELS[category]
        yield Output(
            f"sets_supplied_{category}",
            "sets",
            label,
            f"Sets of {label.lower()} whose copying finished (counted when shipped).",
            "cumulative",
            "copying",
        )
        yield Output(
            f"sets_delivered_{category}",
            "sets",
            label,
            f"Sets of {label.lower()} translated and delivered to enterprises.",
            "cumulative",
            "translation",
        )
    yield Output(
        "sets_supplied_all",
        "sets",
        "All five kinds",
        "Sets of all five kinds whose copying finished (counted when shipped): the sum of the five.",
        "cumulative",
        "copying",
    )
    yield Output(
        "pages_awaiting_translation",
        "pages",
        "Pages awaiting translation",
        "Pages of material arrived in Beijing and waiting in the ministries' translation queues (not started).",
        "count now",
        "ledger",
    )
    yield Output(
        "national_standards",
        "standards",
        "National standards",
        "Soviet standards re-issued as Chinese national standards.",
        "cumulative",
        "standards",
    )
    yield Output(
        "specialists_present",
        "persons",
        "Soviet specialists",
        "Soviet specialists present in China.",
        "in force",
        "adoption",
    )
    yield Output(
        "absorptive_capacity",
        "share",
        "Absorptive capacity",
        "Mean absorptive capacity of the enterprises (engineers raised by specialists).",
        "in force",
        "adoption",
    )
    for category in CATEGORIES:
        label = CATEGORY_LABELS[category]
        yield Output(
            f"adoption_{category}",
            "share",
            label,
            f"Share of all enterprises that have adopted {label.lower()}.",
            "count now",
            "adoption",
        )
        for sector in SECTORS:
            yield Output(
                f"adoption_{category}__{sector.key}",
                "share",
                f"{label}: {sector.label}",
                f"Share of the {sector.label}'s enterprises that have adopted {label.lower()}.",
                "count now",
                "adoption",
            )
    yield Output(
        "technology_index",
        "share",
        "Technology index",
        "The mean of the five adoption shares: 0 when no enterprise has adopted anything, 1 when all have all five.",
        "count now",
        "adoption",
    )


#: The time series, in column order.
SERIES: tuple[Output, ...] = tuple(_series())
SERIES_BY_NAME: dict[str, Output] = {o.name: o for o in SERIES}


def series_of(source: str) -> tuple[str, ...]:
    """Names of the series observed by ``source``, in column order."""
    return tuple(o.name for o in SERIES if o.source == source)


# -- the summary -------------------------------------------------------------------

#: Windows of the historical record that the summary reports on.
SUPPLY_WINDOW = (dt.date(1953, 1, 1), dt.date(1962, 12, 31))
STANDARDS_WINDOW = (dt.date(1954, 1, 1), dt.date(1957, 12, 31))
#: The two Five-Year Plans (history:sets_total_1958_62 and history:sets_total_1953_57_derived).
PLANS = ((dt.date(1953, 1, 1), dt.date(1957, 12, 31)), (dt.date(1958, 1, 1), dt.date(1962, 12, 31)))


@dataclass(frozen=True)
class Run:
    """What summary figures are computed from: the finished run's tables."""

    timeseries: pd.DataFrame
    ledger: pd.DataFrame
    scenario: Scenario

    @property
    def last(self) -> pd.Series:
        """The last row of the time series."""
        return self.timeseries.iloc[-1]


@dataclass(frozen=True)
class Figure:
    """One figure of a run's summary.

    Attributes:
        name: Key in ``summary.json``.
        unit: Unit of the value (``text`` for descriptions of the run).
        label: Short label for tables.
        description: What it is and how it is computed.
        compute: The value, from the finished run.
        headline: Whether ``run`` prints it and ``compare`` tabulates it.
    """

    name: str
    unit: str
    label: str
    description: str
    compute: Callable[[Run], Any]
    headline: bool = False

    @property
    def numeric(self) -> bool:
        """Whether the figure is a number (a sweep can keep it)."""
        return self.unit not in ("text", "date")


def _round(value: float, digits: int = 2) -> float | None:
    return None if pd.isna(value) else round(float(value), digits)


def _within(dates: pd.Series, window: tuple[dt.date, dt.date]) -> pd.Series:
    return (dates >= pd.Timestamp(window[0])) & (dates < pd.Timestamp(window[1]) + pd.Timedelta(days=1))


def _sets_shipped(run: Run, window: tuple[dt.date, dt.date], category: str | None = None) -> int:
    """Sets of ``category`` (all if None) counted in ``window`` by the scenario's counting date (``record.counted``)."""
    ledger = run.ledger
    chosen = _within(ledger[run.scenario.record.counted], window)
    if category is not None:
        chosen &= ledger["category"] == category
    return int(ledger.loc[chosen, "sets"].sum())


def _lead_times(run: Run) -> pd.Series:
    delivered = run.ledger[run.ledger["status"] == Stage.DELIVERED.key]
    return (delivered["delivered"] - delivered["created"]).dt.total_seconds() / 86400


def _approval_share(run: Run) -> float | None:
    ledger = run.ledger
    decided = ledger["approved"].notna() | ledger["rejected"].notna()
    return _round(ledger["approved"].notna().sum() / max(int(decided.sum()), 1), 4)


def _channel_requests(run: Run, channel: str) -> int:
    return int((run.ledger["channel"] == channel).sum())


def _channel_utilisation(run: Run, channel: str) -> float | None:
    return _round(run.timeseries[f"{channel}_utilisation"].iloc[1:].mean(), 4)


def _channel_wait(run: Run, channel: str) -> float | None:
    ledger = run.ledger
    through = ledger[(ledger["channel"] == channel) & ledger["handled"].notna()]
    return _round(((through["handled"] - through["queued"]).dt.total_seconds() / 86400).mean())


def _last(name: str, kind: Callable[[Any], Any] = int) -> Callable[[Run], Any]:
    return lambda run: kind(run.last[name])


def _last_rounded(name: str, digits: int) -> Callable[[Run], Any]:
    return lambda run: _round(run.last[name], digits)


def _figures() -> Iterator[Figure]:
    about = "text"
    yield Figure("scenario", about, "Scenario", "Library name of the scenario.", lambda r: r.scenario.name)
    yield Figure("title", about, "Title", "Title of the scenario.", lambda r: r.scenario.title)
    yield Figure("seed", "seed", "Seed", "Seed of all random streams.", lambda r: r.scenario.seed)
    yield Figure("start", "date", "Start", "First day of the run.", lambda r: r.scenario.time.start.isoformat())
    yield Figure(
        "reached", "date", "Reached", "The date of the last step.", lambda r: r.timeseries.index[-1].date().isoformat()
    )
    yield Figure("steps", "steps", "Steps", "Steps taken.", _last("step"))
    for name in ("requests_created", "requests_fulfilled", "requests_rejected", "requests_in_flight"):
        series = SERIES_BY_NAME[name]
        yield Figure(name, "requests", series.label, f"{series.description} At the end.", _last(name), headline=True)
    yield Figure(
        "requests_unsent",
        "requests",
        "Requests unsent",
        SERIES_BY_NAME["requests_unsent"].description,
        _last("requests_unsent"),
    )
    first, last = (d.year for d in SUPPLY_WINDOW)
    for category in CATEGORIES:
        yield Figure(
            f"sets_supplied_{first}_{last}_{category}",
            "sets",
            f"{CATEGORY_LABELS[category]} supplied {first}-{last}",
            f"Sets of {CATEGORY_LABELS[category].lower()} of requests whose `shipped` date (or `delivered`, "
            "as `record.counted` says) falls in "
            f"{SUPPLY_WINDOW[0]} to {SUPPLY_WINDOW[1]}.",
            functools.partial(_sets_shipped, window=SUPPLY_WINDOW, category=category),
            headline=True,
        )
    yield Figure(
        f"sets_supplied_{first}_{last}_total",
        "sets",
        f"Sets supplied {first}-{last}",
        f"Sets of all five categories shipped in {SUPPLY_WINDOW[0]} to {SUPPLY_WINDOW[1]}.",
        lambda r: sum(_sets_shipped(r, SUPPLY_WINDOW, c) for c in CATEGORIES),
        headline=True,
    )
    for plan in PLANS:
        p_first, p_last = (d.year for d in plan)
        yield Figure(
            f"sets_supplied_{p_first}_{p_last}_total",
            "sets",
            f"Sets supplied {p_first}-{p_last}",
            f"Sets of all five categories shipped in {plan[0]} to {plan[1]} (a Five-Year Plan).",
            functools.partial(_sets_shipped, window=plan),
            headline=True,
        )
    s_first, s_last = (d.year for d in STANDARDS_WINDOW)
    yield Figure(
        f"standards_supplied_{s_first}_{s_last}",
        "sets",
        f"Standards supplied {s_first}-{s_last}",
        f"Sets of standards shipped in {STANDARDS_WINDOW[0]} to {STANDARDS_WINDOW[1]}.",
        lambda r: _sets_shipped(r, STANDARDS_WINDOW, "standards"),
        headline=True,
    )
    for category in CATEGORIES:
        name = f"sets_delivered_{category}"
        yield Figure(name, "sets", f"{CATEGORY_LABELS[category]} delivered", "To the end of the run.", _last(name))
    yield Figure(
        "lead_time_days_mean",
        "days",
        "Lead time, mean",
        "Created to delivered, over all delivered requests.",
        lambda r: _round(_lead_times(r).mean()),
        headline=True,
    )
    yield Figure(
        "lead_time_days_median",
        "days",
        "Lead time, median",
        "Created to delivered, over all delivered requests.",
        lambda r: _round(_lead_times(r).median()),
    )
    yield Figure("approval_share", "share", "Approval share", "Approved over decided requests.", _approval_share)
    for channel in CHANNELS:
        where = CHANNEL_LABELS[channel]
        yield Figure(
            f"{channel}_requests",
            "requests",
            f"{where}: requests",
            "Requests sent through the channel.",
            functools.partial(_channel_requests, channel=channel),
        )
        yield Figure(
            f"{channel}_wait_days_mean",
            "days",
            f"{where}: wait, mean",
            "Queued to handled, from the ledger, over the requests handled.",
            functools.partial(_channel_wait, channel=channel),
            headline=channel == "office",
        )
        yield Figure(
            f"{channel}_utilisation_mean",
            "share",
            f"{where}: utilisation, mean",
            "Mean of the step utilisations (the start row left out).",
            functools.partial(_channel_utilisation, channel=channel),
            headline=channel == "office",
        )
    yield Figure(
        "office_queue_max",
        "requests",
        "Office queue, largest",
        "The largest queue at the Counsellor's Office at the end of a step.",
        lambda r: int(r.timeseries["office_queue"].max()),
    )
    yield Figure(
        "pages_awaiting_translation_final",
        "pages",
        "Pages awaiting translation, at the end",
        "Pages waiting for translation at the end.",
        _last_rounded("pages_awaiting_translation", 2),
    )
    yield Figure(
        "national_standards",
        "standards",
        "National standards",
        "Re-issued by the end.",
        _last("national_standards"),
        headline=True,
    )
    for category in CATEGORIES:
        yield Figure(
            f"adoption_{category}",
            "share",
            f"Adoption: {CATEGORY_LABELS[category].lower()}",
            "Share of all enterprises that have adopted, at the end.",
            _last_rounded(f"adoption_{category}", 4),
        )
    yield Figure(
        "technology_index",
        "share",
        "Technology index",
        f"{SERIES_BY_NAME['technology_index'].description} At the end.",
        _last_rounded("technology_index", 4),
        headline=True,
    )


#: The summary of a run, in ``summary.json`` order.
FIGURES: tuple[Figure, ...] = tuple(_figures())
FIGURES_BY_NAME: dict[str, Figure] = {f.name: f for f in FIGURES}
#: The figures that ``run`` prints and ``compare`` tabulates, in this order.
HEADLINE_FIGURES: tuple[str, ...] = tuple(f.name for f in FIGURES if f.headline)


def summarise(timeseries: pd.DataFrame, ledger: pd.DataFrame, scenario: Scenario) -> dict[str, Any]:
    """Every summary figure of a finished run, as plain numbers and text.

    Sets "supplied" are counted when shipped by the Soviet side (the historical
    record counts what the USSR supplied); sets "delivered" have also been
    translated and handed to enterprises.
    """
    run = Run(timeseries, ledger, scenario)
    return {figure.name: figure.compute(run) for figure in FIGURES}


# -- the ODD's table -----------------------------------------------------------------

BEGIN = "<!-- outputs:begin (generated by sim.outputs.output_table; a test checks it) -->"
END = "<!-- outputs:end -->"


def output_table() -> str:
    """Markdown tables of the series and the summary figures, for docs/ODD.md."""
    lines = [BEGIN, "", "| series | unit | measured | observed by | description |", "|---|---|---|---|---|"]
    for o in SERIES:
        if "__" in o.name:  # the per-sector adoption shares: one row for all
            continue
        lines.append(f"| `{o.name}` | {o.unit} | {o.measure} | {o.source} | {o.description} |")
    lines.append(
        "| `adoption_<category>__<sector>` | share | count now | adoption | "
        "Share of a sector's enterprises that have adopted a category. |"
    )
    lines += ["", "| summary figure | unit | headline | description |", "|---|---|---|---|"]
    for f in FIGURES:
        lines.append(f"| `{f.name}` | {f.unit} | {'yes' if f.headline else ''} | {f.description} |")
    lines += ["", END]
    return "\n".join(lines)
