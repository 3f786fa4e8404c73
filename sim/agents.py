"""The five kinds of agent. Each owns the queue where its work waits.

Agents act on requests, which are rows of the model's ledger (see
:mod:`sim.ledger`), and on the enterprise population (see :mod:`sim.adoption`).
The order in which they act within a step is written once, in
:meth:`sim.model.TechTransferModel.step`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.catalog import CATEGORIES, CHANNELS, Stage
from sim.network import agency_node, enterprise_node, ministry_node
from sim.queueing import DelayLine, Station

if TYPE_CHECKING:
    from sim.model import TechTransferModel

STANDARDS = CATEGORIES.index("standards")


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
        counts = rng.poisson(model.weekly_demand * (t1 - t0) / 7.0)
        n = int(counts.sum())
        if n == 0:
            return
        ministry, category = np.divmod(np.repeat(np.arange(counts.size), counts.ravel()), len(CATEGORIES))
        times = t0 + rng.random(n) * (t1 - t0)
        order = np.argsort(times, kind="stable")
        ministry, category, times = ministry[order], category[order], times[order]
        sets = 1 + rng.poisson(arrays["sets_per_request"][category] - 1.0)
        priority = rng.random(n) < p.demand.priority_share
        via_commission = rng.random(n) < p.commission.share
        open_to = model.channel_open[ministry]
        office, commission = CHANNELS.index("office"), CHANNELS.index("commission")
        channel = np.where(open_to[:, commission] & (via_commission | ~open_to[:, office]), commission, office)
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

    def receive(self, rid: int, time: float) -> None:
        """Material for request ``rid`` arrives in Beijing and waits for translation."""
        self.translation.arrive(rid, time, float(self.model.ledger.pages[rid]))

    def translate(self, t_end: float) -> None:
        """Translate up to ``t_end``; deliver what is finished to the sector's enterprises."""
        if self.translation.next_time >= t_end:
            return
        _, started, finished = self.translation.advance(t_end)
        if not started and not finished:
            return
        model = self.model
        ledger = model.ledger
        ledger.defer(started, Stage.TRANSLATING)
        ledger.defer(finished, Stage.DELIVERED)
        if finished:
            category_of, sets_of, created = ledger.cols["category"], ledger.cols["sets"], ledger.times
            delivered, lead_times = model.population.delivered_sets[self.sector], model.step_lead_times
            for rid, t in finished:
                category, sets = category_of[rid], sets_of[rid]
                delivered[category] += sets
                if category == STANDARDS:
                    self.standards_stock += int(sets)
                lead_times.append(t - float(created[rid, Stage.IN_TRANSIT]))

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
        """Read staff, productivity and rules from the parameters in force."""
        c = getattr(self.model.params, self.channel)
        self.queue.configure(c.staff, c.requests_per_staff_week / 7.0, c.discipline, c.service)

    def handle_requests(self, t0: float, t1: float) -> None:
        """Work off queued requests until ``t1``; forward finished ones to their agency."""
        model = self.model
        ledger = model.ledger
        self.step_waits.clear()
        arrived, started, finished = self.queue.advance(t1)
        ledger.defer(arrived, Stage.QUEUED)
        ledger.defer(finished, Stage.FORWARDED)
        queued = {rid: t for rid, t in arrived}
        for rid, t in started:
            ledger.handled[rid] = t
            self.step_waits.append(t - queued.get(rid, ledger.times[rid, Stage.QUEUED]))
        agency_of, priority_of = ledger.cols["agency"], ledger.cols["priority"]
        agencies, delay = model.agencies, model.edge_delay
        for rid, t in finished:
            agency = agencies[agency_of[rid]]
            agency.reviews.arrive(rid, t + delay[self.node, agency.node], 1.0, bool(priority_of[rid]))
        busy = self.queue.busy_time
        self.utilisation = (busy - self._busy_before) / (max(self.queue.servers, 1) * (t1 - t0))
        self._busy_before = busy

    def ship_home(self, t_end: float) -> None:
        """Material due in Beijing before ``t_end`` arrives at its ministry."""
        released = self.shipments.release(t_end)
        if not released:
            return
        ledger = self.model.ledger
        ministry_of, ministries = ledger.cols["ministry"], self.model.ministries
        ledger.defer(released, Stage.ARRIVED)
        for rid, due in released:
            ministries[ministry_of[rid]].receive(rid, due)


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
        """Read review capacity and discipline from the parameters in force."""
        s = self.model.params.soviet
        self.reviews.configure(1, s.reviews_per_week / 7.0, s.discipline)

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
        category_of = ledger.cols["category"]
        reviewed = []
        for agency in model.agencies:
            if agency.reviews.next_time < t_end:
                arrived, _, finished = agency.reviews.advance(t_end)
                ledger.defer(arrived, Stage.UNDER_REVIEW)
                reviewed.append((agency, finished))
        total = sum(len(finished) for _, finished in reviewed)
        if total:
            mean_days = model.arrays["review_days"].tolist()
            deliberation = iter(model.streams["review"].standard_exponential(total).tolist())
            for agency, finished in reviewed:
                for rid, t in finished:
                    agency.decisions.push(rid, t + mean_days[category_of[rid]] * next(deliberation))
        due = [(agency, released) for agency in model.agencies if (released := agency.decisions.release(t_end))]
        total = sum(len(released) for _, released in due)
        if not total:
            return
        approval = model.arrays["approval"].tolist()
        draws = iter(model.streams["approval"].random(total).tolist())
        per_agency = len(model.agencies[0].enterprises)  # as built: the same for every agency
        choices = iter(model.streams["routing"].integers(per_agency, size=total).tolist())
        sets_of, priority_of, chosen_of = ledger.cols["sets"], ledger.cols["priority"], ledger.cols["soviet_enterprise"]
        delay = model.edge_delay
        approved, rejected = [], []
        for agency, released in due:
            for rid, when in released:
                approve = next(draws) < approval[category_of[rid]]
                enterprise = agency.enterprises[next(choices)]  # drawn for every decision, approved or not
                if not approve:
                    rejected.append((rid, when))
                    continue
                approved.append((rid, when))
                chosen_of[rid] = enterprise.index
                arrival = when + delay[agency.node, enterprise.node]
                enterprise.copying.arrive(rid, arrival, float(sets_of[rid]), bool(priority_of[rid]))
        ledger.defer(approved, Stage.APPROVED)
        ledger.defer(rejected, Stage.REJECTED)


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
        """Read copying capacity from the parameters in force."""
        self.copying.configure(1, self.model.params.soviet.copy_sets_per_week / 7.0, "fifo")

    @classmethod
    def copy_all(cls, model: TechTransferModel, t_end: float) -> None:
        """All enterprises with work due before ``t_end`` copy (the others are idle until then)."""
        for enterprise in [e for e in model.soviet_enterprises if e.copying.next_time < t_end]:
            enterprise.copy(t_end)

    def copy(self, t_end: float) -> None:
        """Copy until ``t_end``; ship finished sets home through the request's channel."""
        _, started, finished = self.copying.advance(t_end)
        if not started and not finished:
            return
        model = self.model
        ledger = model.ledger
        ledger.defer(started, Stage.COPYING)
        ledger.defer(finished, Stage.SHIPPED)
        cols, delay, supplied = ledger.cols, model.edge_delay, model.supplied_sets
        for rid, t in finished:
            desk = model.channels[cols["channel"][rid]]
            home = model.ministries[cols["ministry"][rid]].node
            desk.shipments.push(rid, t + delay[self.node, desk.node] + delay[desk.node, home])
            supplied[cols["category"][rid]] += cols["sets"][rid]


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
