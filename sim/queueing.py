"""Queues in continuous time inside discrete steps.

A :class:`Station` is a multi-server queue (the Counsellor's Office, the joint
commission). Items arrive at exact times, wait under a discipline (``fifo`` or
``priority``), are served by one of ``servers`` servers at ``rate`` units of
work per day, and leave at exact times. ``advance(t_end)`` plays every event
before ``t_end`` in time order, so a station configured as one exponential
server fed by Poisson arrivals is an M/M/1 queue whatever the step length.

A :class:`StationBank` is many one-server stations of one kind (the agencies'
reviewers, the Soviet enterprises' copyists, the ministries' translators), fed
and read as arrays and played together: the same events as one :class:`Station`
each, without a Python call per station and per arrival.

:class:`DelayLines` hold items until a due time (deliberation after review,
shipment home), one line per owner.
"""

from __future__ import annotations

import heapq
import math
import operator
from typing import Literal, NamedTuple

import numpy as np

Pairs = list[tuple[int, float]]
_NOTHING: tuple[Pairs, Pairs, Pairs] = ((), (), ())  # type: ignore[assignment]
_ITEM, _TIME = operator.itemgetter(0), operator.itemgetter(1)
_BLOCK = 256  # standard exponential numbers drawn at a time


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
        self._waiting_sorted = True  # in arrival order, not only in heap order
        self.now = 0.0
        self.busy_time = 0.0
        self.waits: list[float] = []  # of the items started in the last advance
        self._drawn: list[float] = []  # standard exponential numbers drawn ahead, for exponential service
        self._drawn_next = 0
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

    def _standard_exponential(self) -> float:
        """The next standard exponential number of the station's stream.

        Numbers are drawn a block at a time; they are the same numbers, in the same
        order, as one draw per service (``rng.exponential(mean)`` is ``mean`` times
        the next standard exponential), without a NumPy call per service.
        """
        if self._drawn_next == len(self._drawn):
            self._drawn = self.rng.standard_exponential(_BLOCK).tolist()
            self._drawn_next = 0
        self._drawn_next += 1
        return self._drawn[self._drawn_next - 1]

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
            ``(arrived, started, finished)``: lists of ``(item, time)``. The waits of
            the items started (start minus arrival) are left in :attr:`waits`, in
            the same order.
        """
        pending, waiting, busy = self._pending, self._waiting, self._busy
        self.waits = []
        if self.next_time >= t_end:
            self.busy_time += len(busy) * (t_end - self.now)
            self.now = t_end
            return _NOTHING
        if self.discipline == "fifo" and self.rate > 0 and not (waiting and len(busy) < self.servers):
            if not self._waiting_sorted:  # the loop below leaves a heap; first come, first served is its sorted order
                waiting.sort()
                self._waiting_sorted = True
            if not waiting or waiting[-1][0] == 0:  # no priority class left from an earlier discipline
                return self._advance_in_order(t_end)
        self._waiting_sorted = False
        arrived: Pairs = []
        started: Pairs = []
        finished: Pairs = []
        pop, push = heapq.heappop, heapq.heappush
        note_arrived, note_started, note_finished = arrived.append, started.append, finished.append
        servers, rate = self.servers, self.rate
        fifo = self.discipline == "fifo"
        draw = self._standard_exponential if self.service == "exponential" else None
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
                _, arrival, seq, item, work = entry or pop(waiting)
                entry = None
                duration = work / rate
                if draw is not None and duration > 0:
                    duration *= draw()
                push(busy, (t + duration, seq, item))
                note_started((item, t))
                self.waits.append(t - arrival)
                n_busy += 1
            if entry:
                push(waiting, entry)
        self.busy_time = busy_time + len(busy) * (t_end - t)
        self.now = t_end
        self.next_time = min(ta, tf)
        return arrived, started, finished

    def _advance_in_order(self, t_end: float) -> tuple[Pairs, Pairs, Pairs]:
        """:meth:`advance` first come, first served with service running and no server idle while items wait.

        Items start in arrival order, each at the later of its arrival and the
        earliest end of a service in progress (Kiefer and Wolfowitz), so the loop
        visits each item once: the same events at the same times as the event loop.
        Busy time is added service by service rather than between events, so it
        agrees with the event loop's to rounding.
        """
        pending, busy, waits = self._pending, self._busy, self.waits
        pop, push = heapq.heappop, heapq.heappush
        arrived: Pairs = []
        started: Pairs = []
        finished: Pairs = []
        queue = self._waiting
        if pending and pending[0][0] < t_end:
            queue = queue.copy()
            while pending and pending[0][0] < t_end:
                time, seq, item, work, _ = pop(pending)
                arrived.append((item, time))
                queue.append((0, time, seq, item, work))
        servers, rate = self.servers, self.rate
        draw = self._standard_exponential if self.service == "exponential" else None
        busy_time = self.busy_time
        for tf, _, _ in busy:
            busy_time += (tf if tf < t_end else t_end) - self.now
        n = 0
        for _, time, seq, item, work in queue:
            start = time
            while len(busy) >= servers and busy[0][0] < t_end:  # (more than one after the staff was cut)
                tf, _, done = pop(busy)
                finished.append((done, tf))
                if tf > start:
                    start = tf
            if len(busy) >= servers:
                break
            duration = work / rate
            if draw is not None and duration > 0:
                duration *= draw()
            end = start + duration
            push(busy, (end, seq, item))
            started.append((item, start))
            waits.append(start - time)
            busy_time += (end if end < t_end else t_end) - start
            n += 1
        while busy and busy[0][0] < t_end:
            tf, _, item = pop(busy)
            finished.append((item, tf))
        self._waiting = queue[n:]
        self.busy_time = busy_time
        self.now = t_end
        self.next_time = min(pending[0][0] if pending else math.inf, busy[0][0] if busy else math.inf)
        return arrived, started, finished


class Batch(NamedTuple):
    """Items and the time of an event for each."""

    items: np.ndarray
    times: np.ndarray

    @classmethod
    def empty(cls) -> Batch:
        """A batch of no items."""
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0))

    def __len__(self) -> int:
        return len(self.items)

    def select(self, keep: np.ndarray) -> Batch:
        """The items where ``keep`` (a boolean mask or indices)."""
        return Batch(self.items[keep], self.times[keep])


class _Rows:
    """Rows of numbers added in batches and taken out by time, as one float array (one row per field).

    Field 0 is the time and the last field the station or line; every field
    (ids, counts, flags) is exact in float64.
    """

    def __init__(self, fields: int) -> None:
        self.data = np.zeros((fields, 0))
        self.next_time = math.inf  # the earliest time held

    def __len__(self) -> int:
        return self.data.shape[1]

    def add(self, *fields: np.ndarray) -> None:
        """Add rows, given field by field."""
        new = np.array(fields, dtype=np.float64)
        self.data = np.concatenate((self.data, new), axis=1)
        self.next_time = min(self.next_time, float(new[0].min()))

    def take(self, before: float) -> np.ndarray:
        """Remove and return the rows whose time is before ``before``, by station or line, then time.

        Sorting is stable, so rows equal in both keep the order they were added in.
        """
        data = self.data
        due = data[0] < before
        taken = data.compress(due, axis=1)
        taken = taken.take(np.lexsort((taken[0], taken[-1])), axis=1)
        self.data = data.compress(~due, axis=1)
        self.next_time = float(self.data[0].min()) if self.data.shape[1] else math.inf
        return taken


class StationBank:
    """``n`` one-server stations with deterministic service, played together.

    Station ``s`` serves ``rate[s]`` work units a day under the bank's discipline
    (``fifo``, or ``priority``: priority items first, never pre-emptive). Arrivals
    for any station come as arrays, and :meth:`play` plays, station by station,
    the same events at the same times as ``n`` one-server :class:`Station` objects
    would: a service ends before an arrival at the same instant, and a waiting item
    starts only at an event (an arrival or the end of a service).

    Args:
        n: Number of stations.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.rate = [1.0] * n
        self.discipline = "fifo"
        self._pending = _Rows(5)  # time, item, work, priority, station
        self._waiting: list[list[tuple[int, float, int, int, float]]] = [[] for _ in range(n)]  # heaps
        self._finish = [math.inf] * n  # when the item in service finishes; inf when idle
        self._serving = [-1] * n
        self._seq = 0
        self._sorted = True  # every waiting list in arrival order, not only in heap order

    def configure(self, rates: list[float], discipline: str) -> None:
        """Change rates (one per station) or discipline; takes effect for services that start later."""
        self.rate = [float(rate) for rate in rates]
        self.discipline = discipline

    def arrive(
        self, items: np.ndarray, times: np.ndarray, work: np.ndarray, priority: np.ndarray, stations: np.ndarray
    ) -> None:
        """Announce that ``items`` arrive at ``stations`` at ``times``, needing ``work`` units each."""
        if len(items):
            self._pending.add(times, items, work, priority, stations)

    def queue_lengths(self) -> list[int]:
        """Items waiting for the server, station by station."""
        return [len(waiting) for waiting in self._waiting]

    def in_service(self) -> list[int]:
        """Items being served (0 or 1), station by station."""
        return [int(finish < math.inf) for finish in self._finish]

    def play(self, t_end: float) -> tuple[Batch, Batch, Batch]:
        """Play all events before ``t_end``.

        Returns:
            ``(arrived, started, finished)``, each ordered by station, then time.
        """
        due = [s for s, finish in enumerate(self._finish) if finish < t_end] if min(self._finish) < t_end else []
        if self._pending.next_time < t_end:
            taken = self._pending.take(t_end)
            arrived = Batch(taken[1].astype(np.int64), taken[0])
            times, items, work, priority, station = taken.tolist()
            stations = taken[4]
            starts = [0, *((stations[1:] != stations[:-1]).nonzero()[0] + 1).tolist()]
            ends = [*starts[1:], len(station)]
            slices = {int(station[lo]): (lo, hi) for lo, hi in zip(starts, ends, strict=True)}
            active = sorted(slices.keys() | due) if due else list(slices)
        elif due:
            arrived, slices, active = Batch.empty(), {}, due
            times = items = work = priority = []
        else:
            return Batch.empty(), Batch.empty(), Batch.empty()
        fifo = self.discipline == "fifo"
        if fifo and not self._sorted:  # the event loop leaves heaps; first come, first served is their sorted order
            for waiting in self._waiting:
                waiting.sort()
            self._sorted = True
        started: tuple[list[int], list[float]] = ([], [])
        finished: tuple[list[int], list[float]] = ([], [])
        arrivals = (times, items, work, priority)
        in_order: list[int] = []  # a run of stations played first come, first served
        for s in active:
            waiting = self._waiting[s]
            if fifo and self.rate[s] > 0 and (not waiting or waiting[-1][0] == 0):
                in_order.append(s)
                continue
            if in_order:
                self._in_order(in_order, t_end, arrivals, slices, (started, finished))
                in_order = []
            self._by_events(s, t_end, arrivals, slices.get(s, (0, 0)), (started, finished))
            self._sorted = False
        if in_order:
            self._in_order(in_order, t_end, arrivals, slices, (started, finished))
        return arrived, _batch(*started), _batch(*finished)

    def _in_order(self, stations: list[int], t_end: float, arrivals: tuple, slices: dict, out: tuple) -> None:
        """Play ``stations`` first come, first served: an item starts at the later of its arrival and the last finish.

        At each station the waiting items (arrived in earlier steps) come first,
        then this step's arrivals ``slices[s]`` (of the columns ``arrivals``), in
        time order. Starts and finishes are added to ``out``.
        """
        times, items, work, _ = arrivals
        (started, start_times), (finished, finish_times) = out
        inf = math.inf
        for s in stations:
            waiting, rate = self._waiting[s], self.rate[s]
            tf, current = self._finish[s], self._serving[s]
            lo, hi = slices.get(s, (0, 0))
            if tf < inf:
                free = tf
            elif waiting:  # idle with items waiting (service had stopped): they start at the next arrival
                free = times[lo] if lo < hi else inf
            else:
                free = -inf
            k, n_waiting, i = 0, len(waiting), lo
            while True:
                if k < n_waiting:
                    _, a, _, item, units = waiting[k]
                elif i < hi:
                    a, item, units = times[i], items[i], work[i]
                else:
                    break
                start = a if a > free else free
                if start >= t_end:  # it waits, and so does everything after it
                    break
                if tf < inf:  # the item in service finished at tf <= start
                    finished.append(current)
                    finish_times.append(tf)
                if k < n_waiting:
                    k += 1
                else:
                    i += 1
                current, tf = item, start + units / rate
                free = tf
                started.append(item)
                start_times.append(start)
            if tf < t_end:
                finished.append(current)
                finish_times.append(tf)
                tf = inf
            self._finish[s], self._serving[s] = tf, current
            if k or i < hi:
                seq = self._seq
                new = [(0, times[j], seq + j - i + 1, items[j], work[j]) for j in range(i, hi)]
                self._waiting[s] = waiting[k:] + new
                self._seq = seq + hi - i

    def _by_events(self, s: int, t_end: float, arrivals: tuple, span: tuple[int, int], out: tuple) -> None:
        """Play station ``s`` event by event (any discipline, stopped or not), as :meth:`Station.advance` does."""
        times, items, work, priority = arrivals
        lo, hi = span
        started, finished = out
        fifo = self.discipline == "fifo"
        push, pop = heapq.heappush, heapq.heappop
        inf = math.inf
        waiting, rate = self._waiting[s], self.rate[s]
        tf, current = self._finish[s], self._serving[s]
        seq, i = self._seq, lo
        while True:
            ta = times[i] if i < hi else inf
            entry = None  # an arrival that may go straight to the server
            if ta < tf:  # an arrival comes first; a service that ends at the same time goes first
                t = ta
                seq += 1
                entry = (0 if (fifo or priority[i]) else 1, ta, seq, items[i], work[i])
                i += 1
                if waiting:
                    push(waiting, entry)
                    entry = None
            else:
                if tf >= t_end:
                    break
                t = tf
                finished[0].append(current)
                finished[1].append(tf)
                tf = inf
            if tf == inf and rate > 0 and (entry or waiting):
                _, _, _, current, units = entry or pop(waiting)
                entry = None
                tf = t + units / rate
                started[0].append(current)
                started[1].append(t)
            if entry:
                push(waiting, entry)
        self._finish[s], self._serving[s] = tf, current
        self._seq = seq


def _batch(items: list[float], times: list[float]) -> Batch:
    return Batch(np.array(items, dtype=np.int64), np.array(times, dtype=np.float64))


class DelayLines:
    """Items that reappear at a due time, on ``n`` lines (one per owner).

    Args:
        n: Number of lines.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self._held = _Rows(3)  # due, item, line

    def __len__(self) -> int:
        return len(self._held)

    @property
    def next_time(self) -> float:
        """When the next item is due; ``inf`` if none."""
        return self._held.next_time

    def push(self, items: np.ndarray, due: np.ndarray, lines: np.ndarray) -> None:
        """Hold ``items`` on ``lines`` until ``due``."""
        if len(items):
            self._held.add(due, items, lines)

    def release(self, t_end: float) -> Batch:
        """Remove and return every item due before ``t_end``, line by line in due order (ties: first in, first out)."""
        if self._held.next_time >= t_end:
            return Batch.empty()
        held = self._held.take(t_end)
        return Batch(held[1].astype(np.int64), held[0])
