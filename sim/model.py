"""The Mesa model of the 1952 request channel and what came of it.

The model holds the calendar, the scenario in force, the request ledger, the
routes and the Mesa agents; the work of a step is done by the processes of
:mod:`sim.processes`, advanced in the order of :data:`sim.processes.PLAN`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import mesa
import networkx as nx
import numpy as np
from mesa.experimental.scenarios import Scenario as MesaScenario

from sim.agents import ChineseEnterprise, CounsellorOffice, JointCommission, Ministry, SovietAgency, SovietEnterprise
from sim.catalog import AGENCIES, SECTOR_KEYS
from sim.keywords import overrides_from_keywords
from sim.ledger import Ledger
from sim.network import enterprise_graph
from sim.observation import SeriesCollector
from sim.processes import PLAN, Adoption, Interval, Process, Shared, build_plan
from sim.results import Results
from sim.routes import Routes
from sim.scenario import Event, EventMode, Scenario, load_scenario
from sim.streams import RandomStreams
from sim.timeline import Calendar, parse_date

P = TypeVar("P", bound=Process)

#: The order of one step: the events, the plan's processes, then the observation.
STEP_ORDER: tuple[str, ...] = (
    "Events dated within the step take effect (parameters, channels).",
    *(process.does for process in PLAN),
    "The step's stage changes are written to the ledger and observations are collected.",
)


class TechTransferModel(mesa.Model):
    """Requests for Soviet technical materials, their channel, and adoption in China.

    Args:
        base: The Ziliao scenario the run starts from: a
            :class:`~sim.scenario.Scenario`, a library name or a path.
        rng: The seed of every random stream (an integer), as in Mesa; ``None``
            keeps the scenario's seed, so a run is reproducible by default. A
            numpy ``Generator`` or ``SeedSequence`` gives a seed drawn from it.
        scenario: Mesa's own :class:`mesa.experimental.scenarios.Scenario` (as
            SolaraViz passes on reset): its ``rng`` is taken as above, its other
            attributes as flat parameters.
        reference: Play every queue event by event and recompute adoption whole
            every step instead of the fast paths: the same results, slower (for tests).
        events: For a parameter keyword that dated events also set: ``refuse`` (the
            default), ``keep`` or ``drop``, as in :meth:`sim.scenario.Scenario.with_overrides`.
        **parameters: Any schema parameter under its flat name
            (``office_staff=16``, ``soviet_approval_blueprints=0.5``; see
            :mod:`sim.keywords`), applied over ``base``.

    Attributes:
        config: The scenario as given (seed and parameters applied).
        params: The scenario in force now: ``config`` changed by the events so far.
        calendar: Steps and dates.
        ledger: Every request, with the time it entered each stage.
        routes: Delays and open flags of the channel network.
        plan: The processes, in step order; ``processes`` the same by name.
        observation: The latest row of the time series (the declared series by name).
        events_fired: ``(date, event)`` for each event applied so far.
        ministries, channels, agencies, soviet_enterprises: The Mesa agents, in
            catalogue order (the Chinese enterprises are ``agents_by_type[ChineseEnterprise]``).
    """

    def __init__(
        self,
        base: Scenario | str | Path = "baseline_1952",
        *,
        rng: int | np.integer | np.random.Generator | np.random.SeedSequence | None = None,
        scenario: MesaScenario | None = None,
        reference: bool = False,
        events: EventMode = "refuse",
        **parameters: Any,
    ) -> None:
        config = load_scenario(base)
        if scenario is not None:
            given = {k: v for k, v in scenario.to_dict().items() if k not in ("rng", "model", "_scenario_id")}
            parameters = {**given, **parameters}
            rng = scenario.rng if rng is None else rng
        overrides = overrides_from_keywords(parameters)
        seed = _seed_from(rng)
        if seed is not None:
            overrides["seed"] = seed
        if overrides:
            config = config.with_overrides(overrides, origin="TechTransferModel()", events=events)
        self.streams = RandomStreams(config.seed)
        super().__init__(rng=self.streams["mesa"])
        self.scenario = MesaScenario(rng=config.seed)
        self.config = config
        self.params = config
        self.calendar = Calendar(config.time.start, config.time.end, config.time.step_days)
        self.ledger = Ledger()
        self.routes = Routes(config)
        self.plan: tuple[Process, ...] = build_plan(Shared(self.ledger, self.routes, self.streams, reference), config)
        self.processes: dict[str, Process] = {process.name: process for process in self.plan}

        self.ministries = [Ministry(self, i, key) for i, key in enumerate(SECTOR_KEYS)]
        self.channels = [CounsellorOffice(self), JointCommission(self)]
        self.agencies = [SovietAgency(self, i, a.key) for i, a in enumerate(AGENCIES)]
        self.soviet_enterprises: list[SovietEnterprise] = []
        for agency in self.agencies:
            for j in range(config.soviet.enterprises_per_agency):
                enterprise = SovietEnterprise(self, agency, len(self.soviet_enterprises), j)
                agency.enterprises.append(enterprise)
                self.soviet_enterprises.append(enterprise)
        population = self.process(Adoption).population
        ChineseEnterprise.create_agents(self, population.n, list(range(population.n)))

        self._pending_events: list[Event] = config.active_events()
        self.events_fired: list[tuple[dt.date, Event]] = []
        self._fire_events(through=config.time.start)

        self.observation: dict[str, Any] = {}
        self.datacollector = SeriesCollector()
        self._observe()
        self.running = not self.finished

    def process(self, kind: type[P]) -> P:
        """The plan's process of type ``kind`` (``model.process(Adoption).population``)."""
        found = self.processes[kind.name]
        if not isinstance(found, kind):
            raise TypeError(f"the plan's {kind.name!r} process is a {type(found).__name__}, not a {kind.__name__}")
        return found

    @functools.cached_property
    def enterprise_network(self) -> nx.Graph:
        """Undirected networkx graph among Chinese enterprises (node attribute ``sector``), built on first use.

        The adoption rule reads the same edges as a sparse matrix, so a run that
        never asks for the graph does not build it.
        """
        adoption = self.process(Adoption)
        return enterprise_graph(adoption.population.n, adoption.edges, adoption.population.sector)

    @property
    def channel_network(self) -> nx.DiGraph:
        """Directed networkx graph of channels (edges carry ``delay_days`` and ``open``)."""
        return self.routes.graph

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

    def _fire_events(self, through: dt.date) -> None:
        """Apply every pending event dated on or before ``through``; the routes and processes read the result."""
        fired = False
        while self._pending_events and self._pending_events[0].date <= through:
            event = self._pending_events.pop(0)
            self.params = self.params.apply_event(event)
            self.events_fired.append((event.date, event))
            fired = True
        if fired:
            self.routes.configure(self.params)
            for process in self.plan:
                process.configure(self.params)

    # -- one step -----------------------------------------------------------

    def step(self) -> None:
        """Advance the model by one step of ``time.step_days`` days, in the order of :data:`STEP_ORDER`."""
        if self.steps_done > self.calendar.n_steps:  # mesa has already counted this step
            raise RuntimeError(f"the run has reached its end date {self.config.time.end}")
        step_days = self.calendar.step_days
        t0 = self.day - step_days  # mesa has already advanced time by one step
        interval = Interval(t0, t0 + step_days)
        self._fire_events(through=self.calendar.date(self.steps_done) - dt.timedelta(days=1))
        for process in self.plan:
            process.advance(interval)
        self.ledger.flush()
        self._observe()
        self.running = not self.finished

    step.__doc__ = "\n".join(
        [
            step.__doc__ or "",
            "",
            "The order of a step, for the step covering days ``[t0, t1)``:",
            "",
            *(f"{i}. {line}" for i, line in enumerate(STEP_ORDER, 1)),
            "",
            "Every queue plays its events in exact time order up to ``t1``, and",
            "processes are visited in the order requests pass through them, so a",
            "request can pass through several stages in one step.",
        ]
    )

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
        """Run to the scenario's end date (Mesa's ``run_model()`` does the same)."""
        self.run_until(self.config.time.end, progress)

    # -- observation --------------------------------------------------------

    def _observe(self) -> None:
        """Make this step's row of the time series from the ledger and every process, and collect it."""
        row: dict[str, Any] = {"step": self.steps_done, "date": self.calendar.dates[self.steps_done]}
        row.update(self.ledger.observe())
        for process in self.plan:
            row.update(process.observe())
        self.observation = row
        self.datacollector.collect(self)

    def results(self) -> Results:
        """The run so far: time series, ledger, summary (see :class:`sim.results.Results`)."""
        return Results.from_model(self)


def _seed_from(rng: int | np.integer | np.random.Generator | np.random.SeedSequence | None) -> int | None:
    """The seed that ``rng`` stands for (``None`` keeps the scenario's)."""
    if rng is None:
        return None
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool):
        return int(rng)
    if isinstance(rng, np.random.SeedSequence):
        return int(rng.generate_state(1, np.uint64)[0] >> 1)
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(2**63 - 1))
    raise TypeError(f"rng must be an integer seed, a numpy Generator or SeedSequence, or None (got {rng!r})")
