"""Reading a sweep: each figure against each parameter, and sensitivity indices (SALib).

``python -m sim analyze DIR --out DIR2`` writes ``plots/<figure>__<parameter>.png``
(replicate bands) and, for every design, ``points_<figure>.csv`` (each point's
parameters with the mean, standard deviation and 5-95 % range of its replicates);
for ``sobol`` and ``morris`` designs also ``sobol_<figure>.csv`` (S1, S1_conf, ST,
ST_conf) or ``morris_<figure>.csv`` (mu, mu_star, mu_star_conf, sigma) with a bar
plot of each, and ``warnings.txt`` when a design is too small to trust its
indices (an interval wider than its index, S1 above 1 or below 0), naming the size
that would do.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sim.drawing import drawing
from sim.errors import AnalysisError
from sim.sweep.design import problem, sample_unit
from sim.sweep.store import SweepResults

#: Bootstrap resamples and confidence level of the SALib indices.
RESAMPLES = 200
CONFIDENCE = 0.95

#: The half-width of interval a design is sized for, when it is too small: Sobol' indices (shares of
#: variance) and Morris mu* (as a share of the largest mu*).
TARGET_HALF_WIDTH = 0.1


def compute_indices(
    method: str,
    names: Sequence[str],
    bounds: Sequence[tuple[float, float]],
    x: np.ndarray,
    y: np.ndarray,
    *,
    seed: int,
    levels: int = 4,
) -> pd.DataFrame:
    """Sensitivity indices of ``y`` (one value per design point, in design order), one row per parameter.

    Args:
        method: ``sobol`` (first-order and total, Saltelli sample) or ``morris``.
        names: Parameters, in design order.
        bounds: Their ranges.
        x: The design points (needed by Morris).
        y: The output at each point.
        seed: Seed of the bootstrap.
        levels: Morris levels of the design.
    """
    spec = problem(names, bounds)
    if method == "sobol":
        from SALib.analyze import sobol

        found = sobol.analyze(
            spec, y, calc_second_order=False, num_resamples=RESAMPLES, conf_level=CONFIDENCE, seed=seed
        )
        columns = ["S1", "S1_conf", "ST", "ST_conf"]
    elif method == "morris":
        from SALib.analyze import morris

        found = morris.analyze(spec, x, y, num_resamples=RESAMPLES, conf_level=CONFIDENCE, num_levels=levels, seed=seed)
        columns = ["mu", "mu_star", "mu_star_conf", "sigma"]
    else:
        raise AnalysisError(f"sensitivity indices need a sobol or morris design, not {method!r}")
    table = pd.DataFrame(
        {c: np.asarray(found[c], dtype=float) for c in columns}, index=pd.Index(names, name="parameter")
    )
    return table


def point_means(results: SweepResults, figure: str) -> pd.Series:
    """The figure averaged over replicates at each design point, in point order.

    Raises:
        AnalysisError: If a run is not done (indices need every point) or the figure was not kept.
    """
    if figure not in results.summary.columns:
        kept = [
            c for c in results.summary.columns if c not in {"run_id", "point", "replicate", "seed", *results.spec.names}
        ]
        raise AnalysisError(f"figure {figure!r} was not kept by this sweep; kept: {', '.join(kept)}")
    missing = results.manifest[results.manifest["status"] != "done"]
    if len(missing):
        raise AnalysisError(
            f"{len(missing)} runs are not done ({', '.join(missing['run_id'].head(5))}...); finish them with --resume"
        )
    return results.summary.groupby("point")[figure].mean().sort_index()


def sensitivity(results: SweepResults, figure: str) -> pd.DataFrame:
    """Sobol' (S1, S1_conf, ST, ST_conf) or Morris (mu, mu_star, mu_star_conf, sigma) indices of ``figure``.

    Replicates are averaged at each point before the indices are computed; the
    design is drawn again from the sweep file (it is seeded), so the points are
    the unrounded ones SALib expects.
    """
    spec = results.spec
    names = spec.names
    bounds = spec.bounds
    x = sample_unit(
        spec.design.method, names, bounds, spec.design.sample_size, seed=spec.seed, levels=spec.design.morris_levels
    )
    y = point_means(results, figure).to_numpy(dtype=float)
    if np.isnan(y).any():
        raise AnalysisError(f"figure {figure!r} is missing (n/a) at some points; indices need a value at every point")
    return compute_indices(spec.design.method, names, bounds, x, y, seed=spec.seed, levels=spec.design.morris_levels)


def design_warnings(table: pd.DataFrame, method: str, figure: str, samples: int, parameters: int) -> list[str]:
    """Lines saying why ``table``'s indices cannot be trusted and what design size would do; none if they can.

    An index is suspect when it is above 1, below 0 by more than its interval, or
    its interval is wider than both the index and the target half-width (a tiny
    index known to ±0.02 is not). Intervals shrink as one over the square root of the design's size, so the
    size asked for is the current one scaled by ``(widest interval / target)²``
    (a power of 2 for Sobol').

    Args:
        table: Indices from :func:`compute_indices`.
        method: ``sobol`` or ``morris``.
        figure: The figure the indices are of (named in the lines).
        samples: The design's ``samples`` (Sobol' base samples N, Morris trajectories r).
        parameters: Varied parameters k.
    """
    problems = []
    if method == "sobol":
        for name, row in table.iterrows():
            for index in ("S1", "ST"):
                value, conf = row[index], row[f"{index}_conf"]
                wide = conf > abs(value) and conf > TARGET_HALF_WIDTH
                if wide or value > 1 or value + conf < 0:
                    problems.append(f"{index}({name}) = {value:.2f} ± {conf:.2f}")
        widest = float(table[["S1_conf", "ST_conf"]].max().max())
        scale = TARGET_HALF_WIDTH
    else:
        for name, row in table.iterrows():
            top = max(float(table["mu_star"].abs().max()), 1e-12)
            if row["mu_star_conf"] > abs(row["mu_star"]) and row["mu_star_conf"] > TARGET_HALF_WIDTH * top:
                problems.append(f"mu*({name}) = {row['mu_star']:.3g} ± {row['mu_star_conf']:.3g}")
        widest = float(table["mu_star_conf"].max())
        scale = TARGET_HALF_WIDTH * max(float(table["mu_star"].abs().max()), 1e-12)
    if not problems:
        return []
    needed = max(2 * samples, int(np.ceil(samples * (widest / scale) ** 2)))
    if method == "sobol":
        needed = 1 << (needed - 1).bit_length()
        runs = needed * (parameters + 2)
    else:
        runs = needed * (parameters + 1)
    shown = "; ".join(problems[:4]) + ("; ..." if len(problems) > 4 else "")
    return [
        f"{figure}: the {method} design is too small to trust these indices ({shown}; {CONFIDENCE:.0%} intervals); "
        f"intervals of ±{TARGET_HALF_WIDTH:g}{'' if method == 'sobol' else ' of the largest mu*'} need about "
        f"samples = {needed} in [design] ({runs} points per replicate)"
    ]


def point_table(results: SweepResults, figure: str) -> pd.DataFrame:
    """Each design point's parameters and the mean, spread and 5-95 % range of ``figure`` over its replicates."""
    columns = ["point", *results.spec.names]
    grouped = results.summary.groupby(columns)[figure]
    table = grouped.agg(runs="count", mean="mean", std="std")
    table["q05"] = grouped.quantile(0.05)
    table["q95"] = grouped.quantile(0.95)
    return table.reset_index().set_index("point")


def figures_of(results: SweepResults) -> list[str]:
    """The numeric summary figures a sweep kept."""
    skip = {"run_id", "point", "replicate", "seed", *results.spec.names}
    return [c for c in results.summary.columns if c not in skip and pd.api.types.is_numeric_dtype(results.summary[c])]


@drawing()
def response_figure(results: SweepResults, figure: str, parameter: str):  # noqa: ANN201 - a matplotlib Figure
    """``figure`` against ``parameter``: the mean over runs with a 5-95 % band of replicates and other parameters."""
    import matplotlib.pyplot as plt

    frame = results.summary[[parameter, figure]].dropna()
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    values = frame[parameter]
    if values.nunique() > 12:
        bins = pd.qcut(values, 10, duplicates="drop")
        grouped = frame.groupby(bins, observed=True)
        centre = grouped[parameter].mean()
        ax.scatter(values, frame[figure], s=6, alpha=0.3, color="0.4", label="runs")
    else:
        grouped = frame.groupby(parameter)
        centre = pd.Series(sorted(values.unique()), index=sorted(values.unique()))
    mean = grouped[figure].mean().to_numpy()
    low = grouped[figure].quantile(0.05).to_numpy()
    high = grouped[figure].quantile(0.95).to_numpy()
    ax.fill_between(centre.to_numpy(dtype=float), low, high, alpha=0.25, color="C0", label="5-95 % of runs")
    ax.plot(centre.to_numpy(dtype=float), mean, marker="o", color="C0", label="mean")
    ax.set_xlabel(_label(parameter))
    ax.set_ylabel(figure.replace("_", " "))
    ax.set_title(f"{figure.replace('_', ' ')} against {parameter}\n{results.spec.title}", fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    return fig


def _label(parameter: str) -> str:
    from sim.params import field_at
    from sim.scenario import schema_path

    unit = field_at(schema_path(parameter)).get("unit")
    return f"{parameter} ({unit})" if unit else parameter


def analyze(results: SweepResults, out: str | Path, *, force: bool = False) -> list[str]:
    """Write plots, point tables and (for sobol and morris designs) index tables of a sweep to ``out``, atomically.

    Returns:
        Warnings about designs too small to trust their indices (also in ``warnings.txt``).

    Raises:
        sim.errors.OutputError: If ``out`` cannot be written.
        sim.errors.AnalysisError: If no run is done, or indices are asked of an unfinished sweep.
    """
    import matplotlib.pyplot as plt

    from sim.storage import atomic_directory

    if not (results.manifest["status"] == "done").any():
        raise AnalysisError("no run is done, so there is nothing to analyse; finish the sweep with `sweep --resume`")
    figures = figures_of(results)
    method = results.spec.design.method
    warnings: list[str] = []
    with atomic_directory(out, force=force) as tmp, drawing():
        (tmp / "plots").mkdir()
        for figure in figures:
            point_table(results, figure).to_csv(tmp / f"points_{figure}.csv")
            for parameter in results.spec.names:
                fig = response_figure(results, figure, parameter)
                fig.savefig(tmp / "plots" / f"{figure}__{parameter}.png", dpi=100)
                plt.close(fig)
            if method in {"sobol", "morris"}:
                try:
                    table = sensitivity(results, figure)
                except AnalysisError:
                    if results.summary[figure].isna().all():
                        continue
                    raise
                table.to_csv(tmp / f"{method}_{figure}.csv")
                warnings += design_warnings(
                    table, method, figure, results.spec.design.sample_size, len(results.spec.names)
                )
                fig = _index_bars(table, method, figure)
                fig.savefig(tmp / "plots" / f"{method}_{figure}.png", dpi=100)
                plt.close(fig)
        if warnings:
            (tmp / "warnings.txt").write_text("\n".join(warnings) + "\n", encoding="utf-8")
    return warnings


@drawing()
def _index_bars(table: pd.DataFrame, method: str, figure: str):  # noqa: ANN202 - a matplotlib Figure
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * len(table)), layout="constrained")
    y = np.arange(len(table))
    if method == "sobol":
        ax.barh(y - 0.2, table["S1"], 0.4, xerr=table["S1_conf"], label="first order (S1)")
        ax.barh(y + 0.2, table["ST"], 0.4, xerr=table["ST_conf"], label="total (ST)")
        ax.set_xlabel(f"Sobol' index (share of variance; bars: {CONFIDENCE:.0%} confidence)")
    else:
        ax.barh(y - 0.2, table["mu_star"], 0.4, xerr=table["mu_star_conf"], label="mu*")
        ax.barh(y + 0.2, table["sigma"], 0.4, label="sigma")
        ax.set_xlabel(f"Morris elementary effects (units of {figure})")
    ax.set_yticks(y, table.index)
    ax.invert_yaxis()
    ax.set_title(f"Sensitivity of {figure.replace('_', ' ')}", fontsize=10)
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3, axis="x")
    return fig
