"""Standards: the ministries re-issue delivered Soviet standards as Chinese national standards."""

from __future__ import annotations

import numpy as np

from sim.catalog import SECTOR_KEYS
from sim.params import Params
from sim.processes.base import Interval, Process, Shared


class Standards(Process):
    """Each standard in stock is re-issued in a step with chance ``1 - (1 - reissue_rate)^(step_days / 7)``.

    One binomial draw per ministry with stock, in ministry order, from the
    ``standards`` stream; no draw when no ministry has stock.

    Args:
        shared: The ledger, routes and streams.
        params: Parameters at build time.

    Attributes:
        stock: Soviet standards delivered and not yet re-issued, per ministry.
        issued: National standards issued, per ministry.
    """

    name = "standards"
    does = "Ministries re-issue delivered Soviet standards as national standards."

    def __init__(self, shared: Shared, params: Params) -> None:
        self._rng = shared.streams["standards"]
        self._step_days = params.time.step_days
        self.stock = [0] * len(SECTOR_KEYS)
        self.issued = [0] * len(SECTOR_KEYS)
        self.configure(params)

    def configure(self, params: Params) -> None:
        """Read the re-issue rate."""
        self._rate = params.standards.reissue_rate

    def receive(self, sets: np.ndarray) -> None:
        """Standards delivered to each ministry (``sets[m]``)."""
        for m, count in enumerate(sets.tolist()):
            self.stock[m] += int(count)

    def advance(self, interval: Interval) -> None:
        """Re-issue some of each ministry's stock."""
        if self._rate <= 0 or not any(self.stock):
            return
        chance = 1.0 - (1.0 - self._rate) ** (self._step_days / 7.0)
        issued = self._rng.binomial(self.stock, chance).tolist()  # no draw where the stock is 0
        for m, count in enumerate(issued):
            self.stock[m] -= count
            self.issued[m] += count

    def observe(self) -> dict[str, float]:
        """National standards issued so far."""
        return {"national_standards": sum(self.issued)}
