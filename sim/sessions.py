"""A queue worked off in batches at sessions: the joint commission.

Items arrive at exact times and wait; at each session (evenly spaced,
``interval`` days apart from the first) up to ``capacity`` of the items that have
arrived by then are agreed at once, first come first served or priority items
first. Between sessions nothing is agreed.
"""

from __future__ import annotations

import heapq
import math
from typing import Literal

import numpy as np

from sim.queueing import Batch, Played


class SessionQueue:
    """Items agreed in batches at sessions.

    Attributes:
        capacity: Items one session agrees at most.
        discipline: ``fifo`` or ``priority`` (priority items first, then arrival order).
        next_session: Day of the next session (``inf`` until the first is set).
        agreed_last: Items agreed by the sessions of the last :meth:`play`.
        capacity_last: Capacity of those sessions (0 when none was held).
    """

    def __init__(self) -> None:
        self.capacity = 0
        self.discipline: Literal["fifo", "priority"] = "fifo"
        self.interval = math.inf
        self.next_session = math.inf
        self._pending: list[tuple[float, int, int, bool]] = []  # time, seq, item, priority
        self._waiting: list[tuple[int, float, int, int]] = []  # rank, arrival, seq, item
        self._seq = 0
        self.agreed_last = 0
        self.capacity_last = 0

    def configure(self, capacity: int, sessions_per_year: float, discipline: Literal["fifo", "priority"]) -> None:
        """Change capacity, the rhythm of sessions and the discipline (from the next session on)."""
        if discipline != self.discipline:  # re-rank the waiting items
            self._waiting = [(self._rank(bool(r == 0), discipline), a, s, i) for r, a, s, i in self._waiting]
            heapq.heapify(self._waiting)
        self.capacity, self.discipline = capacity, discipline
        self.interval = 365.25 / sessions_per_year

    @staticmethod
    def _rank(priority: bool, discipline: str) -> int:
        return 0 if (discipline == "fifo" or priority) else 1

    def start(self, day: float) -> None:
        """Hold the first session on ``day`` (if none is scheduled yet)."""
        if self.next_session == math.inf:
            self.next_session = day

    def arrive(self, items: np.ndarray, times: np.ndarray, priority: np.ndarray) -> None:
        """Announce that ``items`` arrive at ``times``."""
        for t, item, prio in zip(times.tolist(), items.tolist(), priority.tolist(), strict=True):
            self._seq += 1
            heapq.heappush(self._pending, (t, self._seq, item, prio))

    @property
    def queue_length(self) -> int:
        """Items that have arrived and wait for a session."""
        return len(self._waiting)

    def play(self, t_end: float) -> Played:
        """Play arrivals and sessions before ``t_end``."""
        arrived: tuple[list[int], list[float]] = ([], [])
        agreed: tuple[list[int], list[float]] = ([], [])
        came: list[float] = []
        self.agreed_last = self.capacity_last = 0
        while True:
            ta = self._pending[0][0] if self._pending else math.inf
            ts = self.next_session
            if ta < t_end and ta <= ts:
                t, seq, item, prio = heapq.heappop(self._pending)
                arrived[0].append(item)
                arrived[1].append(t)
                heapq.heappush(self._waiting, (self._rank(prio, self.discipline), t, seq, item))
            elif ts < t_end:
                for _ in range(min(self.capacity, len(self._waiting))):
                    _, arrival, _, item = heapq.heappop(self._waiting)
                    agreed[0].append(item)
                    agreed[1].append(ts)
                    came.append(arrival)
                self.capacity_last += self.capacity
                self.next_session = ts + self.interval
            else:
                break
        self.agreed_last = len(agreed[0])
        started = _batch(*agreed)
        waits = started.times - np.array(came, dtype=np.float64)
        return Played(_batch(*arrived), started, started, waits, 0.0)  # a session takes no server time


def _batch(items: list[int], times: list[float]) -> Batch:
    return Batch(np.array(items, dtype=np.int64), np.array(times, dtype=np.float64))
