"""Chinese enterprises' state and the adoption rule, in vectorised form.

Each enterprise ``i`` of sector ``s`` adopts category ``k`` in a step with
probability ``1 - (1 - h)^(step_days / 7)``, where the weekly hazard is

    h = min(1, a_i(t) * (p_k * c_sk + q_k * f_ik))   if sector s has any material of k,
    h = 0                                            otherwise,

``p_k`` and ``q_k`` are the own and peer rates (Bass), ``c_sk`` the sector's
coverage (sets delivered / (enterprises * sets_for_coverage), at most 1),
``f_ik`` the share of ``i``'s network neighbours that have adopted ``k``, and
``a_i(t) = min(1, e_i * (1 + boost * specialists / reference))`` the absorptive
capacity: an enterprise's engineers ``e_i`` (Beta-distributed, fixed) raised by
the Soviet specialists present. With ``q = 0``, ``a = 1`` and full coverage the
share adopted after ``t`` steps is ``1 - (1 - p)^t``.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from sim.catalog import CATEGORIES
from sim.params import Params


class EnterprisePopulation:
    """Adoption state of all Chinese enterprises (categories x enterprises).

    Args:
        sizes: Enterprises per sector, in sector order (enterprises are numbered
            sector by sector).
        adjacency: Symmetric adjacency matrix of the enterprise network.
        params: Parameters at build time (absorptive capacity draws).
        rng: The adoption random stream.
    """

    def __init__(self, sizes: list[int], adjacency: sp.csr_array, params: Params, rng: np.random.Generator) -> None:
        self.sizes = np.asarray(sizes)
        self.n = int(self.sizes.sum())
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)[:-1]])
        self.sector = np.repeat(np.arange(len(sizes)), sizes)
        self.adjacency = adjacency
        degree = np.asarray(adjacency.sum(axis=1)).ravel()
        self._inv_degree = np.divide(1.0, degree, out=np.zeros(self.n), where=degree > 0).astype(np.float32)
        self.rng = rng
        self.engineers = self._draw_engineers(params)
        self.adopted = np.zeros((len(CATEGORIES), self.n), dtype=bool)
        self.delivered_sets = np.zeros((len(sizes), len(CATEGORIES)))

    def _draw_engineers(self, params: Params) -> np.ndarray:
        mean, spread = params.adoption.absorptive_mean, params.adoption.absorptive_spread
        if spread == 0 or mean in (0.0, 1.0):
            return np.full(self.n, mean)
        concentration = 1.0 / spread - 1.0
        return self.rng.beta(mean * concentration, (1 - mean) * concentration, size=self.n)

    def absorptive_capacity(self, params: Params) -> np.ndarray:
        """Absorptive capacity of every enterprise now, in [0, 1]."""
        s = params.specialists
        return np.minimum(1.0, self.engineers * (1.0 + s.boost * s.present / s.reference))

    def coverage(self, params: Params) -> np.ndarray:
        """Share of need covered by delivered sets, ``[sector, category]``, in [0, 1]."""
        need = self.sizes[:, None] * params.adoption.sets_for_coverage.array()[None, :]
        return np.minimum(1.0, self.delivered_sets / need)

    def peer_share(self) -> np.ndarray:
        """Share of each enterprise's neighbours that have adopted, ``[category, enterprise]``."""
        adopted_neighbours = self.adjacency @ self.adopted.T.astype(np.float32)
        return (adopted_neighbours * self._inv_degree[:, None]).T

    def step(self, params: Params, step_days: int) -> np.ndarray:
        """Draw this step's adoptions; return how many per category."""
        p = params.adoption.own_rate.array()[:, None]
        q = params.adoption.peer_rate.array()[:, None]
        coverage = self.coverage(params).T[:, self.sector]
        hazard = self.absorptive_capacity(params)[None, :] * (p * coverage + q * self.peer_share())
        chance = 1.0 - (1.0 - np.minimum(hazard, 1.0)) ** (step_days / 7.0)
        has_material = (self.delivered_sets > 0).T[:, self.sector]
        draws = self.rng.random(self.adopted.shape)
        new = (draws < chance) & has_material & ~self.adopted
        self.adopted |= new
        return new.sum(axis=1)

    def share(self) -> np.ndarray:
        """Share adopted per category."""
        return self.adopted.mean(axis=1)

    def share_by_sector(self) -> np.ndarray:
        """Share adopted, ``[category, sector]``."""
        return np.add.reduceat(self.adopted, self.offsets, axis=1) / self.sizes[None, :]
