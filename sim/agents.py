"""The five kinds of agent, and the queues where their work waits.

The two channels each own a :class:`~sim.queueing.Station`. The agencies, the
Soviet enterprises and the ministries come in numbers, so each has a station in
one of the model's :class:`~sim.queueing.StationBank` objects (``reviews``,
``copying``, ``translation``, station ``i`` for agent ``i``), and the ``*_all``
class methods play a whole kind at once.

Agents act on requests, which are rows of the model's ledger (see
:mod:`sim.ledger`), and on the enterprise population (see :mod:`sim.adoption`).
The order in which they act within a step is written once, in
:meth:`sim.model.TechTransferModel.step`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.catalog import CATEGORIES, CHANNELS, SECTORS, Stage
from sim.network import agency_node, enterprise_node, ministry_node
from sim.queueing import Station

if TYPE_CHECKING:
    from sim.model import TechTransferModel

STANDARDS = CATEGORIES.index("standards")
OFFICE, COMMISSION = CHANNELS.index("office"), CHANNELS.index("commission")
_CELLS = np.arange(len(SECTORS) * len(CATEGORIES))  # (ministry, category) cells, ministry by ministry


class Ministry(mesa.Agent):
    """A Chinese ministry: asks for material, translates it, hands it on.

    Attributes:
        sector: Index of its sector in :data:`sim.catalog.SECTORS`, and of its
            translators (one pooled server, pages per day) in the model's
            ``translation`` bank.
        standards_stock: Soviet standards delivered and not yet re-issued.
    """

    model: TechTransferModel

    def __init__(self, model: TechTransferModel, sector: int, key: str) -> None:
        super().__init__(model)
        self.sector = sector
        self.key = key
        self.node = ministry_node(key)
        self.standards_stock = 0
        self.national_standards = 0

    @classmethod
    def configure_all(cls, model: TechTransferModel) -> None:
        """Read translation capacity from the parameters in force: translators in proportion to sector weight."""
        t = model.params.translation
        pages_per_day = t.translators * model.sector_weight * t.pages_per_translator_week / 7.0
        model.translation.configure(pages_per_day.tolist(), "fifo")

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
        if not model.every_ministry_open:
            sent = open_to.any(axis=1)
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
        for c, desk in enumerate(model.channels):  # each channel's requests in ledger order
            mine = channel == c
            if mine.any():
                desk.queue.arrive(ids[mine], arrivals[mine], np.ones(int(mine.sum())), priority[mine])

    @classmethod
    def translate_all(cls, model: TechTransferModel, t_end: float) -> None:
        """All ministries translate up to ``t_end`` and deliver what is finished to their enterprises.

        A finished request's sets are added to its sector's delivered sets of its
        category (standards also to the ministry's stock), and its lead time is
        recorded, ministry by ministry in the order they finish.
        """
        ledger = model.ledger
        played = model.translation.play(t_end)
        ledger.defer(played.started, Stage.TRANSLATING)
        finished = played.finished
        if not len(finished):
            return
        ledger.defer(finished, Stage.DELIVERED)
        ids, times = finished.items, finished.times
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
        self.index = CHANNELS.index(self.channel)  # its line in the model's ``shipments``
        self._busy_before = 0.0
        self.utilisation = 0.0
        self.step_waits = np.zeros(0)  # of the requests started in the last step

    def configure(self) -> None:
        """Read staff, productivity and rules from the parameters in force."""
        c = getattr(self.model.params, self.channel)
        self.queue.configure(c.staff, c.requests_per_staff_week / 7.0, c.discipline, c.service)

    def handle_requests(self, t0: float, t1: float) -> None:
        """Work off queued requests until ``t1``; forward finished ones to their agency."""
        model = self.model
        ledger = model.ledger
        played = self.queue.play(t1)
        ledger.defer(played.arrived, Stage.QUEUED)
        self.step_waits = played.waits
        if len(played.started):
            ledger.handled[played.started.items] = played.started.times
        finished = played.finished
        if len(finished):
            ids, times = finished
            ledger.defer(finished, Stage.FORWARDED)
            agency = ledger.cols["agency"][ids]
            arrivals = times + model.forward_delay[self.index, agency]
            model.reviews.arrive(ids, arrivals, np.ones(len(ids)), ledger.cols["priority"][ids], agency)
        busy = self.queue.busy_time
        self.utilisation = (busy - self._busy_before) / (max(self.queue.servers, 1) * (t1 - t0))
        self._busy_before = busy

    @classmethod
    def ship_all(cls, model: TechTransferModel, t_end: float) -> None:
        """Material due in Beijing before ``t_end`` arrives at its ministry and waits for translation.

        Each channel's shipments arrive in due order, the office's first.
        """
        released = model.shipments.release(t_end)
        if not len(released):
            return
        ledger = model.ledger
        ledger.defer(released, Stage.ARRIVED)
        ids = released.items
        ministry = ledger.cols["ministry"][ids]
        model.translation.arrive(ids, released.times, ledger.pages[ids], np.zeros(len(ids), dtype=bool), ministry)


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
        self.enterprises: list[SovietEnterprise] = []

    @classmethod
    def configure_all(cls, model: TechTransferModel) -> None:
        """Read review capacity and discipline from the parameters in force (the same for every agency)."""
        s = model.params.soviet
        model.reviews.configure([s.reviews_per_week / 7.0] * len(model.agencies), s.discipline)

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
        played = model.reviews.play(t_end)
        ledger.defer(played.arrived, Stage.UNDER_REVIEW)
        reviewed = played.finished
        if len(reviewed):
            mean_days = model.arrays["review_days"][ledger.cols["category"][reviewed.items]]
            due = reviewed.times + mean_days * model.streams["review"].standard_exponential(len(reviewed))
            model.decisions.push(reviewed.items, due, ledger.cols["agency"][reviewed.items])
        decided = model.decisions.release(t_end)
        if not len(decided):
            return
        ids = decided.items
        approve = model.streams["approval"].random(len(ids)) < model.arrays["approval"][ledger.cols["category"][ids]]
        per_agency = len(model.agencies[0].enterprises)  # as built: the same for every agency
        choice = model.streams["routing"].integers(per_agency, size=len(ids))  # for every decision
        ledger.defer(decided.select(~approve), Stage.REJECTED)
        if not approve.any():
            return
        approved = decided.select(approve)
        ledger.defer(approved, Stage.APPROVED)
        ids, j = approved.items, choice[approve]
        agency = ledger.cols["agency"][ids].astype(np.int64)
        enterprise = agency * per_agency + j  # enterprises are numbered agency by agency
        ledger.cols["soviet_enterprise"][ids] = enterprise
        arrivals = approved.times + model.dispatch_delay[agency, j]
        work = ledger.cols["sets"][ids].astype(np.float64)
        model.copying.arrive(ids, arrivals, work, ledger.cols["priority"][ids], enterprise)


class SovietEnterprise(mesa.Agent):
    """A Soviet plant or design institute: copies documentation, sets at a time."""

    model: TechTransferModel

    def __init__(self, model: TechTransferModel, agency: SovietAgency, index: int, j: int) -> None:
        super().__init__(model)
        self.agency = agency
        self.index = index
        self.node = enterprise_node(agency.key, j)

    @classmethod
    def configure_all(cls, model: TechTransferModel) -> None:
        """Read copying capacity from the parameters in force (the same for every enterprise)."""
        rate = model.params.soviet.copy_sets_per_week / 7.0
        model.copying.configure([rate] * len(model.soviet_enterprises), "fifo")

    @classmethod
    def copy_all(cls, model: TechTransferModel, t_end: float) -> None:
        """All enterprises copy until ``t_end`` and ship finished sets home through the request's channel.

        A shipment is due in Beijing after the delay from the enterprise to the
        channel and from the channel to the ministry.
        """
        ledger = model.ledger
        played = model.copying.play(t_end)
        ledger.defer(played.started, Stage.COPYING)
        finished = played.finished
        if not len(finished):
            return
        ledger.defer(finished, Stage.SHIPPED)
        ids = finished.items
        category, sets = ledger.cols["category"][ids], ledger.cols["sets"][ids]
        np.add.at(model.supplied_sets, category, sets)
        channel, ministry = ledger.cols["channel"][ids], ledger.cols["ministry"][ids]
        enterprise = ledger.cols["soviet_enterprise"][ids]
        due = finished.times + model.collect_delay[enterprise, channel] + model.return_delay[channel, ministry]
        model.shipments.push(ids, due, channel)


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
