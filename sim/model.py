"""The Mesa model of the 1952 request channel and what came of it."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path

import mesa
import networkx as nx
import numpy as np

from sim.adoption import EnterprisePopulation
from sim.agents import ChineseEnterprise, CounsellorOffice, JointCommission, Ministry, SovietAgency, SovietEnterprise
from sim.catalog import AGENCIES, CATEGORIES, FLIGHT_STAGES, SECTOR_KEYS, Stage, holder_table
from sim.ledger import Ledger
from sim.network import adjacency, build_channel_network, enterprise_edges, enterprise_graph, update_channel_network
from sim.queueing import DelayLines, StationBank
from sim.results import Results
from sim.scenario import Event, Scenario, load_scenario
from sim.streams import RandomStreams
from sim.timeline import Calendar, parse_date

_FLIGHT = list(FLIGHT_STAGES)
_STAGE_KEYS = [f"requests_{stage.key}" for stage in FLIGHT_STAGES]
_IN_FLIGHT_KEYS = [f"in_flight_{category}" for category in CATEGORIES]
_SETS_KEYS = [f"sets_{kind}_{category}" for category in CATEGORIES for kind in ("supplied", "delivered")]
_ADOPTION_KEYS = [
    key
    for category in CATEGORIES
    for key in (f"adoption_{category}", *(f"adoption_{category}__{sector}" for sector in SECTOR_KEYS))
]


class TechTransferModel(mesa.Model):
    """Requests for Soviet technical materials, their channel, and adoption in China.

    Args:
        scenario: A :class:`~sim.scenario.Scenario`, a library name or a path.
        seed: Replaces the scenario's seed.

    Attributes:
        config: The scenario as given (with ``seed`` applied).
        params: The scenario in force now: ``config`` changed by the events so far.
        calendar: Steps and dates.
        ledger: Every request, with the time it entered each stage.
        channel_network: Directed networkx graph of channels (delays, open flags).
        population: Adoption state of the Chinese enterprises (numpy arrays).
        reviews, copying, translation: The agencies' reviewers, the Soviet
            enterprises' copyists and the ministries' translators, one
            :class:`~sim.queueing.StationBank` each (station ``i`` is agent ``i``'s).
        decisions, shipments: Deliberations (a line per agency) and material on its
            way home (a line per channel), as :class:`~sim.queueing.DelayLines`.
        events_fired: ``(date, event)`` for each event applied so far.
    """

    def __init__(self, scenario: Scenario | str | Path = "baseline_1952", *, seed: int | None = None) -> None:
        config = load_scenario(scenario)
        if seed is not None:
            config = config.with_overrides({"seed": seed})
        self.streams = RandomStreams(config.seed)
        super().__init__(rng=self.streams["mesa"])
        self.config = config
        self.params = config
        self.calendar = Calendar(config.time.start, config.time.end, config.time.step_days)
        self.ledger = Ledger()
        self.sector_keys = SECTOR_KEYS
        self.holder = np.array(holder_table())
        self.requests_unsent = 0
        self.supplied_sets = np.zeros(len(CATEGORIES), dtype=np.int64)
        self.step_lead_times: list[float] = []

        self.channel_network = build_channel_network(config)
        self._channel_params: tuple | None = None
        self.ministries = [Ministry(self, i, key) for i, key in enumerate(SECTOR_KEYS)]
        self.office = CounsellorOffice(self)
        self.commission = JointCommission(self)
        self.channels = [self.office, self.commission]
        self.agencies = [SovietAgency(self, i, a.key) for i, a in enumerate(AGENCIES)]
        self.soviet_enterprises: list[SovietEnterprise] = []
        for agency in self.agencies:
            for j in range(config.soviet.enterprises_per_agency):
                enterprise = SovietEnterprise(self, agency, len(self.soviet_enterprises), j)
                agency.enterprises.append(enterprise)
                self.soviet_enterprises.append(enterprise)
        self.reviews = StationBank(len(self.agencies))  # one reviewer per agency
        self.decisions = DelayLines(len(self.agencies))  # deliberation, one line per agency
        self.copying = StationBank(len(self.soviet_enterprises))  # one copyist per Soviet enterprise
        self.shipments = DelayLines(len(self.channels))  # material on its way home, one line per channel
        self.translation = StationBank(len(self.ministries))  # one pooled translator per ministry

        sizes = [getattr(config.sectors, key).enterprises for key in SECTOR_KEYS]
        edges = enterprise_edges(
            sizes, config.network.within_degree, config.network.across_degree, self.streams["network"]
        )
        self.population = EnterprisePopulation(sizes, adjacency(sum(sizes), edges), config, self.streams["adoption"])
        self._enterprise_edges = edges
        ChineseEnterprise.create_agents(self, self.population.n, list(range(self.population.n)))

        self._pending_events: list[Event] = config.active_events()
        self.events_fired: list[tuple[dt.date, Event]] = []
        self._configure()
        self._fire_events(through=config.time.start)

        first = self._observe()
        self.datacollector = mesa.DataCollector(tables={"timeseries": list(first)})
        self.datacollector.add_table_row("timeseries", first)

    @functools.cached_property
    def enterprise_network(self) -> nx.Graph:
        """Undirected networkx graph among Chinese enterprises (node attribute ``sector``), built on first use.

        The adoption rule reads the same edges as a sparse matrix
        (``population.adjacency``), so a run that never asks for the graph does
        not build it.
        """
        return enterprise_graph(self.population.n, self._enterprise_edges, self.population.sector)

    # -- calendar -----------------------------------------------------------

    @property
    def steps_done(self) -> int:
        """Steps taken so far."""
        return round(self.time)

    @property
    def day(self) -> float:
        """Days since the start."""
        return self.steps_done * self.calendar.step_days

    @property
    def date(self) -> dt.date:
        """The model's calendar date (the end of the last step taken)."""
        return self.calendar.date(self.steps_done)

    @property
    def finished(self) -> bool:
        """Whether the run has reached the scenario's end date."""
        return self.steps_done >= self.calendar.n_steps

    # -- parameters in force ------------------------------------------------

    def _configure(self) -> None:
        """Push the parameters in force into the networks and agents' queues."""
        p = self.params
        weights = np.array([getattr(p.sectors, key).weight for key in SECTOR_KEYS])
        total = weights.sum()
        self.demand_share = weights / total if total > 0 else np.zeros_like(weights)
        self.sector_weight = weights / weights.mean() if total > 0 else np.zeros_like(weights)
        if (p.office, p.commission, p.soviet) != self._channel_params:  # the channel network reads only these
            self._channel_params = (p.office, p.commission, p.soviet)
            update_channel_network(self.channel_network, p)
            self.edge_delay = {(u, v): d for u, v, d in self.channel_network.edges(data="delay_days")}
            self.edge_open = {(u, v): o for u, v, o in self.channel_network.edges(data="open")}
            routes = [[(m.node, c.node) for c in self.channels] for m in self.ministries]
            self.channel_open = np.array([[self.edge_open[route] for route in row] for row in routes])
            self.every_ministry_open = bool(self.channel_open.any(axis=1).all())  # has a channel to send along
            self.channel_delay = self._delays(self.ministries, self.channels)
            self.forward_delay = self._delays(self.channels, self.agencies)
            self.dispatch_delay = np.array([self._delays([a], a.enterprises)[0] for a in self.agencies])
            self.collect_delay = self._delays(self.soviet_enterprises, self.channels)
            self.return_delay = self._delays(self.channels, self.ministries)
        self.arrays = {
            "requests_per_week": p.demand.requests_per_week.array(),
            "extra_sets_per_request": p.demand.sets_per_request.array() - 1.0,
            "pages_per_set": p.translation.pages_per_set.array(),
            "review_days": p.soviet.review_weeks.array() * 7.0,
            "approval": p.soviet.approval.array(),
        }
        self.mean_absorptive_capacity = float(self.population.absorptive_capacity(p).mean())
        self.weekly_demand = np.outer(self.demand_share, self.arrays["requests_per_week"]) * p.demand.plan_intensity
        self.step_demand = self.weekly_demand * float(self.calendar.step_days) / 7.0
        for channel in self.channels:
            channel.configure()
        Ministry.configure_all(self)
        SovietAgency.configure_all(self)
        SovietEnterprise.configure_all(self)

    def _delays(self, sources: list[mesa.Agent], targets: list[mesa.Agent]) -> np.ndarray:
        """Delays (days) along the channel network's edges, ``[source, target]``."""
        return np.array([[self.edge_delay[u.node, v.node] for v in targets] for u in sources])

    def _fire_events(self, through: dt.date) -> None:
        """Apply every pending event dated on or before ``through``."""
        fired = False
        while self._pending_events and self._pending_events[0].date <= through:
            event = self._pending_events.pop(0)
            self.params = self.params.apply_event(event)
            self.events_fired.append((event.date, event))
            fired = True
        if fired:
            self._configure()

    # -- one step -----------------------------------------------------------

    def step(self) -> None:
        """Advance the model by one step of ``time.step_days`` days.

        The order of a step, for the step covering days ``[t0, t1)``:

        1. Events dated within the step take effect (parameters, channels).
        2. Ministries create requests (Poisson in time) and send them along
           the open channels (``in_transit``).
        3. The Counsellor's Office and the commission work off their queues
           (``queued``) and forward requests to the holding agency (``forwarded``).
        4. Soviet agencies review (``under_review``); deliberations that end decide
           (``approved``, routed to an enterprise, or ``rejected``).
        5. Soviet enterprises copy (``copying``) and ship sets home (``shipped``).
        6. The channels deliver shipments due in Beijing (``arrived``).
        7. Ministries translate (``translating``), deliver to their enterprises
           (``delivered``) and re-issue standards as national standards.
        8. Chinese enterprises adopt, all at once (vectorised).
        9. Observations are collected.

        Every queue plays its events in exact time order up to ``t1``, and
        stages are visited in the order requests pass through them, so a
        request can pass through several stages in one step.
        """
        if self.steps_done > self.calendar.n_steps:  # mesa has already counted this step
            raise RuntimeError(f"the run has reached its end date {self.config.time.end}")
        step_days = self.calendar.step_days
        t0 = self.day - step_days  # mesa has already advanced time by one step
        t1 = t0 + step_days
        self._fire_events(through=self.calendar.date(self.steps_done) - dt.timedelta(days=1))
        self.step_lead_times.clear()
        Ministry.send_requests(self, t0, t1)
        for channel in self.channels:
            channel.handle_requests(t0, t1)
        SovietAgency.review_all(self, t1)
        SovietEnterprise.copy_all(self, t1)
        CounsellorOffice.ship_all(self, t1)
        Ministry.translate_all(self, t1)
        Ministry.reissue_standards(self, step_days)
        self.ledger.flush()
        self.population.step(self.params, step_days)
        self.datacollector.add_table_row("timeseries", self._observe())

    # -- running ------------------------------------------------------------

    def run_until(self, when: dt.date | str, progress: Callable[[int, int], None] | None = None) -> None:
        """Step until the model's date reaches ``when`` (a date or ISO string).

        Args:
            when: A date within the run; stepping stops at the first step
                ending on or after it.
            progress: Called as ``progress(steps_done, steps_total)`` after each step.

        Raises:
            ValueError: If ``when`` is not a date within the run.
        """
        target = parse_date(when)
        start, end = self.config.time.start, self.config.time.end
        if not start < target <= end:
            raise ValueError(f"--until {target} is outside the run: choose a date after {start} and up to {end}")
        steps = min(self.calendar.steps_until(target), self.calendar.n_steps)
        while self.steps_done < steps:
            self.step()
            if progress is not None:
                progress(self.steps_done, steps)

    def run(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Run to the scenario's end date."""
        self.run_until(self.config.time.end, progress)

    # -- observation --------------------------------------------------------

    def _observe(self) -> dict[str, float]:
        """This step's row of the time series (the columns are listed in docs/ODD.md)."""
        counts = self.ledger.counts()
        by_stage = counts.sum(axis=1).tolist()
        in_flight = counts[_FLIGHT].sum(axis=0).tolist()
        obs: dict[str, float] = {
            "step": self.steps_done,
            "date": self.calendar.dates[self.steps_done],
            "requests_created": sum(by_stage),
            "requests_fulfilled": by_stage[Stage.DELIVERED],
            "requests_rejected": by_stage[Stage.REJECTED],
            "requests_in_flight": sum(in_flight),
            "requests_unsent": self.requests_unsent,
        }
        obs.update(zip(_STAGE_KEYS, [by_stage[s] for s in FLIGHT_STAGES], strict=True))
        obs.update(zip(_IN_FLIGHT_KEYS, in_flight, strict=True))
        for channel in self.channels:
            waits = channel.step_waits
            obs[f"{channel.channel}_queue"] = channel.queue.queue_length
            obs[f"{channel.channel}_utilisation"] = channel.utilisation
            obs[f"{channel.channel}_wait_days"] = _mean(waits)
        obs["lead_time_days"] = _mean(self.step_lead_times)
        supplied = self.supplied_sets.tolist()
        delivered = self.population.delivered_sets.sum(axis=0).astype(np.int64).tolist()
        obs.update(zip(_SETS_KEYS, [x for pair in zip(supplied, delivered, strict=True) for x in pair], strict=True))
        obs["pages_awaiting_translation"] = self.ledger.pages_in(Stage.ARRIVED)
        obs["national_standards"] = sum(m.national_standards for m in self.ministries)
        obs["specialists_present"] = self.params.specialists.present
        obs["absorptive_capacity"] = self.mean_absorptive_capacity
        share = self.population.share()
        by_sector = self.population.share_by_sector().tolist()
        adoption: list[float] = []
        for k, overall in enumerate(share.tolist()):
            adoption += [overall, *by_sector[k]]
        obs.update(zip(_ADOPTION_KEYS, adoption, strict=True))
        obs["technology_index"] = _mean(share)
        return obs

    def results(self) -> Results:
        """The run so far: time series, ledger, summary (see :class:`sim.results.Results`)."""
        return Results.from_model(self)


def _mean(values: list[float] | np.ndarray) -> float:
    """The mean as ``np.mean`` computes it (pairwise sum), or ``nan`` for none; without its overhead."""
    return float(np.add.reduce(values)) / len(values) if len(values) else np.nan
