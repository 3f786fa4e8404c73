"""What a run yields: the time series, the request ledger and a summary.

``Results.save(dir)`` writes ``timeseries.parquet``/``.csv``,
``requests.parquet``/``.csv``, ``summary.json`` (headline figures, the resolved
scenario, seed, events and versions) and ``plots/*.png``, atomically.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.catalog import CATEGORIES, CHANNELS, Stage
from sim.scenario import Scenario
from sim.storage import atomic_directory

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.model import TechTransferModel

#: Distributions whose versions are recorded beside every result.
RECORDED_PACKAGES = ("ziliao", "mesa", "numpy", "pandas", "networkx", "scipy", "pyarrow", "pydantic", "matplotlib")

#: The figures that ``run`` prints and ``compare`` tabulates, in this order.
HEADLINE_FIGURES = (
    "requests_created",
    "requests_fulfilled",
    "requests_rejected",
    "requests_in_flight",
    "sets_supplied_1953_1962_standards",
    "sets_supplied_1953_1962_typical_designs",
    "sets_supplied_1953_1962_operating_procedures",
    "sets_supplied_1953_1962_blueprints",
    "sets_supplied_1953_1962_norms",
    "sets_supplied_1953_1962_total",
    "standards_supplied_1954_1957",
    "lead_time_days_mean",
    "office_wait_days_mean",
    "office_utilisation_mean",
    "national_standards",
    "technology_index",
)

#: Windows of the historical record that the summary reports on.
SUPPLY_WINDOW = (dt.date(1953, 1, 1), dt.date(1962, 12, 31))
STANDARDS_WINDOW = (dt.date(1954, 1, 1), dt.date(1957, 12, 31))


def versions() -> dict[str, str]:
    """Python and package versions, for provenance."""
    found = {"python": platform.python_version()}
    for name in RECORDED_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


@dataclass(frozen=True)
class Results:
    """The outcome of one run.

    Attributes:
        scenario: The scenario as run (seed included).
        timeseries: One row per step (and one for the start), indexed by ``date``.
        ledger: One row per request, one date column per stage (NaT if not reached).
        events: Events applied: ``date``, ``id``, ``label``.
        summary: Headline figures (see :func:`summarise`).
    """

    scenario: Scenario
    timeseries: pd.DataFrame
    ledger: pd.DataFrame
    events: list[dict[str, Any]]
    summary: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_model(cls, model: TechTransferModel) -> Results:
        """Collect the results of ``model`` as it stands."""
        timeseries = model.datacollector.get_table_dataframe("timeseries")
        timeseries["date"] = pd.to_datetime(timeseries["date"]).astype("datetime64[ms]")
        timeseries = timeseries.set_index("date")
        ledger = model.ledger.frame(model.config.time.start)
        events = [{"date": d.isoformat(), "id": e.id, "label": e.label} for d, e in model.events_fired]
        summary = summarise(timeseries, ledger, model.config)
        return cls(model.config, timeseries, ledger, events, summary)

    def save(self, directory: str | Path, *, force: bool = False, plots: bool = True) -> Path:
        """Write the results to ``directory`` atomically (see module docstring).

        Raises:
            sim.storage.OutputError: If ``directory`` cannot be written (not empty and not ``force``, or not writable).
        """
        with atomic_directory(directory, force=force) as tmp:
            self.timeseries.to_parquet(tmp / "timeseries.parquet")
            self.timeseries.to_csv(tmp / "timeseries.csv")
            self.ledger.to_parquet(tmp / "requests.parquet", index=False)
            self.ledger.to_csv(tmp / "requests.csv", index=False)
            meta = {
                "summary": self.summary,
                "scenario": self.scenario.as_plain_data(),
                "seed": self.scenario.seed,
                "events": self.events,
                "versions": versions(),
            }
            (tmp / "summary.json").write_text(json.dumps(meta, indent=2, default=_json_default) + "\n")
            if plots:
                self.plot(tmp / "plots")
        return Path(directory)

    @classmethod
    def load(cls, directory: str | Path) -> Results:
        """Read results saved by :meth:`save`."""
        directory = Path(directory)
        meta = json.loads((directory / "summary.json").read_text())
        return cls(
            Scenario.model_validate(meta["scenario"]),
            pd.read_parquet(directory / "timeseries.parquet"),
            pd.read_parquet(directory / "requests.parquet"),
            meta["events"],
            meta["summary"],
        )

    def plot(self, directory: str | Path | None = None) -> dict[str, Figure]:
        """Draw the standard figures; save them as PNG in ``directory`` if given."""
        from sim.plots import standard_figures

        figures = standard_figures(self)
        if directory is not None:
            directory = Path(directory)
            directory.mkdir(parents=True, exist_ok=True)
            for name, figure in figures.items():
                figure.savefig(directory / f"{name}.png", dpi=110, bbox_inches="tight")
        return figures


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dt.date | pd.Timestamp):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def _within(dates: pd.Series, window: tuple[dt.date, dt.date]) -> pd.Series:
    return (dates >= pd.Timestamp(window[0])) & (dates < pd.Timestamp(window[1]) + pd.Timedelta(days=1))


def summarise(timeseries: pd.DataFrame, ledger: pd.DataFrame, scenario: Scenario) -> dict[str, Any]:
    """Headline figures of a run, as plain numbers.

    Sets "supplied" are counted when shipped by the Soviet side (the historical
    record counts what the USSR supplied); sets "delivered" have also been
    translated and handed to enterprises.
    """
    last = timeseries.iloc[-1]
    shipped = ledger["shipped"]
    summary: dict[str, Any] = {
        "scenario": scenario.name,
        "title": scenario.title,
        "seed": scenario.seed,
        "start": scenario.time.start.isoformat(),
        "reached": timeseries.index[-1].date().isoformat(),
        "steps": int(last["step"]),
        "requests_created": int(last["requests_created"]),
        "requests_fulfilled": int(last["requests_fulfilled"]),
        "requests_rejected": int(last["requests_rejected"]),
        "requests_in_flight": int(last["requests_in_flight"]),
        "requests_unsent": int(last["requests_unsent"]),
    }
    in_supply = _within(shipped, SUPPLY_WINDOW)
    in_standards = _within(shipped, STANDARDS_WINDOW)
    for category in CATEGORIES:
        of_category = ledger["category"] == category
        summary[f"sets_supplied_1953_1962_{category}"] = int(ledger.loc[of_category & in_supply, "sets"].sum())
    summary["sets_supplied_1953_1962_total"] = sum(summary[f"sets_supplied_1953_1962_{c}"] for c in CATEGORIES)
    summary["standards_supplied_1954_1957"] = int(
        ledger.loc[(ledger["category"] == "standards") & in_standards, "sets"].sum()
    )
    for category in CATEGORIES:
        summary[f"sets_delivered_{category}"] = int(last[f"sets_delivered_{category}"])
    delivered = ledger[ledger["status"] == Stage.DELIVERED.key]
    lead = (delivered["delivered"] - delivered["created"]).dt.total_seconds() / 86400
    summary["lead_time_days_mean"] = _round(lead.mean())
    summary["lead_time_days_median"] = _round(lead.median())
    decided = ledger["approved"].notna() | ledger["rejected"].notna()
    summary["approval_share"] = _round(ledger["approved"].notna().sum() / max(int(decided.sum()), 1), 4)
    for channel in CHANNELS:
        through = ledger[(ledger["channel"] == channel) & ledger["handled"].notna()]
        wait = (through["handled"] - through["queued"]).dt.total_seconds() / 86400
        summary[f"{channel}_requests"] = int((ledger["channel"] == channel).sum())
        summary[f"{channel}_wait_days_mean"] = _round(wait.mean())
        summary[f"{channel}_utilisation_mean"] = _round(timeseries[f"{channel}_utilisation"].iloc[1:].mean(), 4)
    summary["office_queue_max"] = int(timeseries["office_queue"].max())
    summary["pages_awaiting_translation_final"] = _round(last["pages_awaiting_translation"])
    summary["national_standards"] = int(last["national_standards"])
    for category in CATEGORIES:
        summary[f"adoption_{category}"] = _round(last[f"adoption_{category}"], 4)
    summary["technology_index"] = _round(last["technology_index"], 4)
    return summary


def _round(value: float, digits: int = 2) -> float | None:
    return None if pd.isna(value) else round(float(value), digits)
