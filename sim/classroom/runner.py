"""Run the queued submissions, one at a time, in a thread of the server.

One at a time: a run takes about 0.7 s of one core, and the server's other core
keeps serving pages while thirty groups' runs queue (see ``benchmarks/bench_class.py``).
"""

from __future__ import annotations

import threading

from sim.classroom.digest import digest
from sim.classroom.store import ClassStore
from sim.errors import InputError


def run_submission(store: ClassStore, submission_id: int) -> None:
    """Run one stored submission and record its digest, or why it failed."""
    from sim.dashboard.files import read_uploaded
    from sim.model import TechTransferModel

    submission = store.get(submission_id)
    if submission is None or submission.status != "queued":
        return
    try:
        scenario = read_uploaded("submission.toml", submission.scenario_toml.encode("utf-8"))
        model = TechTransferModel(scenario)
        model.run()
        store.finish(submission_id, digest(model.results()))
    except InputError as exc:
        store.fail(submission_id, str(exc))
    except Exception as exc:  # a failed run is shown on the board, and the server goes on
        store.fail(submission_id, f"the run failed: {type(exc).__name__}: {exc}")


class Runner:
    """A daemon thread that runs whatever is queued; :meth:`wake` after adding a submission."""

    def __init__(self, store: ClassStore) -> None:
        self.store = store
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="ziliao-class-runner", daemon=True)

    def start(self) -> Runner:
        """Start the thread (it first runs what a previous server left queued)."""
        self._thread.start()
        self._wake.set()
        return self

    def wake(self) -> None:
        """Say that something was queued."""
        self._wake.set()

    def stop(self) -> None:
        """Stop after the current run."""
        self._stop.set()
        self._wake.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            self._wake.clear()
            for submission_id in self.store.queued():
                if self._stop.is_set():
                    return
                run_submission(self.store, submission_id)

    def drain(self) -> None:
        """Run everything queued in the calling thread (for tests and ``class export``)."""
        for submission_id in self.store.queued():
            run_submission(self.store, submission_id)
