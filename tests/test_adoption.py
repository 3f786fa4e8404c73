"""The adoption update (sim.adoption): the same process as a fresh draw every step, and its bookkeeping."""

from __future__ import annotations

import numpy as np
import pytest

from sim import CATEGORIES, Scenario
from sim.adoption import EnterprisePopulation
from sim.network import adjacency, enterprise_edges

SECTORS = 8


def population(per_sector: int, seed: int, scenario: Scenario | None = None, **overrides) -> EnterprisePopulation:
    """A population on the model's own network generator, with the given parameter overrides."""
    params = (scenario or Scenario()).with_overrides(overrides) if overrides else (scenario or Scenario())
    sizes = [per_sector] * SECTORS
    rng = np.random.default_rng(seed)
    edges = enterprise_edges(sizes, 8.0, 1.0, rng)
    return EnterprisePopulation(sizes, adjacency(sum(sizes), edges), params, rng)


def plain_update(pop: EnterprisePopulation, params: Scenario, steps: int, rng: np.random.Generator) -> np.ndarray:
    """The rule as written in the ODD: a sparse product and one uniform draw per enterprise and category each step."""
    capacity = pop.absorptive_capacity(params)[None, :]
    own = capacity * params.adoption.own_rate.array()[:, None]
    peer = capacity * params.adoption.peer_rate.array()[:, None]
    inv_degree = pop._inv_degree[:, None]
    adopted = np.zeros_like(pop.adopted)
    shares = []
    for _ in range(steps):
        share = ((pop.adjacency @ adopted.T.astype(float)) * inv_degree).T
        adopted |= rng.random(adopted.shape) < np.minimum(own + peer * share, 1.0)
        shares.append(adopted.mean(axis=1))
    return np.array(shares)


def test_thresholds_give_the_same_process_as_a_draw_every_step():
    """Mean adoption curves, with peer influence, agree with the plain update within 4 standard errors."""
    params = Scenario().with_overrides({"adoption.peer_rate": 0.03, "adoption.own_rate": 0.004})
    replicates, steps = 24, 200
    plain, ours = [], []
    for seed in range(replicates):
        pop = population(60, seed, params)
        pop.delivered_sets[:] = 1e9
        plain.append(plain_update(pop, params, steps, np.random.default_rng(1000 + seed)))
        pop = population(60, seed, params)
        pop.delivered_sets[:] = 1e9
        curve = []
        for _ in range(steps):
            pop.step(params, 7)
            curve.append(pop.share())
        ours.append(curve)
    plain, ours = np.array(plain), np.array(ours)
    assert ours[:, -1].mean() > 0.3  # peers matter: well past the own-rate share of about 0.25
    se = np.sqrt(plain.var(axis=0) / replicates + ours.var(axis=0) / replicates)
    gap = np.abs(plain.mean(axis=0) - ours.mean(axis=0))
    assert (gap <= 4 * se + 0.005).all(), gap.max()


@pytest.mark.parametrize("step_days", [7, 14, 3])
def test_without_peers_the_share_follows_the_geometric_law(step_days):
    """q = 0, a = 1, full coverage: share after t steps = 1 - (1 - p)^(t * step_days / 7)."""
    p = 0.01
    params = Scenario().with_overrides(
        {
            "adoption.own_rate": p,
            "adoption.peer_rate": 0.0,
            "adoption.absorptive_mean": 1.0,
            "adoption.absorptive_spread": 0.0,
            "specialists.boost": 0.0,
        }
    )
    pop = population(2500, 3, params)
    pop.delivered_sets[:] = 1e9
    for t in range(1, 101):
        pop.step(params, step_days)
        expected = 1 - (1 - p) ** (t * step_days / 7)
        assert np.abs(pop.share() - expected).max() < 4 * np.sqrt(expected * (1 - expected) / pop.n) + 1e-9


def test_neighbour_counts_match_the_network_and_adoption_is_permanent():
    params = Scenario().with_overrides({"adoption.peer_rate": 0.05, "adoption.own_rate": 0.01})
    pop = population(40, 5, params)
    before = pop.adopted.copy()
    for step in range(120):
        if step == 10:
            pop.delivered_sets[[0, 3], :] = 100.0  # two sectors get material
        if step == 60:
            pop.delivered_sets[:] = 100.0  # then every sector
        counts = pop.step(params, 7)
        assert (pop.adopted >= before).all()
        assert counts.tolist() == (pop.adopted.sum(axis=1) - before.sum(axis=1)).tolist()
        expected = (pop.adjacency @ pop.adopted.T.astype(float)).T
        np.testing.assert_array_equal(pop._adopted_neighbours, expected)
        if step < 10:
            assert not pop.adopted.any()  # no material, no adoption, whatever the peers
        if step < 60:
            others = ~np.isin(pop.sector, [0, 3])
            assert not pop.adopted[:, others].any()
        before = pop.adopted.copy()
    assert pop.adopted[:, ~np.isin(pop.sector, [0, 3])].any()
    assert pop.peer_share().max() <= 1.0


def test_certain_adoption_and_no_adoption():
    """A hazard of 1 adopts everyone with material in one step; a hazard of 0 nobody, ever."""
    params = Scenario().with_overrides(
        {"adoption.own_rate": 1.0, "adoption.absorptive_mean": 1.0, "adoption.absorptive_spread": 0.0}
    )
    pop = population(30, 2, params)
    pop.delivered_sets[:] = 1e9
    assert pop.step(params, 7).tolist() == [pop.n] * len(CATEGORIES)
    assert pop.step(params, 7).tolist() == [0] * len(CATEGORIES)
    zero = Scenario().with_overrides({"adoption.own_rate": 0.0, "adoption.peer_rate": 0.0})
    pop = population(30, 2, zero)
    pop.delivered_sets[:] = 1e9
    for _ in range(50):
        pop.step(zero, 7)
    assert not pop.adopted.any()
