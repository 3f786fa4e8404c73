"""Reading a sweep: each figure against each parameter, and sensitivity indices (SALib).

``python -m sim analyze DIR --out DIR2`` writes ``plots/<figure>__<parameter>.png``
(replicate bands), and for ``sobol`` and ``morris`` designs ``sobol_<figure>.csv``
(S1, S1_conf, ST, ST_conf) or ``morris_<figure>.csv`` (mu, mu_star, mu_star_conf,
sigma) with a bar plot of each.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import AnalysisError
from sim.sweep.design import problem, sample_unit
from sim.sweep.store import SweepResults

#: Bootstrap resamples and confidence level of the SALib indices.
RESAMPLES = 200
CONFIDENCE = 0.95


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
        spec.design.method, names, bounds, spec.design.sample_size, seed=spec.seed, levels=spec.design.levels
    )
    y = point_means(results, figure).to_numpy(dtype=float)
    if np.isnan(y).any():
        raise AnalysisError(f"figure {figure!r} is missing (n/a) at some points; indices need a value at every point")
    return compute_indices(spec.design.method, names, bounds, x, y, seed=spec.seed, levels=spec.design.levels)


def figures_of(results: SweepResults) -> list[str]:
    """The numeric summary figures a sweep kept."""
    skip = {"run_id", "point", "replicate", "seed", *results.spec.names}
    return [c for c in results.summary.columns if c not in skip and pd.api.types.is_numeric_dtype(results.summary[c])]


def response_figure(results: SweepResults, figure: str, parameter: str):  # noqa: ANN201 - a matplotlib Figure
    """``figure`` against ``parameter``: the mean over runs with a 5-95 % band of replicates and other parameters."""
    import matplotlib

    matplotlib.use("Agg", force=False)
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

    unit = field_at(parameter).get("unit")
    return f"{parameter} ({unit})" if unit else parameter


def analyze(results: SweepResults, out: str | Path, *, force: bool = False) -> Path:
    """Write plots and (for sobol and morris designs) index tables of a sweep to ``out``, atomically.

    Raises:
        sim.errors.OutputError: If ``out`` cannot be written.
        sim.errors.AnalysisError: If indices are asked of an unfinished sweep.
    """
    import matplotlib.pyplot as plt

    from sim.storage import atomic_directory

    figures = figures_of(results)
    method = results.spec.design.method
    with atomic_directory(out, force=force) as tmp:
        (tmp / "plots").mkdir()
        for figure in figures:
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
                fig = _index_bars(table, method, figure)
                fig.savefig(tmp / "plots" / f"{method}_{figure}.png", dpi=100)
                plt.close(fig)
    return Path(out)


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
