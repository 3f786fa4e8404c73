"""Queues in continuous time inside discrete steps.

A :class:`Station` is a multi-server queue (the Counsellor's Office, an agency's
reviewers, a Soviet enterprise's copyists, a ministry's translators). Items
arrive at exact times, wait under a discipline (``fifo`` or ``priority``), are
served by one of ``servers`` servers at ``rate`` units of work per day, and
leave at exact times. ``advance(t_end)`` plays every event before ``t_end`` in
time order, so a station configured as one exponential server fed by Poisson
arrivals is an M/M/1 queue whatever the step length.

A :class:`DelayLine` holds items until a due time (travel along a channel,
deliberation after review).
"""

from __future__ import annotations

import heapq
import math
import operator
from typing import Literal

import numpy as np

Pairs = list[tuple[int, float]]
_NOTHING: tuple[Pairs, Pairs, Pairs] = ((), (), ())  # type: ignore[assignment]
_ITEM, _TIME = operator.itemgetter(0), operator.itemgetter(1)


def unzip(pairs: Pairs) -> tuple[np.ndarray, np.ndarray]:
    """``(item, time)`` pairs as an array of items and an array of times."""
    n = len(pairs)
    return np.fromiter(map(_ITEM, pairs), np.int64, n), np.fromiter(map(_TIME, pairs), np.float64, n)


class Station:
    """A multi-server queue whose events happen at exact times.

    Args:
        servers: Number of servers (staff); at least 1.
        rate: Work units one server completes per day; 0 stops service.
        discipline: ``"fifo"``, or ``"priority"`` (priority items first,
            first-come within a class; never pre-emptive).
        service: ``"deterministic"`` (work / rate) or ``"exponential"`` (with
            that mean).
        rng: Generator for exponential service times.

    Attributes:
        next_time: When the next event (an arrival or the end of a service) is
            due; ``inf`` if none. Until then :meth:`advance` only moves the clock
            and adds busy time, which a later call adds just the same, so an
            agent may skip calling it.
    """

    def __init__(
        self,
        servers: int = 1,
        rate: float = 1.0,
        *,
        discipline: Literal["fifo", "priority"] = "fifo",
        service: Literal["deterministic", "exponential"] = "deterministic",
        rng: np.random.Generator | None = None,
    ) -> None:
        self.servers = servers
        self.rate = rate
        self.discipline = discipline
        self.service = service
        self.rng = rng
        self._pending: list[tuple[float, int, int, float, bool]] = []
        self._waiting: list[tuple[int, float, int, int, float]] = []
        self._busy: list[tuple[float, int, int]] = []
        self._seq = 0
        self._waiting_sorted = True  # sorted, not only in heap order (the one-server loop keeps it so)
        self.now = 0.0
        self.busy_time = 0.0
        self.next_time = math.inf

    def configure(self, servers: int, rate: float, discipline: str, service: str = "deterministic") -> None:
        """Change capacity or rules; takes effect for services that start later."""
        self.servers, self.rate, self.discipline, self.service = servers, rate, discipline, service

    def arrive(self, item: int, time: float, work: float = 1.0, priority: bool = False) -> None:
        """Announce that ``item`` arrives at ``time`` needing ``work`` units."""
        self._seq += 1
        heapq.heappush(self._pending, (time, self._seq, item, work, priority))
        if time < self.next_time:
            self.next_time = time

    @property
    def queue_length(self) -> int:
        """Items that have arrived and wait for a server."""
        return len(self._waiting)

    @property
    def in_service(self) -> int:
        """Items being served now."""
        return len(self._busy)

    def advance(self, t_end: float) -> tuple[Pairs, Pairs, Pairs]:
        """Play all events before ``t_end``.

        Returns:
            ``(arrived, started, finished)``: lists of ``(item, time)``.
        """
        pending, waiting, busy = self._pending, self._waiting, self._busy
        if self.next_time >= t_end:
            self.busy_time += len(busy) * (t_end - self.now)
            self.now = t_end
            return _NOTHING
        one_server_fifo = self.servers == 1 and self.discipline == "fifo" and self.rate > 0
        if one_server_fifo and (len(busy) == 1 or (not busy and not waiting)):
            return self._advance_one_server(t_end)
        self._waiting_sorted = False
        arrived: Pairs = []
        started: Pairs = []
        finished: Pairs = []
        pop, push = heapq.heappop, heapq.heappush
        note_arrived, note_started, note_finished = arrived.append, started.append, finished.append
        servers, rate = self.servers, self.rate
        fifo = self.discipline == "fifo"
        draw = self.rng.exponential if self.service == "exponential" else None
        busy_time = self.busy_time
        n_busy = len(busy)
        t = self.now
        inf = math.inf
        while True:
            ta = pending[0][0] if pending else inf
            tf = busy[0][0] if busy else inf
            entry = None  # an arrival that may go straight to a free server
            if ta < tf:  # an arrival comes first; a service that ends at the same time goes first
                if ta >= t_end:
                    break
                busy_time += n_busy * (ta - t)
                t = ta
                _, seq, item, work, priority = pop(pending)
                note_arrived((item, t))
                entry = (0 if (fifo or priority) else 1, t, seq, item, work)
                if waiting:
                    push(waiting, entry)
                    entry = None
            else:
                if tf >= t_end:
                    break
                busy_time += n_busy * (tf - t)
                t = tf
                note_finished((pop(busy)[2], t))
                n_busy -= 1
            while n_busy < servers and rate > 0 and (entry or waiting):
                _, _, seq, item, work = entry or pop(waiting)
                entry = None
                duration = work / rate
                if draw is not None and duration > 0:
                    duration = float(draw(duration))
                push(busy, (t + duration, seq, item))
                note_started((item, t))
                n_busy += 1
            if entry:
                push(waiting, entry)
        self.busy_time = busy_time + len(busy) * (t_end - t)
        self.now = t_end
        self.next_time = min(ta, tf)
        return arrived, started, finished

    def _advance_one_server(self, t_end: float) -> tuple[Pairs, Pairs, Pairs]:
        """:meth:`advance` for one server taking items first come, first served.

        The same events at the same times as the general loop (a start is at the
        later of the arrival and the previous finish; a finish at the time of an
        arrival goes first), with the waiting items kept as a list in arrival order
        rather than played through heaps.
        """
        pending, waiting, busy = self._pending, self._waiting, self._busy
        if not self._waiting_sorted:
            waiting.sort()  # the general loop leaves a heap; first come, first served is its sorted order
            self._waiting_sorted = True
        arrived: Pairs = []
        started: Pairs = []
        finished: Pairs = []
        pop = heapq.heappop
        rate = self.rate
        draw = self.rng.exponential if self.service == "exponential" else None
        inf = math.inf
        since = self.now  # busy time is counted from here to the end of the current service
        busy_time = self.busy_time
        serving = bool(busy)
        tf, current_seq, current = busy.pop() if serving else (inf, 0, 0)
        head = 0  # waiting[:head] have started
        while True:
            ta = pending[0][0] if pending else inf
            if ta < tf:  # an arrival comes first; a service that ends at the same time goes first
                if ta >= t_end:
                    break
                _, seq, item, work, _ = pop(pending)
                arrived.append((item, ta))
                if serving:
                    waiting.append((0, ta, seq, item, work))
                    continue
                t = ta
            else:
                if tf >= t_end:
                    break
                finished.append((current, tf))
                busy_time += tf - since
                serving, t, tf = False, tf, inf
                if head == len(waiting):
                    continue
                _, _, seq, item, work = waiting[head]
                head += 1
            duration = work / rate
            if draw is not None and duration > 0:
                duration = float(draw(duration))
            serving, current, current_seq, tf, since = True, item, seq, t + duration, t
            started.append((item, t))
        del waiting[:head]
        if serving:
            busy.append((tf, current_seq, current))
            busy_time += t_end - since
        self.busy_time = busy_time
        self.now = t_end
        self.next_time = min(ta, tf)
        return arrived, started, finished


class DelayLine:
    """Items that reappear at a due time, in due order (ties: first in, first out)."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, int]] = []
        self._seq = 0

    def __len__(self) -> int:
        return len(self._heap)

    @property
    def next_time(self) -> float:
        """When the next item is due; ``inf`` if none."""
        return self._heap[0][0] if self._heap else math.inf

    def push(self, item: int, due: float) -> None:
        """Hold ``item`` until ``due``."""
        self._seq += 1
        heapq.heappush(self._heap, (due, self._seq, item))

    def release(self, t_end: float) -> Pairs:
        """Remove and return ``(item, due)`` for every item due before ``t_end``."""
        out = []
        heap = self._heap
        while heap and heap[0][0] < t_end:
            due, _, item = heapq.heappop(heap)
            out.append((item, due))
        return out
