"""The channels: the Counsellor's Office and the joint commission work off requests and forward them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.catalog import CHANNELS
from sim.params import ChannelParams, Params
from sim.path import Stage
from sim.processes.base import Interval, Process, Shared, mean
from sim.queueing import Played, Station

if TYPE_CHECKING:
    from sim.processes.review import Review


class Channel:
    """One channel's queue: ``staff`` servers working off requests at ``requests_per_staff_week``.

    Attributes:
        key: ``office`` or ``commission``.
        queue: The :class:`~sim.queueing.Station` (service draws from the channel's own stream).
        utilisation: Busy server-time in the last step over staff x step length.
        waits: Waits (arrival to start of handling) of the requests started in the last step.
    """

    def __init__(self, key: str, shared: Shared) -> None:
        self.key = key
        self.queue = Station(rng=shared.streams[key])
        self.utilisation = 0.0
        self.waits = np.zeros(0)
        self._busy_before = 0.0

    def configure(self, params: ChannelParams) -> None:
        """Read staff, productivity and rules."""
        self.queue.configure(params.staff, params.requests_per_staff_week / 7.0, params.discipline, params.service)

    def play(self, interval: Interval) -> Played:
        """Play the queue to the interval's end; keep the step's waits and utilisation."""
        queue = self.queue
        played = queue.play(interval.t1)
        self.waits = played.waits
        busy = queue.busy_time
        self.utilisation = (busy - self._busy_before) / (max(queue.servers, 1) * interval.days)
        self._busy_before = busy
        return played


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
        self.channels = [Channel(key, shared) for key in CHANNELS]
        self.configure(params)

    def configure(self, params: Params) -> None:
        """Read each channel's staff, productivity and rules."""
        for channel in self.channels:
            channel.configure(getattr(params, channel.key))

    def receive(self, ids: np.ndarray, times: np.ndarray, channel: np.ndarray, priority: np.ndarray) -> None:
        """Requests ``ids`` reach channel ``channel[i]`` at ``times[i]`` (each channel's in ledger order)."""
        for c, desk in enumerate(self.channels):
            mine = channel == c
            if mine.any():
                desk.queue.arrive(ids[mine], times[mine], np.ones(int(mine.sum())), priority[mine])

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
        return [c.queue.queue_length + c.queue.in_service for c in self.channels]

    def observe(self) -> dict[str, float]:
        """Each channel's queue, utilisation and mean wait."""
        found: dict[str, float] = {}
        for channel in self.channels:
            found[f"{channel.key}_queue"] = channel.queue.queue_length
            found[f"{channel.key}_utilisation"] = channel.utilisation
            found[f"{channel.key}_wait_days"] = mean(channel.waits)
        return found
