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

from sim.outputs import summarise
from sim.scenario import Scenario
from sim.storage import atomic_directory

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.model import TechTransferModel

#: Distributions whose versions are recorded beside every result.
RECORDED_PACKAGES = ("ziliao", "mesa", "numpy", "pandas", "networkx", "scipy", "pyarrow", "pydantic", "matplotlib")


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
        timeseries = model.datacollector.get_model_vars_dataframe()
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
        with atomic_directory(directory, force=force, advice="python") as tmp:
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
                import matplotlib.pyplot as plt

                for figure in self.plot(tmp / "plots").values():
                    plt.close(figure)  # written, not shown: a notebook would otherwise draw them all
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
        from sim.drawing import drawing
        from sim.plots import standard_figures

        figures = standard_figures(self)
        if directory is not None:
            directory = Path(directory)
            directory.mkdir(parents=True, exist_ok=True)
            with drawing():
                for name, figure in figures.items():
                    figure.savefig(directory / f"{name}.png", dpi=110, bbox_inches="tight")
        return figures


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dt.date | pd.Timestamp):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")
