"""Demand: the ministries create requests and send them along the open channels."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.catalog import CATEGORIES, CHANNELS, SECTOR_KEYS, holder_table
from sim.params import Params
from sim.processes.base import Interval, Process, Shared

if TYPE_CHECKING:
    from sim.processes.channels import Channels

OFFICE, COMMISSION = CHANNELS.index("office"), CHANNELS.index("commission")
_CELLS = np.arange(len(SECTOR_KEYS) * len(CATEGORIES))  # (ministry, category) cells, ministry by ministry


class Demand(Process):
    """Requests from the ministries, Poisson in time.

    Each ministry asks for each category at Poisson rate ``requests_per_week *
    plan_intensity * sector share``, at times uniform within the step (one
    vectorised draw for all ministries). A request goes through the commission
    with chance ``commission.share`` when both channels are open; with no
    channel open it is counted as unsent. Draws come from the ``demand`` stream.

    Args:
        shared: The ledger, routes and streams.
        params: Parameters at build time.
        to: The channels, which receive the requests sent.

    Attributes:
        unsent: Requests that found no channel open, since the start.
    """

    name = "demand"
    does = "Ministries create requests (Poisson in time) and send them along the open channels (`in_transit`)."

    def __init__(self, shared: Shared, params: Params, *, to: Channels) -> None:
        self._ledger, self._routes = shared.ledger, shared.routes
        self._rng = shared.streams["demand"]
        self._to = to
        self._holder = np.array(holder_table())
        self._step_days = params.time.step_days
        self.unsent = 0
        self.configure(params)

    def configure(self, params: Params) -> None:
        """Read demand rates, sector shares, request sizes and the commission's share."""
        weights = np.array([getattr(params.sectors, key).weight for key in SECTOR_KEYS])
        total = weights.sum()
        share = weights / total if total > 0 else np.zeros_like(weights)
        weekly = np.outer(share, params.demand.requests_per_week.array()) * params.demand.plan_intensity
        self._step_demand = weekly * float(self._step_days) / 7.0
        self._extra_sets = params.demand.sets_per_request.array() - 1.0
        self._pages_per_set = params.translation.pages_per_set.array()
        self._priority_share = params.demand.priority_share
        self._commission_share = params.commission.share

    def advance(self, interval: Interval) -> None:
        """Create this step's requests, enter them in the ledger and send them to their channel."""
        rng, routes = self._rng, self._routes
        counts = rng.poisson(self._step_demand)
        n = int(counts.sum())
        if n == 0:
            return
        ministry, category = np.divmod(np.repeat(_CELLS[: counts.size], counts.ravel()), len(CATEGORIES))
        times = interval.t0 + rng.random(n) * interval.days
        order = times.argsort(kind="stable")
        ministry, category, times = ministry[order], category[order], times[order]
        sets = 1 + rng.poisson(self._extra_sets[category])
        priority = rng.random(n) < self._priority_share
        via_commission = rng.random(n) < self._commission_share
        open_to = routes.channel_open[ministry]
        channel = np.where(open_to[:, COMMISSION] & (via_commission | ~open_to[:, OFFICE]), COMMISSION, OFFICE)
        if not routes.every_ministry_open:
            sent = open_to.any(axis=1)
            self.unsent += int(n - sent.sum())
            if not sent.any():
                return
            ministry, category, times = ministry[sent], category[sent], times[sent]
            sets, priority, channel = sets[sent], priority[sent], channel[sent]
        ids = self._ledger.create(
            times,
            category=category,
            ministry=ministry,
            channel=channel,
            agency=self._holder[ministry, category],
            sets=sets,
            pages=sets * self._pages_per_set[category],
            priority=priority,
        )
        self._to.receive(ids, times + routes.channel_delay[ministry, channel], channel, priority)

    def observe(self) -> dict[str, float]:
        """Requests unsent so far."""
        return {"requests_unsent": self.unsent}
