"""What a calibration writes: the fit table, the calibrated scenario, the search history and plots.

:func:`save` fills a folder (atomically) with

- ``fit.csv``: each target beside the model's mean, standard deviation, minimum
  and maximum over the fresh-seed replicates of the best candidate, and the error;
- ``errors.csv``: the error over fit targets and over validation targets, apart;
- ``trials.csv``: every candidate of the search, its losses and its target means;
- ``replicates.csv`` and ``annual.csv``: the fresh-seed runs, target by target
  and year by year;
- ``calibrated.toml``: the base scenario with the calibrated values (extends it);
- ``report.md``: all of the above in words and tables;
- ``plots/*.png``: targets against the model, the search history, loss against
  each parameter (identifiability), annual supply.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.drawing import drawing

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from sim.calibration.search import Calibration

ROLE_COLOURS = {"fit": "C0", "validate": "C3"}


def fit_table(calibration: Calibration) -> pd.DataFrame:
    """Each target beside the model over the fresh-seed replicates of the best candidate.

    Columns: ``metric``, ``role``, ``reliability``, ``output``, ``summary`` (the run
    summary's figure of the same measure, empty if it has none), ``period``,
    ``record``, ``model_mean``, ``model_sd``, ``model_min``, ``model_max``,
    ``error`` (model mean / record - 1), indexed by target id.
    """
    import pandas as pd

    rows = []
    for target in calibration.targets:
        values = calibration.final[target.id]
        mean = float(values.mean())
        rows.append(
            {
                "id": target.id,
                "metric": target.metric,
                "role": target.role,
                "reliability": target.reliability,
                "output": target.output,
                "summary": target.summary_name or "",
                "period": f"{target.start} to {target.end}",
                "record": target.value,
                "model_mean": mean,
                "model_sd": float(values.std(ddof=1)) if len(values) > 1 else math.nan,
                "model_min": float(values.min()),
                "model_max": float(values.max()),
                "error": mean / target.value - 1,
            }
        )
    return pd.DataFrame(rows).set_index("id")


def error_table(calibration: Calibration) -> pd.DataFrame:
    """Errors of the fresh-seed means, fit and validation targets apart.

    Columns: ``targets`` (how many), ``rms_log_error``, ``mean_abs_error``
    (mean of |model / record - 1|), ``worst`` (the target with the largest
    absolute error), indexed by role.
    """
    import pandas as pd

    table = fit_table(calibration)
    rows = []
    for role in ("fit", "validate"):
        part = table[table["role"] == role]
        if part.empty:
            continue
        logs = ((1 + part["model_mean"]) / (1 + part["record"])).map(math.log)
        rows.append(
            {
                "role": role,
                "targets": len(part),
                "rms_log_error": math.sqrt(float((logs**2).mean())),
                "mean_abs_error": float(part["error"].abs().mean()),
                "worst": str(part["error"].abs().idxmax()),
            }
        )
    return pd.DataFrame(rows).set_index("role")


def scenario_toml(calibration: Calibration) -> str:
    """The calibrated scenario as a TOML file that extends the base scenario."""
    settings = calibration.settings
    groups: dict[str, dict[str, Any]] = defaultdict(dict)
    for path, value in calibration.best.items():
        table, _, key = path.rpartition(".")
        groups[table][key] = value
    errors = error_table(calibration)
    lines = [
        f"# Written by `python -m sim calibrate` (budget {settings['budget']}, replicates "
        f"{settings['replicates']}, seed {settings['seed']}, {settings['seconds']} s).",
        "# Calibrated on the rows of data/history_targets.csv with role=fit; see docs/validation.md.",
        *(
            f"# {role}: RMS log error {errors.loc[role, 'rms_log_error']:.3f} over the fresh-seed means."
            for role in errors.index
        ),
        "# Only the values below differ from the scenario it extends; they are fitted, not sourced.",
        "",
        f'extends = "{calibration.base.name}"',
        f'title = "Calibrated {_escape(calibration.base.name)}: fitted to the recorded totals of sets supplied"',
        'question = "How close does the model come to the sourced totals of documentation supplied, 1953-1962?"',
    ]
    for table in sorted(groups):
        lines += ["", f"[{table}]"]
        for key, value in groups[table].items():
            lines.append(
                f"{key} = {value!r}  # calibrated; {calibration.base.name}: {_base_value(calibration, table, key)}"
            )
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _base_value(calibration: Calibration, table: str, key: str) -> str:
    from sim.calibration.search import read_value

    return f"{read_value(calibration.base, f'{table}.{key}'):g}"


@drawing()
def figures(calibration: Calibration) -> dict[str, Figure]:
    """The report's figures: ``targets``, ``search``, ``identifiability``, ``annual_supply``.

    Drawn in :func:`sim.drawing.drawing`: the targets' ids come from the user's file.
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.ticker import NullFormatter

    found: dict[str, Figure] = {}
    table = fit_table(calibration)

    fig, ax = plt.subplots(figsize=(8, 0.6 * len(table) + 1.5))
    for i, (target_id, row) in enumerate(table.iterrows()):
        ratios = calibration.final[target_id] / row["record"]
        colour = ROLE_COLOURS.get(row["role"], "grey")
        ax.scatter(ratios, [i] * len(ratios), color=colour, alpha=0.4, s=14)
        ax.scatter([row["model_mean"] / row["record"]], [i], color=colour, marker="D", s=40, label=row["role"])
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(table)), [f"{t} ({r})" for t, r in zip(table.index, table["reliability"], strict=True)])
    ax.set_xlabel("model / record (dots: replicates, diamond: mean)")
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    ax.legend(unique.values(), unique.keys(), loc="best")
    ax.set_title("Targets: fit (blue) and validation (red)")
    found["targets"] = fig

    trials = calibration.trials
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(trials["trial"], trials["loss"], "o", color="C0", alpha=0.5, label="fit loss")
    ax.plot(trials["trial"], trials["loss"].cummin(), color="C0", label="best so far")
    ax.plot(trials["trial"], trials["validation_loss"], "x", color="C3", alpha=0.5, label="validation loss")
    ax.set_yscale("log")
    ax.set_xlabel("candidate")
    ax.set_ylabel("RMS log error")
    ax.legend()
    ax.set_title("Search history")
    found["search"] = fig

    knobs = calibration.knobs
    fig, axes = plt.subplots(1, len(knobs), figsize=(3.2 * len(knobs), 3.2), sharey=True, squeeze=False)
    for ax, knob in zip(axes[0], knobs, strict=True):
        ax.scatter(trials[knob.path], trials["loss"], s=12, alpha=0.6)
        ax.axvline(calibration.best[knob.path], color="black", linewidth=0.8)
        ax.set_xscale("log" if knob.log else "linear")
        ticks = [float(f"{x:.2g}") for x in np.geomspace(knob.low, knob.high, 4)]
        ax.set_xticks(ticks, [f"{x:g}" for x in ticks])
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_yscale("log")
        ax.set_xlabel(knob.path.replace("demand.requests_per_week.", "requests/wk: "), fontsize=8)
    axes[0][0].set_ylabel("fit loss")
    fig.suptitle("Loss against each parameter (a flat cloud: the targets do not pin it down)")
    fig.tight_layout()
    found["identifiability"] = fig

    annual = calibration.annual
    if not annual.empty:
        fig, ax = plt.subplots(figsize=(8, 4))
        categories = [c for c in annual.columns if c not in ("replicate", "year")]
        for k, category in enumerate(categories):
            wide = annual.pivot(index="year", columns="replicate", values=category)
            ax.plot(wide.index, wide.values, color=f"C{k}", alpha=0.3, linewidth=0.8)
            ax.plot(wide.index, wide.mean(axis=1), color=f"C{k}", label=category)
        for year, label in ((1954.78, "1954 agreement"), (1960.55, "July 1960")):
            ax.axvline(year, color="grey", linestyle=":")
            ax.text(year, ax.get_ylim()[1] * 0.95, label, fontsize=8, ha="right", rotation=90, va="top")
        ax.set_xlabel("year shipped")
        ax.set_ylabel("sets supplied")
        ax.legend(fontsize=8)
        ax.set_title("Annual supply in the calibrated scenario (thin: replicates)")
        found["annual_supply"] = fig
        found["plans"] = _plans_figure(annual)
    return found


#: The record's totals per Five-Year Plan (history:sets_total_1953_57_derived, history:sets_total_1958_62).
PLAN_RECORD = (((1953, 1957), 19_671, "sets_total_1953_57_derived"), ((1958, 1962), 60_329, "sets_total_1958_62"))


def _plans_figure(annual: pd.DataFrame) -> Figure:
    """All-category supply per year: replicates as a band, the record's per-plan yearly average as a band."""
    import matplotlib.pyplot as plt

    categories = [c for c in annual.columns if c not in ("replicate", "year")]
    total = annual.assign(total=annual[categories].sum(axis=1)).pivot(index="year", columns="replicate", values="total")
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.fill_between(total.index, total.min(axis=1), total.max(axis=1), color="C0", alpha=0.3, label="replicates")
    ax.plot(total.index, total.mean(axis=1), color="C0", label="model, mean")
    for (first, last), sets, row in PLAN_RECORD:
        mean = sets / (last - first + 1)
        ax.fill_between([first - 0.5, last + 0.5], mean * 0.85, mean * 1.15, color="C1", alpha=0.25)
        ax.hlines(mean, first - 0.5, last + 0.5, color="C1", label=f"record {first}-{last}: {sets:,} / 5 (±15 %)")
        ax.text(first - 0.4, mean * 1.17, f"history:{row}", fontsize=7, color="C1")
    ax.set_xlabel("year shipped")
    ax.set_ylabel("sets supplied, all categories")
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title("Supply per year against the record's per-plan averages")
    return fig


def _readings(calibration: Calibration) -> pd.DataFrame:
    """Per-plan totals counted on shipment and on delivery, and norms with or without standards, beside the record."""
    import pandas as pd

    final = calibration.final
    rows = [
        ("1953-57, counted when shipped", "shipped:1953_1957", 19_671),
        ("1953-57, counted when delivered", "delivered:1953_1957", 19_671),
        ("1958-62, counted when shipped", "shipped:1958_1962", 60_329),
        ("1958-62, counted when delivered", "delivered:1958_1962", 60_329),
        ("sectoral documentation as norms", "norms", 28_982),
        ("sectoral documentation as norms and standards", "norms+standards", 28_982),
    ]
    present = [(label, key, record) for label, key, record in rows if key in final]
    return pd.DataFrame(
        {
            "record": [record for _, _, record in present],
            "model_mean": [float(final[key].mean()) for _, key, _ in present],
        },
        index=pd.Index([label for label, _, _ in present], name="figure"),
    )


def _markdown(frame: pd.DataFrame, floats: str = "{:,.0f}") -> str:
    """A DataFrame as a Markdown table (no extra dependency)."""
    columns = [frame.index.name or "", *frame.columns]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for index, row in frame.iterrows():
        cells = [str(index)]
        for value in row:
            if isinstance(value, float):
                cells.append("n/a" if math.isnan(value) else floats.format(value))
            else:
                cells.append(str(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown_report(calibration: Calibration) -> str:
    """The report in Markdown: settings, parameters, fit table, errors, plots."""
    settings = calibration.settings
    table = fit_table(calibration)
    shown = table[["role", "reliability", "record", "model_mean", "model_sd", "model_min", "model_max"]].copy()
    shown["error"] = table["error"].map(lambda e: f"{e:+.1%}")
    errors = error_table(calibration).copy()
    errors["rms_log_error"] = errors["rms_log_error"].map(lambda e: f"{e:.3f}")
    errors["mean_abs_error"] = errors["mean_abs_error"].map(lambda e: f"{e:.1%}")
    params = [
        f"| {k.path} | {k.low:g} to {k.high:g} | {_base_value_path(calibration, k.path)} "
        f"| {calibration.best[k.path]:g} |"
        for k in calibration.knobs
    ]
    return "\n".join(
        [
            f"# Calibration of {calibration.base.name}",
            "",
            f"Optuna search of {settings['budget']} candidates x {settings['replicates']} replicates "
            f"(seed {settings['seed']}, {settings['workers']} worker(s), {settings['seconds']} s); the best candidate "
            f"re-run with {settings['final_replicates']} fresh seeds. Sampler: {settings['sampler']}.",
            "",
            "## Parameters",
            "",
            "| parameter | range searched | base | calibrated |",
            "|---|---|---|---|",
            *params,
            "",
            "## Targets (fresh-seed replicates of the calibrated scenario)",
            "",
            _markdown(shown),
            "",
            "## Errors, fit and validation apart",
            "",
            _markdown(errors),
            "",
            "![targets](plots/targets.png) ![search](plots/search.png)",
            "![identifiability](plots/identifiability.png) ![annual](plots/annual_supply.png)",
            "![plans](plots/plans.png)",
            "",
            "## Counting date and category mapping (fresh-seed means)",
            "",
            _markdown(_readings(calibration)),
            "",
        ]
    )


def _base_value_path(calibration: Calibration, path: str) -> str:
    table, _, key = path.rpartition(".")
    return _base_value(calibration, table, key)


def save(calibration: Calibration, directory: str | Path, *, force: bool = False) -> Path:
    """Write everything listed in the module docstring to ``directory``, atomically.

    Raises:
        sim.storage.OutputError: If ``directory`` cannot be written.
    """
    import matplotlib.pyplot as plt

    from sim.storage import atomic_directory

    with atomic_directory(directory, force=force) as tmp:
        fit_table(calibration).to_csv(tmp / "fit.csv")
        error_table(calibration).to_csv(tmp / "errors.csv")
        calibration.trials.to_csv(tmp / "trials.csv", index=False)
        calibration.final.to_csv(tmp / "replicates.csv", index=False)
        calibration.annual.to_csv(tmp / "annual.csv", index=False)
        (tmp / "calibrated.toml").write_text(scenario_toml(calibration), encoding="utf-8")
        (tmp / "settings.json").write_text(json.dumps(calibration.settings, indent=2) + "\n", encoding="utf-8")
        (tmp / "report.md").write_text(markdown_report(calibration), encoding="utf-8")
        (tmp / "plots").mkdir()
        with drawing():
            for name, figure in figures(calibration).items():
                figure.savefig(tmp / "plots" / f"{name}.png", dpi=110, bbox_inches="tight")
                plt.close(figure)
    return Path(directory)
