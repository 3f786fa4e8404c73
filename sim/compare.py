"""Two runs side by side: ``python -m sim compare A B --out DIR``.

Both runs use the same seed. Every random draw comes from a named stream
(:mod:`sim.streams`), so the two runs share their random numbers wherever the
scenarios agree (common random numbers) and the differences shown come from the
change, not from noise. ``B`` may be the same scenario as ``A`` with values
changed (``--set-b office.staff=16``).

The output folder holds ``headline.csv`` (each headline figure for A and B, the
difference and the ratio), ``timeseries.parquet`` (both time series, with a
``run`` column), ``scenarios.json`` (both resolved scenarios) and
``plots/*.png`` (A and B on the same axes), written atomically.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from sim.results import Results
    from sim.scenario import Scenario

#: Line styles of run A and run B in every comparison figure.
STYLES = ({"color": "C0", "linestyle": "-"}, {"color": "C3", "linestyle": "--"})


def headline_table(a: Mapping[str, Any], b: Mapping[str, Any], figures: Sequence[str] | None = None) -> pd.DataFrame:
    """Headline figures of two summaries: ``a``, ``b``, ``difference`` (b - a) and ``ratio`` (b / a).

    Args:
        a: Summary of run A (``Results.summary``).
        b: Summary of run B.
        figures: Keys to show; the headline figures by default.
    """
    import pandas as pd

    from sim.outputs import HEADLINE_FIGURES

    rows = []
    for name in figures or HEADLINE_FIGURES:
        x, y = a.get(name), b.get(name)
        difference = ratio = None
        if x is not None and y is not None:
            difference = y - x
            ratio = y / x if x != 0 else None
        rows.append({"figure": name, "a": x, "b": y, "difference": difference, "ratio": ratio})
    return pd.DataFrame(rows).set_index("figure")


@dataclass(frozen=True)
class Comparison:
    """Two results to be read side by side.

    Attributes:
        a: Results of run A.
        b: Results of run B.
        labels: How the two runs are named in tables and legends.
    """

    a: Results
    b: Results
    labels: tuple[str, str]

    @property
    def headline(self) -> pd.DataFrame:
        """Headline figures of A and B with their difference and ratio (see :func:`headline_table`)."""
        return headline_table(self.a.summary, self.b.summary)

    def timeseries(self) -> pd.DataFrame:
        """Both time series stacked, with a ``run`` column holding each run's label."""
        import pandas as pd

        return pd.concat(
            [r.timeseries.assign(run=label) for r, label in zip((self.a, self.b), self.labels, strict=True)]
        )

    def figures(self) -> dict[str, Figure]:
        """A and B on the same axes: sets supplied, adoption, the office queue, requests in flight, lead times."""
        return comparison_figures((self.a, self.b), self.labels)

    def save(self, directory: str | Path, *, force: bool = False, plots: bool = True) -> Path:
        """Write the comparison to ``directory`` atomically (see the module docstring).

        Raises:
            sim.storage.OutputError: If ``directory`` cannot be written.
        """
        import matplotlib.pyplot as plt

        from sim.drawing import drawing
        from sim.storage import atomic_directory

        with atomic_directory(directory, force=force, advice="python") as tmp, drawing():
            table = self.headline.copy()
            table.insert(0, "label_b", self.labels[1])
            table.insert(0, "label_a", self.labels[0])
            table.to_csv(tmp / "headline.csv")
            self.timeseries().to_parquet(tmp / "timeseries.parquet")
            scenarios = {
                label: r.scenario.as_plain_data() for r, label in zip((self.a, self.b), self.labels, strict=True)
            }
            (tmp / "scenarios.json").write_text(json.dumps(scenarios, indent=2, default=str) + "\n")
            if plots:
                (tmp / "plots").mkdir()
                for name, figure in self.figures().items():
                    figure.savefig(tmp / "plots" / f"{name}.png", dpi=110, bbox_inches="tight")
                    plt.close(figure)
        return Path(directory)


def label_of(scenario: Scenario, changes: Mapping[str, Any] | None = None) -> str:
    """A short name for a run: the scenario's name and any values changed from its file.

    It labels the legends, so it is kept to :data:`sim.limits.TEXT_LENGTH` characters, a long
    value shortened (a 100,000-character ``--set-b question=...`` made a legend no figure could hold).
    """
    from sim.limits import TEXT_LENGTH

    if not changes:
        return scenario.name
    shown = ", ".join(f"{k}={_short(str(v))}" for k, v in changes.items())
    label = f"{scenario.name} ({shown})"
    return label if len(label) <= TEXT_LENGTH else label[: TEXT_LENGTH - 2] + "…)"


def _short(text: str, most: int = 40) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def compare(
    a: Scenario | str | Path,
    b: Scenario | str | Path,
    *,
    seed: int | None = None,
    until: str | dt.date | None = None,
    labels: tuple[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Comparison:
    """Run two scenarios with the same seed and return them side by side.

    Args:
        a: Run A: a scenario, a library name or a path.
        b: Run B, likewise.
        seed: The seed of both runs; A's seed when not given.
        until: Stop both runs at this date (YYYY-MM-DD); each scenario's end when not given.
        labels: Names of the runs; the scenario names when not given (``A: name`` and ``B: name`` if equal).
        progress: Called as ``progress(steps_done, steps_total)`` over both runs.

    Raises:
        sim.scenario.ScenarioError: If a scenario is invalid.
        sim.errors.UsageError: If ``until`` is empty or lies outside either run.
        sim.errors.TooLargeError: If either run would exceed :data:`sim.limits.MEMORY_BYTES`.
    """
    from sim.errors import UsageError
    from sim.model import TechTransferModel
    from sim.scenario import load_scenario
    from sim.timeline import parse_date

    first, second = load_scenario(a), load_scenario(b)
    seed = first.seed if seed is None else seed
    asked = None if until is None else parse_date(until)
    stops = []
    names = labels or (first.name, second.name)
    for run, scenario, name in zip("AB", (first, second), names, strict=True):
        stop = asked or scenario.time.end
        start, end = scenario.time.start, scenario.time.end
        if not start < stop <= end:
            raise UsageError(
                f"--until {stop}: outside the run of {scenario.name}; choose a date after {start} and up to {end}"
            )
        scenario.check_size(stop, origin=f"{run} ({name})")
        stops.append(stop)
    models = [TechTransferModel(s, rng=seed) for s in (first, second)]
    totals = [m.calendar.steps_until(stop) for m, stop in zip(models, stops, strict=True)]
    done = 0
    for model, stop, total in zip(models, stops, totals, strict=True):
        model.run_until(stop, progress=_shifted(progress, done, sum(totals)) if progress else None)
        done += total
    if labels is None:
        names = (first.name, second.name)
        labels = names if names[0] != names[1] else (f"A: {names[0]}", f"B: {names[1]}")
    return Comparison(models[0].results(), models[1].results(), labels)


def _shifted(progress: Callable[[int, int], None], offset: int, total: int) -> Callable[[int, int], None]:
    """``progress`` of one run reported as part of several: ``offset`` steps already done, ``total`` in all."""

    def report(done: int, _total: int) -> None:
        progress(offset + done, total)

    return report


def comparison_figures(runs: Sequence[Results], labels: Sequence[str]) -> dict[str, Figure]:
    """Figures with every run on the same axes (A solid, B dashed), events of all runs marked.

    Args:
        runs: Results to overlay (two in ``compare``).
        labels: Legend name of each run (shortened to :data:`sim.limits.TEXT_LENGTH` characters).
    """
    import matplotlib.pyplot as plt

    from sim.catalog import CATEGORIES, CATEGORY_LABELS
    from sim.drawing import drawing
    from sim.limits import TEXT_LENGTH
    from sim.outputs import SERIES_BY_NAME
    from sim.plots import mark_events

    events: dict[tuple[str, str], dict] = {}
    for r in runs:
        for e in r.events:
            if e["label"] and e["date"] > str(r.scenario.time.start):
                events[(e["date"], e["label"])] = e
    marked = sorted(events.values(), key=lambda e: e["date"])
    seed = runs[0].scenario.seed
    frames = [r.timeseries for r in runs]
    labels = [_short(label, TEXT_LENGTH) for label in labels]  # a legend a figure can hold, whoever named the runs
    figures: dict[str, Figure] = {}

    def panels(key: str, title: str, ylabel: str, columns: Sequence[tuple[str, str]], *, share: bool = False) -> None:
        with drawing():  # the runs' names and the events' labels are the user's text (Chinese, dollars)
            draw(key, title, ylabel, columns, share)

    def draw(key: str, title: str, ylabel: str, columns: Sequence[tuple[str, str]], share: bool) -> None:
        ncols = 3 if len(columns) > 2 else len(columns)
        nrows = -(-len(columns) // ncols)
        fig, axes = plt.subplots(
            nrows, ncols, figsize=(4.2 * ncols, 3.2 * nrows + 0.6), layout="constrained", squeeze=False
        )
        fig.suptitle(f"{title} (seed {seed})", fontsize=11)
        for ax, (column, name) in zip(axes.flat, columns, strict=False):
            for ts, label, style in zip(frames, labels, STYLES, strict=False):
                ax.plot(ts.index, ts[column], label=label, **style)
            ax.set_title(name, fontsize=9)
            ax.set_xlabel("Date")
            ax.set_ylabel(ylabel)
            if share:
                ax.set_ylim(0, 1)
            ax.grid(alpha=0.3)
            mark_events(ax, marked)
        for ax in list(axes.flat)[len(columns) :]:
            ax.set_visible(False)
        handles, names = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles, names, loc="outside lower center", ncols=len(names), fontsize=8)
        figures[key] = fig

    panels(
        "sets_supplied",
        "Sets of documentation supplied by the USSR (cumulative)",
        "Sets",
        [
            ("sets_supplied_all", SERIES_BY_NAME["sets_supplied_all"].label),
            *((f"sets_supplied_{c}", CATEGORY_LABELS[c]) for c in CATEGORIES),
        ],
    )
    panels(
        "adoption",
        "Share of Chinese enterprises that have adopted",
        "Share adopted (0-1)",
        [("technology_index", "Technology index (mean)"), *((f"adoption_{c}", CATEGORY_LABELS[c]) for c in CATEGORIES)],
        share=True,
    )
    panels(
        "queues",
        "Requests waiting at the two channels",
        "Requests waiting",
        [("office_queue", "Commercial Counsellor's Office"), ("commission_queue", "Joint commission (from 1954)")],
    )
    panels(
        "requests",
        "Requests in flight and delivered",
        "Requests",
        [("requests_in_flight", "In flight"), ("requests_fulfilled", "Delivered (cumulative)")],
    )
    panels(
        "lead_time",
        "Lead time of requests delivered in each step",
        "Days from request to delivery",
        [("lead_time_days", "Mean lead time")],
    )
    return figures


def cmd_compare(args: argparse.Namespace) -> int:
    """Run two scenarios with the same seed and write the comparison."""
    from tqdm import tqdm

    from sim.cli import option_date
    from sim.scenario import load_scenario, parse_assignments, resolve
    from sim.storage import check_writable
    from sim.text import format_value, text_table

    out = Path(args.out)
    check_writable(out, args.force, inputs=[resolve(args.a), resolve(args.b)])
    runs, labels = [], []
    for name, items, option in ((args.a, args.set_a, "--set-a"), (args.b, args.set_b, "--set-b")):
        scenario = load_scenario(name)
        changes = parse_assignments(items, option)
        if changes:
            scenario = scenario.with_overrides(changes, origin=option, strict=True, events=args.events, advice="cli")
        runs.append(scenario)
        labels.append(label_of(scenario, changes))
    if labels[0] == labels[1]:
        labels = [f"A: {labels[0]}", f"B: {labels[1]}"]
    with tqdm(total=1, delay=2.0, unit="step", disable=args.quiet, leave=False) as bar:

        def advance(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        comparison = compare(
            runs[0],
            runs[1],
            seed=args.seed,
            until=option_date(args.until),
            labels=(labels[0], labels[1]),
            progress=advance,
        )
    comparison.save(out, force=args.force, plots=not args.no_plots)
    if not args.quiet:
        print(f"A = {labels[0]}\nB = {labels[1]}\nseed {comparison.a.scenario.seed}")
        rows: list[tuple[str, ...]] = [("figure", "A", "B", "B - A", "B / A")]
        for figure, row in comparison.headline.iterrows():
            x, y = comparison.a.summary.get(figure), comparison.b.summary.get(figure)
            difference = y - x if x is not None and y is not None else None
            rows.append((str(figure), *(format_value(v) for v in (x, y, difference, row["ratio"]))))
        print(text_table(rows))
        print(f"comparison in {out}/")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``compare`` subcommand."""
    from sim.cli import add_events_option

    parser = commands.add_parser("compare", help="run two scenarios with the same seed and compare them")
    parser.add_argument("a", metavar="A", help="scenario A: a file or a library name")
    parser.add_argument("b", metavar="B", help="scenario B: a file or a library name (may be A again, with --set-b)")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the comparison (must be empty)")
    parser.add_argument("--seed", type=int, metavar="N", help="seed of both runs (default: A's seed)")
    add_events_option(parser)
    parser.add_argument("--until", metavar="DATE", help="stop both runs at this date (YYYY-MM-DD)")
    parser.add_argument(
        "--set-a", action="append", default=[], metavar="KEY=VALUE", help="change a parameter of A (repeatable)"
    )
    parser.add_argument(
        "--set-b", action="append", default=[], metavar="KEY=VALUE", help="change a parameter of B (repeatable)"
    )
    parser.add_argument("--force", action="store_true", help="replace a non-empty --out folder")
    parser.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    parser.set_defaults(handler=cmd_compare)
