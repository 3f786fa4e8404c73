"""The five kinds of agent. Each owns the queue where its work waits.

Agents act on requests, which are rows of the model's ledger (see
:mod:`sim.ledger`), and on the enterprise population (see :mod:`sim.adoption`).
The order in which they act within a step is written once, in
:meth:`sim.model.TechTransferModel.step`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.catalog import CATEGORIES, CHANNELS, SECTORS, Stage
from sim.network import agency_node, enterprise_node, ministry_node
from sim.queueing import DelayLine, Pairs, Station, unzip

if TYPE_CHECKING:
    from sim.ledger import Ledger
    from sim.model import TechTransferModel

STANDARDS = CATEGORIES.index("standards")
OFFICE, COMMISSION = CHANNELS.index("office"), CHANNELS.index("commission")
_CELLS = np.arange(len(SECTORS) * len(CATEGORIES))  # (ministry, category) cells, ministry by ministry


def play_stations[A: mesa.Agent](
    owners: Sequence[A],
    station: str,
    t_end: float,
    ledger: Ledger,
    *,
    arrived: Stage | None = None,
    started: Stage | None = None,
) -> tuple[Pairs, list[A]]:
    """Advance to ``t_end`` the station (attribute ``station``) of each owner with an event due before then.

    Owners with nothing due are idle and skipped. Arrivals and starts are deferred
    to the ledger in the stages given (if any).

    Returns:
        The finished ``(id, time)`` pairs, owner by owner in order and in time
        order within each, and the owner of each.
    """
    finished: Pairs = []
    by: list[A] = []
    for owner in owners:
        queue: Station = getattr(owner, station)
        if queue.next_time < t_end:
            came, began, done = queue.advance(t_end)
            if arrived is not None:
                ledger.defer(came, arrived)
            if started is not None:
                ledger.defer(began, started)
            finished += done
            by += [owner] * len(done)
    return finished, by


class Ministry(mesa.Agent):
    """A Chinese ministry: asks for material, translates it, hands it on.

    Attributes:
        sector: Index of its sector in :data:`sim.catalog.SECTORS`.
        translation: Its translators, as one pooled server (pages per day).
        standards_stock: Soviet standards delivered and not yet re-issued.
    """

    model: TechTransferModel

    def __init__(self, model: TechTransferModel, sector: int, key: str) -> None:
        super().__init__(model)
        self.sector = sector
        self.key = key
        self.node = ministry_node(key)
        self.translation = Station()
        self.standards_stock = 0
        self.national_standards = 0

    def configure(self) -> None:
        """Read translation capacity from the parameters in force."""
        p = self.model.params
        capacity = p.translation.translators * self.model.sector_weight[self.sector]
        self.translation.configure(1, capacity * p.translation.pages_per_translator_week / 7.0, "fifo")

    @classmethod
    def send_requests(cls, model: TechTransferModel, t0: float, t1: float) -> None:
        """All ministries create this step's requests and send them along open channels.

        Each ministry asks for each category at Poisson rate ``requests_per_week
        * plan_intensity * sector share``, at times uniform within the step (one
        vectorised draw for all ministries). A request goes through the
        commission with chance ``commission.share`` when both channels are open;
        with no channel open it is counted as unsent.
        """
        p = model.params
        rng = model.streams["demand"]
        arrays = model.arrays
        counts = rng.poisson(model.step_demand)
        n = int(counts.sum())
        if n == 0:
            return
        ministry, category = np.divmod(np.repeat(_CELLS[: counts.size], counts.ravel()), len(CATEGORIES))
        times = t0 + rng.random(n) * (t1 - t0)
        order = times.argsort(kind="stable")
        ministry, category, times = ministry[order], category[order], times[order]
        sets = 1 + rng.poisson(arrays["extra_sets_per_request"][category])
        priority = rng.random(n) < p.demand.priority_share
        via_commission = rng.random(n) < p.commission.share
        open_to = model.channel_open[ministry]
        channel = np.where(open_to[:, COMMISSION] & (via_commission | ~open_to[:, OFFICE]), COMMISSION, OFFICE)
        sent = open_to.any(axis=1)
        if not sent.all():
            model.requests_unsent += int(n - sent.sum())
            if not sent.any():
                return
            ministry, category, times, sets, priority, channel = (
                a[sent] for a in (ministry, category, times, sets, priority, channel)
            )
        ids = model.ledger.create(
            times,
            category=category,
            ministry=ministry,
            channel=channel,
            agency=model.holder[ministry, category],
            sets=sets,
            pages=sets * arrays["pages_per_set"][category],
            priority=priority,
        )
        arrivals = times + model.channel_delay[ministry, channel]
        desks = model.channels
        for rid, t, c, prio in zip(ids.tolist(), arrivals.tolist(), channel.tolist(), priority.tolist(), strict=True):
            desks[c].queue.arrive(rid, t, 1.0, prio)

    @classmethod
    def translate_all(cls, model: TechTransferModel, t_end: float) -> None:
        """All ministries translate up to ``t_end`` and deliver what is finished to their enterprises.

        A finished request's sets are added to its sector's delivered sets of its
        category (standards also to the ministry's stock), and its lead time is
        recorded, ministry by ministry in the order they finish.
        """
        ledger = model.ledger
        finished, _ = play_stations(model.ministries, "translation", t_end, ledger, started=Stage.TRANSLATING)
        if not finished:
            return
        ledger.defer(finished, Stage.DELIVERED)
        ids, times = unzip(finished)
        sector, category, sets = (ledger.cols[name][ids] for name in ("ministry", "category", "sets"))
        np.add.at(model.population.delivered_sets, (sector, category), sets)
        standards = category == STANDARDS
        if standards.any():
            for m, count in enumerate(np.bincount(sector[standards], sets[standards], len(model.ministries))):
                model.ministries[m].standards_stock += int(count)
        model.step_lead_times += (times - ledger.times[ids, Stage.IN_TRANSIT]).tolist()

    @classmethod
    def reissue_standards(cls, model: TechTransferModel, step_days: int) -> None:
        """All ministries re-issue some delivered Soviet standards as Chinese national standards.

        Each standard in stock is re-issued in the step with chance ``1 - (1 -
        reissue_rate)^(step_days / 7)``: one binomial draw per ministry with stock,
        in ministry order.
        """
        rate = model.params.standards.reissue_rate
        stock = [m.standards_stock for m in model.ministries]
        if rate <= 0 or not any(stock):
            return
        chance = 1.0 - (1.0 - rate) ** (step_days / 7.0)
        issued = model.streams["standards"].binomial(stock, chance).tolist()  # no draw where the stock is 0
        for ministry, count in zip(model.ministries, issued, strict=True):
            ministry.standards_stock -= count
            ministry.national_standards += count


class CounsellorOffice(mesa.Agent):
    """The Chinese Commercial Counsellor's Office in Moscow: the one channel of 1952.

    It works off requests at ``staff`` servers, forwards each to the Soviet
    agency that holds the material, and ships copied material home.
    """

    model: TechTransferModel
    channel = "office"

    def __init__(self, model: TechTransferModel) -> None:
        super().__init__(model)
        self.node = self.channel
        self.queue = Station(rng=model.streams[self.channel])
        self.shipments = DelayLine()
        self._busy_before = 0.0
        self.utilisation = 0.0
        self.step_waits: list[float] = []

    def configure(self) -> None:
        """Read staff, productivity, rules and onward delays from the parameters in force."""
        model = self.model
        c = getattr(model.params, self.channel)
        self.queue.configure(c.staff, c.requests_per_staff_week / 7.0, c.discipline, c.service)
        self.to_agency = [model.edge_delay[self.node, agency.node] for agency in model.agencies]
        self.to_ministry = [model.edge_delay[self.node, ministry.node] for ministry in model.ministries]

    def handle_requests(self, t0: float, t1: float) -> None:
        """Work off queued requests until ``t1``; forward finished ones to their agency."""
        model = self.model
        ledger = model.ledger
        arrived, started, finished = self.queue.advance(t1)
        ledger.stamp_pairs(arrived, Stage.QUEUED)  # now rather than at the flush: the waits below read it
        self.step_waits = []
        if started:
            ids, times = unzip(started)
            ledger.handled[ids] = times
            self.step_waits = (times - ledger.times[ids, Stage.QUEUED]).tolist()
        if finished:
            ledger.defer(finished, Stage.FORWARDED)
            ids, _ = unzip(finished)
            agency_of, priority_of = ledger.cols["agency"][ids].tolist(), ledger.cols["priority"][ids].tolist()
            agencies, delay = model.agencies, self.to_agency
            for (rid, t), agency, priority in zip(finished, agency_of, priority_of, strict=True):
                agencies[agency].reviews.arrive(rid, t + delay[agency], 1.0, priority)
        busy = self.queue.busy_time
        self.utilisation = (busy - self._busy_before) / (max(self.queue.servers, 1) * (t1 - t0))
        self._busy_before = busy

    def ship_home(self, t_end: float) -> None:
        """Material due in Beijing before ``t_end`` arrives at its ministry and waits for translation."""
        released = self.shipments.release(t_end)
        if not released:
            return
        ledger = self.model.ledger
        ledger.defer(released, Stage.ARRIVED)
        ids, _ = unzip(released)
        ministries = self.model.ministries
        ministry_of, pages_of = ledger.cols["ministry"][ids].tolist(), ledger.pages[ids].tolist()
        for (rid, due), ministry, pages in zip(released, ministry_of, pages_of, strict=True):
            ministries[ministry].translation.arrive(rid, due, pages)


class JointCommission(CounsellorOffice):
    """The Sino-Soviet joint commission of the 1954 agreement: a second channel."""

    channel = "commission"


class SovietAgency(mesa.Agent):
    """A Soviet agency: reviews requests, decides, and routes approved ones to an enterprise."""

    model: TechTransferModel

    def __init__(self, model: TechTransferModel, index: int, key: str) -> None:
        super().__init__(model)
        self.index = index
        self.key = key
        self.node = agency_node(key)
        self.reviews = Station()
        self.decisions = DelayLine()
        self.enterprises: list[SovietEnterprise] = []

    def configure(self) -> None:
        """Read review capacity, discipline and delays to its enterprises from the parameters in force."""
        s = self.model.params.soviet
        self.reviews.configure(1, s.reviews_per_week / 7.0, s.discipline)
        self.to_enterprise = [self.model.edge_delay[self.node, e.node] for e in self.enterprises]

    @classmethod
    def review_all(cls, model: TechTransferModel, t_end: float) -> None:
        """All agencies review until ``t_end`` and decide what falls due.

        A finished review becomes a decision after an exponential deliberation
        (mean ``review_weeks`` of its category); a decision approves with chance
        ``approval`` and routes the request to one of the agency's enterprises at
        random. Agencies are taken in order, and each random stream draws once for
        all of them.
        """
        ledger = model.ledger
        reviewed, by = play_stations(model.agencies, "reviews", t_end, ledger, arrived=Stage.UNDER_REVIEW)
        if reviewed:
            ids, times = unzip(reviewed)
            mean_days = model.arrays["review_days"][ledger.cols["category"][ids]]
            due = (times + mean_days * model.streams["review"].standard_exponential(len(ids))).tolist()
            for agency, (rid, _), when in zip(by, reviewed, due, strict=True):
                agency.decisions.push(rid, when)
        decided: Pairs = []
        by: list[SovietAgency] = []
        for agency in model.agencies:
            if agency.decisions.next_time < t_end:
                released = agency.decisions.release(t_end)
                decided += released
                by += [agency] * len(released)
        if not decided:
            return
        ids, _ = unzip(decided)
        approve = model.streams["approval"].random(len(ids)) < model.arrays["approval"][ledger.cols["category"][ids]]
        per_agency = len(model.agencies[0].enterprises)  # as built: the same for every agency
        choice = model.streams["routing"].integers(per_agency, size=len(ids)).tolist()  # for every decision
        ledger.defer([pair for pair, yes in zip(decided, approve.tolist(), strict=True) if not yes], Stage.REJECTED)
        approved = np.flatnonzero(approve).tolist()
        if not approved:
            return
        ledger.defer([decided[i] for i in approved], Stage.APPROVED)
        sets_of, priority_of = ledger.cols["sets"][ids].tolist(), ledger.cols["priority"][ids].tolist()
        chosen = []
        for i in approved:
            agency, (rid, when), j = by[i], decided[i], choice[i]
            enterprise = agency.enterprises[j]
            chosen.append(enterprise.index)
            enterprise.copying.arrive(rid, when + agency.to_enterprise[j], float(sets_of[i]), priority_of[i])
        ledger.cols["soviet_enterprise"][ids[approved]] = chosen


class SovietEnterprise(mesa.Agent):
    """A Soviet plant or design institute: copies documentation, sets at a time."""

    model: TechTransferModel

    def __init__(self, model: TechTransferModel, agency: SovietAgency, index: int, j: int) -> None:
        super().__init__(model)
        self.agency = agency
        self.index = index
        self.node = enterprise_node(agency.key, j)
        self.copying = Station()

    def configure(self) -> None:
        """Read copying capacity and the delays to the channels from the parameters in force."""
        model = self.model
        self.copying.configure(1, model.params.soviet.copy_sets_per_week / 7.0, "fifo")
        self.to_channel = [model.edge_delay[self.node, channel.node] for channel in model.channels]

    @classmethod
    def copy_all(cls, model: TechTransferModel, t_end: float) -> None:
        """All enterprises copy until ``t_end`` and ship finished sets home through the request's channel.

        Enterprises with nothing due before ``t_end`` are idle and skipped. A
        shipment is due in Beijing after the delay from the enterprise to the
        channel and from the channel to the ministry.
        """
        ledger = model.ledger
        finished, by = play_stations(model.soviet_enterprises, "copying", t_end, ledger, started=Stage.COPYING)
        if not finished:
            return
        ledger.defer(finished, Stage.SHIPPED)
        ids, _ = unzip(finished)
        category, sets = ledger.cols["category"][ids], ledger.cols["sets"][ids]
        np.add.at(model.supplied_sets, category, sets)
        channel_of, ministry_of = ledger.cols["channel"][ids].tolist(), ledger.cols["ministry"][ids].tolist()
        desks = model.channels
        for enterprise, (rid, t), c, m in zip(by, finished, channel_of, ministry_of, strict=True):
            desk = desks[c]
            desk.shipments.push(rid, t + enterprise.to_channel[c] + desk.to_ministry[m])


class ChineseEnterprise(mesa.Agent):
    """A Chinese enterprise. Its state is a column of the model's population arrays.

    The population adopts in one vectorised update
    (:meth:`sim.adoption.EnterprisePopulation.step`); this agent is a view of
    one enterprise for inspection.
    """

    model: TechTransferModel

    def __init__(self, model: TechTransferModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def sector(self) -> str:
        """Key of the enterprise's sector."""
        return self.model.sector_keys[self.model.population.sector[self.index]]

    @property
    def adopted(self) -> dict[str, bool]:
        """Category -> whether this enterprise has adopted it."""
        return dict(zip(CATEGORIES, self.model.population.adopted[:, self.index].tolist(), strict=True))

    @property
    def absorptive_capacity(self) -> float:
        """Engineers' capacity raised by Soviet specialists, in [0, 1]."""
        return float(self.model.population.absorptive_capacity(self.model.params)[self.index])
