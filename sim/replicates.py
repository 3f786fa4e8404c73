"""Replicates from Python: one scenario run with many seeds, with mean and quantile bands.

::

    import sim

    many = sim.run_many("baseline_1952", seeds=10, overrides={"office.staff": 16}, until="1958-12-31")
    many.summary                    # one row per seed: every numeric summary figure
    many.mean()["office_queue"]     # the mean over seeds at each date
    many.bands("technology_index")  # mean, low and high quantile at each date
    many.plot("technology_index")   # a matplotlib figure: mean and band

The runs go through the sweep runner (:func:`sim.sweep.runner.run_one` on the
same executors: this process, a local pool or a Dask cluster), so a seed gives
the same frames here as in a sweep. Like Starsim's ``MultiSim``, but returning
pandas frames.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sim.drawing import drawing

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.scenario import EventMode, Scenario

#: Quantiles of the default band.
BAND = (0.05, 0.95)


@dataclass(frozen=True)
class Replicates:
    """The frames of one scenario run with several seeds.

    Attributes:
        scenario: The scenario run (overrides applied; its own seed is replaced by each run's).
        seeds: The seeds, in run order.
        timeseries: Every declared series of every run, long: ``seed``, ``date`` and one column per series.
        summary: One row per run (index ``seed``), one column per numeric summary figure.
    """

    scenario: Scenario
    seeds: tuple[int, ...]
    timeseries: pd.DataFrame
    summary: pd.DataFrame

    def _by_date(self) -> Any:  # a pandas GroupBy
        return self.timeseries.drop(columns="seed").groupby("date")

    def mean(self) -> pd.DataFrame:
        """The mean over runs of every series at each date."""
        return self._by_date().mean()

    def quantile(self, q: float) -> pd.DataFrame:
        """The ``q`` quantile over runs of every series at each date."""
        return self._by_date().quantile(q)

    def bands(self, column: str, quantiles: tuple[float, float] = BAND) -> pd.DataFrame:
        """``mean``, ``low`` and ``high`` (the two quantiles) of one series at each date.

        Raises:
            KeyError: If ``column`` is not a series of the runs.
        """
        if column not in self.timeseries.columns or column in {"seed", "date"}:
            raise KeyError(f"{column!r} is not a series; see sim.outputs.SERIES")
        grouped = self.timeseries.groupby("date")[column]
        return pd.DataFrame(
            {"mean": grouped.mean(), "low": grouped.quantile(quantiles[0]), "high": grouped.quantile(quantiles[1])}
        )

    @drawing()
    def plot(self, column: str, quantiles: tuple[float, float] = BAND) -> Figure:
        """The mean of ``column`` over runs with the band between two quantiles; the scenario's title as written."""
        import matplotlib.pyplot as plt

        band = self.bands(column, quantiles)
        fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
        ax.fill_between(
            band.index, band["low"], band["high"], alpha=0.3, label=f"{quantiles[0]:.0%}-{quantiles[1]:.0%}"
        )
        ax.plot(band.index, band["mean"], label=f"mean of {len(self.seeds)} runs")
        ax.set_title(f"{column.replace('_', ' ')}: {self.scenario.title}", fontsize=9)
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
        return fig


def run_many(
    scenario: Scenario | str | Path,
    seeds: int | Sequence[int] = 10,
    overrides: Mapping[str, Any] | None = None,
    *,
    until: str | dt.date | None = None,
    events: EventMode | Mapping[str, EventMode] = "refuse",
    workers: int = 1,
    scheduler: str | None = None,
) -> Replicates:
    """Run ``scenario`` once per seed and return the runs' frames.

    Args:
        scenario: A scenario, a library name or a file.
        seeds: The seeds, or how many to spawn from the scenario's own seed
            (:func:`sim.streams.replicate_seeds`).
        overrides: Parameter changes, as for :meth:`sim.scenario.Scenario.with_overrides`.
        until: Stop every run at this date (default: the scenario's end).
        events: How an override treats dated events that also set it (see ``with_overrides``).
        workers: Local processes; 1 runs in this process.
        scheduler: Address of a Dask scheduler to run on instead.

    Raises:
        sim.errors.ScenarioError: If the scenario or an override cannot be used.
        sim.errors.UsageError: If ``seeds`` is empty, ``until`` outside the run or ``workers`` more than the
            machine holds.
        sim.errors.TooLargeError: If a run, the number of runs or the frames kept would exceed a limit of
            :mod:`sim.limits`.
        RuntimeError: If a run raises (its traceback is in the message).
    """
    from sim.errors import TooLargeError, UsageError
    from sim.limits import MEMORY_BYTES, check_runs, check_workers, gib
    from sim.outputs import FIGURES, SERIES
    from sim.scenario import load_scenario
    from sim.streams import replicate_seeds
    from sim.sweep.runner import execute
    from sim.timeline import parse_date

    base = load_scenario(scenario)
    end = parse_date(until) if isinstance(until, str) else (until or base.time.end)
    if not base.time.start < end <= base.time.end:
        raise UsageError(
            f"until {end}: outside the run; choose a date after {base.time.start} and up to {base.time.end}"
        )
    if overrides:
        base = base.with_overrides(overrides, origin="run_many", events=events, until=end)
    check_workers(workers, "workers")
    count = seeds if isinstance(seeds, int) else len(seeds)
    check_runs(count, f"seeds: {count:,} seeds")
    base.check_size(end, origin="run_many")
    steps = (end - base.time.start).days // base.time.step_days + 1
    kept = count * steps * len(SERIES) * 8  # every series of every run, 8 bytes a value
    if kept > MEMORY_BYTES:
        raise TooLargeError(
            f"seeds: {count:,} runs x {steps:,} steps x {len(SERIES)} series would keep about {gib(kept)} of "
            f"frames; the limit is {gib(MEMORY_BYTES)} (sim/limits.py); use fewer seeds or a sweep, which keeps "
            "what you name"
        )
    chosen = tuple(replicate_seeds(base.seed, seeds) if isinstance(seeds, int) else (int(s) for s in seeds))
    if not chosen:
        raise UsageError("seeds: give at least one seed (or a count of 1 or more)")
    figures = tuple(f.name for f in FIGURES if f.numeric and f.name != "seed")
    work = [
        {
            "run_id": str(seed),
            "base": base,
            "overrides": {},
            "seed": seed,
            "until": end,
            "summary": figures,
            "timeseries": tuple(o.name for o in SERIES if o.name != "date"),
            "every": 1,
        }
        for seed in chosen
    ]
    outcomes = {o["run_id"]: o for o in execute(work, workers=workers, scheduler=scheduler)}
    series, rows = [], []
    for seed in chosen:
        outcome = outcomes[str(seed)]
        if outcome["status"] != "done":
            raise RuntimeError(f"the run with seed {seed} failed:\n{outcome['error']}")
        series.append(outcome["timeseries"].reset_index().assign(seed=seed))
        rows.append({"seed": seed, **outcome["summary"]})
    timeseries = pd.concat(series, ignore_index=True)
    timeseries = timeseries[["seed", *[c for c in timeseries.columns if c != "seed"]]]
    return Replicates(base, chosen, timeseries, pd.DataFrame(rows).set_index("seed"))
