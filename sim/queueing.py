"""Queues in continuous time inside discrete steps.

A :class:`Station` is a multi-server queue (the Counsellor's Office, the joint
commission). Items arrive at exact times, wait under a discipline (``fifo`` or
``priority``), are served by one of ``servers`` servers at ``rate`` units of
work per day, and leave at exact times. ``play(t_end)`` plays every event
before ``t_end`` in time order, so a station configured as one exponential
server fed by Poisson arrivals is an M/M/1 queue whatever the step length.

A :class:`StationBank` is many one-server stations of one kind (the agencies'
reviewers, the Soviet enterprises' copyists, the ministries' translators), fed
and read as arrays and played together: the same events as one :class:`Station`
each, without a Python call per station and per arrival.

:class:`DelayLines` hold items until a due time (deliberation after review,
shipment home), one line per owner.

The contract. Both kinds of queue satisfy the :class:`Queue` protocol::

    @runtime_checkable
    class Queue(Protocol):
        def arrive(self, items, times, work, priority, stations=None) -> None: ...
        def play(self, t_end: float) -> Played: ...
        def configure(self, *args, **kwargs) -> None: ...  # each its own signature
        def queue_lengths(self) -> list[int]: ...
        @property
        def next_time(self) -> float: ...

Arrivals come as numpy arrays (a :class:`Station` is one station and ignores
``stations``), numbered in the order given, which breaks ties of time.
``play(t_end)`` plays every event before ``t_end`` and returns a :class:`Played`:
the :class:`Batch` of items arrived, started and finished, the waits of the
items started (start minus arrival, in ``started`` order), and ``busy``, the
server-days of service within the interval just played ``[previous t_end,
t_end)``: the exactly rounded sum (``math.fsum``) of each service's overlap with
the interval (the services in progress at its start and those started in it),
so it does not depend on the order in which a loop visits services, and the
event loop and the first-come loops report it bit for bit alike.

One event loop. A station's events are played by one function,
``_play_events``, working on one station's state (servers, rate, discipline,
service, the heaps of pending, waiting and in-service entries, the clock):
:meth:`Station.play` calls it on the station's own state, and
:meth:`StationBank.play` on one bank station's at a time. First come, first
served with service running has a faster loop (an item starts at the later of
its arrival and the earliest end of a service), which plays the same events at
the same times; a station and a bank each have their own, sharing the test of
when it applies (``_first_come``) and the record of what happened (``_Events``,
which also sums the busy time). ``reference=True`` makes a station or a bank
always use the event loop, for tests.

Entries. The heaps hold entries in three layouts, each declared once, with
names, as a ``NamedTuple``: :class:`Pending` (an announced arrival),
:class:`Waiting` (an arrived item waiting for a server) and :class:`InService`.
The loops build them as plain tuples in those layouts: constructing a
``NamedTuple`` costs about four times a tuple, unpacking one three times (Python
specialises unpacking for exact tuples only), and the loops do both for every
item. They are read by unpacking in field order, or at the positions
``_TIME``, ``_RANK`` and ``_END`` taken from the declarations;
``Waiting._make(entry)`` gives the named view of one.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from typing import Any, Literal, NamedTuple, Protocol, runtime_checkable

import numpy as np

_BLOCK = 256  # standard exponential numbers drawn at a time


class Pending(NamedTuple):
    """An announced arrival, in a station's heap of pending arrivals (ordered by time, then sequence)."""

    time: float
    seq: int  # the station's count of arrivals announced, in announcement order: breaks ties of time
    item: int
    work: float
    priority: bool


class Waiting(NamedTuple):
    """An item that has arrived and waits for a server (ordered by rank, then arrival, then sequence)."""

    rank: int  # 0: served first (every item under fifo, priority items under priority); 1: the others
    arrival: float
    seq: int
    item: int
    work: float


class InService(NamedTuple):
    """An item being served (ordered by the end of its service, then sequence)."""

    end: float
    seq: int
    item: int


#: A heap entry as the loops build it: a plain tuple laid out as :class:`Pending`,
#: :class:`Waiting` or :class:`InService` (a NamedTuple costs about 4x a tuple to build).
Entry = tuple[Any, ...]

_TIME = Pending._fields.index("time")
_RANK = Waiting._fields.index("rank")
_END = InService._fields.index("end")


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


class Played(NamedTuple):
    """What :meth:`Queue.play` played: items arrived, started and finished, with their times; waits; busy time.

    Each batch is ordered by station, then time (a :class:`Station` is one
    station); ``waits`` holds start minus arrival for each item of ``started``,
    in the same order. ``busy`` is the server-days of service within the
    interval played, ``[previous t_end, t_end)``, summed over all stations: the
    exactly rounded sum of each service's overlap with the interval.
    """

    arrived: Batch
    started: Batch
    finished: Batch
    waits: np.ndarray
    busy: float


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


_NO_ITEMS = Batch(_frozen(np.zeros(0, np.int64)), _frozen(np.zeros(0)))
_NO_WAITS = _frozen(np.zeros(0))


def _nothing(busy: float) -> Played:
    """A play in which no event happened, with ``busy`` server-days of the services in progress throughout."""
    return Played(_NO_ITEMS, _NO_ITEMS, _NO_ITEMS, _NO_WAITS, busy)


@runtime_checkable
class Queue(Protocol):
    """The contract of :class:`Station` and :class:`StationBank` (see the module docstring)."""

    def arrive(
        self,
        items: np.ndarray,
        times: np.ndarray,
        work: np.ndarray,
        priority: np.ndarray,
        stations: np.ndarray | None = None,
    ) -> None:
        """Announce that ``items`` arrive (at ``stations``) at ``times``, needing ``work`` units each."""
        ...

    def play(self, t_end: float) -> Played:
        """Play all events before ``t_end``."""
        ...

    def configure(self, *args: Any, **kwargs: Any) -> None:
        """Change capacity or rules (each queue its own signature); takes effect for services that start later."""
        ...

    def queue_lengths(self) -> list[int]:
        """Items waiting for a server, station by station."""
        ...

    @property
    def next_time(self) -> float:
        """When the next event is due; ``inf`` if none."""
        ...


class _Events:
    """What a play reports, gathered as lists (items and times arrived, started and finished), and its busy time.

    ``came`` holds the arrival time of each item started and ``ends`` the end of
    its service; the waits and the services' overlaps with the interval are
    computed from them as arrays (the same numbers as item by item).

    Args:
        busy: The overlap with the interval played of each service in progress
            at its start: ``min(end, t_end) - now``.
    """

    __slots__ = ("arrived", "arrived_at", "busy", "came", "ends", "finished", "finished_at", "started", "started_at")

    def __init__(self, busy: list[float]) -> None:
        self.arrived: list[int] = []
        self.arrived_at: list[float] = []
        self.started: list[int] = []
        self.started_at: list[float] = []
        self.came: list[float] = []
        self.ends: list[float] = []
        self.finished: list[int] = []
        self.finished_at: list[float] = []
        self.busy = busy

    def played(self, t_end: float, arrived: Batch | None = None) -> Played:
        """The events as arrays, and the busy time up to ``t_end``; ``arrived`` replaces the arrivals gathered."""
        started = _batch(self.started, self.started_at)
        n = len(self.came)
        overlaps = np.minimum(np.fromiter(self.ends, np.float64, n), t_end)  # of each service started:
        overlaps -= started.times  # min(end, t_end) - start
        return Played(
            _batch(self.arrived, self.arrived_at) if arrived is None else arrived,
            started,
            _batch(self.finished, self.finished_at),
            started.times - np.fromiter(self.came, np.float64, n),
            math.fsum(self.busy + overlaps.tolist()),
        )


def _carried(ends: list[float], now: float, t_end: float) -> list[float]:
    """The overlap with ``[now, t_end)`` of each service in progress at ``now`` (ending at ``ends``)."""
    return [(end if end < t_end else t_end) - now for end in ends]


def _first_come(fifo: bool, rate: float, waiting: list[Entry]) -> bool:
    """Whether a station may be played first come, first served: fifo, service running, no priority class waiting.

    ``waiting`` must be sorted (in arrival order), so that its last entry has the largest rank.
    """
    return fifo and rate > 0 and (not waiting or waiting[-1][_RANK] == 0)


def _play_events(
    heaps: tuple[list[Entry], list[Entry], list[Entry]],
    servers: int,
    rate: float,
    fifo: bool,
    draw: Callable[[], float] | None,
    t_end: float,
    out: _Events,
) -> float:
    """Play one station's events from ``now`` until ``t_end``, in time order: the one event loop.

    A service that ends at the same time as an arrival ends first, and a waiting
    item starts only at an event (an arrival or the end of a service).

    Args:
        heaps: The station's pending arrivals, waiting items and items in service;
            changed in place (``waiting`` is left a heap, not sorted).
        servers: Number of servers.
        rate: Work units a server completes per day; 0 stops service.
        fifo: First come, first served; else priority items first (``Pending.priority``).
        draw: The next standard exponential number, for exponential service; ``None``
            for deterministic service.
        t_end: Play the events before this time.
        out: Where the arrivals, starts (with the items' arrival times and the ends
            of their services) and finishes are added.

    Returns:
        When the next event is due (``inf`` if none).
    """
    pending, waiting, busy = heaps
    pop, push = heapq.heappop, heapq.heappush
    note_arrived, note_arrived_at = out.arrived.append, out.arrived_at.append
    note_started, note_started_at, note_came = out.started.append, out.started_at.append, out.came.append
    note_end, note_finished, note_finished_at = out.ends.append, out.finished.append, out.finished_at.append
    n_busy = len(busy)
    inf = math.inf
    while True:
        ta = pending[0][_TIME] if pending else inf
        tf = busy[0][_END] if busy else inf
        entry = None  # an arrival that may go straight to a free server
        if ta < tf:  # an arrival comes first; a service that ends at the same time goes first
            if ta >= t_end:
                break
            t = ta
            _, seq, item, work, priority = pop(pending)
            note_arrived(item)
            note_arrived_at(t)
            entry = (0 if (fifo or priority) else 1, t, seq, item, work)
            if waiting:
                push(waiting, entry)
                entry = None
        else:
            if tf >= t_end:
                break
            t = tf
            _, _, item = pop(busy)
            note_finished(item)
            note_finished_at(t)
            n_busy -= 1
        while n_busy < servers and rate > 0 and (entry or waiting):
            _, arrival, seq, item, work = entry or pop(waiting)
            entry = None
            duration = work / rate
            if draw is not None and duration > 0:
                duration *= draw()
            end = t + duration
            push(busy, (end, seq, item))
            note_started(item)
            note_started_at(t)
            note_came(arrival)
            note_end(end)
            n_busy += 1
        if entry:
            push(waiting, entry)
    return min(ta, tf)


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
        reference: Always play with the event loop, never the first-come loop
            (slower; the same results, for tests).

    Attributes:
        next_time: When the next event (an arrival or the end of a service) is
            due; ``inf`` if none. Until then :meth:`play` only moves the clock
            and reports busy time.
        busy_time: Server-days of service so far (the sum of the plays' ``busy``).
    """

    def __init__(
        self,
        servers: int = 1,
        rate: float = 1.0,
        *,
        discipline: Literal["fifo", "priority"] = "fifo",
        service: Literal["deterministic", "exponential"] = "deterministic",
        rng: np.random.Generator | None = None,
        reference: bool = False,
    ) -> None:
        self.servers = servers
        self.rate = rate
        self.discipline = discipline
        self.service = service
        self.rng = rng
        self.reference = reference
        self._pending: list[Entry] = []
        self._waiting: list[Entry] = []
        self._busy: list[Entry] = []
        self._seq = 0
        self._waiting_sorted = True  # in arrival order, not only in heap order
        self.now = 0.0
        self.busy_time = 0.0
        self._drawn: list[float] = []  # standard exponential numbers drawn ahead, for exponential service
        self._drawn_next = 0
        self.next_time = math.inf

    def configure(
        self,
        servers: int,
        rate: float,
        discipline: Literal["fifo", "priority"],
        service: Literal["deterministic", "exponential"] = "deterministic",
    ) -> None:
        """Change capacity or rules; takes effect for services that start later."""
        self.servers, self.rate, self.discipline, self.service = servers, rate, discipline, service

    def arrive(
        self,
        items: np.ndarray,
        times: np.ndarray,
        work: np.ndarray,
        priority: np.ndarray,
        stations: np.ndarray | None = None,
    ) -> None:
        """Announce that ``items`` arrive at ``times`` needing ``work`` units each; ``priority`` marks their class.

        Arrivals are numbered in the order given, which breaks ties of time.
        ``stations`` is ignored: a station is one station.
        """
        n = len(items)
        if not n:
            return
        times = times.tolist()
        pending, push, seq = self._pending, heapq.heappush, self._seq
        for entry in zip(
            times, range(seq + 1, seq + n + 1), items.tolist(), work.tolist(), priority.tolist(), strict=True
        ):
            push(pending, entry)  # a Pending
        self._seq = seq + n
        first = min(times)
        if first < self.next_time:
            self.next_time = first

    def _standard_exponential(self) -> float:
        """The next standard exponential number of the station's stream.

        Numbers are drawn a block at a time; they are the same numbers, in the same
        order, as one draw per service (``rng.exponential(mean)`` is ``mean`` times
        the next standard exponential), without a NumPy call per service.
        """
        if self._drawn_next == len(self._drawn):
            if self.rng is None:
                raise ValueError("exponential service needs the station's rng")
            self._drawn = self.rng.standard_exponential(_BLOCK).tolist()
            self._drawn_next = 0
        self._drawn_next += 1
        return self._drawn[self._drawn_next - 1]

    @property
    def queue_length(self) -> int:
        """Items that have arrived and wait for a server."""
        return len(self._waiting)

    def queue_lengths(self) -> list[int]:
        """Items waiting for a server: one number, the station being one station."""
        return [len(self._waiting)]

    @property
    def in_service(self) -> int:
        """Items being served now."""
        return len(self._busy)

    def play(self, t_end: float) -> Played:
        """Play all events before ``t_end``.

        Returns:
            The items arrived, started and finished, in time order, the waits of
            the items started, and the busy time since the last play.
        """
        waiting, busy = self._waiting, self._busy
        now, self.now = self.now, t_end
        if self.next_time >= t_end:  # every service in progress goes on past t_end
            played = _nothing(len(busy) * (t_end - now))  # one rounding, as math.fsum of equal overlaps
        else:
            out = _Events(_carried([end for end, _, _ in busy], now, t_end))
            fifo = self.discipline == "fifo"
            if fifo and not self._waiting_sorted:  # the event loop leaves a heap; first come, first served is sorted
                waiting.sort()
                self._waiting_sorted = True
            in_order = not self.reference and not (waiting and len(busy) < self.servers)
            if in_order and _first_come(fifo, self.rate, waiting):
                self._play_in_order(t_end, out)
            else:
                self._waiting_sorted = False
                draw = self._standard_exponential if self.service == "exponential" else None
                heaps = (self._pending, waiting, busy)
                self.next_time = _play_events(heaps, self.servers, self.rate, fifo, draw, t_end, out)
            played = out.played(t_end)
        self.busy_time += played.busy
        return played

    def _play_in_order(self, t_end: float, out: _Events) -> None:
        """:meth:`play` first come, first served with service running and no server idle while items wait.

        Items start in arrival order, each at the later of its arrival and the
        earliest end of a service in progress (Kiefer and Wolfowitz), so the loop
        visits each item once: the same events at the same times as the event loop.
        """
        pending, busy = self._pending, self._busy
        pop, push = heapq.heappop, heapq.heappush
        queue = self._waiting
        if pending and pending[0][_TIME] < t_end:
            queue = queue.copy()
            arrived, arrived_at, add = out.arrived.append, out.arrived_at.append, queue.append
            while pending and pending[0][_TIME] < t_end:
                time, seq, item, work, _ = pop(pending)
                arrived(item)
                arrived_at(time)
                add((0, time, seq, item, work))  # a Waiting
        started, started_at, came, ends = out.started, out.started_at, out.came, out.ends
        finished, finished_at = out.finished, out.finished_at
        servers, rate = self.servers, self.rate
        draw = self._standard_exponential if self.service == "exponential" else None
        n = 0
        for _, time, seq, item, work in queue:
            start = time
            while len(busy) >= servers and busy[0][_END] < t_end:  # (more than one after the staff was cut)
                tf, _, done = pop(busy)
                finished.append(done)
                finished_at.append(tf)
                if tf > start:
                    start = tf
            if len(busy) >= servers:
                break
            duration = work / rate
            if draw is not None and duration > 0:
                duration *= draw()
            end = start + duration
            push(busy, (end, seq, item))  # an InService
            started.append(item)
            started_at.append(start)
            came.append(time)
            ends.append(end)
            n += 1
        while busy and busy[0][_END] < t_end:
            tf, _, item = pop(busy)
            finished.append(item)
            finished_at.append(tf)
        self._waiting = queue[n:]
        self.next_time = min(pending[0][_TIME] if pending else math.inf, busy[0][_END] if busy else math.inf)


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
        reference: Always play with the event loop, never the first-come loop
            (slower; the same results, for tests).
    """

    def __init__(self, n: int, reference: bool = False) -> None:
        self.n = n
        self.reference = reference
        self.rate = [1.0] * n
        self.discipline = "fifo"
        self._pending = _Rows(5)  # the fields of Pending but seq, then the station: time, item, work, priority, station
        self._waiting: list[list[Entry]] = [[] for _ in range(n)]  # heaps
        self._finish = [math.inf] * n  # when the item in service finishes; inf when idle
        self._serving = [-1] * n
        self._seq = 0
        self._sorted = True  # every waiting list in arrival order, not only in heap order
        self.now = 0.0  # the end of the last play

    def configure(self, rates: list[float], discipline: str) -> None:
        """Change rates (one per station) or discipline; takes effect for services that start later."""
        self.rate = [float(rate) for rate in rates]
        self.discipline = discipline

    def arrive(
        self,
        items: np.ndarray,
        times: np.ndarray,
        work: np.ndarray,
        priority: np.ndarray,
        stations: np.ndarray | None = None,
    ) -> None:
        """Announce that ``items`` arrive at ``stations`` at ``times``, needing ``work`` units each.

        ``stations`` may be left out only by a bank of one station.
        """
        if stations is None:
            if self.n != 1:
                raise TypeError("StationBank.arrive needs stations for a bank of more than one station")
            stations = np.zeros(len(items), dtype=np.int64)
        if len(items):
            self._pending.add(times, items, work, priority, stations)

    def queue_lengths(self) -> list[int]:
        """Items waiting for the server, station by station."""
        return [len(waiting) for waiting in self._waiting]

    def in_service(self) -> list[int]:
        """Items being served (0 or 1), station by station."""
        return [int(finish < math.inf) for finish in self._finish]

    def workloads(self) -> list[int]:
        """Items waiting or in service, station by station."""
        return [w + s for w, s in zip(self.queue_lengths(), self.in_service(), strict=True)]

    @property
    def next_time(self) -> float:
        """When the next event (an arrival or the end of a service) at any station is due; ``inf`` if none."""
        return min(self._pending.next_time, min(self._finish, default=math.inf))

    def play(self, t_end: float) -> Played:
        """Play all events before ``t_end``.

        Returns:
            The items arrived, started and finished, each ordered by station, then
            time, the waits of the items started, and the busy time of all
            stations since the last play.
        """
        now, self.now = self.now, t_end
        inf = math.inf
        carried = _carried([finish for finish in self._finish if finish < inf], now, t_end)
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
            return _nothing(math.fsum(carried))
        fifo = self.discipline == "fifo"
        if fifo and not self._sorted:  # the event loop leaves heaps; first come, first served is their sorted order
            for waiting in self._waiting:
                waiting.sort()
            self._sorted = True
        out = _Events(carried)
        arrivals = (times, items, work)
        in_order: list[int] = []  # a run of stations played first come, first served
        for s in active:
            waiting, rate = self._waiting[s], self.rate[s]
            first_come = fifo and rate > 0 and (not waiting or waiting[-1][_RANK] == 0)  # _first_come, inlined
            if first_come and not self.reference:
                in_order.append(s)
                continue
            if in_order:
                self._in_order(in_order, t_end, arrivals, slices, out)
                in_order = []
            # The one event loop, on station s's state: its arrivals (in time order, so
            # already a heap), its waiting items and the item it serves, if any.
            lo, hi = slices.get(s, (0, 0))
            seq = self._seq
            pending = list(
                zip(
                    times[lo:hi],
                    range(seq + 1, seq + 1 + hi - lo),
                    items[lo:hi],
                    work[lo:hi],
                    priority[lo:hi],
                    strict=True,
                )
            )
            busy = [(self._finish[s], 0, self._serving[s])] if self._finish[s] < inf else []
            _play_events((pending, waiting, busy), 1, rate, fifo, None, t_end, out)
            self._finish[s], _, self._serving[s] = busy[0] if busy else (inf, 0, self._serving[s])
            self._seq = seq + hi - lo
            self._sorted = False
        if in_order:
            self._in_order(in_order, t_end, arrivals, slices, out)
        return out.played(t_end, arrived)

    def _in_order(self, stations: list[int], t_end: float, arrivals: tuple, slices: dict, out: _Events) -> None:
        """Play ``stations`` first come, first served: an item starts at the later of its arrival and the last finish.

        At each station the waiting items (arrived in earlier steps) come first,
        then this step's arrivals ``slices[s]`` (of the columns ``arrivals``: times,
        items, work), in time order. Starts (with arrivals and ends) and finishes are added to ``out``.
        """
        times, items, work = arrivals
        started, start_times, came, ends = out.started, out.started_at, out.came, out.ends
        finished, finish_times = out.finished, out.finished_at
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
                came.append(a)
                ends.append(tf)
            if tf < t_end:
                finished.append(current)
                finish_times.append(tf)
                tf = inf
            self._finish[s], self._serving[s] = tf, current
            if k or i < hi:
                seq = self._seq
                new = [(0, times[j], seq + j - i + 1, items[j], work[j]) for j in range(i, hi)]  # Waiting entries
                self._waiting[s] = waiting[k:] + new
                self._seq = seq + hi - i


def _batch(items: list[int], times: list[float]) -> Batch:
    n = len(items)
    return Batch(np.fromiter(items, np.int64, n), np.fromiter(times, np.float64, n))


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
