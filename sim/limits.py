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

#: Characters of a title or an event label (they are drawn on the plots).
TEXT_LENGTH = 200

#: The most memory a run's or a sweep's estimated results may take, in bytes.
MEMORY_BYTES = 8 * 1024**3

#: The most memory one dashboard session's run may take, in bytes: a class shares one server.
SESSION_MEMORY_BYTES = 1024**3

#: The most runs (points x replicates) one sweep may have.
SWEEP_RUNS = 1_000_000

#: Bytes a run holds per enterprise and category (the agents, their links and state; measured about 180).
BYTES_PER_ENTERPRISE_CATEGORY = 256

#: Bytes a run holds per request (the request, its stages and its ledger row; measured about 1,000).
BYTES_PER_REQUEST = 2048

#: Submissions one class board keeps (``python -m sim class``), each a scenario file of at most 200 kB.
CLASS_SUBMISSIONS = 500

#: Submissions one group (by name, any case) may send to a class board.
GROUP_SUBMISSIONS = 20

#: Submissions a class board holds waiting for their run; a full queue refuses new ones for a while.
CLASS_QUEUE = 60


def run_bytes(enterprises: int, categories: int, requests_per_week: float, weeks: float) -> int:
    """Estimated memory of one run: its enterprises by category, and the requests demand makes over its weeks."""
    return int(enterprises * categories * BYTES_PER_ENTERPRISE_CATEGORY + requests_per_week * weeks * BYTES_PER_REQUEST)


def gib(n: float) -> str:
    """``n`` bytes in GiB, for messages."""
    return f"{n / 1024**3:,.1f} GiB"
