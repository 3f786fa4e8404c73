"""Soviet review: the agencies review requests, deliberate and decide; approved ones go to an enterprise."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.catalog import AGENCIES
from sim.params import Params
from sim.path import Stage
from sim.processes.base import Interval, Process, Shared
from sim.queueing import DelayLines, StationBank

if TYPE_CHECKING:
    from sim.processes.copying import Copying


class Review(Process):
    """One reviewer per agency, then a deliberation, then a decision.

    A finished review becomes a decision after an exponential deliberation (mean
    ``review_weeks`` of its category, stream ``review``); a decision approves with
    chance ``approval`` (stream ``approval``) and routes the request to one of the
    agency's enterprises at random (stream ``routing``). Agencies are taken in
    order, and each stream draws once for all of them.

    Args:
        shared: The ledger, routes and streams.
        params: Parameters at build time.
        to: Copying, which receives the approved requests.

    Attributes:
        reviewers: One one-server station per agency (reviews per day).
        deliberations: One delay line per agency.
    """

    name = "review"
    does = (
        "Soviet agencies review (`under_review`); deliberations that end decide "
        "(`approved`, routed to an enterprise, or `rejected`)."
    )

    def __init__(self, shared: Shared, params: Params, *, to: Copying) -> None:
        self._ledger, self._routes, self._to = shared.ledger, shared.routes, to
        self._review, self._approval_draws = shared.streams["review"], shared.streams["approval"]
        self._routing = shared.streams["routing"]
        self._per_agency = params.soviet.enterprises_per_agency
        self.reviewers = StationBank(len(AGENCIES), reference=shared.reference)
        self.deliberations = DelayLines(len(AGENCIES))
        self.configure(params)

    def configure(self, params: Params) -> None:
        """Read review capacity, discipline, deliberation times and approval (the same for every agency)."""
        s = params.soviet
        self.reviewers.configure([s.reviews_per_week / 7.0] * len(AGENCIES), s.discipline)
        self._review_days = s.review_weeks.array() * 7.0
        self._approval = s.approval.array()

    def receive(self, ids: np.ndarray, times: np.ndarray, agency: np.ndarray) -> None:
        """Requests ``ids`` reach agency ``agency[i]`` at ``times[i]``."""
        priority = self._ledger.cols["priority"][ids]
        self.reviewers.arrive(ids, times, np.ones(len(ids)), priority, agency)

    def advance(self, interval: Interval) -> None:
        """Review to ``t1``, start the deliberations, and decide those that end."""
        ledger, t_end = self._ledger, interval.t1
        category = ledger.cols["category"]
        played = self.reviewers.play(t_end)
        ledger.defer(played.arrived, Stage.UNDER_REVIEW)
        reviewed = played.finished
        if len(reviewed):
            mean_days = self._review_days[category[reviewed.items]]
            due = reviewed.times + mean_days * self._review.standard_exponential(len(reviewed))
            self.deliberations.push(reviewed.items, due, ledger.cols["agency"][reviewed.items])
        decided = self.deliberations.release(t_end)
        if not len(decided):
            return
        ids = decided.items
        approve = self._approval_draws.random(len(ids)) < self._approval[category[ids]]
        choice = self._routing.integers(self._per_agency, size=len(ids))  # for every decision
        ledger.defer(decided.select(~approve), Stage.REJECTED)
        if not approve.any():
            return
        approved = decided.select(approve)
        ledger.defer(approved, Stage.APPROVED)
        ids, j = approved.items, choice[approve]
        agency = ledger.cols["agency"][ids].astype(np.int64)
        enterprise = agency * self._per_agency + j  # enterprises are numbered agency by agency
        ledger.cols["soviet_enterprise"][ids] = enterprise
        self._to.receive(ids, approved.times + self._routes.dispatch_delay[agency, j], enterprise)

    def workload(self) -> list[int]:
        """Requests waiting for or under review at each agency."""
        return self.reviewers.workloads()
