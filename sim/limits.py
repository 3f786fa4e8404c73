"""Documented limits on input, checked before any work is done.

Each limit keeps a mistake in a file (an ``extends`` chain that never ends, tables
nested thousands deep, a title the length of a page, a design of a billion
points) from ending in a crash, a hang or an exhausted machine: the input is
refused with one line that names the file, the key, the value and the limit.
The table of limits is in docs/sweeps.md ("Limits").
"""

from __future__ import annotations

#: Files in one ``extends`` chain, the file itself included.
EXTENDS_DEPTH = 32

#: Tables and arrays nested in one another in a scenario or sweep file.
NESTING_DEPTH = 64

#: Characters of a title, a name or an event label (they are drawn on the plots).
TEXT_LENGTH = 200

#: The most memory a run's or a sweep's estimated results may take, in bytes.
MEMORY_BYTES = 8 * 1024**3

#: The most memory one dashboard session's run may take, in bytes: a class shares one server.
SESSION_MEMORY_BYTES = 1024**3

#: The most runs (points x replicates) one sweep may have.
SWEEP_RUNS = 1_000_000

#: The most processes one machine runs a sweep or a calibration on, per core (``--workers``).
WORKERS_PER_CORE = 4

#: The largest scenario, sweep or targets file read, in bytes (the library's largest is about 10 kB).
FILE_BYTES = 1024**2

#: Bytes a run holds per enterprise and category (the agents and their state; measured about 180).
BYTES_PER_ENTERPRISE_CATEGORY = 256

#: Bytes a run holds per link of the enterprise network while it is built (measured about 62).
BYTES_PER_LINK = 128

#: Bytes a run holds per request (the request, its stages and its ledger row; measured 570-900).
BYTES_PER_REQUEST = 2048

#: Submissions one class board keeps (``python -m sim class``), each a scenario file of at most 200 kB.
CLASS_SUBMISSIONS = 500

#: Submissions one group (by name, any case) may send to a class board.
GROUP_SUBMISSIONS = 20

#: Submissions a class board holds waiting for their run; a full queue refuses new ones for a while.
CLASS_QUEUE = 60


def run_bytes(enterprises: int, categories: int, links: float, requests: float) -> int:
    """Estimated memory of one run: its enterprises by category, their links, and the requests it makes."""
    return int(
        enterprises * categories * BYTES_PER_ENTERPRISE_CATEGORY + links * BYTES_PER_LINK + requests * BYTES_PER_REQUEST
    )


def check_workers(workers: int | None, option: str = "--workers") -> None:
    """Refuse a number of local worker processes below 1 or above :data:`WORKERS_PER_CORE` per core of this machine.

    Each worker is a Python process with the model's libraries (about 150 MB before a run);
    thousands of them would exhaust the machine rather than speed anything up.

    Raises:
        UsageError: Naming the option, the value, the cores and what is allowed.
    """
    import os

    from sim.errors import UsageError

    if workers is None:
        return
    cores = os.cpu_count() or 1
    most = WORKERS_PER_CORE * cores
    if not 1 <= workers <= most:
        raise UsageError(
            f"{option} {workers}: give 1 to {most} ({WORKERS_PER_CORE} per core; this machine has {cores}); "
            "for more, run on a Dask cluster with --scheduler"
        )


def check_runs(runs: int, what: str) -> None:
    """Refuse more than :data:`SWEEP_RUNS` runs, ``what`` saying how they come about.

    Raises:
        TooLargeError: Naming ``what``, the runs and the limit.
    """
    from sim.errors import TooLargeError

    if runs > SWEEP_RUNS:
        raise TooLargeError(f"{what} = {runs:,} runs; the limit is {SWEEP_RUNS:,} runs (sim/limits.py)")


def gib(n: float) -> str:
    """``n`` bytes in GiB, for messages."""
    return f"{n / 1024**3:,.1f} GiB"
