"""The channels: the Counsellor's Office and the joint commission work off requests and forward them."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.catalog import CHANNELS
from sim.params import Params
from sim.path import Stage
from sim.processes.base import Interval, Process, Shared, mean
from sim.queueing import Played, Station
from sim.sessions import SessionQueue

if TYPE_CHECKING:
    from sim.processes.review import Review


class Office:
    """The Counsellor's Office: ``staff`` servers working off requests at ``requests_per_staff_week``.

    Attributes:
        key: ``office``.
        queue: The :class:`~sim.queueing.Station` (service draws from the ``office`` stream).
        utilisation: Busy server-time in the last step over staff x step length.
        waits: Waits (arrival to start of handling) of the requests started in the last step.
    """

    key = "office"

    def __init__(self, shared: Shared) -> None:
        self.queue = Station(rng=shared.streams[self.key], reference=shared.reference)
        self.utilisation = 0.0
        self.waits = np.zeros(0)

    def configure(self, params: Params) -> None:
        """Read staff, productivity and rules."""
        c = params.office
        self.queue.configure(c.staff, c.requests_per_staff_week / 7.0, c.discipline, c.service)

    def play(self, interval: Interval) -> Played:
        """Play the queue to the interval's end; keep the step's waits and utilisation."""
        queue = self.queue
        played = queue.play(interval.t1)
        self.waits = played.waits
        self.utilisation = played.busy / (max(queue.servers, 1) * interval.days)
        return played

    @property
    def queue_length(self) -> int:
        """Requests waiting, not in service."""
        return self.queue.queue_length

    @property
    def workload(self) -> int:
        """Requests waiting or in service."""
        return self.queue.queue_length + self.queue.in_service


class Commission:
    """The joint commission: requests wait for the next session, which agrees up to ``requests_per_session``.

    Sessions are held ``sessions_per_year`` times a year from the step in which
    the commission first opens.

    Attributes:
        key: ``commission``.
        queue: The :class:`~sim.sessions.SessionQueue`.
        utilisation: Share of the session capacity used by the sessions of the last
            step (``nan`` in a step without a session).
        waits: Waits (arrival to the agreeing session) of the requests agreed in the last step.
    """

    key = "commission"

    def __init__(self, shared: Shared) -> None:
        self.queue = SessionQueue()
        self.utilisation = math.nan
        self.waits = np.zeros(0)
        self._open = False

    def configure(self, params: Params) -> None:
        """Read the session capacity, rhythm and discipline."""
        c = params.commission
        self.queue.configure(c.requests_per_session, c.sessions_per_year, c.discipline)
        self._open = c.open

    def play(self, interval: Interval) -> Played:
        """Hold the sessions due before the interval's end (the first in the step the commission opens)."""
        if self._open:
            self.queue.start(interval.t0)
        played = self.queue.play(interval.t1)
        self.waits = played.waits
        capacity = self.queue.capacity_last
        self.utilisation = self.queue.agreed_last / capacity if capacity else math.nan
        return played

    @property
    def queue_length(self) -> int:
        """Requests waiting for a session."""
        return self.queue.queue_length

    @property
    def workload(self) -> int:
        """Requests waiting for a session."""
        return self.queue.queue_length


class Channels(Process):
    """The two channels, the office first: queue, handle, forward to the holding agency.

    Args:
        shared: The ledger, routes and streams.
        params: Parameters at build time.
        to: Soviet review, which receives the requests forwarded.
    """

    name = "channels"
    does = (
        "The Counsellor's Office and the commission work off their queues (`queued`) and forward "
        "requests to the holding agency (`forwarded`)."
    )

    def __init__(self, shared: Shared, params: Params, *, to: Review) -> None:
        self._ledger, self._routes = shared.ledger, shared.routes
        self._to = to
        self.office, self.commission = Office(shared), Commission(shared)
        self.channels: list[Office | Commission] = [self.office, self.commission]
        assert [c.key for c in self.channels] == list(CHANNELS)
        self.configure(params)

    def configure(self, params: Params) -> None:
        """Read each channel's staff, productivity and rules."""
        for channel in self.channels:
            channel.configure(params)

    def receive(self, ids: np.ndarray, times: np.ndarray, channel: np.ndarray, priority: np.ndarray) -> None:
        """Requests ``ids`` reach channel ``channel[i]`` at ``times[i]`` (each channel's in ledger order)."""
        office, commission = self.office, self.commission
        mine = channel == 0
        if mine.any():
            office.queue.arrive(ids[mine], times[mine], np.ones(int(mine.sum())), priority[mine])
        if not mine.all():
            commission.queue.arrive(ids[~mine], times[~mine], priority[~mine])

    def advance(self, interval: Interval) -> None:
        """Each channel plays its queue to ``t1``; finished requests travel to their agency."""
        ledger = self._ledger
        for index, channel in enumerate(self.channels):
            played = channel.play(interval)
            ledger.defer(played.arrived, Stage.QUEUED)
            if len(played.started):
                ledger.handled[played.started.items] = played.started.times
            finished = played.finished
            if len(finished):
                ids, times = finished
                ledger.defer(finished, Stage.FORWARDED)
                agency = ledger.cols["agency"][ids]
                self._to.receive(ids, times + self._routes.forward_delay[index, agency], agency)

    def workload(self) -> list[int]:
        """Requests waiting or in service at each channel."""
        return [c.workload for c in self.channels]

    def observe(self) -> dict[str, float]:
        """Each channel's queue, utilisation and mean wait."""
        found: dict[str, float] = {}
        for channel in self.channels:
            found[f"{channel.key}_queue"] = channel.queue_length
            found[f"{channel.key}_utilisation"] = channel.utilisation
            found[f"{channel.key}_wait_days"] = mean(channel.waits)
        return found
