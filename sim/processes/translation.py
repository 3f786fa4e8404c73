"""Translation: the ministries translate arrived material and deliver it to their enterprises."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.catalog import CATEGORIES, SECTOR_KEYS
from sim.params import Params
from sim.path import Stage
from sim.processes.base import Interval, Process, Shared, mean
from sim.queueing import Batch, StationBank

if TYPE_CHECKING:
    from sim.processes.adoption import Adoption
    from sim.processes.standards import Standards

STANDARDS = CATEGORIES.index("standards")


class Translation(Process):
    """One pooled translator per ministry, pages at a time (first come, first served).

    A ministry has ``translators`` times its sector's weight over the mean weight,
    each rendering ``pages_per_translator_week``. A finished request's sets are
    delivered to its sector's enterprises (and standards to the ministry's stock
    for re-issue), and its lead time is recorded, ministry by ministry in the
    order they finish.

    Args:
        shared: The ledger, routes and streams.
        params: Parameters at build time.
        adoption: Receives the sets delivered, by sector and category.
        standards: Receives the standards delivered, by ministry.

    Attributes:
        translators: One one-server station per ministry (pages per day).
        delivered: Sets delivered so far, by category.
    """

    name = "translation"
    does = "Ministries translate (`translating`) and deliver to their enterprises (`delivered`)."

    def __init__(self, shared: Shared, params: Params, *, adoption: Adoption, standards: Standards) -> None:
        self._ledger = shared.ledger
        self._adoption, self._standards = adoption, standards
        self.translators = StationBank(len(SECTOR_KEYS), reference=shared.reference)
        self.delivered = np.zeros(len(CATEGORIES), dtype=np.int64)
        self._lead_times: list[float] = []
        self.configure(params)

    def configure(self, params: Params) -> None:
        """Read translators and their pace: translators in proportion to sector weight."""
        weights = np.array([getattr(params.sectors, key).weight for key in SECTOR_KEYS])
        weight = weights / weights.mean() if weights.sum() > 0 else np.zeros_like(weights)
        t = params.translation
        pages_per_day = t.translators * weight * t.pages_per_translator_week / 7.0
        self.translators.configure(pages_per_day.tolist(), "fifo")

    def receive(self, arrived: Batch) -> None:
        """Material of requests ``arrived.items`` reaches its ministry at ``arrived.times``."""
        ids = arrived.items
        ledger = self._ledger
        ministry = ledger.cols["ministry"][ids]
        self.translators.arrive(ids, arrived.times, ledger.pages[ids], np.zeros(len(ids), dtype=bool), ministry)

    def advance(self, interval: Interval) -> None:
        """Translate to ``t1`` and deliver what is finished."""
        ledger = self._ledger
        self._lead_times = []
        played = self.translators.play(interval.t1)
        ledger.defer(played.started, Stage.TRANSLATING)
        finished = played.finished
        if not len(finished):
            return
        ledger.defer(finished, Stage.DELIVERED)
        ids, times = finished.items, finished.times
        sector, category, sets = (ledger.cols[name][ids] for name in ("ministry", "category", "sets"))
        self._adoption.receive(sector, category, sets)
        np.add.at(self.delivered, category, sets)
        standards = category == STANDARDS
        if standards.any():
            self._standards.receive(np.bincount(sector[standards], sets[standards], len(SECTOR_KEYS)))
        self._lead_times = (times - ledger.times[ids, Stage.IN_TRANSIT]).tolist()

    def workload(self) -> list[int]:
        """Requests waiting for or in translation at each ministry."""
        return self.translators.workloads()

    def observe(self) -> dict[str, float]:
        """Lead time of the step's deliveries and sets delivered so far."""
        found: dict[str, float] = {"lead_time_days": mean(self._lead_times)}
        found.update(zip((f"sets_delivered_{c}" for c in CATEGORIES), self.delivered.tolist(), strict=True))
        return found
