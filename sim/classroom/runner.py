"""Run the queued submissions, one at a time, in a worker process beside the server.

The server runs every submission itself: what a browser or a notebook sends is a
scenario file, never results. A run is about a second of one core, all of it
Python holding the GIL, so a run in a thread of the server competes with the pages
for the server's one interpreter. Measured with ``benchmarks/bench_class.py``
(thirty groups handing in within ten seconds, the teacher's page and ten groups'
pages open, two cores shared with other work; two soaks each way): with the runs in
a thread, a click on the teacher's page took a median 0.99 s to answer (both soaks)
and the thirty runs 65-70 s; with the runs in one worker process, 0.38-0.56 s and
47-54 s, for about 200 MiB more memory (615 MiB in all). The slowest of the thirty
to show on the teacher's board: 1.3 and 2.4 s with a process, 1.6 and 1.8 s with a
thread, no clear difference. So the runs go to a process pool of one worker: one run
at a time, the queue's order kept, the server's interpreter left to the pages.

The worker only computes (:func:`digest_of`: scenario text in, digest out); the
server's dispatcher thread writes the store, so every write happens in one
process. A worker that dies (killed, out of memory) fails the run it had and is
replaced; the board goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Literal

from sim.classroom.store import ClassStore
from sim.errors import InputError

Where = Literal["process", "thread"]
#: Seconds between a worker's looks at whether its server is still there.
WATCH_S = 1.0


def digest_of(scenario_toml: str) -> tuple[str, Any]:
    """Run a stored scenario file to its end: ``("done", digest)`` or ``("failed", message)``.

    Runs in the worker process; takes and returns plain data only.
    """
    from sim.classroom.digest import digest
    from sim.classroom.submission import ORIGIN
    from sim.dashboard.files import read_uploaded
    from sim.model import TechTransferModel

    try:
        model = TechTransferModel(read_uploaded(ORIGIN, scenario_toml.encode("utf-8")))
        model.run()
        return "done", digest(model.results())
    except InputError as exc:
        return "failed", str(exc)
    except Exception as exc:  # a failed run is shown on the board, and the server goes on
        return "failed", f"the run failed: {type(exc).__name__}: {exc}"


def _worker_starts(server: int) -> None:
    """In the worker: leave the server's process group, and leave this world with the server.

    Its own session: the Ctrl-C or SIGTERM that stops the server must not kill the run
    under way, which would be recorded as failed (it stays queued for the next start).
    Its watch: a worker whose server died without stopping it (SIGKILL) exits too.
    """
    os.setsid()
    threading.Thread(target=_watch, args=(server,), name="ziliao-class-watch", daemon=True).start()


def _watch(server: int) -> None:
    while os.getppid() == server:
        time.sleep(WATCH_S)
    os._exit(0)


def _executor(where: Where) -> Executor:
    if where == "thread":
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="ziliao-class-run")
    # spawn: the server has threads (fork() of a threaded process can deadlock), and the worker
    # is the server's own child, so that it can tell when the server is gone.
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_worker_starts, initargs=(os.getpid(),))


class Runner:
    """A dispatcher thread that runs whatever is queued, oldest first; :meth:`wake` after adding a submission.

    Args:
        store: The class's store.
        where: ``"process"`` (the server's way) or ``"thread"`` (kept to measure the difference).
    """

    def __init__(self, store: ClassStore, where: Where = "process") -> None:
        self.store = store
        self.where = where
        self.running: int | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="ziliao-class-dispatch", daemon=True)
        self._executor: Executor | None = None

    def start(self) -> Runner:
        """Start the worker and the thread; it first runs what a previous server left queued."""
        self._executor = _executor(self.where)
        self._thread.start()
        self._wake.set()
        return self

    def wake(self) -> None:
        """Say that something was queued."""
        self._wake.set()

    def stop(self) -> None:
        """Stop after the current run (a submission it cuts short stays queued, for the next start)."""
        self._stop.set()
        self._wake.set()
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            self._wake.clear()
            for submission_id in self.store.queued():
                if self._stop.is_set():
                    return
                self._run(submission_id)

    def _run(self, submission_id: int) -> None:
        submission = self.store.get(submission_id)
        if submission is None or submission.status != "queued":
            return
        assert self._executor is not None
        self.running = submission_id
        try:
            outcome, value = self._executor.submit(digest_of, submission.scenario_toml).result()
        except BrokenProcessPool:
            if self._stop.is_set():
                return
            self._executor = _executor(self.where)
            outcome, value = "failed", "the run's worker process died (out of memory?); the board goes on"
        except RuntimeError:  # the executor was shut down: the server is stopping
            return
        finally:
            self.running = None
        if self.store.get(submission_id) is None:  # deleted while it ran
            return
        if outcome == "done":
            self.store.finish(submission_id, value)
        else:
            self.store.fail(submission_id, value)

    def drain(self) -> None:
        """Run everything queued in the calling thread (``class export`` with no server running)."""
        for submission_id in self.store.queued():
            outcome, value = digest_of(self.store.get(submission_id).scenario_toml)  # type: ignore[union-attr]
            self.store.finish(submission_id, value) if outcome == "done" else self.store.fail(submission_id, value)
