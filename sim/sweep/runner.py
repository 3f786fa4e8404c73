"""Running a sweep: in this process, in a local process pool, or on a Dask cluster.

Each run is :func:`run_one` on a plain task (base scenario, overrides, seed, end
date, what to keep), so its outcome depends only on its parameters and seed and is
the same serial, in a pool or on Dask. Workers return outcomes; only this process
writes the store, so Dask workers need the package but no shared disk. A run that
raises is recorded as failed with its traceback and the sweep goes on.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

from sim.errors import DiskFullError
from sim.sweep.spec import SweepSpec, load_sweep_spec
from sim.sweep.store import Store, SweepResults, load_sweep

#: Seconds between writes of the manifest and summary while runs complete.
FLUSH_EVERY = 1.0


def run_one(task: dict[str, Any]) -> dict[str, Any]:
    """Run one point of a sweep and return its outcome (never raises for a failing model).

    Args:
        task: ``run_id``, ``base`` (Scenario), ``overrides``, ``seed``, ``events`` (how
            dated events treat an override, by path; see :meth:`Scenario.with_overrides`), ``until``,
            ``summary`` (figures to keep, None for the headline figures),
            ``timeseries`` (columns to keep) and ``every`` (keep every n-th step).

    Returns:
        ``run_id``, ``status`` (done or failed), ``error`` (a traceback or ""),
        ``seconds``, ``summary`` (dict) and ``timeseries`` (DataFrame or None).
    """
    from sim.model import TechTransferModel
    from sim.outputs import HEADLINE_FIGURES

    started = time.perf_counter()
    try:
        scenario = task["base"].with_overrides(
            {**task["overrides"], "seed": task["seed"]}, origin=task["run_id"], events=task.get("events", {})
        )
        model = TechTransferModel(scenario)
        model.run_until(task["until"])
        results = model.results()
        keep = task["summary"] or HEADLINE_FIGURES
        summary = {name: results.summary.get(name) for name in keep}
        series = None
        if task["timeseries"]:
            series = results.timeseries.iloc[:: task["every"]][list(task["timeseries"])]
    except Exception:
        return {
            "run_id": task["run_id"],
            "status": "failed",
            "error": traceback.format_exc(),
            "seconds": time.perf_counter() - started,
            "summary": {},
            "timeseries": None,
        }
    return {
        "run_id": task["run_id"],
        "status": "done",
        "error": "",
        "seconds": time.perf_counter() - started,
        "summary": summary,
        "timeseries": series,
    }


def tasks(spec: SweepSpec, store: Store) -> Iterator[dict[str, Any]]:
    """The tasks of the runs not yet done, in run order."""
    base = spec.base
    for row in store.pending().to_dict("records"):
        yield {
            "run_id": row["run_id"],
            "base": base,
            "overrides": {name: _plain(row[name]) for name in spec.names},
            "seed": int(row["seed"]),
            "events": spec.event_modes,
            "until": spec.end,
            "summary": spec.keep.summary,
            "timeseries": spec.keep.timeseries,
            "every": spec.keep.every,
        }


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def execute(work: Iterable[dict[str, Any]], *, workers: int, scheduler: Any = None) -> Iterator[dict[str, Any]]:
    """Yield the outcome of every task, in completion order.

    ``workers == 1`` without a scheduler runs in this process; otherwise a local
    process pool of ``workers`` (forkserver), or the Dask cluster at ``scheduler``
    (an address, or a client from :func:`connect`, which is closed at the end).
    At most ``2 * workers`` tasks are in flight, so memory stays flat.
    """
    if scheduler is not None:
        yield from _dask(work, scheduler)
    elif workers == 1:
        for task in work:
            yield run_one(task)
    else:
        yield from _pool(work, workers)


def _pool(work: Iterable[dict[str, Any]], workers: int) -> Iterator[dict[str, Any]]:
    from concurrent.futures.process import BrokenProcessPool

    from sim.errors import ExecutorLostError

    context = multiprocessing.get_context("forkserver")
    pending_tasks = iter(work)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        running = set()
        try:
            for task in pending_tasks:
                running.add(pool.submit(run_one, task))
                if len(running) >= 2 * workers:
                    break
            while running:
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield future.result()
                    following = next(pending_tasks, None)
                    if following is not None:
                        running.add(pool.submit(run_one, following))
        except BrokenProcessPool:
            pool.shutdown(wait=False, cancel_futures=True)
            raise ExecutorLostError(
                "a local worker process died (killed, or out of memory); the runs finished so far are kept; "
                "run the same command with --resume to finish"
            ) from None
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def check_scheduler(address: str) -> None:
    """Refuse, before a store is made, a ``--scheduler`` address that no Dask transport can use.

    Raises:
        UsageError: Naming the address, its scheme and the schemes allowed.
    """
    from distributed.comm import parse_address
    from distributed.comm.registry import backends

    from sim.errors import UsageError

    try:
        scheme, location = parse_address(address)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"--scheduler {address}: not an address ({exc}); write it as tcp://host:8786") from None
    known = sorted(set(backends) - {"inproc"})
    if scheme in known and not location:
        raise UsageError(f"--scheduler {address}: names no host; write it as {scheme}://host:8786")
    if scheme not in known:
        raise UsageError(
            f"--scheduler {address}: scheme {scheme!r} is not one Dask can use; write it as tcp://host:8786 "
            f"(allowed schemes: {', '.join(known)})"
        )


def connect(scheduler: str) -> Any:
    """A Dask client of the scheduler at ``scheduler``, or one line saying why there is none.

    Called before anything is made (a store, a study), so that a wrong address leaves nothing behind.

    Raises:
        UsageError: If no Dask transport can use the address, or no scheduler answers there within 20 s.
    """
    from distributed import Client

    from sim.errors import UsageError

    check_scheduler(scheduler)
    try:
        return Client(scheduler, timeout="20s")
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        secure = (
            "; a tls:// scheduler needs Dask's TLS settings (docs/sweeps.md)" if scheduler.startswith("tls") else ""
        )
        raise UsageError(f"--scheduler {scheduler}: cannot reach a Dask scheduler there ({exc}){secure}") from None


def _dask(work: Iterable[dict[str, Any]], scheduler: Any) -> Iterator[dict[str, Any]]:
    from concurrent.futures import CancelledError

    from distributed import as_completed
    from distributed.comm.core import CommClosedError
    from distributed.scheduler import KilledWorker

    from sim.errors import ExecutorLostError

    client = connect(scheduler) if isinstance(scheduler, str) else scheduler
    scheduler = client.scheduler.address
    # The client logs its failed reconnections with tracebacks; the loss is reported once, below.
    names = ["distributed", *(n for n in logging.root.manager.loggerDict if n.startswith("distributed."))]
    levels = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        slots = 2 * max(sum(client.nthreads().values()), 1)
        pending_tasks = iter(work)
        futures = as_completed()
        run_ids = {}
        for task in pending_tasks:
            future = client.submit(run_one, task, pure=False)
            run_ids[future.key] = task["run_id"]
            futures.add(future)
            if futures.count() >= slots:
                break
        for future in futures:
            try:
                outcome = future.result()
            except KilledWorker as exc:
                outcome = _lost_run(run_ids[future.key], f"the Dask workers running it died ({exc})")
            yield outcome
            run_ids.pop(future.key, None)
            future.release()
            following = next(pending_tasks, None)
            if following is not None:
                future = client.submit(run_one, following, pure=False)
                run_ids[future.key] = following["run_id"]
                futures.add(future)
    except (CancelledError, CommClosedError, OSError, TimeoutError) as exc:
        raise ExecutorLostError(
            f"--scheduler {scheduler}: lost the Dask scheduler ({type(exc).__name__}); the runs finished so far "
            "are kept; run the same command with --resume to finish"
        ) from None
    finally:
        with contextlib.suppress(Exception):
            client.close(timeout=5)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def _lost_run(run_id: str, reason: str) -> dict[str, Any]:
    """The outcome of a run whose worker died: failed, so that ``--resume`` runs it again."""
    return {"run_id": run_id, "status": "failed", "error": reason, "seconds": 0.0, "summary": {}, "timeseries": None}


def run_sweep(
    spec: str | Path | SweepSpec | dict,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = True,
    on_outcome: Callable[[dict[str, Any]], None] | None = None,
) -> SweepResults:
    """Run a sweep into the store ``out`` and return it as frames.

    Args:
        spec: A sweep file, a mapping with its keys, or a :class:`SweepSpec`.
        out: The store folder (new or empty; or a store to finish with ``resume``).
        workers: Local processes (default: one per core); 1 runs in this process.
        scheduler: Address of a Dask scheduler (``tcp://host:8786``) to run on instead.
        resume: Finish the store in ``out``: only runs not done are run.
        progress: Show a progress bar (runs done, failures, time left).
        on_outcome: Called with each run's outcome as it is recorded.

    Raises:
        sim.scenario.ScenarioError: If the sweep file is invalid.
        sim.storage.OutputError: If ``out`` cannot be used.
        KeyboardInterrupt: After recording every finished run, when interrupted.
        sim.errors.DiskFullError: If the device fills up (the runs recorded before are kept).
    """
    from sim.limits import check_workers

    check_workers(workers, "workers")
    spec = load_sweep_spec(spec)
    client = connect(scheduler) if scheduler is not None else None
    try:
        store = Store.open(out, spec, resume=resume)
    except BaseException:
        if client is not None:
            client.close()
        raise
    workers = workers or os.cpu_count() or 1
    try:
        _run_into(store, spec, workers, client, progress, on_outcome)
    except DiskFullError:
        raise DiskFullError(
            out, "the runs recorded so far are kept; free some space and run the same command with --resume"
        ) from None
    return load_sweep(out)


def _run_into(
    store: Store,
    spec: SweepSpec,
    workers: int,
    scheduler: Any,
    progress: bool,
    on_outcome: Callable[[dict[str, Any]], None] | None,
) -> None:
    """Run the store's pending runs, recording and flushing their outcomes, then compact it."""
    from tqdm import tqdm

    total = len(store.manifest)
    with tqdm(
        total=total, initial=total - len(store.pending()), unit="run", disable=not progress, dynamic_ncols=True
    ) as bar:
        failed = 0
        last_flush = time.monotonic()
        try:
            for outcome in execute(tasks(spec, store), workers=workers, scheduler=scheduler):
                store.record(outcome)
                failed += outcome["status"] == "failed"
                bar.set_postfix(failed=failed, refresh=False)
                bar.update()
                if on_outcome is not None:
                    on_outcome(outcome)
                if time.monotonic() - last_flush >= FLUSH_EVERY:
                    store.flush()
                    last_flush = time.monotonic()
        finally:
            store.flush()
    store.compact()
