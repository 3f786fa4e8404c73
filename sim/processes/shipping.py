"""Shipping: copied material travels home through its channel and arrives at its ministry."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.catalog import CHANNELS
from sim.params import Params
from sim.path import Stage
from sim.processes.base import Interval, Process, Shared
from sim.queueing import DelayLines

if TYPE_CHECKING:
    from sim.processes.translation import Translation


class Shipping(Process):
    """Material on its way to Beijing, one delay line per channel (the office's released first).

    Args:
        shared: The ledger, routes and streams.
        params: Parameters at build time.
        to: Translation, which receives the material that arrives.
    """

    name = "shipping"
    does = "The channels deliver shipments due in Beijing (`arrived`)."

    def __init__(self, shared: Shared, params: Params, *, to: Translation) -> None:
        self._ledger, self._to = shared.ledger, to
        self.shipments = DelayLines(len(CHANNELS))

    def configure(self, params: Params) -> None:
        """Nothing to read: the delays were set when the material was shipped."""

    def receive(self, ids: np.ndarray, due: np.ndarray, channel: np.ndarray) -> None:
        """Material of requests ``ids`` is due in Beijing at ``due[i]`` through ``channel[i]``."""
        self.shipments.push(ids, due, channel)

    def advance(self, interval: Interval) -> None:
        """Release the material due before ``t1`` to its ministry's translators."""
        released = self.shipments.release(interval.t1)
        if not len(released):
            return
        self._ledger.defer(released, Stage.ARRIVED)
        self._to.receive(released)
