"""Copying: the Soviet enterprises copy the approved documentation and ship it home."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.catalog import AGENCIES, CATEGORIES
from sim.params import Params
from sim.path import Stage
from sim.processes.base import Interval, Process, Shared
from sim.queueing import StationBank

if TYPE_CHECKING:
    from sim.processes.shipping import Shipping


class Copying(Process):
    """One copyist per Soviet enterprise, sets at a time (deterministic, first come first served).

    A finished request's sets count as supplied, and its shipment is due in
    Beijing after the delay from the enterprise to the request's channel and from
    the channel to the ministry.

    Args:
        shared: The ledger, routes and streams.
        params: Parameters at build time.
        to: Shipping, which holds the material on its way home.

    Attributes:
        copyists: One one-server station per Soviet enterprise (sets per day).
        supplied: Sets supplied so far, by category.
    """

    name = "copying"
    does = "Soviet enterprises copy (`copying`) and ship sets home (`shipped`)."

    def __init__(self, shared: Shared, params: Params, *, to: Shipping) -> None:
        self._ledger, self._routes, self._to = shared.ledger, shared.routes, to
        self._n = len(AGENCIES) * params.soviet.enterprises_per_agency
        self.copyists = StationBank(self._n, reference=shared.reference)
        self.supplied = np.zeros(len(CATEGORIES), dtype=np.int64)
        self.configure(params)

    def configure(self, params: Params) -> None:
        """Read copying capacity (the same for every enterprise)."""
        self.copyists.configure([params.soviet.copy_sets_per_week / 7.0] * self._n, "fifo")

    def receive(self, ids: np.ndarray, times: np.ndarray, enterprise: np.ndarray) -> None:
        """Approved requests ``ids`` reach Soviet enterprise ``enterprise[i]`` at ``times[i]``."""
        ledger = self._ledger
        work = ledger.cols["sets"][ids].astype(np.float64)
        self.copyists.arrive(ids, times, work, ledger.cols["priority"][ids], enterprise)

    def advance(self, interval: Interval) -> None:
        """Copy to ``t1`` and ship what is finished."""
        ledger, routes = self._ledger, self._routes
        played = self.copyists.play(interval.t1)
        ledger.defer(played.started, Stage.COPYING)
        finished = played.finished
        if not len(finished):
            return
        ledger.defer(finished, Stage.SHIPPED)
        ids = finished.items
        category, sets = ledger.cols["category"][ids], ledger.cols["sets"][ids]
        np.add.at(self.supplied, category, sets)
        channel, ministry = ledger.cols["channel"][ids], ledger.cols["ministry"][ids]
        enterprise = ledger.cols["soviet_enterprise"][ids]
        due = finished.times + routes.collect_delay[enterprise, channel] + routes.return_delay[channel, ministry]
        self._to.receive(ids, due, channel)

    def workload(self) -> list[int]:
        """Requests waiting for or being copied at each Soviet enterprise."""
        return self.copyists.workloads()

    def observe(self) -> dict[str, float]:
        """Sets supplied so far, by category and in all."""
        supplied: dict[str, float] = dict(
            zip((f"sets_supplied_{c}" for c in CATEGORIES), self.supplied.tolist(), strict=True)
        )
        return supplied | {"sets_supplied_all": self.supplied.sum().item()}
