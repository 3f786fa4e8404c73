"""Adoption diffusion on the enterprise network: Ziliao beside Mesa's virus_on_network and a NumPy floor.

For N = 2,000, 20,000 and 200,000 enterprises (average degree 9: 8 within a
sector, 1 across), measured in one process, one after another:

- **ziliao**: ``sim.adoption.EnterprisePopulation.step``, the model's own update
  (five categories, Bass own rate + peer influence, absorptive capacity), with
  material delivered everywhere so every enterprise is live. It draws each
  enterprise's adoption threshold once and keeps the neighbours' adoptions as
  counts, so a step is a few array operations;
- **floor**: the same process written the plain NumPy/SciPy way, as the ODD states
  the rule (one sparse product and one uniform draw per enterprise and category every
  step), nothing else. Ziliao's update does less work per step than this, so the
  floor/Ziliao ratio can be below 1;
- **mesa**: Mesa's bundled example ``virus_on_network`` (one agent per node, an
  agent-by-agent Python loop), at the same N and mean degree. Its graph is built
  with ``nx.fast_gnp_random_graph`` (the same G(n, p) distribution the example
  draws with the O(N^2) ``erdos_renyi_graph``) and ``Network(layout=None)``
  (the default spring layout takes minutes at this size); only steps are timed.
  At large N it runs fewer steps (stated in the table); the rate is per node-step.

Each implementation takes a few untimed steps first; Ziliao and the floor are
reported as the median of three fresh runs, Mesa's example (seconds to minutes a
run) as one run.

Reported as node-steps per second (enterprise-steps; Ziliao and the floor update
five categories per node-step) and as ratios.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx
import numpy as np

from sim.adoption import EnterprisePopulation
from sim.catalog import CATEGORIES, SECTORS
from sim.network import adjacency, enterprise_edges
from sim.scenario import load_scenario

STEPS = 535
WARM_UP = 3  # untimed steps first, for every implementation alike
REPEATS = 3  # Ziliao and the floor: the median of this many runs (Mesa's run is long: one)
MESA_STEP_BUDGET_S = 20.0


@dataclass
class Rate:
    """Node-steps per second of one implementation at one size."""

    steps: int
    seconds: float
    n: int

    @property
    def per_second(self) -> float:
        return self.n * self.steps / self.seconds


def timed(n: int, step: Callable[[], object], steps: int, budget_s: float = math.inf) -> Rate:
    """Run ``step`` WARM_UP times untimed, then ``steps`` times (or until ``budget_s`` runs out) timed."""
    for _ in range(WARM_UP):
        step()
    started = time.perf_counter()
    done = 0
    while done < steps and (time.perf_counter() - started) < budget_s:
        step()
        done += 1
    return Rate(done, time.perf_counter() - started, n)


def median_rate(measure: Callable[[int], Rate], n: int) -> Rate:
    """The run with the median rate among REPEATS fresh runs of ``measure(n)``."""
    rates = sorted((measure(n) for _ in range(REPEATS)), key=lambda r: r.per_second)
    return rates[len(rates) // 2]


def _population(n: int, seed: int = 1) -> tuple[EnterprisePopulation, object]:
    params = load_scenario("baseline_1952")
    weights = np.array([s.enterprises for s in params.sectors.__dict__.values()], dtype=float)
    sizes = np.maximum(1, np.round(n * weights / weights.sum())).astype(int)
    sizes[0] += n - sizes.sum()
    rng = np.random.default_rng(seed)
    edges = enterprise_edges(sizes.tolist(), 8.0, 1.0, rng)
    population = EnterprisePopulation(sizes.tolist(), adjacency(n, edges), params, rng)
    population.delivered_sets[:] = 1e9  # material everywhere: every enterprise is live
    return population, params


def ziliao(n: int, steps: int = STEPS) -> Rate:
    """The model's own update, ``EnterprisePopulation.step``."""
    population, params = _population(n)
    return timed(n, lambda: population.step(params, 7), steps)


def floor(n: int, steps: int = STEPS) -> Rate:
    """The same process, the plain way, with everything that does not change hoisted out of the loop."""
    population, params = _population(n)
    a = population.adjacency
    inv_degree = population._inv_degree[:, None]
    capacity = population.absorptive_capacity(params)[None, :]
    own = capacity * params.adoption.own_rate.array()[:, None]
    peer = capacity * params.adoption.peer_rate.array()[:, None]
    adopted = np.zeros((len(CATEGORIES), n), dtype=bool)
    rng = np.random.default_rng(2)

    def step() -> None:
        share = ((a @ adopted.T.astype(np.float32)) * inv_degree).T
        chance = np.minimum(own + peer * share, 1.0)
        adopted[:] |= rng.random(adopted.shape) < chance

    return timed(n, step, steps)


def mesa_virus(n: int, steps: int = STEPS) -> Rate:
    """Mesa's own virus_on_network, stepped until ``steps`` or the time budget runs out."""
    from mesa.discrete_space import Network
    from mesa.examples.basic.virus_on_network import model as virus

    def fast_gnp(n: int, p: float, seed: object = None, directed: bool = False) -> nx.Graph:
        return nx.fast_gnp_random_graph(n, p, seed=seed, directed=directed)

    def network(graph: nx.Graph, capacity: int | None = None, random: object = None) -> Network:
        return Network(graph, capacity=capacity, random=random, layout=None)

    saved = virus.nx.erdos_renyi_graph, virus.Network
    virus.nx.erdos_renyi_graph, virus.Network = fast_gnp, network
    try:
        model = virus.VirusOnNetwork(num_nodes=n, avg_node_degree=9, initial_outbreak_size=max(1, n // 200), rng=1)
    finally:
        virus.nx.erdos_renyi_graph, virus.Network = saved
    return timed(n, model.step, steps, MESA_STEP_BUDGET_S)


def run(sizes: tuple[int, ...] = (2_000, 20_000, 200_000)) -> list[dict]:
    """Measure all three at each size; one row per size."""
    rows = []
    for n in sizes:
        z, f, m = median_rate(ziliao, n), median_rate(floor, n), mesa_virus(n)
        rows.append(
            {
                "N": n,
                "ziliao_node_steps_per_s": z.per_second,
                "floor_node_steps_per_s": f.per_second,
                "mesa_node_steps_per_s": m.per_second,
                "mesa_steps": m.steps,
                "ziliao_vs_mesa": z.per_second / m.per_second,
                "floor_vs_ziliao": f.per_second / z.per_second,
            }
        )
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
    print(len(SECTORS), "sectors")
