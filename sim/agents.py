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

    def send_requests(self, t0: float, t1: float) -> None:
        """Create this step's requests (Poisson in time) and send them along open channels."""
        model = self.model
        p = model.params
        rng = model.streams["demand"]
        arrays = model.arrays
        weekly = arrays["requests_per_week"] * p.demand.plan_intensity * model.demand_share[self.sector]
        counts = rng.poisson(weekly * (t1 - t0) / 7.0)
        n = int(counts.sum())
        if n == 0:
            return
        category = np.repeat(np.arange(len(CATEGORIES)), counts)
        times = t0 + rng.random(n) * (t1 - t0)
        order = np.argsort(times, kind="stable")
        category, times = category[order], times[order]
        sets = 1 + rng.poisson(arrays["sets_per_request"][category] - 1.0)
        priority = rng.random(n) < p.demand.priority_share
        via_commission = rng.random(n) < p.commission.share
        open_channels = [c for c in CHANNELS if model.edge_open[self.node, c]]
        if not open_channels:
            model.requests_unsent += n
            return
        if len(open_channels) == 1:
            channel = np.full(n, CHANNELS.index(open_channels[0]))
        else:
            channel = np.where(via_commission, CHANNELS.index("commission"), CHANNELS.index("office"))
        agency = model.holder[self.sector][category]
        pages = sets * arrays["pages_per_set"][category]
        ids = model.ledger.create(
            times,
            category=category,
            ministry=np.full(n, self.sector),
            channel=channel,
            agency=agency,
            sets=sets,
            pages=pages,
            priority=priority,
        )
        for rid, t, c, prio in zip(ids.tolist(), times.tolist(), channel.tolist(), priority.tolist(), strict=True):
            desk = model.channels[c]
            desk.queue.arrive(rid, t + model.edge_delay[self.node, desk.node], 1.0, prio)

    def receive(self, rid: int, time: float) -> None:
        """Material for request ``rid`` arrives in Beijing and waits for translation."""
        self.translation.arrive(rid, time, float(self.model.ledger.pages[rid]))

    def translate(self, t_end: float) -> None:
        """Translate up to ``t_end``; deliver what is finished to the sector's enterprises."""
        ledger = self.model.ledger
        _, started, finished = self.translation.advance(t_end)
        if not started and not finished:
            return
        ledger.stamp_pairs(started, Stage.TRANSLATING)
        ids = ledger.stamp_pairs(finished, Stage.DELIVERED)
        if len(ids):
            categories = ledger["category"][ids]
            sets = ledger["sets"][ids]
            np.add.at(self.model.population.delivered_sets[self.sector], categories, sets)
            self.standards_stock += int(sets[categories == STANDARDS].sum())
            self.model.step_lead_times.extend((ledger.times[ids, Stage.DELIVERED] - ledger.times[ids, 0]).tolist())

    def reissue_standards(self, step_days: int) -> None:
        """Re-issue some delivered Soviet standards as Chinese national standards."""
        rate = self.model.params.standards.reissue_rate
        if self.standards_stock and rate > 0:
            chance = 1.0 - (1.0 - rate) ** (step_days / 7.0)
            issued = int(self.model.streams["standards"].binomial(self.standards_stock, chance))
            self.standards_stock -= issued
            self.national_standards += issued


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

    def configure(self) -> None:
        """Read staff, productivity and rules from the parameters in force."""
        c = getattr(self.model.params, self.channel)
        self.queue.configure(c.staff, c.requests_per_staff_week / 7.0, c.discipline, c.service)

    def handle_requests(self, t0: float, t1: float) -> None:
        """Work off queued requests until ``t1``; forward finished ones to their agency."""
        model = self.model
        ledger = model.ledger
        arrived, started, finished = self.queue.advance(t1)
        ledger.stamp_pairs(arrived, Stage.QUEUED)
        if started:
            started_array = np.array(started)
            ids = started_array[:, 0].astype(np.int64)
            ledger.handled[ids] = started_array[:, 1]
            model.step_waits.extend((started_array[:, 1] - ledger.times[ids, Stage.QUEUED]).tolist())
        ids = ledger.stamp_pairs(finished, Stage.FORWARDED)
        if len(ids):
            agencies, priorities = ledger["agency"][ids].tolist(), ledger["priority"][ids].tolist()
            for rid, (_, t), a, prio in zip(ids.tolist(), finished, agencies, priorities, strict=True):
                agency = model.agencies[a]
                agency.reviews.arrive(rid, t + model.edge_delay[self.node, agency.node], 1.0, prio)
        busy = self.queue.busy_time
        self.utilisation = (busy - self._busy_before) / (max(self.queue.servers, 1) * (t1 - t0))
        self._busy_before = busy

    def ship_home(self, t_end: float) -> None:
        """Material due in Beijing before ``t_end`` arrives at its ministry."""
        released = self.shipments.release(t_end)
        if not released:
            return
        ledger = self.model.ledger
        ids = np.array([r[0] for r in released])
        dues = [r[1] for r in released]
        ledger.stamp(ids, Stage.ARRIVED, np.array(dues))
        for rid, due, m in zip(ids.tolist(), dues, ledger["ministry"][ids].tolist(), strict=True):
            self.model.ministries[m].receive(rid, due)


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

    def review(self, t_end: float) -> None:
        """Review until ``t_end``; decisions fall due after a deliberation delay."""
        model = self.model
        ledger = model.ledger
        arrived, _, finished = self.reviews.advance(t_end)
        ledger.stamp_pairs(arrived, Stage.UNDER_REVIEW)
        if finished:
            ids = np.array([f[0] for f in finished])
            mean_days = model.arrays["review_days"][ledger["category"][ids]]
            deliberation = model.streams["review"].exponential(mean_days)
            for rid, (_, t), extra in zip(ids.tolist(), finished, deliberation.tolist(), strict=True):
                self.decisions.push(rid, t + extra)
        released = self.decisions.release(t_end)
        if not released:
            return
        ids = np.array([r[0] for r in released])
        dues = np.array([r[1] for r in released])
        approved = model.streams["approval"].random(len(ids)) < model.arrays["approval"][ledger["category"][ids]]
        ledger.stamp(ids[~approved], Stage.REJECTED, dues[~approved])
        ids, dues = ids[approved], dues[approved]
        ledger.stamp(ids, Stage.APPROVED, dues)
        chosen = model.streams["routing"].integers(len(self.enterprises), size=len(ids))
        ledger["soviet_enterprise"][ids] = [self.enterprises[j].index for j in chosen.tolist()]
        sets, priorities = ledger["sets"][ids].tolist(), ledger["priority"][ids].tolist()
        for rid, due, j, n_sets, prio in zip(
            ids.tolist(), dues.tolist(), chosen.tolist(), sets, priorities, strict=True
        ):
            enterprise = self.enterprises[j]
            enterprise.copying.arrive(rid, due + model.edge_delay[self.node, enterprise.node], float(n_sets), prio)


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

    def copy(self, t_end: float) -> None:
        """Copy until ``t_end``; ship finished sets home through the request's channel."""
        model = self.model
        ledger = model.ledger
        _, started, finished = self.copying.advance(t_end)
        if not started and not finished:
            return
        ledger.stamp_pairs(started, Stage.COPYING)
        ids = ledger.stamp_pairs(finished, Stage.SHIPPED)
        if not len(ids):
            return
        np.add.at(model.supplied_sets, ledger["category"][ids], ledger["sets"][ids])
        channels, ministries = ledger["channel"][ids].tolist(), ledger["ministry"][ids].tolist()
        for rid, (_, t), c, m in zip(ids.tolist(), finished, channels, ministries, strict=True):
            desk = model.channels[c]
            delay = model.edge_delay[self.node, desk.node] + model.edge_delay[desk.node, model.ministries[m].node]
            desk.shipments.push(rid, t + delay)


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
