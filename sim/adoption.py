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

How the chance is drawn: every enterprise and category draws, once at build, a
threshold ``u`` uniform on (0, 1], and carries its survival ``S``, the product of
``(1 - h)^(step_days / 7)`` over the steps in which it could adopt. It adopts in the
first step in which ``S < u``. Given that it has not adopted before, ``u`` is
uniform on (0, S_before], so the chance of adopting in the step is exactly
``1 - (1 - h)^(step_days / 7)``: the same process as a fresh uniform draw every
step, without drawing every step. The neighbours' adoptions are kept as counts
updated when an enterprise adopts, and so is each step's factor ``(1 - h)^(step_days
/ 7)``: recomputed whole when the parameters or a sector's coverage change, and
otherwise only where a neighbour adopted (``reference=True`` recomputes both
whole every step, for tests: the same numbers, slower). A step multiplies the survival by the
factor and compares it with the thresholds (two passes over the arrays), with no
sparse product.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from sim.catalog import CATEGORIES
from sim.params import Params

_FEW = 8  # adopters in a step below which neighbours are told one by one


class EnterprisePopulation:
    """Adoption state of all Chinese enterprises (categories x enterprises).

    Args:
        sizes: Enterprises per sector, in sector order (enterprises are numbered
            sector by sector).
        adjacency: Symmetric adjacency matrix of the enterprise network.
        params: Parameters at build time (absorptive capacity draws).
        rng: The adoption random stream (engineers, then thresholds).
        reference: Recompute the whole hazard and step factor every step
            (:meth:`_cover` and :meth:`_survive` over all enterprises) instead of
            only where coverage changed or a neighbour adopted; slower, the same
            results, for tests.

    Attributes:
        adopted: Whether each enterprise has adopted each category, ``[category, enterprise]``.
        adopters: How many enterprises have adopted, ``[category, sector]``.
        delivered_sets: Sets delivered to each sector, ``[sector, category]`` (the
            ministries add to it).
    """

    def __init__(
        self,
        sizes: list[int],
        adjacency: sp.csr_array,
        params: Params,
        rng: np.random.Generator,
        *,
        reference: bool = False,
    ) -> None:
        self.reference = reference
        self.sizes = np.asarray(sizes)
        self.n = int(self.sizes.sum())
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)[:-1]])
        self.sector = np.repeat(np.arange(len(sizes)), sizes)
        self.adjacency = adjacency
        degree = np.asarray(adjacency.sum(axis=1), dtype=np.float64).ravel()
        self._weights = adjacency.data.astype(np.float64)
        self._unit_weights = bool((self._weights == 1.0).all())
        self._degree = np.diff(adjacency.indptr)  # entries per row
        self._inv_degree = np.divide(1.0, degree, out=np.zeros(self.n), where=degree > 0)
        self.rng = rng
        self.engineers = self._draw_engineers(params)
        shape = (len(CATEGORIES), self.n)
        self.adopted = np.zeros(shape, dtype=bool)
        self.adopters = np.zeros((len(CATEGORIES), len(sizes)), dtype=np.int64)
        self.delivered_sets = np.zeros((len(sizes), len(CATEGORIES)))
        self._threshold = 1.0 - rng.random(shape)
        self._survival = np.ones(shape)
        self._adopted_neighbours = np.zeros(shape)
        # The hazard is own + peer * adopted neighbours; both parts are kept, and
        # recomputed when the parameters or the sectors' coverage change.
        self._seen_params: Params | None = None
        self._coverage: np.ndarray | None = None  # the sectors' coverage when the own part was computed
        self._has_material: np.ndarray | None = None  # coverage > 0 when the peer part was computed
        self._stay = np.ones(shape)  # 1 - the own part of the hazard
        self._factor = np.ones(shape)  # what survival is multiplied by in a step: (1 - h)^(step_days / 7)
        self._factor_stale = True  # to be recomputed whole before the next step
        self._exponent = 1.0  # step_days / 7 when the factor was computed
        self._below = np.empty(shape, dtype=bool)  # reused by every step
        self._peer = np.zeros(shape)
        self._clip = False
        # Flat views of the [category, enterprise] arrays (all updated in place), indexed by k * n + i.
        self._flat = {
            name: getattr(self, name).reshape(-1)
            for name in ("adopted", "_survival", "_stay", "_peer", "_factor", "_adopted_neighbours")
        }

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

    def _need_for(self, params: Params) -> np.ndarray:
        """Sets each sector needs of each category for full coverage, ``[sector, category]``."""
        return self.sizes[:, None] * params.adoption.sets_for_coverage.array()[None, :]

    def coverage(self, params: Params) -> np.ndarray:
        """Share of need covered by delivered sets, ``[sector, category]``, in [0, 1]."""
        need = self._need if params is self._seen_params else self._need_for(params)
        return np.minimum(1.0, self.delivered_sets / need)

    def peer_share(self) -> np.ndarray:
        """Share of each enterprise's neighbours that have adopted, ``[category, enterprise]``."""
        return self._adopted_neighbours * self._inv_degree[None, :]

    def _use(self, params: Params) -> None:
        """Read the parameters that the hazard needs (after a change)."""
        self._capacity = self.absorptive_capacity(params)
        self._p = params.adoption.own_rate.array()
        self._q = params.adoption.peer_rate.array()
        self._clip = bool((self._p + self._q).max() > 1.0)  # else the hazard is at most 1
        self._need = self._need_for(params)
        self._peer_where_open = self._capacity[None, :] * self._q[:, None] * self._inv_degree[None, :]
        self._seen_params = params
        self._coverage = self._has_material = None  # both parts are recomputed in the step

    def _cover(self, coverage: np.ndarray) -> None:
        """Recompute the parts of the hazard that follow the sectors' coverage ``[sector, category]``.

        ``stay`` (1 - the own part) is computed whole, sectors being contiguous
        slices; the peer part only when a sector receives its first material of a
        category. Both leave enterprises that have adopted at 1 and 0.
        """
        has_material = coverage > 0
        if self.reference or self._has_material is None or not np.array_equal(has_material, self._has_material):
            self._has_material = has_material
            self._peer[...] = np.where(has_material.T[:, self.sector] & ~self.adopted, self._peer_where_open, 0.0)
        stay = np.repeat(self._p[:, None] * coverage.T, self.sizes, axis=1)
        stay *= self._capacity
        stay *= ~self.adopted  # the own part, 0 once adopted
        np.subtract(1.0, stay, out=self._stay)
        self._factor_stale = True

    def _survive(self, stay: np.ndarray, peer: np.ndarray, neighbours: np.ndarray, out: np.ndarray) -> np.ndarray:
        """The factor ``(1 - h)^(step_days / 7)``, elementwise, from ``1 - own part``, peer part and neighbours."""
        np.multiply(peer, neighbours, out=out)
        np.subtract(stay, out, out=out)  # 1 - h
        if self._clip:
            np.maximum(out, 0.0, out=out)
        if self._exponent != 1.0:
            np.power(out, self._exponent, out=out)
        return out

    def _tell_neighbours(self, category: np.ndarray, enterprise: np.ndarray) -> np.ndarray:
        """Add adoptions (``category[j]`` by ``enterprise[j]``) to the neighbours' counts.

        Returns:
            The flat positions in ``[category, enterprise]`` whose counts changed.
        """
        indptr, indices = self.adjacency.indptr, self.adjacency.indices
        if len(enterprise) <= _FEW:  # a loop over a few rows costs less than the vectorised gather
            counts, weights = self._adopted_neighbours, self._weights
            touched = []
            for k, i in zip(category.tolist(), enterprise.tolist(), strict=True):
                row = slice(indptr[i], indptr[i + 1])
                counts[k, indices[row]] += weights[row]  # a row's neighbours are distinct
                touched.append(indices[row] + k * self.n)
            return np.concatenate(touched)
        starts, lengths = indptr[enterprise], self._degree[enterprise]
        ends = lengths.cumsum()
        position = np.arange(ends[-1]) + (starts - ends + lengths).repeat(lengths)  # the rows' entries
        flat = (category * self.n).repeat(lengths)
        flat += indices[position]
        np.add.at(self._flat["_adopted_neighbours"], flat, 1.0 if self._unit_weights else self._weights[position])
        return flat

    def step(self, params: Params, step_days: int) -> np.ndarray:
        """Play this step's adoptions; return how many per category."""
        if params is not self._seen_params:
            self._use(params)
        coverage = self.coverage(params)
        if self.reference or self._coverage is None or (coverage != self._coverage).any():  # coverage saturates at 1
            self._coverage = coverage
            self._cover(coverage)
        if step_days / 7.0 != self._exponent:
            self._exponent = step_days / 7.0
            self._factor_stale = True
        if self._factor_stale or self.reference:
            self._survive(self._stay, self._peer, self._adopted_neighbours, out=self._factor)
            self._factor_stale = False
        self._survival *= self._factor
        new = np.less(self._survival, self._threshold, out=self._below).reshape(-1).nonzero()[0]
        if not len(new):
            return np.zeros(len(CATEGORIES), dtype=np.int64)
        category, enterprise = np.divmod(new, self.n)
        flat = self._flat
        flat["adopted"][new] = True
        flat["_survival"][new] = np.inf  # never below a threshold again
        touched = self._tell_neighbours(category, enterprise)
        if not self.reference:  # (the reference recomputes them whole in the next step)
            flat["_stay"][new] = 1.0  # no own part
            flat["_peer"][new] = 0.0  # and no peer part, so the factor is 1
            flat["_factor"][new] = 1.0
            parts = (flat["_stay"][touched], flat["_peer"][touched], flat["_adopted_neighbours"][touched])
            flat["_factor"][touched] = self._survive(*parts, out=np.empty(len(touched)))
        np.add.at(self.adopters, (category, self.sector[enterprise]), 1)
        return np.bincount(category, minlength=len(CATEGORIES))

    def share(self) -> np.ndarray:
        """Share adopted per category."""
        return self.adopters.sum(axis=1) / self.n

    def share_by_sector(self) -> np.ndarray:
        """Share adopted, ``[category, sector]``."""
        return self.adopters / self.sizes[None, :]
