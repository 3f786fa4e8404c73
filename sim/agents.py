"""The Mesa agents: the actors of 1952-62, as users see and inspect them.

Each agent is a view of its part of a process of :mod:`sim.processes`: the
queues, stocks and adoption state live there as arrays, played for a whole kind
of agent at once, and each agent reads its own row (``workload``, ``adopted``
…). The order in which the processes act within a step is
:data:`sim.processes.PLAN`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from sim.catalog import CATEGORIES, CHANNELS, SECTOR_KEYS
from sim.network import agency_node, enterprise_node, ministry_node
from sim.processes import Adoption, Channels, Copying, Review, Standards, Translation

if TYPE_CHECKING:
    from sim.model import TechTransferModel


class Ministry(mesa.Agent):
    """A Chinese ministry: asks for material, translates it, hands it on, re-issues standards.

    Attributes:
        sector: Index of its sector in :data:`sim.catalog.SECTORS`.
        key: The sector's key.
        node: Its node in the channel network.
    """

    model: TechTransferModel

    def __init__(self, model: TechTransferModel, sector: int, key: str) -> None:
        super().__init__(model)
        self.sector = sector
        self.key = key
        self.node = ministry_node(key)

    @property
    def workload(self) -> int:
        """Requests waiting for or in translation."""
        return self.model.process(Translation).workload()[self.sector]

    @property
    def standards_stock(self) -> int:
        """Soviet standards delivered and not yet re-issued."""
        return self.model.process(Standards).stock[self.sector]

    @property
    def national_standards(self) -> int:
        """National standards it has issued."""
        return self.model.process(Standards).issued[self.sector]


class CounsellorOffice(mesa.Agent):
    """The Chinese Commercial Counsellor's Office in Moscow: the one channel of 1952."""

    model: TechTransferModel
    channel = "office"

    def __init__(self, model: TechTransferModel) -> None:
        super().__init__(model)
        self.node = self.channel
        self.index = CHANNELS.index(self.channel)

    @property
    def workload(self) -> int:
        """Requests waiting or being handled."""
        return self.model.process(Channels).workload()[self.index]

    @property
    def queue_length(self) -> int:
        """Requests waiting, not yet handled."""
        return self.model.process(Channels).channels[self.index].queue_length

    @property
    def utilisation(self) -> float:
        """Share of staff time busy in the last step."""
        return self.model.process(Channels).channels[self.index].utilisation


class JointCommission(CounsellorOffice):
    """The Sino-Soviet joint commission of the 1954 agreement: a second channel."""

    channel = "commission"


class SovietAgency(mesa.Agent):
    """A Soviet agency: reviews requests, decides, and routes approved ones to one of its enterprises."""

    model: TechTransferModel

    def __init__(self, model: TechTransferModel, index: int, key: str) -> None:
        super().__init__(model)
        self.index = index
        self.key = key
        self.node = agency_node(key)
        self.enterprises: list[SovietEnterprise] = []

    @property
    def workload(self) -> int:
        """Requests waiting for or under review."""
        return self.model.process(Review).workload()[self.index]


class SovietEnterprise(mesa.Agent):
    """A Soviet plant or design institute: copies documentation, sets at a time."""

    model: TechTransferModel

    def __init__(self, model: TechTransferModel, agency: SovietAgency, index: int, j: int) -> None:
        super().__init__(model)
        self.agency = agency
        self.index = index
        self.node = enterprise_node(agency.key, j)

    @property
    def workload(self) -> int:
        """Requests waiting for or being copied."""
        return self.model.process(Copying).workload()[self.index]


class ChineseEnterprise(mesa.Agent):
    """A Chinese enterprise: a column of the adoption process's arrays, for inspection."""

    model: TechTransferModel

    def __init__(self, model: TechTransferModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def sector(self) -> str:
        """Key of the enterprise's sector."""
        return SECTOR_KEYS[self.model.process(Adoption).population.sector[self.index]]

    @property
    def adopted(self) -> dict[str, bool]:
        """Category -> whether this enterprise has adopted it."""
        adopted = self.model.process(Adoption).population.adopted[:, self.index].tolist()
        return dict(zip(CATEGORIES, adopted, strict=True))

    @property
    def absorptive_capacity(self) -> float:
        """Engineers' capacity raised by Soviet specialists, in [0, 1]."""
        population = self.model.process(Adoption).population
        return float(population.absorptive_capacity(self.model.params)[self.index])
