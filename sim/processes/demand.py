"""Demand: the ministries create requests and send them along the open channels."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.catalog import CATEGORIES, CHANNELS, PROJECTS_BY_SECTOR, SECTOR_KEYS, holder_table
from sim.params import Params
from sim.processes.base import Interval, Process, Shared

if TYPE_CHECKING:
    from sim.processes.channels import Channels

OFFICE, COMMISSION = CHANNELS.index("office"), CHANNELS.index("commission")
_CELLS = np.arange(len(SECTOR_KEYS) * len(CATEGORIES))  # (ministry, category) cells, ministry by ministry
_PROJECT_SHARE = np.array([PROJECTS_BY_SECTOR[key] for key in SECTOR_KEYS], dtype=float)
_PROJECT_SHARE /= _PROJECT_SHARE.sum()
_YEAR_DAYS = 365.25


class Cohorts:
    """Units (projects, research items) agreed in batches, each asking for documentation for some years.

    A rise of the cumulative number agreed starts a cohort on the day it is seen;
    a cohort asks for documentation for ``years`` after it starts.
    """

    def __init__(self) -> None:
        self.starts: list[float] = []
        self.sizes: list[int] = []
        self.agreed = 0

    def agree(self, total: int, day: float) -> None:
        """The cumulative number agreed is ``total`` on ``day``."""
        if total > self.agreed:
            self.starts.append(day)
            self.sizes.append(total - self.agreed)
        self.agreed = max(self.agreed, total)

    def active(self, day: float, years: float) -> int:
        """Units asking for documentation on ``day``."""
        span = years * _YEAR_DAYS
        return sum(n for start, n in zip(self.starts, self.sizes, strict=True) if start <= day < start + span)


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
    does = (
        "Ministries create requests (Poisson in time) for the plan, the key projects under construction and "
        "the research items under way, and send them along the open channels (`in_transit`)."
    )

    def __init__(self, shared: Shared, params: Params, *, to: Channels) -> None:
        self._ledger, self._routes = shared.ledger, shared.routes
        self._rng = shared.streams["demand"]
        self._programme_rng = shared.streams["projects"]
        self.projects, self.research = Cohorts(), Cohorts()
        self._to = to
        self._holder = np.array(holder_table())
        self._step_days = params.time.step_days
        self.unsent = 0
        self._active_projects = self._active_items = 0.0
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
        self._weekly_share = share
        self._projects, self._research = params.projects, params.research

    def advance(self, interval: Interval) -> None:
        """Create this step's requests, enter them in the ledger and send them to their channel.

        The plan's requests come first (stream ``demand``), then those of the key
        projects and the research items (stream ``projects``, all priority).
        """
        self.projects.agree(self._projects.agreed, interval.t0)
        self.research.agree(self._research.items, interval.t0)
        rng = self._rng
        counts = rng.poisson(self._step_demand)
        self._send(rng, counts, interval, priority_share=self._priority_share)
        weeks = float(self._step_days) / 7.0
        p, r = self._projects, self._research
        projects = self.projects.active(interval.t0, p.construction_years) * p.active_share
        items = self.research.active(interval.t0, r.years) * r.active_share
        self._active_projects, self._active_items = projects, items
        if projects > 0 or items > 0:
            rate = np.outer(_PROJECT_SHARE * projects, p.requests_per_project_week.array())
            rate += np.outer(self._weekly_share * items, r.requests_per_item_week.array())
            rng = self._programme_rng
            self._send(rng, rng.poisson(rate * weeks), interval, priority_share=1.0)

    def _send(self, rng: np.random.Generator, counts: np.ndarray, interval: Interval, *, priority_share: float) -> None:
        """Create ``counts[ministry, category]`` requests at times uniform in the step, and send them."""
        routes = self._routes
        n = int(counts.sum())
        if n == 0:
            return
        ministry, category = np.divmod(np.repeat(_CELLS[: counts.size], counts.ravel()), len(CATEGORIES))
        times = interval.t0 + rng.random(n) * interval.days
        order = times.argsort(kind="stable")
        ministry, category, times = ministry[order], category[order], times[order]
        sets = 1 + rng.poisson(self._extra_sets[category])
        priority = rng.random(n) < priority_share
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
        """Requests unsent so far, and the key projects and research items asking for documentation."""
        return {
            "requests_unsent": self.unsent,
            "projects_active": self._active_projects,
            "research_items_active": self._active_items,
        }
