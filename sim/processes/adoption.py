"""Adoption: Chinese enterprises adopt delivered material, from their own reading and from their peers."""

from __future__ import annotations

import numpy as np

from sim.adoption import EnterprisePopulation
from sim.catalog import CATEGORIES, SECTOR_KEYS
from sim.network import adjacency, enterprise_edges
from sim.params import Params
from sim.processes.base import Interval, Process, Shared, mean


class Adoption(Process):
    """The enterprise population's vectorised Bass-type adoption (:class:`sim.adoption.EnterprisePopulation`).

    The enterprise network is drawn from the ``network`` stream, engineers and
    adoption thresholds from the ``adoption`` stream, when the process is built.

    Args:
        shared: The ledger, routes and streams.
        params: Parameters at build time (sector sizes and the network are fixed then).

    Attributes:
        population: The enterprises' state (numpy arrays).
        edges: The enterprise network's edges, ``(m, 2)``.
    """

    name = "adoption"
    does = "Chinese enterprises adopt, all at once (vectorised)."

    def __init__(self, shared: Shared, params: Params) -> None:
        sizes = [getattr(params.sectors, key).enterprises for key in SECTOR_KEYS]
        net = params.network
        self.edges = enterprise_edges(sizes, net.within_degree, net.across_degree, shared.streams["network"])
        self.population = EnterprisePopulation(
            sizes, adjacency(sum(sizes), self.edges), params, shared.streams["adoption"], reference=shared.reference
        )
        self._step_days = params.time.step_days
        self.configure(params)

    def configure(self, params: Params) -> None:
        """Read the adoption rates and the specialists present."""
        self._params = params
        self._absorptive_capacity = float(self.population.absorptive_capacity(params).mean())

    def receive(self, sector: np.ndarray, category: np.ndarray, sets: np.ndarray) -> None:
        """Sets delivered to the enterprises of ``sector[i]``, of ``category[i]``."""
        np.add.at(self.population.delivered_sets, (sector, category), sets)

    def advance(self, interval: Interval) -> None:
        """Play this step's adoptions."""
        self.population.step(self._params, self._step_days)

    def observe(self) -> dict[str, float]:
        """Specialists and absorptive capacity in force, adoption shares and the technology index."""
        population = self.population
        found: dict[str, float] = {
            "specialists_present": self._params.specialists.present,
            "absorptive_capacity": self._absorptive_capacity,
        }
        share = population.share()
        by_sector = population.share_by_sector().tolist()
        for k, category in enumerate(CATEGORIES):
            found[f"adoption_{category}"] = float(share[k])
            found.update(zip((f"adoption_{category}__{s}" for s in SECTOR_KEYS), by_sector[k], strict=True))
        found["technology_index"] = mean(share)
        return found
