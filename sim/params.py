"""The parameter schema: every tunable number, with its unit, range and source.

This is the one place a parameter is declared. Scenario files, ``--set`` on the
command line, scenario events, the dashboard and the sweeps all read these
declarations; ``python -m sim params`` prints them as the table in docs/ODD.md.

Each field carries ``unit``, ``source`` and ``static`` in its
``json_schema_extra``, and the few a class can play with carry ``teaching``
(:func:`teaching`): a plain label and the range of the dashboard's slider, switch
or chooser, shown above the full panel. ``source`` is either ``history:<id>`` (a row of
``data/history_targets.csv``) or begins with ``assumption``. ``static``
parameters shape the model when it is built and cannot be changed by events.
Rates are per week of model time whatever ``time.step_days`` is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.catalog import CATEGORIES, SECTOR_KEYS, SECTORS

ASSUMPTION = "assumption"


def teaching(
    label: str,
    low: float | None = None,
    high: float | None = None,
    step: float = 1,
    choices: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Mark a parameter as a teaching control: its plain label and, for a number, the slider's range.

    A switch (on/off) needs only the label; a chooser may name its values in plain words
    (``choices``: value -> words). The slider's range lies inside the parameter's own; the
    full panel still takes the whole range.
    """
    return {"label": label, "low": low, "high": high, "step": step, "choices": choices or {}}


def param(
    default: Any,
    *,
    unit: str,
    description: str,
    source: str = ASSUMPTION,
    ge: float | dt.date | None = None,
    le: float | dt.date | None = None,
    static: bool = False,
    teach: dict[str, Any] | None = None,
) -> Any:
    """Declare a parameter: a pydantic field with its unit, range and source (``teach``: see :func:`teaching`)."""
    # The bounds of the ``time`` dates stay dates here (field_at and the parameter table read them back),
    # which pydantic's JSON-only type of json_schema_extra does not foresee.
    extra: dict[str, Any] = {"unit": unit, "source": source, "static": static, "ge": ge, "le": le}
    if teach is not None:
        extra["teaching"] = teach
    return Field(default, ge=ge, le=le, description=description, json_schema_extra=extra)


class Section(BaseModel):
    """Base of every parameter group: frozen, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


def spread(value: Any) -> Any:
    """A number spread over the five categories (``{category: value}``); anything else as it is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dict.fromkeys(CATEGORIES, value)
    return value


class CategoryTable(Section):
    """One value per material category; a scalar in a file sets all five.

    A subclass declares one float field per category, named and ordered as
    :data:`sim.catalog.CATEGORIES`, with its default and bounds.
    """

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if tuple(cls.model_fields) != CATEGORIES:
            raise TypeError(f"{cls.__name__}: declare one field per category, in order: {', '.join(CATEGORIES)}")

    @model_validator(mode="before")
    @classmethod
    def _broadcast(cls, value: Any) -> Any:
        return spread(value)

    def array(self) -> np.ndarray:
        """Values in the order of :data:`sim.catalog.CATEGORIES`."""
        return np.array([getattr(self, k) for k in CATEGORIES], dtype=float)


def per_category(
    table: type[CategoryTable],
    *,
    unit: str,
    description: str,
    source: str = ASSUMPTION,
    static: bool = False,
) -> Any:
    """Declare a per-category parameter of type ``table``; its range is that of the table's cells."""
    first = table.model_fields[CATEGORIES[0]].metadata
    bounds = {type(m).__name__: m for m in first}
    return Field(
        default_factory=table,
        description=description,
        json_schema_extra={
            "unit": unit,
            "source": source,
            "static": static,
            "ge": getattr(bounds.get("Ge"), "ge", None),
            "le": getattr(bounds.get("Le"), "le", None),
        },
    )


class RequestsPerWeek(CategoryTable):
    """Requests per week at plan intensity 1, by category (``demand.requests_per_week``)."""

    standards: float = Field(2.2, ge=0, le=1000)
    typical_designs: float = Field(8.0, ge=0, le=1000)
    operating_procedures: float = Field(6.0, ge=0, le=1000)
    blueprints: float = Field(12.0, ge=0, le=1000)
    norms: float = Field(7.0, ge=0, le=1000)


class SetsPerRequest(CategoryTable):
    """Mean sets asked for in one request, by category (``demand.sets_per_request``)."""

    standards: float = Field(8.0, ge=1, le=1000)
    typical_designs: float = Field(1.6, ge=1, le=1000)
    operating_procedures: float = Field(2.0, ge=1, le=1000)
    blueprints: float = Field(3.5, ge=1, le=1000)
    norms: float = Field(5.0, ge=1, le=1000)


class ReviewWeeks(CategoryTable):
    """Mean Soviet deliberation in weeks, by category (``soviet.review_weeks``)."""

    standards: float = Field(4.0, ge=0, le=260)
    typical_designs: float = Field(8.0, ge=0, le=260)
    operating_procedures: float = Field(6.0, ge=0, le=260)
    blueprints: float = Field(10.0, ge=0, le=260)
    norms: float = Field(6.0, ge=0, le=260)


class Approval(CategoryTable):
    """Probability that a reviewed request is approved, by category (``soviet.approval``)."""

    standards: float = Field(0.95, ge=0, le=1)
    typical_designs: float = Field(0.9, ge=0, le=1)
    operating_procedures: float = Field(0.85, ge=0, le=1)
    blueprints: float = Field(0.8, ge=0, le=1)
    norms: float = Field(0.85, ge=0, le=1)


class PagesPerSet(CategoryTable):
    """Pages of Russian text in one set, by category (``translation.pages_per_set``)."""

    standards: float = Field(12.0, ge=0, le=100000)
    typical_designs: float = Field(120.0, ge=0, le=100000)
    operating_procedures: float = Field(60.0, ge=0, le=100000)
    blueprints: float = Field(30.0, ge=0, le=100000)
    norms: float = Field(20.0, ge=0, le=100000)


class OwnRate(CategoryTable):
    """Weekly chance of adopting without peers, by category (``adoption.own_rate``)."""

    standards: float = Field(0.003, ge=0, le=1)
    typical_designs: float = Field(0.002, ge=0, le=1)
    operating_procedures: float = Field(0.0025, ge=0, le=1)
    blueprints: float = Field(0.0025, ge=0, le=1)
    norms: float = Field(0.002, ge=0, le=1)


class PeerRate(CategoryTable):
    """Added weekly chance of adopting with all neighbours adopted, by category (``adoption.peer_rate``)."""

    standards: float = Field(0.015, ge=0, le=1)
    typical_designs: float = Field(0.01, ge=0, le=1)
    operating_procedures: float = Field(0.012, ge=0, le=1)
    blueprints: float = Field(0.012, ge=0, le=1)
    norms: float = Field(0.01, ge=0, le=1)


class SetsForCoverage(CategoryTable):
    """Sets per enterprise for full-speed own adoption, by category (``adoption.sets_for_coverage``)."""

    standards: float = Field(2.0, ge=1e-9, le=100000)
    typical_designs: float = Field(0.5, ge=1e-9, le=100000)
    operating_procedures: float = Field(0.5, ge=1e-9, le=100000)
    blueprints: float = Field(1.5, ge=1e-9, le=100000)
    norms: float = Field(1.0, ge=1e-9, le=100000)


EARLIEST, LATEST = dt.date(1949, 10, 1), dt.date(1979, 12, 31)  # founding of the PRC; before the 1980s


class TimeParams(Section):
    """The calendar of a run."""

    start: dt.date = param(
        dt.date(1952, 9, 6),
        unit="date",
        ge=EARLIEST,
        le=LATEST,
        static=True,
        source="history:channel_1952",
        description="First day of the run: the date of Zhou Enlai's letter.",
    )
    end: dt.date = param(
        dt.date(1962, 12, 31),
        unit="date",
        ge=EARLIEST,
        le=LATEST,
        static=True,
        source="history:sets_total_1953_62",
        description="Last day of the run: the end of the Second Five-Year Plan.",
    )
    step_days: int = param(7, unit="days", ge=1, le=31, static=True, description="Length of one model step.")

    @model_validator(mode="after")
    def _ordered(self) -> TimeParams:
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must come after start ({self.start})")
        return self


class DemandParams(Section):
    """How ministries turn the plan into requests."""

    requests_per_week: RequestsPerWeek = per_category(
        RequestsPerWeek,
        unit="requests per week",
        source="assumption (scaled so that sets supplied match history:sets_total_1953_62)",
        description="Requests created per week by all ministries together at plan intensity 1.",
    )
    sets_per_request: SetsPerRequest = per_category(
        SetsPerRequest,
        unit="sets",
        description="Mean sets asked for in one request (1 + Poisson).",
    )
    plan_intensity: float = param(
        0.4,
        unit="multiplier",
        ge=0,
        le=10,
        description="Scales all demand; events raise it through the First Five-Year Plan.",
    )
    priority_share: float = param(
        0.3,
        unit="share",
        ge=0,
        le=1,
        source="assumption (requests for the key projects, history:key_projects)",
        description="Share of requests marked priority (served first under the priority discipline).",
    )


class ChannelParams(Section):
    """A channel through which ministries send requests and receive material."""

    open: bool = param(True, unit="on/off", description="Whether new requests may use this channel.")
    staff: int = param(
        10,
        unit="persons",
        ge=1,
        le=1000,
        description="Staff working off requests.",
        teach=teaching("Staff at the Counsellor's Office", 1, 60),
    )
    requests_per_staff_week: float = param(
        6.0,
        unit="requests per person-week",
        ge=0.01,
        le=1000,
        description="Requests one staff member handles per week.",
    )
    discipline: Literal["fifo", "priority"] = param(
        "fifo",
        unit="choice",
        description="Queue discipline: first in first out, or priority requests first.",
        teach=teaching(
            "Order of the Office's queue", choices={"fifo": "In order of arrival", "priority": "Key projects first"}
        ),
    )
    service: Literal["deterministic", "exponential"] = param(
        "exponential", unit="choice", description="Distribution of the time one request takes to handle."
    )
    outbound_days: float = param(
        14.0, unit="days", ge=0, le=365, description="Travel of a request from Beijing to the channel (diplomatic bag)."
    )
    forward_days: float = param(
        3.0, unit="days", ge=0, le=365, description="Travel of a request from the channel to the Soviet agency."
    )
    return_days: float = param(
        21.0, unit="days", ge=0, le=365, description="Shipping of copied material from the channel to Beijing."
    )


class CommissionParams(Section):
    """The joint commission of the 1954 agreement: a second channel that agrees requests in sessions.

    Its members (seven a side) do not work off requests one by one: requests
    sent through it wait for the next session, which agrees a batch of them.
    """

    open: bool = param(
        False,
        unit="on/off",
        source="history:agreement_1954",
        description="Closed until the 1954 agreement opens it.",
        teach=teaching("Joint commission open from the start"),
    )
    members: int = param(
        7,
        unit="persons per side",
        ge=1,
        le=100,
        source="history:commission_size",
        description="Members a side; recorded for the record's sake: session capacity is `requests_per_session`.",
    )
    sessions_per_year: float = param(
        2.0,
        unit="sessions per year",
        ge=1,
        le=52,
        source="history:commission_min_sessions",
        description="Sessions a year, evenly spaced from the day the commission opens (the first session).",
    )
    requests_per_session: int = param(
        600,
        unit="requests per session",
        ge=0,
        le=1_000_000,
        source="assumption (sized with the record's totals, history:sets_total_1953_62)",
        description="Requests one session agrees at most; events can raise it.",
    )
    discipline: Literal["fifo", "priority"] = param(
        "priority",
        unit="choice",
        source="assumption (key projects first, history:key_projects)",
        description="Which waiting requests a session agrees first: in arrival order, or priority requests first.",
    )
    share: float = param(
        0.35,
        unit="share",
        ge=0,
        le=1,
        description="Share of new requests sent through the commission while both channels are open.",
        teach=teaching("Share of requests sent through the commission", 0, 1, 0.05),
    )
    outbound_days: float = param(
        14.0, unit="days", ge=0, le=365, description="Travel of a request from Beijing to the commission."
    )
    forward_days: float = param(
        3.0, unit="days", ge=0, le=365, description="Travel of an agreed request to the Soviet agency."
    )
    return_days: float = param(
        21.0, unit="days", ge=0, le=365, description="Shipping of copied material from the commission to Beijing."
    )


class ProjectRequests(CategoryTable):
    """Requests per active key project and week, by category (``projects.requests_per_project_week``)."""

    standards: float = Field(0.0, ge=0, le=100)
    typical_designs: float = Field(0.1, ge=0, le=100)
    operating_procedures: float = Field(0.0, ge=0, le=100)
    blueprints: float = Field(0.1, ge=0, le=100)
    norms: float = Field(0.0, ge=0, le=100)


class ResearchRequests(CategoryTable):
    """Requests per active research item and week, by category (``research.requests_per_item_week``)."""

    standards: float = Field(0.0, ge=0, le=100)
    typical_designs: float = Field(0.0, ge=0, le=100)
    operating_procedures: float = Field(0.1, ge=0, le=100)
    blueprints: float = Field(0.0, ge=0, le=100)
    norms: float = Field(0.1, ge=0, le=100)


class ProjectsParams(Section):
    """The Soviet-aided key projects, whose construction asks for designs and drawings (priority requests)."""

    agreed: int = param(
        50,
        unit="projects (cumulative)",
        ge=0,
        le=10_000,
        source="history:projects_batch_1950",
        description="Projects agreed so far; events raise it with each batch, and a rise starts a cohort.",
    )
    construction_years: float = param(
        5.0,
        unit="years",
        ge=0.1,
        le=30,
        source="assumption (a First-Plan project built in about five years)",
        description="Years a project asks for documentation after it is agreed.",
    )
    active_share: float = param(
        1.0,
        unit="share",
        ge=0,
        le=1,
        source="assumption (cut after the 1960 withdrawal, history:stalled_units_1960)",
        description="Share of the projects under construction that still ask for documentation.",
    )
    requests_per_project_week: ProjectRequests = per_category(
        ProjectRequests,
        unit="requests per project-week",
        source="assumption (sized with the record's totals, history:sets_total_1953_62)",
        description="Priority requests one project under construction makes per week.",
    )


class ResearchParams(Section):
    """The joint research items of the January 1958 agreement, which ask for technical documentation."""

    items: int = param(
        0,
        unit="items (cumulative)",
        ge=0,
        le=10_000,
        source="history:agreement_122_items_1958",
        description="Research items agreed so far; an event sets 122 in January 1958.",
    )
    years: float = param(
        3.5,
        unit="years",
        ge=0.1,
        le=30,
        source="history:agreement_122_items_1958 (executed a little over three years)",
        description="Years an item asks for documentation after it is agreed.",
    )
    active_share: float = param(
        1.0,
        unit="share",
        ge=0,
        le=1,
        source="assumption",
        description="Share of the agreed items still under way.",
    )
    requests_per_item_week: ResearchRequests = per_category(
        ResearchRequests,
        unit="requests per item-week",
        source="assumption (sized with the record's totals, history:sets_total_1953_62)",
        description="Requests one research item under way makes per week.",
    )


class RecordParams(Section):
    """How the record's figures are counted, where the sources leave it open (data/README.md)."""

    counted: Literal["shipped", "delivered"] = param(
        "shipped",
        unit="choice",
        static=True,
        source="assumption (the record counts what the USSR supplied, history:sets_total_1953_62)",
        description="Date by which a request's sets count in a period: when shipped by the Soviet side, "
        "or when delivered in China after translation.",
    )


class SovietParams(Section):
    """Soviet agencies (review) and enterprises (copying)."""

    review_weeks: ReviewWeeks = per_category(
        ReviewWeeks,
        unit="weeks",
        source="assumption (bounded by history:lead_time_cc_letter)",
        description="Mean deliberation after a reviewer has handled a request (exponential).",
    )
    approval: Approval = per_category(
        Approval,
        unit="probability",
        description="Probability that a reviewed request is approved.",
    )
    reviews_per_week: float = param(
        25.0,
        unit="requests per week",
        ge=0.01,
        le=10000,
        description="Review capacity of one agency.",
        teach=teaching("Requests a Soviet agency reviews each week", 1, 100),
    )
    discipline: Literal["fifo", "priority"] = param("fifo", unit="choice", description="Agencies' queue discipline.")
    enterprises_per_agency: int = param(
        10,
        unit="enterprises",
        ge=1,
        le=1000,
        static=True,
        description="Soviet plants and design institutes per agency.",
    )
    copy_sets_per_week: float = param(
        4.0, unit="sets per week", ge=0.01, le=10000, description="Copying capacity of one Soviet enterprise."
    )
    dispatch_days: float = param(
        7.0, unit="days", ge=0, le=365, description="Travel of an approved request from agency to enterprise."
    )
    collect_days: float = param(
        7.0, unit="days", ge=0, le=365, description="Travel of copied material from enterprise to the channel."
    )


class TranslationParams(Section):
    """Russian translation in the ministries."""

    translators: int = param(
        45,
        unit="persons per ministry",
        ge=0,
        le=100000,
        source="assumption (history:translators_anshan_1955 counts 40 in one unit, not a ministry)",
        description="Translators of a ministry of average weight; scaled by the sector's weight.",
        teach=teaching("Russian translators per ministry", 0, 200, 5),
    )
    pages_per_translator_week: float = param(
        30.0, unit="pages per person-week", ge=0.1, le=1000, description="Pages one translator renders per week."
    )
    pages_per_set: PagesPerSet = per_category(
        PagesPerSet,
        unit="pages",
        description="Pages of Russian text to translate in one set.",
    )


class StandardsParams(Section):
    """Re-issue of Soviet standards as Chinese national standards."""

    reissue_rate: float = param(
        0.0,
        unit="per week",
        ge=0,
        le=1,
        source="assumption (zero until the first national standards, history:gb_first)",
        description="Weekly chance that a delivered Soviet standard is re-issued as a national standard.",
    )


class AdoptionParams(Section):
    """Adoption of delivered material by Chinese enterprises (Bass-type)."""

    own_rate: OwnRate = per_category(
        OwnRate,
        unit="per week",
        description="Weekly chance of adopting without peers (Bass p), at full coverage and capacity.",
    )
    peer_rate: PeerRate = per_category(
        PeerRate,
        unit="per week",
        description="Added weekly chance when all network neighbours have adopted (Bass q).",
    )
    sets_for_coverage: SetsForCoverage = per_category(
        SetsForCoverage,
        unit="sets per enterprise",
        description="Sets delivered to a sector, per enterprise, at which its own-rate adoption runs at full speed.",
    )
    absorptive_mean: float = param(
        0.6,
        unit="share",
        ge=0,
        le=1,
        static=True,
        description="Mean absorptive capacity of an enterprise (engineers), multiplying its adoption chances.",
        teach=teaching("Absorptive capacity of the enterprises", 0, 1, 0.05),
    )
    absorptive_spread: float = param(
        0.3,
        unit="share",
        ge=0,
        le=0.95,
        static=True,
        description="Spread of absorptive capacity (0: all equal; Beta variance as a share of its maximum).",
    )


class SpecialistsParams(Section):
    """Soviet specialists in China, who raise absorptive capacity."""

    present: int = param(
        300,
        unit="persons",
        ge=0,
        le=100000,
        source="assumption (events follow history:specialists_1950_56 and history:specialists_jul_1960)",
        description="Soviet specialists present in China; events change it.",
    )
    reference: int = param(
        1500,
        unit="persons",
        ge=1,
        le=100000,
        source="history:specialists_jul_1960",
        description="Number of specialists at which absorptive capacity is raised by `boost`.",
    )
    boost: float = param(
        0.6,
        unit="multiplier",
        ge=0,
        le=10,
        description="Proportional rise in absorptive capacity with `reference` specialists present.",
        teach=teaching("Boost from Soviet specialists", 0, 3, 0.1),
    )


class NetworkParams(Section):
    """The enterprise network along which adoption spreads."""

    within_degree: float = param(
        8.0,
        unit="links per enterprise",
        ge=0,
        le=200,
        static=True,
        description="Mean links to enterprises of the same sector.",
    )
    across_degree: float = param(
        1.0,
        unit="links per enterprise",
        ge=0,
        le=200,
        static=True,
        description="Mean links to enterprises of other sectors.",
    )


class SectorParams(Section):
    """One Chinese sector: its enterprises and its share of demand (defaults per sector below)."""

    enterprises: int = param(
        250,
        unit="enterprises",
        ge=1,
        le=10_000_000,
        static=True,
        source="assumption (sizes by sector, 2,000 in all)",
        description="Chinese enterprises.",
    )
    weight: float = param(
        1.0,
        unit="weight",
        ge=0,
        le=100,
        source="assumption (weights by sector)",
        description="Relative share of demand and translators.",
    )


def sector(key: str, enterprises: int, weight: float) -> Any:
    """Declare the table of the sector ``key``: its defaults, described by its ministry's name."""
    label = next(s.label for s in SECTORS if s.key == key)
    return Field(
        default_factory=lambda: SectorParams(enterprises=enterprises, weight=weight),
        description=label,
        json_schema_extra={"source": "assumption (sizes and weights)"},
    )


class SectorsParams(Section):
    """Per-sector settings, one table per ministry (keys of sim.catalog.SECTORS)."""

    heavy_industry: SectorParams = sector("heavy_industry", 400, 1.6)
    machine_building_1: SectorParams = sector("machine_building_1", 400, 1.6)
    machine_building_2: SectorParams = sector("machine_building_2", 200, 0.8)
    fuel_industry: SectorParams = sector("fuel_industry", 300, 1.2)
    textile_industry: SectorParams = sector("textile_industry", 150, 0.6)
    light_industry: SectorParams = sector("light_industry", 150, 0.6)
    railways: SectorParams = sector("railways", 200, 0.8)
    building: SectorParams = sector("building", 200, 0.8)


if tuple(SectorsParams.model_fields) != SECTOR_KEYS:
    raise TypeError(f"SectorsParams: declare one field per sector, in order: {', '.join(SECTOR_KEYS)}")


class Params(Section):
    """All model parameters, grouped by the part of the model they govern."""

    time: TimeParams = Field(default_factory=TimeParams)
    demand: DemandParams = Field(default_factory=DemandParams)
    office: ChannelParams = Field(default_factory=ChannelParams)
    commission: CommissionParams = Field(default_factory=CommissionParams)
    projects: ProjectsParams = Field(default_factory=ProjectsParams)
    research: ResearchParams = Field(default_factory=ResearchParams)
    record: RecordParams = Field(default_factory=RecordParams)
    soviet: SovietParams = Field(default_factory=SovietParams)
    translation: TranslationParams = Field(default_factory=TranslationParams)
    standards: StandardsParams = Field(default_factory=StandardsParams)
    adoption: AdoptionParams = Field(default_factory=AdoptionParams)
    specialists: SpecialistsParams = Field(default_factory=SpecialistsParams)
    network: NetworkParams = Field(default_factory=NetworkParams)
    sectors: SectorsParams = Field(default_factory=SectorsParams)


def _submodel(info: Any) -> type[BaseModel] | None:
    annotation = info.annotation
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _extra(info: Any) -> dict:
    return info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}


def iter_parameters(model: type[BaseModel] = Params, prefix: str = "") -> Iterator[tuple[str, Any, dict]]:
    """Yield ``(path, FieldInfo, extra)`` for every parameter, in schema order.

    A per-category parameter yields one row, its path ending at the table.
    """
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        sub = _submodel(info)
        if "unit" in _extra(info):
            yield path, info, _extra(info)
        elif sub is not None:
            yield from iter_parameters(sub, path + ".")


def field_at(path: str, root: type[BaseModel] = Params) -> dict:
    """Return the declaration (unit, source, static, bounds) of the parameter at ``path``.

    ``path`` names one parameter (``office.staff``), a per-category table
    (``soviet.approval``) or one of its cells (``soviet.approval.blueprints``).

    Raises:
        KeyError: With a message naming the part of ``path`` that names nothing
            and the keys allowed there.
    """
    model: type[BaseModel] | None = root
    extra: dict = {}
    parts = path.split(".")
    for i, part in enumerate(parts):
        where = ".".join(parts[:i])
        if model is None:
            raise KeyError(f"'{where}' is a single value and has no key '{part}'")
        if part not in model.model_fields:
            raise KeyError(
                f"unknown key '{part}' in {where or 'the top level'}; valid keys: {', '.join(model.model_fields)}"
            )
        info = model.model_fields[part]
        if issubclass(model, CategoryTable):
            model = None
            continue
        extra = _extra(info)
        model = _submodel(info)
    if model is not None and not issubclass(model, CategoryTable):
        raise KeyError(f"'{path}' is a group of parameters; name one of: {', '.join(model.model_fields)}")
    return extra
