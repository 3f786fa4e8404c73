"""Stochastic calibration: Optuna searches parameter values whose replicate means match the fit targets.

Each candidate (a value for every :class:`Knob`) is run with the same ``R``
replicate seeds (common random numbers, so candidates differ by their values,
not their noise), each run stopping at the last day any target needs. Its loss is
the root mean square of ``log((1 + model mean) / (1 + record))`` over the ``fit``
targets; ``validate`` targets are measured but never enter the loss.

Optuna's TPE sampler is seeded and asked for candidates in rounds of a fixed
size (:data:`ROUND`), whatever the number of worker processes, so the same
settings give the same search, trial for trial. Runs go to a process pool
(:mod:`concurrent.futures`) or a Dask cluster (``scheduler=``, the executors of
sweeps); with one worker they run in this process. With ``storage=`` the study
lives in an SQLite file (Optuna's RDB storage), each finished candidate with its
row of the history, so a killed calibration continues with ``resume=True``: the
finished candidates are kept and only the rest are run (a resumed search asks
the sampler afresh, so its later candidates differ from an uninterrupted one's). The best
candidate, its values rounded to four significant figures, is then run again
with fresh seeds (never seen by the search), and those runs are what the report
shows.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import DiskFullError, UsageError
from sim.streams import replicate_seeds

if TYPE_CHECKING:
    import pandas as pd

    from sim.calibration.targets import Target
    from sim.results import Results
    from sim.scenario import Scenario

#: Candidates asked of the sampler at a time (fixed, so results do not depend on the number of workers).
ROUND = 4

#: Fresh-seed replicates of the best candidate, at least.
MIN_FINAL_REPLICATES = 5


@dataclass(frozen=True)
class Knob:
    """A parameter the calibration may move.

    Attributes:
        path: Parameter path (``office.requests_per_staff_week``) or one cell of
            a per-category table (``demand.requests_per_week.blueprints``).
        low: Smallest value tried.
        high: Largest value tried.
        log: Search on a log scale.
        integer: The parameter takes whole numbers.
    """

    path: str
    low: float
    high: float
    log: bool = True
    integer: bool = False


#: What the historical calibration moves, within about a quarter of the baseline's hand-set values: the plan's
#: demand for designs and drawings, the key projects' requests for drawings and the research items' requests
#: for norms. Standards and operating procedures keep the baseline's demand: their totals validate the fit
#: (docs/validation.md says which figures are fitted and what the record cannot tell apart).
HISTORY_KNOBS: tuple[Knob, ...] = (
    Knob("demand.requests_per_week.typical_designs", 9.0, 15.0),
    Knob("demand.requests_per_week.blueprints", 9.0, 15.0),
    Knob("projects.requests_per_project_week.blueprints", 0.005, 0.02),
    Knob("research.requests_per_item_week.norms", 0.3, 0.6),
)


@dataclass(frozen=True)
class Run:
    """What one run reports back: target values and annual sets supplied by category."""

    measures: dict[str, float]
    annual: dict[int, dict[str, int]] = field(default_factory=dict)
    by_plan: dict[str, int] = field(default_factory=dict)


def read_value(scenario: Scenario, path: str) -> float:
    """The value of ``path`` in ``scenario``."""
    node: Any = scenario
    for part in path.split("."):
        node = getattr(node, part)
    return float(node)


def check_knobs(scenario: Scenario, knobs: Sequence[Knob]) -> None:
    """Refuse knobs that name nothing, or whose range the schema does not allow.

    Raises:
        UsageError: Naming the knob, its range and what is allowed.
    """
    from sim.params import field_at

    for knob in knobs:
        try:
            extra = field_at(knob.path)
            read_value(scenario, knob.path)
        except (KeyError, AttributeError, TypeError) as exc:
            raise UsageError(f"knob {knob.path}: names no single parameter ({exc})") from None
        ge, le = extra.get("ge"), extra.get("le")
        if not knob.low < knob.high or (ge is not None and knob.low < ge) or (le is not None and knob.high > le):
            raise UsageError(
                f"knob {knob.path}: range {knob.low:g} to {knob.high:g} is not allowed; the schema allows {ge} to {le}"
            )


def check_settings(
    budget: int, replicates: int, workers: int | None, scheduler: str | None = None, seed: int | None = None
) -> None:
    """Refuse settings that cannot be run, before anything is made.

    A budget or replicate count below 1, a seed out of range, a worker count the machine cannot hold, more runs
    in all than a sweep may have, or a scheduler address no Dask transport can use.

    Raises:
        UsageError: Naming the option and its value.
        TooLargeError: If the budget's runs (with the final ones) exceed :data:`sim.limits.SWEEP_RUNS`.
    """
    from sim.limits import check_runs, check_workers
    from sim.sweep.runner import check_scheduler

    for name, value in (("--budget", budget), ("--replicates", replicates)):
        if value < 1:
            raise UsageError(f"{name} {value}: must be 1 or more")
    if seed is not None and not 0 <= seed < 2**63:
        raise UsageError(f"--seed {seed}: give a whole number from 0 to {2**63 - 1}")
    check_workers(workers)
    runs = budget * replicates + max(replicates, MIN_FINAL_REPLICATES)
    check_runs(runs, f"--budget {budget:,} candidates x --replicates {replicates:,} (and the final runs)")
    if scheduler is not None:
        check_scheduler(scheduler)


def apply(scenario: Scenario, values: Mapping[str, float]) -> Scenario:
    """``scenario`` with the knob values set.

    A knob sets the value in force from the start; where a dated event sets the same
    parameter later (the standards' demand from 1958), the event still applies
    (``events="keep"``, docs/sweeps.md), so the knob is the value before it.
    """
    return scenario.with_overrides(dict(values), origin="calibration", events="keep")


def round_values(values: Mapping[str, float], knobs: Sequence[Knob]) -> dict[str, float]:
    """Knob values rounded as written to a scenario file: whole numbers, or four significant figures."""
    integer = {k.path for k in knobs if k.integer}
    return {p: round(v) if p in integer else float(f"{v:.4g}") for p, v in values.items()}


def run_once(
    scenario: Scenario, values: Mapping[str, float], seed: int, targets: Sequence[Target], annual: bool = False
) -> Run:
    """Run ``scenario`` with ``values`` and ``seed`` until the targets' horizon; measure the targets.

    A top-level function so that worker processes can run it.
    """
    from sim.calibration.targets import horizon, measure_all
    from sim.catalog import CATEGORIES
    from sim.model import TechTransferModel

    configured = apply(scenario, values)
    model = TechTransferModel(configured, rng=seed)
    model.run_until(min(horizon(targets), configured.time.end))
    results = model.results()
    by_year: dict[int, dict[str, int]] = {}
    by_plan: dict[str, int] = {}
    if annual:
        by_plan = plan_totals(results)
        shipped = results.ledger.dropna(subset=["shipped"])
        table = shipped.groupby([shipped["shipped"].dt.year, "category"], observed=True)["sets"].sum()
        for (year, category), sets in table.items():
            by_year.setdefault(int(year), dict.fromkeys(CATEGORIES, 0))[str(category)] = int(sets)
    return Run(measure_all(targets, results), by_year, by_plan)


def plan_totals(results: Results) -> dict[str, int]:
    """Sets of each Five-Year Plan counted by shipment and by delivery, and two readings of the categories.

    Keys ``<counted>:<first year>_<last year>``, and ``norms+standards`` beside ``norms``
    for 1953-62 (the record's sectoral documentation mixes norms and sector standards).
    """
    import pandas as pd

    from sim.outputs import PLANS, SUPPLY_WINDOW

    ledger = results.ledger
    found: dict[str, int] = {}

    def within(column: str, window: tuple) -> pd.Series:
        dates = ledger[column]
        return (dates >= pd.Timestamp(window[0])) & (dates < pd.Timestamp(window[1]) + pd.Timedelta(days=1))

    for counted in ("shipped", "delivered"):
        for plan in PLANS:
            found[f"{counted}:{plan[0].year}_{plan[1].year}"] = int(ledger.loc[within(counted, plan), "sets"].sum())
    decade = within("shipped", SUPPLY_WINDOW)
    for name, categories in (("norms", ["norms"]), ("norms+standards", ["norms", "standards"])):
        found[name] = int(ledger.loc[decade & ledger["category"].isin(categories), "sets"].sum())
    return found


def loss(means: Mapping[str, float], targets: Sequence[Target], role: str = "fit") -> float:
    """Root mean square log error of the model means over the targets of ``role``."""
    chosen = [t for t in targets if t.role == role]
    if not chosen:
        return math.nan
    return math.sqrt(sum(math.log((1 + means[t.id]) / (1 + t.value)) ** 2 for t in chosen) / len(chosen))


@dataclass
class Calibration:
    """The outcome of :func:`calibrate`.

    Attributes:
        base: The scenario calibrated.
        targets: Fit and validation targets.
        knobs: The parameters moved.
        settings: budget, replicates, seed, workers, seconds taken.
        trials: One row per candidate: ``trial``, ``loss``, ``validation_loss``,
            each knob's value and each target's replicate mean.
        best: The best candidate's knob values, rounded as in the scenario file.
        final: The best candidate run with fresh seeds: one row per replicate
            (``seed`` and each target's value).
        annual: Sets supplied per year and category in those runs
            (``replicate``, ``year``, one column per category).
    """

    base: Scenario
    targets: list[Target]
    knobs: list[Knob]
    settings: dict[str, Any]
    trials: pd.DataFrame
    best: dict[str, float]
    final: pd.DataFrame
    annual: pd.DataFrame

    @property
    def scenario(self) -> Scenario:
        """The base scenario with the calibrated values."""
        return apply(self.base, self.best)


def _evaluate(
    pool: Executor | None,
    scenario: Scenario,
    candidates: Sequence[Mapping[str, float]],
    seeds: Sequence[int],
    targets: Sequence[Target],
    annual: bool = False,
) -> list[list[Run]]:
    """Run every candidate with every seed; results in candidate then seed order."""
    jobs = [(scenario, dict(c), s, list(targets), annual) for c in candidates for s in seeds]
    if pool is None:
        runs = [run_once(*job) for job in jobs]
    else:
        futures = [pool.submit(run_once, *job) for job in jobs]
        runs = [f.result() for f in futures]
    n = len(seeds)
    return [runs[i * n : (i + 1) * n] for i in range(len(candidates))]


def _means(runs: Sequence[Run], targets: Sequence[Target]) -> dict[str, float]:
    return {t.id: sum(r.measures[t.id] for r in runs) / len(runs) for t in targets}


#: Name of the study in a calibration's SQLite storage.
STUDY_NAME = "ziliao-calibration"


def _fingerprint(base: Scenario, targets: Sequence[Target], knobs: Sequence[Knob], replicates: int, seed: int) -> str:
    """A hash of what a search depends on, kept in the storage so that a resume can check it."""
    import hashlib
    import json
    from dataclasses import asdict

    data = {
        "base": base.as_plain_data(),
        "targets": [{**asdict(t), "start": str(t.start), "end": str(t.end)} for t in targets],
        "knobs": [asdict(k) for k in knobs],
        "replicates": replicates,
        "seed": seed,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _study(storage: str | Path | None, resume: bool, sampler: Any, fingerprint: str) -> tuple[Any, bool]:
    """The Optuna study (in memory, or in the SQLite file ``storage``) and whether it was resumed.

    Raises:
        UsageError: If ``storage`` is not a file an SQLite database can be in, holds a
            calibration and ``resume`` is not given, or holds one of other settings.
        DiskFullError: If the device is full.
    """
    import optuna
    from sqlalchemy.exc import SQLAlchemyError

    if storage is None:
        return optuna.create_study(direction="minimize", sampler=sampler), False
    path = Path(storage)
    _check_storage(path)
    try:
        return _stored_study(path, resume, sampler, fingerprint)
    except SQLAlchemyError as exc:
        if "disk is full" in str(exc):
            raise DiskFullError(path, "the calibration's study could not be written; free some space") from None
        raise UsageError(
            f"--storage {path}: cannot be used as the study's SQLite file ({getattr(exc, 'orig', exc)})"
        ) from None


def _check_storage(path: Path) -> None:
    """Refuse a ``--storage`` that is a folder, in no folder, or a file that is not SQLite."""
    from sim.scenario import not_a_file

    why = not_a_file(path)
    if why == "" and not path.parent.is_dir():
        raise UsageError(f"--storage {path}: folder {path.parent} does not exist")
    if why:
        raise UsageError(f"--storage {path}: {why}")
    if why is None and path.stat().st_size:
        with path.open("rb") as file:
            if file.read(16) != b"SQLite format 3\x00":
                raise UsageError(
                    f"--storage {path}: is not an SQLite file; name a new file, or the one a calibration made"
                )


def _stored_study(path: Path, resume: bool, sampler: Any, fingerprint: str) -> tuple[Any, bool]:
    """:func:`_study` in the SQLite file ``path``."""
    import optuna

    url = f"sqlite:///{path.resolve()}"
    exists = path.exists() and STUDY_NAME in {s.study_name for s in optuna.get_all_study_summaries(url)}
    if exists and not resume:
        raise UsageError(
            f"--storage {path}: holds a calibration already; add --resume to continue it, or --force to start afresh"
        )
    study = optuna.create_study(
        direction="minimize", sampler=sampler, storage=url, study_name=STUDY_NAME, load_if_exists=True
    )
    if exists:
        stored = study.user_attrs.get("fingerprint")
        if stored != fingerprint:
            raise UsageError(
                f"--storage {path}: holds a calibration of other settings (base scenario, targets, knobs, "
                "--replicates or --seed differ); resume it with the same ones, or --force to start afresh"
            )
    else:
        study.set_user_attr("fingerprint", fingerprint)
    return study, exists


def calibrate(
    base: Scenario,
    targets: Sequence[Target],
    *,
    knobs: Sequence[Knob] = HISTORY_KNOBS,
    budget: int = 96,
    replicates: int = 3,
    seed: int = 1952,
    workers: int | None = None,
    scheduler: str | None = None,
    storage: str | Path | None = None,
    resume: bool = False,
    progress: Callable[[int, int, float], None] | None = None,
) -> Calibration:
    """Search knob values whose replicate means best match the fit targets.

    Args:
        base: The scenario to calibrate (its other values stay as they are).
        targets: Targets with role ``fit`` (minimised) and ``validate`` (reported).
        knobs: The parameters to move, with their ranges.
        budget: Candidates to evaluate, the base scenario's own values first.
        replicates: Runs per candidate (the same seeds for every candidate).
        seed: Seeds the sampler and the replicate seeds.
        workers: Processes running the model; ``os.cpu_count()`` by default, 1 runs in this process.
        scheduler: Address of a Dask scheduler to run the candidates on instead.
        storage: An SQLite file holding the study, so that it can be resumed (default: in memory).
        resume: Continue the study in ``storage``: finished candidates are kept.
        progress: Called after each round with (candidates done, budget, best loss so far).

    Worker processes are spawned, so a script that calls this with more than one
    worker must do so under ``if __name__ == "__main__":``.

    Returns:
        The search history, the best values and fresh-seed runs of the best candidate.

    Raises:
        UsageError: If budget, replicates or workers is below 1, a knob is not allowed,
            or ``storage`` holds a calibration that cannot be continued as asked.
    """
    import optuna
    import pandas as pd

    from sim.calibration.targets import horizon

    check_settings(budget, replicates, workers, scheduler, seed)
    knobs, targets = list(knobs), list(targets)
    check_knobs(base, knobs)
    largest = apply(base, {k.path: k.high for k in knobs})  # the knobs are demand: the largest run has them high
    largest.check_size(min(horizon(targets), base.time.end), origin=f"{base.name} (the knobs at their highs)")
    workers = workers or os.cpu_count() or 1
    started = time.perf_counter()
    all_seeds = replicate_seeds(seed, replicates + max(replicates, MIN_FINAL_REPLICATES))
    search_seeds, final_seeds = all_seeds[:replicates], all_seeds[replicates:]

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = optuna.samplers.TPESampler(
        seed=seed, multivariate=True, constant_liar=True, n_startup_trials=min(10, max(budget // 3, 1))
    )
    pool = _pool(workers, scheduler)  # first: a scheduler that does not answer leaves no study file behind
    try:
        study, resumed = _study(storage, resume, sampler, _fingerprint(base, targets, knobs, replicates, seed))
    except BaseException:
        if pool is not None:
            pool.shutdown(wait=False)
        raise
    rows: list[dict[str, Any]] = []
    if resumed:
        from optuna.trial import TrialState

        for trial in study.get_trials(deepcopy=False):
            if trial.state == TrialState.COMPLETE and "row" in trial.user_attrs:
                rows.append(trial.user_attrs["row"])
            elif trial.state == TrialState.RUNNING:  # asked before the kill, never told: ask it again
                study.enqueue_trial(trial.params, skip_if_exists=False)
                study.tell(trial.number, state=TrialState.FAIL)
        rows.sort(key=lambda r: r["trial"])
    else:
        start_values = {k.path: read_value(base, k.path) for k in knobs}
        if all(k.low <= start_values[k.path] <= k.high for k in knobs):
            study.enqueue_trial(start_values)

    try:
        while len(rows) < budget:
            asked = [study.ask() for _ in range(min(ROUND, budget - len(rows)))]
            candidates = [
                {
                    k.path: (
                        t.suggest_int(k.path, int(k.low), int(k.high), log=k.log)
                        if k.integer
                        else t.suggest_float(k.path, k.low, k.high, log=k.log)
                    )
                    for k in knobs
                }
                for t in asked
            ]
            for trial, values, runs in zip(
                asked, candidates, _evaluate(pool, base, candidates, search_seeds, targets), strict=True
            ):
                means = _means(runs, targets)
                value = loss(means, targets)
                row = {
                    "trial": trial.number,
                    "loss": value,
                    "validation_loss": loss(means, targets, "validate"),
                    **values,
                    **{f"mean:{k}": v for k, v in means.items()},
                }
                trial.set_user_attr("row", row)
                study.tell(trial, value)
                rows.append(row)
            if progress is not None:
                progress(len(rows), budget, min(r["loss"] for r in rows))
        best = round_values(study.best_params, knobs)
        final_runs = _evaluate(pool, base, [best], final_seeds, targets, annual=True)[0]
    finally:
        if pool is not None:
            pool.shutdown(wait=False)

    final = pd.DataFrame([{"seed": s, **r.measures, **r.by_plan} for s, r in zip(final_seeds, final_runs, strict=True)])
    annual = pd.DataFrame(
        [
            {"replicate": i, "year": year, **sets}
            for i, r in enumerate(final_runs)
            for year, sets in sorted(r.annual.items())
        ]
    )
    settings = {
        "base": base.name,
        "budget": budget,
        "replicates": replicates,
        "final_replicates": len(final_seeds),
        "seed": seed,
        "workers": workers,
        "scheduler": scheduler,
        "storage": None if storage is None else str(storage),
        "resumed": resumed,
        "sampler": f"optuna {optuna.__version__} TPESampler(multivariate=True, constant_liar=True, seed={seed}), "
        f"rounds of {ROUND}",
        "search_seeds": search_seeds,
        "seconds": round(time.perf_counter() - started, 1),
    }
    return Calibration(base, targets, knobs, settings, pd.DataFrame(rows), best, final, annual)


def _pool(workers: int, scheduler: str | None = None) -> Executor | None:
    """The executor of the candidates' runs, as for sweeps.

    The Dask cluster at ``scheduler``, a process pool of ``workers`` (spawned: safe
    beside threads), or None for one worker in this process.

    Raises:
        UsageError: If no Dask scheduler answers at ``scheduler``.
    """
    if scheduler is not None:
        from sim.sweep.runner import connect

        return _DaskExecutor(connect(scheduler))
    if workers <= 1:
        return None
    import multiprocessing

    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


class _DaskExecutor(Executor):
    """A Dask client as a ``concurrent.futures`` executor that closes the client on shutdown."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        return self.client.submit(fn, *args, pure=False, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.client.close()
